package io.shardkit.jdbc;

import io.shardkit.ShardException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The rows of a statement that ran on one shard: the driver's cursor, streamed straight through.
 * Only {@link #getStatement()} differs (it answers the shardkit statement), and errors from
 * {@code next()} name the shard.
 */
final class ShardResultSet extends ForwardingResultSet {
    private final Statement owner;
    private final String shard;
    private final ResultSet rows;

    ShardResultSet(Statement owner, String shard, ResultSet rows) {
        this.owner = owner;
        this.shard = shard;
        this.rows = rows;
    }

    @Override
    protected ResultSet current() {
        return rows;
    }

    @Override
    public boolean next() throws SQLException {
        try {
            return rows.next();
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, null, e);
        }
    }

    @Override
    public void close() throws SQLException {
        rows.close();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return rows.isClosed();
    }

    @Override
    public Statement getStatement() {
        return owner;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return rows.getMetaData();
    }

    @Override
    public boolean wasNull() throws SQLException {
        return rows.wasNull();
    }
}
