/**
 * Execution: the one place a statement runs (analyse, route, guard, then one shard, a write over
 * several shards, or a plan), the physical connections of one logical connection (lazy borrow,
 * session-state replay, commit order, tenancy's hooks), the write guards, scatter reads and batches.
 *
 * <p>Internal: public only for shardkit's other packages.
 */
package io.shardkit.exec;
