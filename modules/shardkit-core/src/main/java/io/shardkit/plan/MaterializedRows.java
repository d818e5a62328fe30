package io.shardkit.plan;

import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;

/** Rows computed by a merge node, one {@code Object[]} each; {@code columnCount} is the visible width W. */
abstract class MaterializedRows implements Cursor {
    private final int width;
    Object[] row;

    MaterializedRows(int width) {
        this.width = width;
    }

    @Override
    public Object get(int column) throws SQLException {
        Object v = row[column - 1];
        if (v instanceof Failure f) {
            throw f.error();
        }
        return v;
    }

    /** A value whose computation failed, in place of the value: reading it throws the error. */
    record Failure(SQLException error) {
    }

    @Override
    public int columnCount() {
        return width;
    }

    @Override
    public ResultSet source() {
        return null;
    }

    /** An iterator whose rows may fail to be made. */
    interface RowIterator {
        boolean hasNext();

        Object[] next() throws SQLException;
    }

    static RowIterator over(Iterator<Object[]> rows) {
        return new RowIterator() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Object[] next() {
                return rows.next();
            }
        };
    }

    /** Rows from an iterator. */
    static MaterializedRows of(int width, RowIterator rows, AutoCloseable onClose) {
        return new MaterializedRows(width) {
            private boolean closed;

            @Override
            public boolean next() throws SQLException {
                if (!closed && rows.hasNext()) {
                    row = rows.next();
                    return true;
                }
                row = null;
                return false;
            }

            @Override
            public void close() throws SQLException {
                if (!closed) {
                    closed = true;
                    try {
                        onClose.close();
                    } catch (SQLException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new SQLException(e);
                    }
                }
            }
        };
    }
}
