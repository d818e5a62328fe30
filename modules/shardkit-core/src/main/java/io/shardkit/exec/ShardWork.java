package io.shardkit.exec;

import java.sql.Connection;
import java.sql.SQLException;

/** Work on one shard's physical connection. */
public interface ShardWork<T> {
    T apply(Connection c) throws SQLException;
}
