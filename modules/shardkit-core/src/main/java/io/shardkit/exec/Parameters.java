package io.shardkit.exec;

import io.shardkit.SqlStates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.util.Arrays;
import java.util.Calendar;

/**
 * The parameters bound to a shardkit prepared statement, recorded so they can be read by the
 * router (the shard key) and replayed onto the physical statement of whichever shard the
 * statement runs on, possibly several, possibly renumbered (a split multi-row INSERT).
 *
 * <p>Streams are read into memory when set, so they can be replayed on several shards. One
 * instance per statement, reused across executions; not thread-safe, like JDBC statements.
 */
public final class Parameters {
    public static final int NULL = 1, NULL_TYPED = 2, OBJECT = 3, OBJECT_TYPE = 4, OBJECT_TYPE_SCALE = 5,
            OBJECT_SQLTYPE = 6, OBJECT_SQLTYPE_SCALE = 7, STRING = 8, NSTRING = 9, LONG = 10, INT = 11,
            SHORT = 12, BYTE = 13, BOOLEAN = 14, DOUBLE = 15, FLOAT = 16, BIG_DECIMAL = 17, BYTES = 18, DATE = 19,
            DATE_CAL = 20, TIME = 21, TIME_CAL = 22, TIMESTAMP = 23, TIMESTAMP_CAL = 24, ASCII = 25, BINARY = 26,
            CHARACTERS = 27, NCHARACTERS = 28, ARRAY = 29, BLOB = 30, CLOB = 31, NCLOB = 32, REF = 33, ROWID = 34,
            SQLXML = 35, URL = 36;

    private Object[] values;
    private int[] kinds;
    /** The second argument of a setter (type name, scale, calendar, length), per index; made when one is first set. */
    private Object[] extras;
    private int[] ints;
    private int count;

    /** Sized to the statement's {@code ?} count (a prepare allocates no spare slots); {@link #set} grows it. */
    public Parameters(int expected) {
        int n = Math.max(expected, 0);
        values = new Object[n];
        kinds = new int[n];
    }

    private Parameters(Object[] values, int[] kinds, Object[] extras, int[] ints, int count) {
        this.values = values;
        this.kinds = kinds;
        this.extras = extras;
        this.ints = ints;
        this.count = count;
    }

    /** The values by 0-based index (parameter i is {@code values()[i-1]}), for routing. */
    public Object[] values() {
        return values;
    }

    public int count() {
        return count;
    }

    public void set(int index, int kind, Object value, Object extra, int intArg) throws SQLException {
        if (index < 1) {
            throw new SQLException("parameter index " + index + " is out of range (parameters start at 1)",
                    SqlStates.INVALID_PARAMETER_VALUE);
        }
        int i = index - 1;
        if (i >= values.length) {
            int n = Math.max(values.length * 2, index);
            values = Arrays.copyOf(values, n);
            kinds = Arrays.copyOf(kinds, n);
            if (extras != null) {
                extras = Arrays.copyOf(extras, n);
                ints = Arrays.copyOf(ints, n);
            }
        }
        values[i] = value;
        kinds[i] = kind;
        if (extras == null && (extra != null || intArg != 0)) {
            extras = new Object[values.length];
            ints = new int[values.length];
        }
        if (extras != null) {
            extras[i] = extra;
            ints[i] = intArg;
        }
        if (index > count) {
            count = index;
        }
    }

    public void clear() {
        Arrays.fill(values, 0, count, null);
        Arrays.fill(kinds, 0, count, 0);
        if (extras != null) {
            Arrays.fill(extras, 0, count, null);
        }
        count = 0;
    }

    /** A copy for {@code addBatch}. */
    public Parameters snapshot() {
        return new Parameters(values.clone(), kinds.clone(), extras == null ? null : extras.clone(),
                ints == null ? null : ints.clone(), count);
    }

    /**
     * Binds onto {@code ps}: parameter i+1 of {@code ps} gets our parameter {@code map[i]}, or our
     * parameter i+1 when {@code map} is {@code null}.
     */
    public void applyTo(PreparedStatement ps, int[] map, int expected) throws SQLException {
        int n = map == null ? expected : map.length;
        for (int i = 0; i < n; i++) {
            int from = map == null ? i : map[i] - 1;
            if (from >= count || kinds[from] == 0) {
                throw new SQLException("no value specified for parameter " + (from + 1),
                        SqlStates.WRONG_NUMBER_OF_PARAMETERS);
            }
            bind(ps, i + 1, from);
        }
    }

    private void bind(PreparedStatement ps, int to, int from) throws SQLException {
        Object v = values[from];
        Object x = extras == null ? null : extras[from];
        int a = ints == null ? 0 : ints[from];
        switch (kinds[from]) {
            case NULL -> ps.setNull(to, a);
            case NULL_TYPED -> ps.setNull(to, a, (String) x);
            case OBJECT -> ps.setObject(to, v);
            case OBJECT_TYPE -> ps.setObject(to, v, a);
            case OBJECT_TYPE_SCALE -> ps.setObject(to, v, a, (Integer) x);
            case OBJECT_SQLTYPE -> ps.setObject(to, v, (SQLType) x);
            case OBJECT_SQLTYPE_SCALE -> ps.setObject(to, v, (SQLType) x, a);
            case STRING -> ps.setString(to, (String) v);
            case NSTRING -> ps.setNString(to, (String) v);
            case LONG -> ps.setLong(to, (Long) v);
            case INT -> ps.setInt(to, (Integer) v);
            case SHORT -> ps.setShort(to, (Short) v);
            case BYTE -> ps.setByte(to, (Byte) v);
            case BOOLEAN -> ps.setBoolean(to, (Boolean) v);
            case DOUBLE -> ps.setDouble(to, (Double) v);
            case FLOAT -> ps.setFloat(to, (Float) v);
            case BIG_DECIMAL -> ps.setBigDecimal(to, (java.math.BigDecimal) v);
            case BYTES -> ps.setBytes(to, (byte[]) v);
            case DATE -> ps.setDate(to, (java.sql.Date) v);
            case DATE_CAL -> ps.setDate(to, (java.sql.Date) v, (Calendar) x);
            case TIME -> ps.setTime(to, (java.sql.Time) v);
            case TIME_CAL -> ps.setTime(to, (java.sql.Time) v, (Calendar) x);
            case TIMESTAMP -> ps.setTimestamp(to, (java.sql.Timestamp) v);
            case TIMESTAMP_CAL -> ps.setTimestamp(to, (java.sql.Timestamp) v, (Calendar) x);
            case ASCII -> ps.setAsciiStream(to, new java.io.ByteArrayInputStream((byte[]) x), ((byte[]) x).length);
            case BINARY -> ps.setBinaryStream(to, new java.io.ByteArrayInputStream((byte[]) x), ((byte[]) x).length);
            case CHARACTERS -> ps.setCharacterStream(to, new java.io.StringReader((String) v), ((String) v).length());
            case NCHARACTERS -> ps.setNCharacterStream(to, new java.io.StringReader((String) v), ((String) v).length());
            case ARRAY -> ps.setArray(to, (Array) v);
            case BLOB -> ps.setBlob(to, (Blob) v);
            case CLOB -> ps.setClob(to, (Clob) v);
            case NCLOB -> ps.setNClob(to, (NClob) v);
            case REF -> ps.setRef(to, (Ref) v);
            case ROWID -> ps.setRowId(to, (RowId) v);
            case SQLXML -> ps.setSQLXML(to, (SQLXML) v);
            case URL -> ps.setURL(to, (java.net.URL) v);
            default -> throw new SQLException("no value specified for parameter " + (from + 1),
                    SqlStates.WRONG_NUMBER_OF_PARAMETERS);
        }
    }

    public static byte[] readAll(InputStream in, long limit) throws SQLException {
        if (in == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long left = limit < 0 ? Long.MAX_VALUE : limit;
            int r;
            while (left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                out.write(buf, 0, r);
                left -= r;
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new SQLException("cannot read the stream bound as a parameter: " + e, SqlStates.DATA_EXCEPTION, e);
        }
    }

    public static String readAll(Reader in, long limit) throws SQLException {
        if (in == null) {
            return null;
        }
        try {
            StringWriter out = new StringWriter();
            char[] buf = new char[8192];
            long left = limit < 0 ? Long.MAX_VALUE : limit;
            int r;
            while (left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                out.write(buf, 0, r);
                left -= r;
            }
            return out.toString();
        } catch (IOException e) {
            throw new SQLException("cannot read the reader bound as a parameter: " + e, SqlStates.DATA_EXCEPTION, e);
        }
    }
}
