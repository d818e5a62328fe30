package io.shardkit.plan;

import io.shardkit.ShardException;
import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A shard cursor over rows in memory, for node tests. It can fail the way a shard does: before
 * its first row, after some rows, or when closed. It records whether it was closed.
 */
final class FakeCursor implements Cursor {
    private final String shard;
    private final List<Object[]> rows;
    private final int failAfter;
    private final boolean failOnClose;
    private final int width;
    private int at = -1;
    boolean closed;
    int reads;

    /** @param failAfter fail the next() call after this many rows were returned; -1 never */
    FakeCursor(String shard, List<Object[]> rows, int failAfter, boolean failOnClose) {
        this(shard, rows, failAfter, failOnClose, rows.isEmpty() ? 0 : rows.get(0).length);
    }

    /** @param width the column count (a shard knows it from its metadata even with no rows) */
    FakeCursor(String shard, List<Object[]> rows, int failAfter, boolean failOnClose, int width) {
        this.width = width;
        this.shard = shard;
        this.rows = rows;
        this.failAfter = failAfter;
        this.failOnClose = failOnClose;
    }

    static FakeCursor of(String shard, Object[]... rows) {
        return new FakeCursor(shard, List.of(rows), -1, false);
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            throw new SQLException("next() on a closed cursor of " + shard);
        }
        if (failAfter >= 0 && at + 1 >= failAfter) {
            throw new ShardException("shard " + shard + ": connection reset", "08006", 0, shard, null);
        }
        if (at + 1 >= rows.size()) {
            at = rows.size();
            return false;
        }
        at++;
        reads++;
        return true;
    }

    @Override
    public Object get(int column) throws SQLException {
        if (at < 0 || at >= rows.size()) {
            throw new SQLException("no current row in " + shard);
        }
        return rows.get(at)[column - 1];
    }

    @Override
    public int columnCount() {
        return width;
    }

    @Override
    public ResultSet source() {
        return null;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (failOnClose) {
            throw new ShardException("shard " + shard + ": close failed", "08006", 0, shard, null);
        }
    }
}
