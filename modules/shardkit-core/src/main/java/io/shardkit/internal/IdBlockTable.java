package io.shardkit.internal;

/**
 * The table of id leases ({@code io.shardkit.ids}) on each shard: one row per (id table, bucket)
 * holding the next sequence value. Named here because two packages create it: ids when it leases,
 * and the resharding mover, which moves a bucket's row with the bucket.
 */
public final class IdBlockTable {
    public static final String TABLE = "shardkit_id_blocks";
    public static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " (id_table VARCHAR(128) NOT NULL,"
            + " bucket INTEGER NOT NULL, next_value BIGINT NOT NULL, PRIMARY KEY (id_table, bucket))";

    private IdBlockTable() {
    }
}
