package io.shardkit.archive;

import io.shardkit.ShardedDataSource;
import io.shardkit.pool.AdminConnections;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * For tests outside {@code io.shardkit.archive} that write to shards behind shardkit's back (a
 * read-only archive's rows): an admin connection, which only this package may open.
 */
public final class AdminAccess {
    private AdminAccess() {
    }

    public static Connection open(ShardedDataSource ds, String shard) throws SQLException {
        return ds.unwrap(AdminConnections.class).open(shard);
    }
}
