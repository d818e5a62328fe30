package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import io.shardkit.exec.Parameters;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Date;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Calendar;

/**
 * The parameter setters of {@link ShardedPreparedStatement}, kept apart so that class holds only
 * execution. Each setter records its value and kind into the statement's {@link Parameters}; nothing
 * reaches a shard until an execution replays them onto the shard's physical statement. A {@code null}
 * object becomes {@code setNull} with the setter's type; streams are read into memory when set, so
 * they can be replayed on several shards.
 *
 * <p>Hot path: a setter of a value is one call to {@link #parametersIfOpen()} and one
 * {@link Parameters#set} (boxing a primitive, as the recording needs); nothing else is allocated.
 */
interface ParameterSetters extends PreparedStatement {

    /**
     * The parameters this statement records into, after checking that the statement (and its
     * connection) is open: the same check and SQLState as every other statement method.
     */
    Parameters parametersIfOpen() throws SQLException;

    @Override
    default void clearParameters() throws SQLException {
        parametersIfOpen().clear();
    }

    private void set(int index, int kind, Object value) throws SQLException {
        parametersIfOpen().set(index, kind, value, null, 0);
    }

    @Override
    default void setNull(int index, int sqlType) throws SQLException {
        parametersIfOpen().set(index, Parameters.NULL, null, null, sqlType);
    }

    @Override
    default void setNull(int index, int sqlType, String typeName) throws SQLException {
        parametersIfOpen().set(index, Parameters.NULL_TYPED, null, typeName, sqlType);
    }

    @Override
    default void setBoolean(int index, boolean x) throws SQLException {
        set(index, Parameters.BOOLEAN, x);
    }

    @Override
    default void setByte(int index, byte x) throws SQLException {
        set(index, Parameters.BYTE, x);
    }

    @Override
    default void setShort(int index, short x) throws SQLException {
        set(index, Parameters.SHORT, x);
    }

    @Override
    default void setInt(int index, int x) throws SQLException {
        set(index, Parameters.INT, x);
    }

    @Override
    default void setLong(int index, long x) throws SQLException {
        set(index, Parameters.LONG, x);
    }

    @Override
    default void setFloat(int index, float x) throws SQLException {
        set(index, Parameters.FLOAT, x);
    }

    @Override
    default void setDouble(int index, double x) throws SQLException {
        set(index, Parameters.DOUBLE, x);
    }

    @Override
    default void setBigDecimal(int index, BigDecimal x) throws SQLException {
        if (x == null) {
            setNull(index, Types.DECIMAL);
        } else {
            set(index, Parameters.BIG_DECIMAL, x);
        }
    }

    @Override
    default void setString(int index, String x) throws SQLException {
        if (x == null) {
            setNull(index, Types.VARCHAR);
        } else {
            set(index, Parameters.STRING, x);
        }
    }

    @Override
    default void setNString(int index, String x) throws SQLException {
        if (x == null) {
            setNull(index, Types.NVARCHAR);
        } else {
            set(index, Parameters.NSTRING, x);
        }
    }

    @Override
    default void setBytes(int index, byte[] x) throws SQLException {
        if (x == null) {
            setNull(index, Types.VARBINARY);
        } else {
            set(index, Parameters.BYTES, x);
        }
    }

    @Override
    default void setDate(int index, Date x) throws SQLException {
        if (x == null) {
            setNull(index, Types.DATE);
        } else {
            set(index, Parameters.DATE, x);
        }
    }

    @Override
    default void setDate(int index, Date x, Calendar cal) throws SQLException {
        parametersIfOpen().set(index, Parameters.DATE_CAL, x, cal, 0);
    }

    @Override
    default void setTime(int index, Time x) throws SQLException {
        if (x == null) {
            setNull(index, Types.TIME);
        } else {
            set(index, Parameters.TIME, x);
        }
    }

    @Override
    default void setTime(int index, Time x, Calendar cal) throws SQLException {
        parametersIfOpen().set(index, Parameters.TIME_CAL, x, cal, 0);
    }

    @Override
    default void setTimestamp(int index, Timestamp x) throws SQLException {
        if (x == null) {
            setNull(index, Types.TIMESTAMP);
        } else {
            set(index, Parameters.TIMESTAMP, x);
        }
    }

    @Override
    default void setTimestamp(int index, Timestamp x, Calendar cal) throws SQLException {
        parametersIfOpen().set(index, Parameters.TIMESTAMP_CAL, x, cal, 0);
    }

    @Override
    default void setObject(int index, Object x) throws SQLException {
        if (x == null) {
            setNull(index, Types.NULL);
        } else {
            set(index, Parameters.OBJECT, x);
        }
    }

    @Override
    default void setObject(int index, Object x, int targetSqlType) throws SQLException {
        parametersIfOpen().set(index, Parameters.OBJECT_TYPE, x, null, targetSqlType);
    }

    @Override
    default void setObject(int index, Object x, int targetSqlType, int scale) throws SQLException {
        parametersIfOpen().set(index, Parameters.OBJECT_TYPE_SCALE, x, scale, targetSqlType);
    }

    @Override
    default void setObject(int index, Object x, SQLType targetSqlType) throws SQLException {
        parametersIfOpen().set(index, Parameters.OBJECT_SQLTYPE, x, targetSqlType, 0);
    }

    @Override
    default void setObject(int index, Object x, SQLType targetSqlType, int scale) throws SQLException {
        parametersIfOpen().set(index, Parameters.OBJECT_SQLTYPE_SCALE, x, targetSqlType, scale);
    }

    private void setBytesStream(int index, int kind, InputStream x, long length) throws SQLException {
        Parameters params = parametersIfOpen();
        byte[] bytes = Parameters.readAll(x, length);
        if (bytes == null) {
            setNull(index, Types.VARBINARY);
        } else {
            params.set(index, kind, bytes, bytes, 0);
        }
    }

    private void setCharStream(int index, int kind, Reader x, long length) throws SQLException {
        Parameters params = parametersIfOpen();
        String text = Parameters.readAll(x, length);
        if (text == null) {
            setNull(index, Types.VARCHAR);
        } else {
            params.set(index, kind, text, null, 0);
        }
    }

    @Override
    default void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        setBytesStream(index, Parameters.ASCII, x, length);
    }

    @Override
    default void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        setBytesStream(index, Parameters.ASCII, x, length);
    }

    @Override
    default void setAsciiStream(int index, InputStream x) throws SQLException {
        setBytesStream(index, Parameters.ASCII, x, -1);
    }

    @Override
    @Deprecated
    default void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        throw new SQLFeatureNotSupportedException("setUnicodeStream is deprecated; use setCharacterStream",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    default void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        setBytesStream(index, Parameters.BINARY, x, length);
    }

    @Override
    default void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        setBytesStream(index, Parameters.BINARY, x, length);
    }

    @Override
    default void setBinaryStream(int index, InputStream x) throws SQLException {
        setBytesStream(index, Parameters.BINARY, x, -1);
    }

    @Override
    default void setCharacterStream(int index, Reader reader, int length) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, length);
    }

    @Override
    default void setCharacterStream(int index, Reader reader, long length) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, length);
    }

    @Override
    default void setCharacterStream(int index, Reader reader) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, -1);
    }

    @Override
    default void setNCharacterStream(int index, Reader value, long length) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, value, length);
    }

    @Override
    default void setNCharacterStream(int index, Reader value) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, value, -1);
    }

    @Override
    default void setClob(int index, Reader reader, long length) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, length);
    }

    @Override
    default void setClob(int index, Reader reader) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, -1);
    }

    @Override
    default void setNClob(int index, Reader reader, long length) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, reader, length);
    }

    @Override
    default void setNClob(int index, Reader reader) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, reader, -1);
    }

    @Override
    default void setBlob(int index, InputStream inputStream, long length) throws SQLException {
        setBytesStream(index, Parameters.BINARY, inputStream, length);
    }

    @Override
    default void setBlob(int index, InputStream inputStream) throws SQLException {
        setBytesStream(index, Parameters.BINARY, inputStream, -1);
    }

    @Override
    default void setRef(int index, Ref x) throws SQLException {
        set(index, Parameters.REF, x);
    }

    @Override
    default void setBlob(int index, Blob x) throws SQLException {
        set(index, Parameters.BLOB, x);
    }

    @Override
    default void setClob(int index, Clob x) throws SQLException {
        set(index, Parameters.CLOB, x);
    }

    @Override
    default void setNClob(int index, NClob value) throws SQLException {
        set(index, Parameters.NCLOB, value);
    }

    @Override
    default void setArray(int index, Array x) throws SQLException {
        set(index, Parameters.ARRAY, x);
    }

    @Override
    default void setURL(int index, URL x) throws SQLException {
        set(index, Parameters.URL, x);
    }

    @Override
    default void setRowId(int index, RowId x) throws SQLException {
        set(index, Parameters.ROWID, x);
    }

    @Override
    default void setSQLXML(int index, SQLXML xmlObject) throws SQLException {
        set(index, Parameters.SQLXML, xmlObject);
    }
}
