/**
 * Connections to the shards: {@link io.shardkit.pool.ShardRegistry} (one HikariCP pool per shard,
 * started on first use; runtime shards opened and closed while running; a shard that cannot be
 * reached is down, not fatal), the scatter permits and the short back-off of failing shards, the
 * watchdog that cancels timed-out shard statements, and the read-only checks.
 *
 * <p>Internal: public only for shardkit's other packages.
 */
package io.shardkit.pool;
