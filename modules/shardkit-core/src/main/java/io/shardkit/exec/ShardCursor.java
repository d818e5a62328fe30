package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.internal.Closer;
import io.shardkit.merge.Cursor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One shard's rows in a scatter: the driver's result set, its statement, and, when the scatter
 * borrowed a connection just for this read, that connection, which closing returns to its pool
 * (with its scatter permit). Errors name the shard; once the read is cancelled or timed out,
 * {@code next()} fails with SQLState 57014. Each {@code next()} marks the read as waiting (two
 * volatile writes) so that a query timeout can tell a blocked fetch from an idle reader.
 */
final class ShardCursor implements Cursor {
    private final String shard;
    private final Statement statement;
    private final ResultSet rows;
    private final Connection borrowed;
    private final boolean endTransaction;
    private final int columns;
    private final ScatterWatch watch;
    private final ScatterPart part;
    private boolean closed;

    /**
     * @param borrowed a connection owned by this cursor (returned on close), or {@code null}
     * @param endTransaction roll back the borrowed connection's read transaction on close (opened for streaming)
     * @param watch the read this cursor belongs to: its cancel and query timeout, told when the cursor closes
     */
    ShardCursor(String shard, Statement statement, ResultSet rows, Connection borrowed, boolean endTransaction,
            ScatterWatch watch, ScatterPart part) throws SQLException {
        this.shard = shard;
        this.statement = statement;
        this.rows = rows;
        this.borrowed = borrowed;
        this.endTransaction = endTransaction;
        this.watch = watch;
        this.part = part;
        this.columns = rows.getMetaData().getColumnCount();
    }

    String shard() {
        return shard;
    }

    @Override
    public boolean next() throws SQLException {
        if (closed) {
            return false;
        }
        if (watch.stopped()) {
            throw watch.failure(shard, null, null);
        }
        watch.enter();
        try {
            return rows.next();
        } catch (SQLException e) {
            SQLException failure = watch.failure(shard, null, e);
            watch.failed(part);
            throw failure;
        } finally {
            watch.leave();
        }
    }

    @Override
    public Object get(int column) throws SQLException {
        try {
            return rows.getObject(column);
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, null, e);
        }
    }

    @Override
    public int columnCount() {
        return columns;
    }

    @Override
    public ResultSet source() {
        return rows;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        Closer closer = new Closer();
        closer.close(rows, ResultSet::close);
        closer.close(statement, Statement::close);
        try {
            if (borrowed != null && part.lastOnConnection()) {
                if (part.endsTransaction(endTransaction)) {
                    closer.run(this::rollbackBorrowed);
                }
                closer.close(borrowed, Connection::close);
            }
        } finally {
            watch.done(part);
        }
        if (closer.first() != null) {
            throw ShardException.fromShard(shard, null, closer.first());
        }
    }

    /** Ends the read transaction of the connection this read borrowed (not of one the logical connection holds). */
    private void rollbackBorrowed() throws SQLException {
        if (!borrowed.isClosed()) {
            borrowed.rollback();
        }
    }
}
