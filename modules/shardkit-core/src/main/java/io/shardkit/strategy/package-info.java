/**
 * The built-in sharding strategies (key mod N, hash, range, list) and the adapter for a user's own
 * choosers: each maps a shard key value to shards and answers the three chooser interfaces of
 * {@code io.shardkit}. {@link io.shardkit.strategy.Strategies} makes them for the Java builder;
 * YAML names them by {@code type}.
 *
 * <p>API: {@link io.shardkit.strategy.Strategies}, {@link io.shardkit.strategy.Strategy} and the
 * strategy types. A strategy's mapping of a key to a shard is fixed and documented: it never
 * changes across JVMs or releases.
 */
package io.shardkit.strategy;
