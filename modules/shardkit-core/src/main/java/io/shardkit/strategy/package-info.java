/**
 * The built-in sharding strategies (key mod N, hash, range, list, buckets with a placement) and the adapter for a user's own
 * choosers: each maps a shard key value to shards and answers the three chooser interfaces of
 * {@code io.shardkit}. {@link io.shardkit.strategy.Strategies} makes them for the Java builder;
 * YAML names them by {@code type}. Split rules ({@link io.shardkit.strategy.SplitRule}, made by
 * {@link io.shardkit.strategy.SplitRules}) do the same for the physical table inside a shard.
 *
 * <p>API: {@link io.shardkit.strategy.Strategies}, {@link io.shardkit.strategy.Strategy}, the
 * strategy types, {@link io.shardkit.strategy.SplitRule} and {@link io.shardkit.strategy.SplitRules}.
 * A strategy's (and a split rule's) mapping of a key is fixed and documented: it never changes
 * across JVMs or releases.
 */
package io.shardkit.strategy;
