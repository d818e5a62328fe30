/**
 * Resharding: the versioned map of bucket tables (issue 15, docs/RESHARDING.md). API:
 * {@link io.shardkit.reshard.Resharding} (read and publish epochs of a data source's bucket groups).
 * Internal: {@link io.shardkit.reshard.Epochs} (bind, seed, read at start, poll) and the control
 * table's SQL ({@code ControlTable}); of the mover, the change-log and fence triggers on a source
 * shard ({@code MoveTriggers}). The rest of the mover comes later.
 */
package io.shardkit.reshard;
