package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The getters of a row shardkit computed (a merged group), over its values. Only reading is
 * supported; every other method of the interface is refused. Date and time getters taking a
 * Calendar return the value as computed (merged values carry no time zone of their own).
 */
abstract class RowValues extends ComposedResultSet {
    private boolean wasNull;

    RowValues(long maxRows) {
        super(maxRows);
    }

    /** The value of a column of the current row (1-based). */
    protected abstract Object raw(int index) throws SQLException;

    private Object value(int index) throws SQLException {
        Object v = raw(index);
        wasNull = v == null;
        return v;
    }

    @Override
    protected ResultSet current() throws SQLException {
        throw new SQLFeatureNotSupportedException("this operation on a row merged from several shards",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return wasNull;
    }

    @Override
    public String getString(int index) throws SQLException {
        return Convert.string(value(index));
    }

    @Override
    public String getString(String label) throws SQLException {
        return getString(findColumn(label));
    }
    @Override
    public String getNString(int index) throws SQLException {
        return Convert.string(value(index));
    }

    @Override
    public String getNString(String label) throws SQLException {
        return getNString(findColumn(label));
    }
    @Override
    public boolean getBoolean(int index) throws SQLException {
        return Convert.bool(value(index));
    }

    @Override
    public boolean getBoolean(String label) throws SQLException {
        return getBoolean(findColumn(label));
    }
    @Override
    public byte getByte(int index) throws SQLException {
        return (byte) Convert.integer(value(index), Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
    }

    @Override
    public byte getByte(String label) throws SQLException {
        return getByte(findColumn(label));
    }
    @Override
    public short getShort(int index) throws SQLException {
        return (short) Convert.integer(value(index), Short.MIN_VALUE, Short.MAX_VALUE, "short");
    }

    @Override
    public short getShort(String label) throws SQLException {
        return getShort(findColumn(label));
    }
    @Override
    public int getInt(int index) throws SQLException {
        return (int) Convert.integer(value(index), Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
    }

    @Override
    public int getInt(String label) throws SQLException {
        return getInt(findColumn(label));
    }
    @Override
    public long getLong(int index) throws SQLException {
        return Convert.integer(value(index), Long.MIN_VALUE, Long.MAX_VALUE, "long");
    }

    @Override
    public long getLong(String label) throws SQLException {
        return getLong(findColumn(label));
    }
    @Override
    public float getFloat(int index) throws SQLException {
        return (float) Convert.floating(value(index));
    }

    @Override
    public float getFloat(String label) throws SQLException {
        return getFloat(findColumn(label));
    }
    @Override
    public double getDouble(int index) throws SQLException {
        return Convert.floating(value(index));
    }

    @Override
    public double getDouble(String label) throws SQLException {
        return getDouble(findColumn(label));
    }
    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        return Convert.decimal(value(index));
    }

    @Override
    public BigDecimal getBigDecimal(String label) throws SQLException {
        return getBigDecimal(findColumn(label));
    }
    @Override
    public byte[] getBytes(int index) throws SQLException {
        return Convert.bytes(value(index));
    }

    @Override
    public byte[] getBytes(String label) throws SQLException {
        return getBytes(findColumn(label));
    }
    @Override
    public Date getDate(int index) throws SQLException {
        return Convert.date(value(index));
    }

    @Override
    public Date getDate(String label) throws SQLException {
        return getDate(findColumn(label));
    }
    @Override
    public Time getTime(int index) throws SQLException {
        return Convert.time(value(index));
    }

    @Override
    public Time getTime(String label) throws SQLException {
        return getTime(findColumn(label));
    }
    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return Convert.timestamp(value(index));
    }

    @Override
    public Timestamp getTimestamp(String label) throws SQLException {
        return getTimestamp(findColumn(label));
    }
    @Override
    public Object getObject(int index) throws SQLException {
        return value(index);
    }

    @Override
    public Object getObject(String label) throws SQLException {
        return getObject(findColumn(label));
    }
    @Override
    public Date getDate(int index, Calendar cal) throws SQLException {
        return getDate(index);
    }

    @Override
    public Date getDate(String label, Calendar cal) throws SQLException {
        return getDate(findColumn(label));
    }
    @Override
    public Time getTime(int index, Calendar cal) throws SQLException {
        return getTime(index);
    }

    @Override
    public Time getTime(String label, Calendar cal) throws SQLException {
        return getTime(findColumn(label));
    }
    @Override
    public Timestamp getTimestamp(int index, Calendar cal) throws SQLException {
        return getTimestamp(index);
    }

    @Override
    public Timestamp getTimestamp(String label, Calendar cal) throws SQLException {
        return getTimestamp(findColumn(label));
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int scale) throws SQLException {
        BigDecimal d = getBigDecimal(index);
        return d == null ? null : d.setScale(scale, RoundingMode.HALF_UP);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String label, int scale) throws SQLException {
        return getBigDecimal(findColumn(label), scale);
    }

    @Override
    public <T> T getObject(int index, Class<T> type) throws SQLException {
        return Convert.as(value(index), type);
    }

    @Override
    public <T> T getObject(String label, Class<T> type) throws SQLException {
        return getObject(findColumn(label), type);
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> map) throws SQLException {
        return getObject(index);
    }

    @Override
    public Object getObject(String label, Map<String, Class<?>> map) throws SQLException {
        return getObject(findColumn(label));
    }
}
