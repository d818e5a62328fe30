/**
 * The shard map: its immutable model ({@link io.shardkit.config.ShardMap}, shards, table rules,
 * tiers and archive, settings, pool settings, tenancy) and its YAML loader
 * ({@link io.shardkit.config.YamlShardMap}, guarded against hostile YAML by
 * {@link io.shardkit.config.YamlGuard}), which reports every problem at once with its YAML path
 * and line; {@link io.shardkit.config.Secrets} masks passwords in everything printed or thrown.
 * {@link io.shardkit.config.MapBuilder} builds the same model in Java, part by part (the body of
 * {@code ShardedDataSource.Builder}).
 *
 * <p>API for reading: the model types are what {@code ShardedDataSource.shardMap()} answers and
 * what its builder takes. How a map is loaded and checked ({@code YamlShardMap}'s methods,
 * {@code Problems}, {@code YamlGuard}) is internal.
 */
package io.shardkit.config;
