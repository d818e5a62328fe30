package io.shardkit.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;

/**
 * The base of every result composed from several shards' results (merged or concatenated): one
 * forward-only, read-only stream whose position is its own. Column access may still read a
 * shard's row in place, but no answer about the position, the cursor or the row's updatability
 * is ever a shard's (the shard the current row came from knows nothing of the merged stream).
 *
 * <p>{@code next}, {@code getRow}, {@code isFirst}, {@code isBeforeFirst} and {@code isAfterLast}
 * answer for the merged stream. {@code isBeforeFirst} must know whether there is any row, so
 * before the first {@code next} it reads the first row ahead (only when called; {@code next}
 * then returns it). {@code isLast} would have to read ahead of the row being read in place, so it
 * is refused, as are moving other than forward, row updates, holdability and the cursor name
 * (0A000). These methods are final: a subclass cannot forward them to a shard by accident.
 *
 * <p>The refusals after the marker below are generated from {@link ForwardingResultSet}'s
 * signatures (every {@code update*} method, the row-change and navigation methods);
 * {@code ComposedResultSetTest} checks that none is missing.
 */
abstract class ComposedResultSet extends ForwardingResultSet {
    private static final int BEFORE = 0;
    private static final int ON = 1;
    private static final int AFTER = 2;

    private final long maxRows;
    private long returned;
    private int position = BEFORE;
    /** Set by isBeforeFirst: 1 the first row was read ahead, -1 there is none, 0 nothing read ahead. */
    private int ahead;
    /** The failure reading the first row ahead, thrown by the next {@code next}. */
    private SQLException aheadFailure;

    /** @param maxRows the statement's row cap, 0 for none */
    ComposedResultSet(long maxRows) {
        this.maxRows = maxRows;
    }

    /** Moves the composed stream to its next row; {@code false} at its end. */
    protected abstract boolean advance() throws SQLException;

    /** Called once when the rows are done (the stream ended or the row cap was reached). */
    protected abstract void ended() throws SQLException;

    /** Whether the stream is on a row (after a {@code next} that returned true). */
    protected final boolean onRow() {
        return position == ON;
    }

    private void requireOpen() throws SQLException {
        if (isClosed()) {
            throw new SQLException("result set is closed", "24000");
        }
    }

    @Override
    public final boolean next() throws SQLException {
        requireOpen();
        if (position == AFTER) {
            return false;
        }
        boolean row;
        if (maxRows > 0 && returned >= maxRows) {
            row = false;
        } else if (ahead != 0) {
            row = ahead > 0;
            ahead = 0;
            if (aheadFailure != null) {
                SQLException e = aheadFailure;
                aheadFailure = null;
                position = AFTER;
                throw e;
            }
        } else {
            try {
                row = advance();
            } catch (SQLException | RuntimeException e) {
                position = AFTER;
                throw e;
            }
        }
        if (row) {
            returned++;
            position = ON;
            return true;
        }
        position = AFTER;
        ended();
        return false;
    }

    @Override
    public final int getRow() throws SQLException {
        requireOpen();
        return position == ON ? (int) returned : 0;
    }

    @Override
    public final boolean isBeforeFirst() throws SQLException {
        requireOpen();
        if (position != BEFORE) {
            return false;
        }
        if (ahead == 0) {
            try {
                ahead = maxRows > 0 && returned >= maxRows || !advance() ? -1 : 1;
            } catch (SQLException e) {
                // the first row exists but failed: next() reports it, as the database's would
                ahead = 1;
                aheadFailure = e;
            }
        }
        return ahead > 0;
    }

    @Override
    public final boolean isAfterLast() throws SQLException {
        requireOpen();
        return position == AFTER && returned > 0;
    }

    @Override
    public final boolean isFirst() throws SQLException {
        requireOpen();
        return position == ON && returned == 1;
    }

    @Override
    public final boolean isLast() throws SQLException {
        throw new SQLFeatureNotSupportedException("isLast on rows merged from several shards (it would read the next row"
                + " ahead of the one being read; call next() and test its result)", "0A000");
    }

    @Override
    public final int getType() {
        return TYPE_FORWARD_ONLY;
    }

    @Override
    public final int getConcurrency() {
        return CONCUR_READ_ONLY;
    }

    @Override
    public final int getFetchDirection() {
        return FETCH_FORWARD;
    }

    @Override
    public final void setFetchDirection(int direction) throws SQLException {
        if (direction != FETCH_FORWARD) {
            throw forwardOnly("setFetchDirection");
        }
    }

    static SQLFeatureNotSupportedException forwardOnly(String method) {
        return new SQLFeatureNotSupportedException(method + " on rows merged from several shards: the result set is"
                + " forward-only", "0A000");
    }

    static SQLFeatureNotSupportedException readOnly(String method) {
        return new SQLFeatureNotSupportedException(method + " on rows merged from several shards: the result set is"
                + " read-only (update the rows with UPDATE statements)", "0A000");
    }

    static SQLFeatureNotSupportedException unanswerable(String method) {
        return new SQLFeatureNotSupportedException(method + " on rows merged from several shards (each shard has its"
                + " own cursor; the merged result has none of its own)", "0A000");
    }

    // ---------------------------------------------------------------- generated: refusals

    @Override
    public final boolean absolute(int v0) throws SQLException {
        throw forwardOnly("absolute");
    }

    @Override
    public final void afterLast() throws SQLException {
        throw forwardOnly("afterLast");
    }

    @Override
    public final void beforeFirst() throws SQLException {
        throw forwardOnly("beforeFirst");
    }

    @Override
    public final void cancelRowUpdates() throws SQLException {
        throw readOnly("cancelRowUpdates");
    }

    @Override
    public final void deleteRow() throws SQLException {
        throw readOnly("deleteRow");
    }

    @Override
    public final boolean first() throws SQLException {
        throw forwardOnly("first");
    }

    @Override
    public final String getCursorName() throws SQLException {
        throw unanswerable("getCursorName");
    }

    @Override
    public final int getHoldability() throws SQLException {
        throw unanswerable("getHoldability");
    }

    @Override
    public final void insertRow() throws SQLException {
        throw readOnly("insertRow");
    }

    @Override
    public final boolean last() throws SQLException {
        throw forwardOnly("last");
    }

    @Override
    public final void moveToCurrentRow() throws SQLException {
        throw forwardOnly("moveToCurrentRow");
    }

    @Override
    public final void moveToInsertRow() throws SQLException {
        throw forwardOnly("moveToInsertRow");
    }

    @Override
    public final boolean previous() throws SQLException {
        throw forwardOnly("previous");
    }

    @Override
    public final void refreshRow() throws SQLException {
        throw readOnly("refreshRow");
    }

    @Override
    public final boolean relative(int v0) throws SQLException {
        throw forwardOnly("relative");
    }

    @Override
    public final boolean rowDeleted() throws SQLException {
        throw readOnly("rowDeleted");
    }

    @Override
    public final boolean rowInserted() throws SQLException {
        throw readOnly("rowInserted");
    }

    @Override
    public final boolean rowUpdated() throws SQLException {
        throw readOnly("rowUpdated");
    }

    @Override
    public final void updateArray(String label, Array v1) throws SQLException {
        throw readOnly("updateArray");
    }

    @Override
    public final void updateArray(int index, Array v1) throws SQLException {
        throw readOnly("updateArray");
    }

    @Override
    public final void updateAsciiStream(String label, InputStream v1, int v2) throws SQLException {
        throw readOnly("updateAsciiStream");
    }

    @Override
    public final void updateAsciiStream(String label, InputStream v1, long v2) throws SQLException {
        throw readOnly("updateAsciiStream");
    }

    @Override
    public final void updateAsciiStream(String label, InputStream v1) throws SQLException {
        throw readOnly("updateAsciiStream");
    }

    @Override
    public final void updateAsciiStream(int index, InputStream v1, int v2) throws SQLException {
        throw readOnly("updateAsciiStream");
    }

    @Override
    public final void updateAsciiStream(int index, InputStream v1, long v2) throws SQLException {
        throw readOnly("updateAsciiStream");
    }

    @Override
    public final void updateAsciiStream(int index, InputStream v1) throws SQLException {
        throw readOnly("updateAsciiStream");
    }

    @Override
    public final void updateBigDecimal(String label, BigDecimal v1) throws SQLException {
        throw readOnly("updateBigDecimal");
    }

    @Override
    public final void updateBigDecimal(int index, BigDecimal v1) throws SQLException {
        throw readOnly("updateBigDecimal");
    }

    @Override
    public final void updateBinaryStream(String label, InputStream v1, int v2) throws SQLException {
        throw readOnly("updateBinaryStream");
    }

    @Override
    public final void updateBinaryStream(String label, InputStream v1, long v2) throws SQLException {
        throw readOnly("updateBinaryStream");
    }

    @Override
    public final void updateBinaryStream(String label, InputStream v1) throws SQLException {
        throw readOnly("updateBinaryStream");
    }

    @Override
    public final void updateBinaryStream(int index, InputStream v1, int v2) throws SQLException {
        throw readOnly("updateBinaryStream");
    }

    @Override
    public final void updateBinaryStream(int index, InputStream v1, long v2) throws SQLException {
        throw readOnly("updateBinaryStream");
    }

    @Override
    public final void updateBinaryStream(int index, InputStream v1) throws SQLException {
        throw readOnly("updateBinaryStream");
    }

    @Override
    public final void updateBlob(String label, InputStream v1, long v2) throws SQLException {
        throw readOnly("updateBlob");
    }

    @Override
    public final void updateBlob(String label, InputStream v1) throws SQLException {
        throw readOnly("updateBlob");
    }

    @Override
    public final void updateBlob(String label, Blob v1) throws SQLException {
        throw readOnly("updateBlob");
    }

    @Override
    public final void updateBlob(int index, InputStream v1, long v2) throws SQLException {
        throw readOnly("updateBlob");
    }

    @Override
    public final void updateBlob(int index, InputStream v1) throws SQLException {
        throw readOnly("updateBlob");
    }

    @Override
    public final void updateBlob(int index, Blob v1) throws SQLException {
        throw readOnly("updateBlob");
    }

    @Override
    public final void updateBoolean(String label, boolean v1) throws SQLException {
        throw readOnly("updateBoolean");
    }

    @Override
    public final void updateBoolean(int index, boolean v1) throws SQLException {
        throw readOnly("updateBoolean");
    }

    @Override
    public final void updateByte(String label, byte v1) throws SQLException {
        throw readOnly("updateByte");
    }

    @Override
    public final void updateByte(int index, byte v1) throws SQLException {
        throw readOnly("updateByte");
    }

    @Override
    public final void updateBytes(String label, byte[] v1) throws SQLException {
        throw readOnly("updateBytes");
    }

    @Override
    public final void updateBytes(int index, byte[] v1) throws SQLException {
        throw readOnly("updateBytes");
    }

    @Override
    public final void updateCharacterStream(String label, Reader v1, int v2) throws SQLException {
        throw readOnly("updateCharacterStream");
    }

    @Override
    public final void updateCharacterStream(String label, Reader v1, long v2) throws SQLException {
        throw readOnly("updateCharacterStream");
    }

    @Override
    public final void updateCharacterStream(String label, Reader v1) throws SQLException {
        throw readOnly("updateCharacterStream");
    }

    @Override
    public final void updateCharacterStream(int index, Reader v1, int v2) throws SQLException {
        throw readOnly("updateCharacterStream");
    }

    @Override
    public final void updateCharacterStream(int index, Reader v1, long v2) throws SQLException {
        throw readOnly("updateCharacterStream");
    }

    @Override
    public final void updateCharacterStream(int index, Reader v1) throws SQLException {
        throw readOnly("updateCharacterStream");
    }

    @Override
    public final void updateClob(String label, Reader v1, long v2) throws SQLException {
        throw readOnly("updateClob");
    }

    @Override
    public final void updateClob(String label, Reader v1) throws SQLException {
        throw readOnly("updateClob");
    }

    @Override
    public final void updateClob(String label, Clob v1) throws SQLException {
        throw readOnly("updateClob");
    }

    @Override
    public final void updateClob(int index, Reader v1, long v2) throws SQLException {
        throw readOnly("updateClob");
    }

    @Override
    public final void updateClob(int index, Reader v1) throws SQLException {
        throw readOnly("updateClob");
    }

    @Override
    public final void updateClob(int index, Clob v1) throws SQLException {
        throw readOnly("updateClob");
    }

    @Override
    public final void updateDate(String label, Date v1) throws SQLException {
        throw readOnly("updateDate");
    }

    @Override
    public final void updateDate(int index, Date v1) throws SQLException {
        throw readOnly("updateDate");
    }

    @Override
    public final void updateDouble(String label, double v1) throws SQLException {
        throw readOnly("updateDouble");
    }

    @Override
    public final void updateDouble(int index, double v1) throws SQLException {
        throw readOnly("updateDouble");
    }

    @Override
    public final void updateFloat(String label, float v1) throws SQLException {
        throw readOnly("updateFloat");
    }

    @Override
    public final void updateFloat(int index, float v1) throws SQLException {
        throw readOnly("updateFloat");
    }

    @Override
    public final void updateInt(String label, int v1) throws SQLException {
        throw readOnly("updateInt");
    }

    @Override
    public final void updateInt(int index, int v1) throws SQLException {
        throw readOnly("updateInt");
    }

    @Override
    public final void updateLong(String label, long v1) throws SQLException {
        throw readOnly("updateLong");
    }

    @Override
    public final void updateLong(int index, long v1) throws SQLException {
        throw readOnly("updateLong");
    }

    @Override
    public final void updateNCharacterStream(String label, Reader v1, long v2) throws SQLException {
        throw readOnly("updateNCharacterStream");
    }

    @Override
    public final void updateNCharacterStream(String label, Reader v1) throws SQLException {
        throw readOnly("updateNCharacterStream");
    }

    @Override
    public final void updateNCharacterStream(int index, Reader v1, long v2) throws SQLException {
        throw readOnly("updateNCharacterStream");
    }

    @Override
    public final void updateNCharacterStream(int index, Reader v1) throws SQLException {
        throw readOnly("updateNCharacterStream");
    }

    @Override
    public final void updateNClob(String label, Reader v1, long v2) throws SQLException {
        throw readOnly("updateNClob");
    }

    @Override
    public final void updateNClob(String label, Reader v1) throws SQLException {
        throw readOnly("updateNClob");
    }

    @Override
    public final void updateNClob(String label, NClob v1) throws SQLException {
        throw readOnly("updateNClob");
    }

    @Override
    public final void updateNClob(int index, Reader v1, long v2) throws SQLException {
        throw readOnly("updateNClob");
    }

    @Override
    public final void updateNClob(int index, Reader v1) throws SQLException {
        throw readOnly("updateNClob");
    }

    @Override
    public final void updateNClob(int index, NClob v1) throws SQLException {
        throw readOnly("updateNClob");
    }

    @Override
    public final void updateNString(String label, String v1) throws SQLException {
        throw readOnly("updateNString");
    }

    @Override
    public final void updateNString(int index, String v1) throws SQLException {
        throw readOnly("updateNString");
    }

    @Override
    public final void updateNull(String label) throws SQLException {
        throw readOnly("updateNull");
    }

    @Override
    public final void updateNull(int index) throws SQLException {
        throw readOnly("updateNull");
    }

    @Override
    public final void updateObject(String label, Object v1, int v2) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(String label, Object v1, SQLType v2, int v3) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(String label, Object v1, SQLType v2) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(String label, Object v1) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(int index, Object v1, int v2) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(int index, Object v1, SQLType v2, int v3) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(int index, Object v1, SQLType v2) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateObject(int index, Object v1) throws SQLException {
        throw readOnly("updateObject");
    }

    @Override
    public final void updateRef(String label, Ref v1) throws SQLException {
        throw readOnly("updateRef");
    }

    @Override
    public final void updateRef(int index, Ref v1) throws SQLException {
        throw readOnly("updateRef");
    }

    @Override
    public final void updateRow() throws SQLException {
        throw readOnly("updateRow");
    }

    @Override
    public final void updateRowId(String label, RowId v1) throws SQLException {
        throw readOnly("updateRowId");
    }

    @Override
    public final void updateRowId(int index, RowId v1) throws SQLException {
        throw readOnly("updateRowId");
    }

    @Override
    public final void updateSQLXML(String label, SQLXML v1) throws SQLException {
        throw readOnly("updateSQLXML");
    }

    @Override
    public final void updateSQLXML(int index, SQLXML v1) throws SQLException {
        throw readOnly("updateSQLXML");
    }

    @Override
    public final void updateShort(String label, short v1) throws SQLException {
        throw readOnly("updateShort");
    }

    @Override
    public final void updateShort(int index, short v1) throws SQLException {
        throw readOnly("updateShort");
    }

    @Override
    public final void updateString(String label, String v1) throws SQLException {
        throw readOnly("updateString");
    }

    @Override
    public final void updateString(int index, String v1) throws SQLException {
        throw readOnly("updateString");
    }

    @Override
    public final void updateTime(String label, Time v1) throws SQLException {
        throw readOnly("updateTime");
    }

    @Override
    public final void updateTime(int index, Time v1) throws SQLException {
        throw readOnly("updateTime");
    }

    @Override
    public final void updateTimestamp(String label, Timestamp v1) throws SQLException {
        throw readOnly("updateTimestamp");
    }

    @Override
    public final void updateTimestamp(int index, Timestamp v1) throws SQLException {
        throw readOnly("updateTimestamp");
    }
}
