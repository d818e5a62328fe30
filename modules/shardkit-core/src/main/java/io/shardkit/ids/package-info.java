/**
 * Ids that know their shard (API): {@link io.shardkit.ids.Ids} makes 64-bit ids {@code sequence * B + bucket(key)}
 * for a table with a buckets strategy, leasing blocks of sequence values from the bucket's shard
 * ({@link io.shardkit.ids.IdBlocks}), and UUIDv7s. Uses the root package, config and strategy only.
 */
package io.shardkit.ids;
