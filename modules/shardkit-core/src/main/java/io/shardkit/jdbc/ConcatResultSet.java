package io.shardkit.jdbc;

import io.shardkit.ShardException;
import io.shardkit.internal.Closer;
import io.shardkit.SqlStates;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;

/**
 * The rows of several shards one after the other: the merge for statements where plain
 * concatenation is exact (no ORDER BY, LIMIT, aggregate, DISTINCT or GROUP BY). Streams: holds
 * no row, only the shard cursors. {@code maxRows} of the statement caps the total.
 *
 * <p>Forward-only and read-only ({@link ComposedResultSet}); warnings are every shard's.
 */
final class ConcatResultSet extends ComposedResultSet {
    private final Statement owner;
    private final String[] shards;
    private final ResultSet[] parts;
    private int at;
    private boolean closed;

    /** @param maxRows 0 for no cap */
    ConcatResultSet(Statement owner, String[] shards, ResultSet[] parts, long maxRows) {
        super(maxRows);
        this.owner = owner;
        this.shards = shards;
        this.parts = parts;
    }

    @Override
    protected ResultSet current() throws SQLException {
        if (closed) {
            throw new SQLException("result set is closed", SqlStates.INVALID_CURSOR_STATE);
        }
        if (!onRow()) {
            throw new SQLException("no current row (call next() first)", SqlStates.INVALID_CURSOR_STATE);
        }
        return parts[Math.min(at, parts.length - 1)];
    }

    @Override
    protected boolean advance() throws SQLException {
        while (at < parts.length) {
            try {
                if (parts[at].next()) {
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
    protected void ended() {
        // the last part stays open until close(): its metadata may still be read
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        Closer closer = new Closer();
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i].close();
            } catch (SQLException e) {
                closer.add(ShardException.fromShard(shards[i], null, e));
            }
        }
        closer.throwFirst();
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
    public int findColumn(String label) throws SQLException {
        return parts[0].findColumn(label);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        Warnings warnings = new Warnings();
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isClosed()) {
                warnings.add(shards[i], parts[i].getWarnings());
            }
        }
        return warnings.chain();
    }

    @Override
    public void clearWarnings() throws SQLException {
        for (ResultSet part : parts) {
            if (!part.isClosed()) {
                part.clearWarnings();
            }
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        return owner.getFetchSize();
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        for (ResultSet part : parts) {
            if (!part.isClosed()) {
                part.setFetchSize(rows);
            }
        }
    }
}
