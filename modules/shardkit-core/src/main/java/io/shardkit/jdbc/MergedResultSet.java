package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * The one result of a statement merged from several shards. A row that is a shard's row passed
 * through (concatenation, merge sort, limit, distinct) is read in place with that driver's own
 * getters; a computed row (a merged group) is read from its values. Forward-only and read-only.
 *
 * <p>Closing it, or reaching the end, closes every shard cursor and returns the connections the
 * scatter borrowed. A shard failing mid-stream fails {@code next()} with an error naming the
 * shard, after everything else is closed.
 */
final class MergedResultSet extends RowValues {
    private final Statement owner;
    private final Cursor cursor;
    private final ResultSetMetaData metaData;
    private final int visible;
    private boolean closed;

    MergedResultSet(Statement owner, Cursor cursor, ResultSetMetaData shardMetaData, long maxRows)
            throws SQLException {
        super(maxRows);
        this.owner = owner;
        this.cursor = cursor;
        this.visible = cursor.columnCount();
        this.metaData = new MergedMetaData(shardMetaData, visible);
    }

    @Override
    protected ResultSet current() throws SQLException {
        ResultSet source = onRow() ? cursor.source() : null;
        return source != null ? source : super.current();
    }

    @Override
    protected Object raw(int index) throws SQLException {
        if (!onRow()) {
            throw new SQLException("no current row (call next() first)", SqlStates.INVALID_CURSOR_STATE);
        }
        if (index < 1 || index > visible) {
            throw new SQLException("column index " + index + " is out of range (1.." + visible + ")",
                    SqlStates.INVALID_DESCRIPTOR_INDEX);
        }
        return cursor.get(index);
    }

    @Override
    protected boolean advance() throws SQLException {
        try {
            boolean row = cursor.next();
            if (row && cursor.source() == null) {
                // a computed value whose computation failed is kept in the row until the row is
                // returned (a group HAVING drops must not fail the query); read every value so that
                // next() fails for it, as the database's would
                for (int i = 1; i <= visible; i++) {
                    cursor.get(i);
                }
            }
            return row;
        } catch (SQLException | RuntimeException e) {
            try {
                cursor.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @Override
    protected void ended() throws SQLException {
        cursor.close();
    }

    /** Reads from the shard row in place where there is one, else from the computed values. */
    private boolean passThrough() {
        return onRow() && cursor.source() != null;
    }

    @Override
    public String getString(int index) throws SQLException {
        return passThrough() ? checked(index).getString(index) : super.getString(index);
    }

    @Override
    public long getLong(int index) throws SQLException {
        return passThrough() ? checked(index).getLong(index) : super.getLong(index);
    }

    @Override
    public int getInt(int index) throws SQLException {
        return passThrough() ? checked(index).getInt(index) : super.getInt(index);
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return passThrough() ? checked(index).getDouble(index) : super.getDouble(index);
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return passThrough() ? checked(index).getObject(index) : super.getObject(index);
    }

    @Override
    public java.math.BigDecimal getBigDecimal(int index) throws SQLException {
        return passThrough() ? checked(index).getBigDecimal(index) : super.getBigDecimal(index);
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return passThrough() ? checked(index).getBoolean(index) : super.getBoolean(index);
    }

    @Override
    public java.sql.Timestamp getTimestamp(int index) throws SQLException {
        return passThrough() ? checked(index).getTimestamp(index) : super.getTimestamp(index);
    }

    @Override
    public <T> T getObject(int index, Class<T> type) throws SQLException {
        return passThrough() ? checked(index).getObject(index, type) : super.getObject(index, type);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return passThrough() ? cursor.source().wasNull() : super.wasNull();
    }

    private ResultSet checked(int index) throws SQLException {
        if (index < 1 || index > visible) {
            throw new SQLException("column index " + index + " is out of range (1.." + visible + ")",
                    SqlStates.INVALID_DESCRIPTOR_INDEX);
        }
        return cursor.source();
    }

    @Override
    public int findColumn(String label) throws SQLException {
        for (int i = 1; i <= visible; i++) {
            if (metaData.getColumnLabel(i).equalsIgnoreCase(label)) {
                return i;
            }
        }
        throw new SQLException("no column labelled '" + label + "' in the result", SqlStates.UNDEFINED_COLUMN);
    }

    @Override
    public void close() throws SQLException {
        if (!closed) {
            closed = true;
            cursor.close();
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
    public ResultSetMetaData getMetaData() {
        return metaData;
    }

    @Override
    public int getFetchSize() throws SQLException {
        return owner == null ? 0 : owner.getFetchSize();
    }

    @Override
    public void setFetchSize(int rows) {
        // the shard queries were started with the statement's fetch size
    }

    @Override
    public java.sql.SQLWarning getWarnings() {
        return null;
    }

    @Override
    public void clearWarnings() {
        // no warnings are kept for merged results
    }

    @Override
    public String toString() {
        return "MergedResultSet[" + visible + " columns]".toLowerCase(Locale.ROOT);
    }
}
