package io.shardkit.jdbc;

import io.shardkit.ShardException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;

/**
 * The rows of several shards one after the other: the merge for statements where plain
 * concatenation is exact (no ORDER BY, LIMIT, aggregate, DISTINCT or GROUP BY). Streams: holds
 * no row, only the shard cursors. {@code maxRows} of the statement caps the total.
 *
 * <p>Forward-only: positioning methods other than {@code next} are refused.
 */
final class ConcatResultSet extends ForwardingResultSet {
    private final Statement owner;
    private final String[] shards;
    private final ResultSet[] parts;
    private final long maxRows;
    private int at;
    private long returned;
    private boolean closed;

    /** @param maxRows 0 for no cap */
    ConcatResultSet(Statement owner, String[] shards, ResultSet[] parts, long maxRows) {
        this.owner = owner;
        this.shards = shards;
        this.parts = parts;
        this.maxRows = maxRows;
    }

    @Override
    protected ResultSet current() throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed", "24000");
        }
        return parts[Math.min(at, parts.length - 1)];
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed", "24000");
        }
        if (maxRows > 0 && returned >= maxRows) {
            return false;
        }
        while (at < parts.length) {
            try {
                if (parts[at].next()) {
                    returned++;
                    return true;
                }
            } catch (SQLException e) {
                throw ShardException.fromShard(shards[at], null, e);
            }
            if (at == parts.length - 1) {
                return false;
            }
            parts[at].close();
            at++;
        }
        return false;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException first = null;
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i].close();
            } catch (SQLException e) {
                if (first == null) {
                    first = ShardException.fromShard(shards[i], null, e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Statement getStatement() {
        return owner;
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return parts[0].getMetaData();
    }

    @Override
    public boolean wasNull() throws SQLException {
        return current().wasNull();
    }

    @Override
    public int getType() {
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public int getRow() {
        return (int) returned;
    }

    private static SQLFeatureNotSupportedException forwardOnly(String method) {
        return new SQLFeatureNotSupportedException(method + " on rows concatenated from several shards: "
                + "the result set is forward-only", "0A000");
    }

    @Override
    public boolean absolute(int row) throws SQLException {
        throw forwardOnly("absolute");
    }

    @Override
    public boolean relative(int rows) throws SQLException {
        throw forwardOnly("relative");
    }

    @Override
    public boolean previous() throws SQLException {
        throw forwardOnly("previous");
    }

    @Override
    public boolean first() throws SQLException {
        throw forwardOnly("first");
    }

    @Override
    public boolean last() throws SQLException {
        throw forwardOnly("last");
    }

    @Override
    public void beforeFirst() throws SQLException {
        throw forwardOnly("beforeFirst");
    }

    @Override
    public void afterLast() throws SQLException {
        throw forwardOnly("afterLast");
    }
}
