package io.shardkit.jdbc;

import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * A {@link ResultSet} whose column access, cursor movement and updates go to the shard cursor
 * {@link #current()} returns. Subclasses decide what "current" is (one shard's cursor, or the
 * shard being read in a concatenation) and implement the lifecycle methods: {@code next},
 * {@code close}, {@code isClosed}, {@code getStatement}, {@code getMetaData}, {@code wasNull}.
 *
 * <p>Nothing is copied: every getter reads the driver's row directly.
 */
abstract class ForwardingResultSet implements ResultSet {

    /** The shard cursor that column access goes to. */
    protected abstract ResultSet current() throws SQLException;

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return current().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || current().isWrapperFor(iface);
    }

    @Override
    public boolean absolute(int v0) throws SQLException {
        return current().absolute(v0);
    }

    @Override
    public void afterLast() throws SQLException {
        current().afterLast();
    }

    @Override
    public void beforeFirst() throws SQLException {
        current().beforeFirst();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        current().cancelRowUpdates();
    }

    @Override
    public void clearWarnings() throws SQLException {
        current().clearWarnings();
    }

    @Override
    public void deleteRow() throws SQLException {
        current().deleteRow();
    }

    @Override
    public int findColumn(String v0) throws SQLException {
        return current().findColumn(v0);
    }

    @Override
    public boolean first() throws SQLException {
        return current().first();
    }

    @Override
    public Array getArray(String label) throws SQLException {
        return current().getArray(label);
    }

    @Override
    public Array getArray(int index) throws SQLException {
        return current().getArray(index);
    }

    @Override
    public InputStream getAsciiStream(String label) throws SQLException {
        return current().getAsciiStream(label);
    }

    @Override
    public InputStream getAsciiStream(int index) throws SQLException {
        return current().getAsciiStream(index);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String label, int v1) throws SQLException {
        return current().getBigDecimal(label, v1);
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        return current().getBigDecimal(label);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int v1) throws SQLException {
        return current().getBigDecimal(index, v1);
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        return current().getBigDecimal(index);
    }

    @Override
    public InputStream getBinaryStream(String label) throws SQLException {
        return current().getBinaryStream(label);
    }

    @Override
    public InputStream getBinaryStream(int index) throws SQLException {
        return current().getBinaryStream(index);
    }

    @Override
    public Blob getBlob(String label) throws SQLException {
        return current().getBlob(label);
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        return current().getBlob(index);
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return current().getBoolean(label);
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return current().getBoolean(index);
    }

    @Override
    public byte getByte(String label) throws SQLException {
        return current().getByte(label);
    }

    @Override
    public byte getByte(int index) throws SQLException {
        return current().getByte(index);
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        return current().getBytes(label);
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        return current().getBytes(index);
    }

    @Override
    public Reader getCharacterStream(String label) throws SQLException {
        return current().getCharacterStream(label);
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        return current().getCharacterStream(index);
    }

    @Override
    public Clob getClob(String label) throws SQLException {
        return current().getClob(label);
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        return current().getClob(index);
    }

    @Override
    public int getConcurrency() throws SQLException {
        return current().getConcurrency();
    }

    @Override
    public String getCursorName() throws SQLException {
        return current().getCursorName();
    }

    @Override
    public Date getDate(String label, Calendar v1) throws SQLException {
        return current().getDate(label, v1);
    }

    @Override
    public Date getDate(String label) throws SQLException {
        return current().getDate(label);
    }

    @Override
    public Date getDate(int index, Calendar v1) throws SQLException {
        return current().getDate(index, v1);
    }

    @Override
    public Date getDate(int index) throws SQLException {
        return current().getDate(index);
    }

    @Override
    public double getDouble(String label) throws SQLException {
        return current().getDouble(label);
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return current().getDouble(index);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return current().getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return current().getFetchSize();
    }

    @Override
    public float getFloat(String label) throws SQLException {
        return current().getFloat(label);
    }

    @Override
    public float getFloat(int index) throws SQLException {
        return current().getFloat(index);
    }

    @Override
    public int getHoldability() throws SQLException {
        return current().getHoldability();
    }

    @Override
    public int getInt(String label) throws SQLException {
        return current().getInt(label);
    }

    @Override
    public int getInt(int index) throws SQLException {
        return current().getInt(index);
    }

    @Override
    public long getLong(String label) throws SQLException {
        return current().getLong(label);
    }

    @Override
    public long getLong(int index) throws SQLException {
        return current().getLong(index);
    }

    @Override
    public Reader getNCharacterStream(String label) throws SQLException {
        return current().getNCharacterStream(label);
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        return current().getNCharacterStream(index);
    }

    @Override
    public NClob getNClob(String label) throws SQLException {
        return current().getNClob(label);
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        return current().getNClob(index);
    }

    @Override
    public String getNString(String label) throws SQLException {
        return current().getNString(label);
    }

    @Override
    public String getNString(int index) throws SQLException {
        return current().getNString(index);
    }

    @Override
    public <T> T getObject(String label, Class<T> v1) throws SQLException {
        return current().getObject(label, v1);
    }

    @Override
    public Object getObject(String label, Map<String, Class<?>> v1) throws SQLException {
        return current().getObject(label, v1);
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return current().getObject(label);
    }

    @Override
    public <T> T getObject(int index, Class<T> v1) throws SQLException {
        return current().getObject(index, v1);
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> v1) throws SQLException {
        return current().getObject(index, v1);
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return current().getObject(index);
    }

    @Override
    public Ref getRef(String label) throws SQLException {
        return current().getRef(label);
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        return current().getRef(index);
    }

    @Override
    public int getRow() throws SQLException {
        return current().getRow();
    }

    @Override
    public RowId getRowId(String label) throws SQLException {
        return current().getRowId(label);
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        return current().getRowId(index);
    }

    @Override
    public SQLXML getSQLXML(String label) throws SQLException {
        return current().getSQLXML(label);
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        return current().getSQLXML(index);
    }

    @Override
    public short getShort(String label) throws SQLException {
        return current().getShort(label);
    }

    @Override
    public short getShort(int index) throws SQLException {
        return current().getShort(index);
    }

    @Override
    public String getString(String label) throws SQLException {
        return current().getString(label);
    }

    @Override
    public String getString(int index) throws SQLException {
        return current().getString(index);
    }

    @Override
    public Time getTime(String label, Calendar v1) throws SQLException {
        return current().getTime(label, v1);
    }

    @Override
    public Time getTime(String label) throws SQLException {
        return current().getTime(label);
    }

    @Override
    public Time getTime(int index, Calendar v1) throws SQLException {
        return current().getTime(index, v1);
    }

    @Override
    public Time getTime(int index) throws SQLException {
        return current().getTime(index);
    }

    @Override
    public Timestamp getTimestamp(String label, Calendar v1) throws SQLException {
        return current().getTimestamp(label, v1);
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        return current().getTimestamp(label);
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar v1) throws SQLException {
        return current().getTimestamp(index, v1);
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return current().getTimestamp(index);
    }

    @Override
    public int getType() throws SQLException {
        return current().getType();
    }

    @Override
    public URL getURL(String label) throws SQLException {
        return current().getURL(label);
    }

    @Override
    public URL getURL(int index) throws SQLException {
        return current().getURL(index);
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(String label) throws SQLException {
        return current().getUnicodeStream(label);
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int index) throws SQLException {
        return current().getUnicodeStream(index);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return current().getWarnings();
    }

    @Override
    public void insertRow() throws SQLException {
        current().insertRow();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        return current().isAfterLast();
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        return current().isBeforeFirst();
    }

    @Override
    public boolean isFirst() throws SQLException {
        return current().isFirst();
    }

    @Override
    public boolean isLast() throws SQLException {
        return current().isLast();
    }

    @Override
    public boolean last() throws SQLException {
        return current().last();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        current().moveToCurrentRow();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        current().moveToInsertRow();
    }

    @Override
    public boolean previous() throws SQLException {
        return current().previous();
    }

    @Override
    public void refreshRow() throws SQLException {
        current().refreshRow();
    }

    @Override
    public boolean relative(int v0) throws SQLException {
        return current().relative(v0);
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        return current().rowDeleted();
    }

    @Override
    public boolean rowInserted() throws SQLException {
        return current().rowInserted();
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        return current().rowUpdated();
    }

    @Override
    public void setFetchDirection(int index) throws SQLException {
        current().setFetchDirection(index);
    }

    @Override
    public void setFetchSize(int index) throws SQLException {
        current().setFetchSize(index);
    }

    @Override
    public void updateArray(String label, Array v1) throws SQLException {
        current().updateArray(label, v1);
    }

    @Override
    public void updateArray(int index, Array v1) throws SQLException {
        current().updateArray(index, v1);
    }

    @Override
    public void updateAsciiStream(String label, InputStream v1, int v2) throws SQLException {
        current().updateAsciiStream(label, v1, v2);
    }

    @Override
    public void updateAsciiStream(String label, InputStream v1, long v2) throws SQLException {
        current().updateAsciiStream(label, v1, v2);
    }

    @Override
    public void updateAsciiStream(String label, InputStream v1) throws SQLException {
        current().updateAsciiStream(label, v1);
    }

    @Override
    public void updateAsciiStream(int index, InputStream v1, int v2) throws SQLException {
        current().updateAsciiStream(index, v1, v2);
    }

    @Override
    public void updateAsciiStream(int index, InputStream v1, long v2) throws SQLException {
        current().updateAsciiStream(index, v1, v2);
    }

    @Override
    public void updateAsciiStream(int index, InputStream v1) throws SQLException {
        current().updateAsciiStream(index, v1);
    }

    @Override
    public void updateBigDecimal(String label, BigDecimal v1) throws SQLException {
        current().updateBigDecimal(label, v1);
    }

    @Override
    public void updateBigDecimal(int index, BigDecimal v1) throws SQLException {
        current().updateBigDecimal(index, v1);
    }

    @Override
    public void updateBinaryStream(String label, InputStream v1, int v2) throws SQLException {
        current().updateBinaryStream(label, v1, v2);
    }

    @Override
    public void updateBinaryStream(String label, InputStream v1, long v2) throws SQLException {
        current().updateBinaryStream(label, v1, v2);
    }

    @Override
    public void updateBinaryStream(String label, InputStream v1) throws SQLException {
        current().updateBinaryStream(label, v1);
    }

    @Override
    public void updateBinaryStream(int index, InputStream v1, int v2) throws SQLException {
        current().updateBinaryStream(index, v1, v2);
    }

    @Override
    public void updateBinaryStream(int index, InputStream v1, long v2) throws SQLException {
        current().updateBinaryStream(index, v1, v2);
    }

    @Override
    public void updateBinaryStream(int index, InputStream v1) throws SQLException {
        current().updateBinaryStream(index, v1);
    }

    @Override
    public void updateBlob(String label, InputStream v1, long v2) throws SQLException {
        current().updateBlob(label, v1, v2);
    }

    @Override
    public void updateBlob(String label, InputStream v1) throws SQLException {
        current().updateBlob(label, v1);
    }

    @Override
    public void updateBlob(String label, Blob v1) throws SQLException {
        current().updateBlob(label, v1);
    }

    @Override
    public void updateBlob(int index, InputStream v1, long v2) throws SQLException {
        current().updateBlob(index, v1, v2);
    }

    @Override
    public void updateBlob(int index, InputStream v1) throws SQLException {
        current().updateBlob(index, v1);
    }

    @Override
    public void updateBlob(int index, Blob v1) throws SQLException {
        current().updateBlob(index, v1);
    }

    @Override
    public void updateBoolean(String label, boolean v1) throws SQLException {
        current().updateBoolean(label, v1);
    }

    @Override
    public void updateBoolean(int index, boolean v1) throws SQLException {
        current().updateBoolean(index, v1);
    }

    @Override
    public void updateByte(String label, byte v1) throws SQLException {
        current().updateByte(label, v1);
    }

    @Override
    public void updateByte(int index, byte v1) throws SQLException {
        current().updateByte(index, v1);
    }

    @Override
    public void updateBytes(String label, byte[] v1) throws SQLException {
        current().updateBytes(label, v1);
    }

    @Override
    public void updateBytes(int index, byte[] v1) throws SQLException {
        current().updateBytes(index, v1);
    }

    @Override
    public void updateCharacterStream(String label, Reader v1, int v2) throws SQLException {
        current().updateCharacterStream(label, v1, v2);
    }

    @Override
    public void updateCharacterStream(String label, Reader v1, long v2) throws SQLException {
        current().updateCharacterStream(label, v1, v2);
    }

    @Override
    public void updateCharacterStream(String label, Reader v1) throws SQLException {
        current().updateCharacterStream(label, v1);
    }

    @Override
    public void updateCharacterStream(int index, Reader v1, int v2) throws SQLException {
        current().updateCharacterStream(index, v1, v2);
    }

    @Override
    public void updateCharacterStream(int index, Reader v1, long v2) throws SQLException {
        current().updateCharacterStream(index, v1, v2);
    }

    @Override
    public void updateCharacterStream(int index, Reader v1) throws SQLException {
        current().updateCharacterStream(index, v1);
    }

    @Override
    public void updateClob(String label, Reader v1, long v2) throws SQLException {
        current().updateClob(label, v1, v2);
    }

    @Override
    public void updateClob(String label, Reader v1) throws SQLException {
        current().updateClob(label, v1);
    }

    @Override
    public void updateClob(String label, Clob v1) throws SQLException {
        current().updateClob(label, v1);
    }

    @Override
    public void updateClob(int index, Reader v1, long v2) throws SQLException {
        current().updateClob(index, v1, v2);
    }

    @Override
    public void updateClob(int index, Reader v1) throws SQLException {
        current().updateClob(index, v1);
    }

    @Override
    public void updateClob(int index, Clob v1) throws SQLException {
        current().updateClob(index, v1);
    }

    @Override
    public void updateDate(String label, Date v1) throws SQLException {
        current().updateDate(label, v1);
    }

    @Override
    public void updateDate(int index, Date v1) throws SQLException {
        current().updateDate(index, v1);
    }

    @Override
    public void updateDouble(String label, double v1) throws SQLException {
        current().updateDouble(label, v1);
    }

    @Override
    public void updateDouble(int index, double v1) throws SQLException {
        current().updateDouble(index, v1);
    }

    @Override
    public void updateFloat(String label, float v1) throws SQLException {
        current().updateFloat(label, v1);
    }

    @Override
    public void updateFloat(int index, float v1) throws SQLException {
        current().updateFloat(index, v1);
    }

    @Override
    public void updateInt(String label, int v1) throws SQLException {
        current().updateInt(label, v1);
    }

    @Override
    public void updateInt(int index, int v1) throws SQLException {
        current().updateInt(index, v1);
    }

    @Override
    public void updateLong(String label, long v1) throws SQLException {
        current().updateLong(label, v1);
    }

    @Override
    public void updateLong(int index, long v1) throws SQLException {
        current().updateLong(index, v1);
    }

    @Override
    public void updateNCharacterStream(String label, Reader v1, long v2) throws SQLException {
        current().updateNCharacterStream(label, v1, v2);
    }

    @Override
    public void updateNCharacterStream(String label, Reader v1) throws SQLException {
        current().updateNCharacterStream(label, v1);
    }

    @Override
    public void updateNCharacterStream(int index, Reader v1, long v2) throws SQLException {
        current().updateNCharacterStream(index, v1, v2);
    }

    @Override
    public void updateNCharacterStream(int index, Reader v1) throws SQLException {
        current().updateNCharacterStream(index, v1);
    }

    @Override
    public void updateNClob(String label, Reader v1, long v2) throws SQLException {
        current().updateNClob(label, v1, v2);
    }

    @Override
    public void updateNClob(String label, Reader v1) throws SQLException {
        current().updateNClob(label, v1);
    }

    @Override
    public void updateNClob(String label, NClob v1) throws SQLException {
        current().updateNClob(label, v1);
    }

    @Override
    public void updateNClob(int index, Reader v1, long v2) throws SQLException {
        current().updateNClob(index, v1, v2);
    }

    @Override
    public void updateNClob(int index, Reader v1) throws SQLException {
        current().updateNClob(index, v1);
    }

    @Override
    public void updateNClob(int index, NClob v1) throws SQLException {
        current().updateNClob(index, v1);
    }

    @Override
    public void updateNString(String label, String v1) throws SQLException {
        current().updateNString(label, v1);
    }

    @Override
    public void updateNString(int index, String v1) throws SQLException {
        current().updateNString(index, v1);
    }

    @Override
    public void updateNull(String label) throws SQLException {
        current().updateNull(label);
    }

    @Override
    public void updateNull(int index) throws SQLException {
        current().updateNull(index);
    }

    @Override
    public void updateObject(String label, Object v1, int v2) throws SQLException {
        current().updateObject(label, v1, v2);
    }

    @Override
    public void updateObject(String label, Object v1, SQLType v2, int v3) throws SQLException {
        current().updateObject(label, v1, v2, v3);
    }

    @Override
    public void updateObject(String label, Object v1, SQLType v2) throws SQLException {
        current().updateObject(label, v1, v2);
    }

    @Override
    public void updateObject(String label, Object v1) throws SQLException {
        current().updateObject(label, v1);
    }

    @Override
    public void updateObject(int index, Object v1, int v2) throws SQLException {
        current().updateObject(index, v1, v2);
    }

    @Override
    public void updateObject(int index, Object v1, SQLType v2, int v3) throws SQLException {
        current().updateObject(index, v1, v2, v3);
    }

    @Override
    public void updateObject(int index, Object v1, SQLType v2) throws SQLException {
        current().updateObject(index, v1, v2);
    }

    @Override
    public void updateObject(int index, Object v1) throws SQLException {
        current().updateObject(index, v1);
    }

    @Override
    public void updateRef(String label, Ref v1) throws SQLException {
        current().updateRef(label, v1);
    }

    @Override
    public void updateRef(int index, Ref v1) throws SQLException {
        current().updateRef(index, v1);
    }

    @Override
    public void updateRow() throws SQLException {
        current().updateRow();
    }

    @Override
    public void updateRowId(String label, RowId v1) throws SQLException {
        current().updateRowId(label, v1);
    }

    @Override
    public void updateRowId(int index, RowId v1) throws SQLException {
        current().updateRowId(index, v1);
    }

    @Override
    public void updateSQLXML(String label, SQLXML v1) throws SQLException {
        current().updateSQLXML(label, v1);
    }

    @Override
    public void updateSQLXML(int index, SQLXML v1) throws SQLException {
        current().updateSQLXML(index, v1);
    }

    @Override
    public void updateShort(String label, short v1) throws SQLException {
        current().updateShort(label, v1);
    }

    @Override
    public void updateShort(int index, short v1) throws SQLException {
        current().updateShort(index, v1);
    }

    @Override
    public void updateString(String label, String v1) throws SQLException {
        current().updateString(label, v1);
    }

    @Override
    public void updateString(int index, String v1) throws SQLException {
        current().updateString(index, v1);
    }

    @Override
    public void updateTime(String label, Time v1) throws SQLException {
        current().updateTime(label, v1);
    }

    @Override
    public void updateTime(int index, Time v1) throws SQLException {
        current().updateTime(index, v1);
    }

    @Override
    public void updateTimestamp(String label, Timestamp v1) throws SQLException {
        current().updateTimestamp(label, v1);
    }

    @Override
    public void updateTimestamp(int index, Timestamp v1) throws SQLException {
        current().updateTimestamp(index, v1);
    }

}
