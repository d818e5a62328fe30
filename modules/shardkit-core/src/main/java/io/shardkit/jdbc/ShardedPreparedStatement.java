package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.ShardException;
import io.shardkit.sql.SqlAnalysis;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLType;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;

/**
 * A prepared statement over the shards. The SQL is analysed once, when prepared (from the cache
 * when another statement already did); each execution only binds the key, asks the chooser and
 * runs the shard's physical prepared statement, which is prepared on first use per shard and
 * reused. Parameters are recorded and replayed onto whichever shard the execution goes to.
 */
final class ShardedPreparedStatement extends ShardedStatement implements PreparedStatement {
    private final SqlAnalysis analysis;
    private final Parameters params;
    private final Object keys;
    /** Per shard index; grows when a runtime shard opened after this statement is used. */
    private PreparedStatement[] prepared;
    /** Statements for SQL that differs from ours (a split INSERT's parts); closed at the next run. */
    private final List<Statement> oneOffs = new ArrayList<>();
    /** The shards the one-off statements run on. */
    private final java.util.BitSet oneOffShards = new java.util.BitSet();
    private List<Parameters> batch;

    ShardedPreparedStatement(ShardedConnection conn, SqlAnalysis analysis, int type, int concurrency,
            int holdability, Object keys) {
        super(conn, type, concurrency, holdability);
        this.analysis = analysis;
        this.params = new Parameters(analysis.parameterCount());
        this.keys = keys;
        this.prepared = new PreparedStatement[conn.registry().slots()];
    }

    @Override
    Statement physicalFor(int shard, String sql, boolean oneOff) throws SQLException {
        if (oneOff) {
            PreparedStatement ps = prepare(conn.physical(shard), sql);
            oneOffs.add(ps);
            oneOffShards.set(shard);
            return ps;
        }
        if (shard >= prepared.length) {
            prepared = java.util.Arrays.copyOf(prepared, conn.registry().slots());
        }
        PreparedStatement ps = prepared[shard];
        if (ps == null || ps.isClosed()) {
            ps = prepare(conn.physical(shard), conn.sqlFor(shard, analysis.sql()));
            prepared[shard] = ps;
        } else {
            // a SQLite file deleted since this statement was prepared fails rather than taking writes
            conn.registry().checkAlive(shard);
        }
        return ps;
    }

    private PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps;
        if (keys instanceof Integer flag) {
            ps = c.prepareStatement(sql, flag);
        } else if (keys instanceof int[] columns) {
            ps = c.prepareStatement(sql, columns);
        } else if (keys instanceof String[] names) {
            ps = c.prepareStatement(sql, names);
        } else if (resultSetHoldability >= 0) {
            ps = c.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
        } else if (resultSetType != ResultSet.TYPE_FORWARD_ONLY || resultSetConcurrency != ResultSet.CONCUR_READ_ONLY) {
            ps = c.prepareStatement(sql, resultSetType, resultSetConcurrency);
        } else {
            ps = c.prepareStatement(sql);
        }
        applyOptions(ps);
        return ps;
    }

    @Override
    ResultSet execute(Statement st, String sql, Parameters p, int[] map, int count, int mode, Object k)
            throws SQLException {
        PreparedStatement ps = (PreparedStatement) st;
        p.applyTo(ps, map, count);
        if (mode == QUERY) {
            return ps.executeQuery();
        }
        return ps.execute() ? ps.getResultSet() : null;
    }

    @Override
    void forgetShard(int shard) {
        super.forgetShard(shard);
        if (shard < prepared.length && prepared[shard] != null) {
            closeQuietly(prepared[shard]);
            prepared[shard] = null;
        }
    }

    /** Prepared statements keep what they prepared on a shard (and so its connection) until they close. */
    @Override
    boolean uses(int shard) {
        return super.uses(shard) || (shard < prepared.length && prepared[shard] != null) || oneOffShards.get(shard);
    }

    @Override
    List<Statement> physicalStatements() {
        List<Statement> out = super.physicalStatements();
        for (PreparedStatement ps : prepared) {
            if (ps != null) {
                out.add(ps);
            }
        }
        if (!oneOffs.isEmpty()) {
            out.addAll(oneOffs);
        }
        return out;
    }

    private void closeOneOffs() throws SQLException {
        for (Statement s : oneOffs) {
            s.close();
        }
        oneOffs.clear();
        oneOffShards.clear();
    }

    private boolean runPrepared(int mode) throws SQLException {
        if (!oneOffs.isEmpty()) {
            closeOneOffs();
        }
        return run(analysis, params, mode, null);
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        runPrepared(QUERY);
        return getResultSet();
    }

    @Override
    public int executeUpdate() throws SQLException {
        runPrepared(UPDATE);
        return Math.max(getUpdateCount(), 0);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        runPrepared(UPDATE);
        return Math.max(getLargeUpdateCount(), 0);
    }

    @Override
    public boolean execute() throws SQLException {
        return runPrepared(ANY);
    }

    @Override
    public void addBatch() throws SQLException {
        checkOpen();
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(params.snapshot());
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        if (batch != null) {
            batch.clear();
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        closeCurrent();
        closeOneOffs();
        startBatch();
        List<Parameters> entries = batch == null ? List.of() : new ArrayList<>(batch);
        if (batch != null) {
            batch.clear();
        }
        Batch b = new Batch(this, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            b.add(i, analysis, entries.get(i), analysis.sql());
        }
        return b.finish();
    }

    @Override
    void addToPhysicalBatch(int shard, String sql, Parameters p, int[] map, int count) throws SQLException {
        PreparedStatement ps = (PreparedStatement) physicalFor(shard, sql, false);
        p.applyTo(ps, map, count);
        ps.addBatch();
    }

    @Override
    boolean wantsGeneratedKeys() {
        return keys != null && !(keys instanceof Integer flag && flag == Statement.NO_GENERATED_KEYS);
    }

    @Override
    long runAlone(SqlAnalysis a, Parameters p) throws SQLException {
        closeOneOffs();
        return super.runAlone(a, p);
    }

    @Override
    public void clearParameters() throws SQLException {
        checkOpen();
        params.clear();
    }

    /** Metadata from the shard the statement would most likely run on. */
    private PreparedStatement describeOn() throws SQLException {
        int shard = conn.pinnedShard();
        if (shard < 0) {
            String name = analysis.pinnedShard() != null ? analysis.pinnedShard()
                    : analysis.strategy() != null ? analysis.strategy().shards().get(0) : null;
            shard = name == null ? 0 : conn.registry().indexOf(name);
        }
        try {
            return (PreparedStatement) physicalFor(shard, analysis.sql(), false);
        } catch (SQLException e) {
            throw ShardException.fromShard(conn.registry().name(shard), analysis.sql(), e);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        checkOpen();
        return describeOn().getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        checkOpen();
        return describeOn().getParameterMetaData();
    }

    // ---- plain-SQL methods are not allowed on a prepared statement (JDBC says so) ----

    private static SQLException notOnPrepared() {
        return new SQLException("this method takes SQL text and cannot be called on a PreparedStatement", "HY000");
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        throw notOnPrepared();
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        throw notOnPrepared();
    }

    // ---- setters ----

    private void set(int index, int kind, Object value) throws SQLException {
        checkOpen();
        params.set(index, kind, value, null, 0);
    }

    @Override
    public void setNull(int index, int sqlType) throws SQLException {
        checkOpen();
        params.set(index, Parameters.NULL, null, null, sqlType);
    }

    @Override
    public void setNull(int index, int sqlType, String typeName) throws SQLException {
        checkOpen();
        params.set(index, Parameters.NULL_TYPED, null, typeName, sqlType);
    }

    @Override
    public void setBoolean(int index, boolean x) throws SQLException {
        set(index, Parameters.BOOLEAN, x);
    }

    @Override
    public void setByte(int index, byte x) throws SQLException {
        set(index, Parameters.BYTE, x);
    }

    @Override
    public void setShort(int index, short x) throws SQLException {
        set(index, Parameters.SHORT, x);
    }

    @Override
    public void setInt(int index, int x) throws SQLException {
        set(index, Parameters.INT, x);
    }

    @Override
    public void setLong(int index, long x) throws SQLException {
        set(index, Parameters.LONG, x);
    }

    @Override
    public void setFloat(int index, float x) throws SQLException {
        set(index, Parameters.FLOAT, x);
    }

    @Override
    public void setDouble(int index, double x) throws SQLException {
        set(index, Parameters.DOUBLE, x);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal x) throws SQLException {
        if (x == null) {
            setNull(index, Types.DECIMAL);
        } else {
            set(index, Parameters.BIG_DECIMAL, x);
        }
    }

    @Override
    public void setString(int index, String x) throws SQLException {
        if (x == null) {
            setNull(index, Types.VARCHAR);
        } else {
            set(index, Parameters.STRING, x);
        }
    }

    @Override
    public void setNString(int index, String x) throws SQLException {
        if (x == null) {
            setNull(index, Types.NVARCHAR);
        } else {
            set(index, Parameters.NSTRING, x);
        }
    }

    @Override
    public void setBytes(int index, byte[] x) throws SQLException {
        if (x == null) {
            setNull(index, Types.VARBINARY);
        } else {
            set(index, Parameters.BYTES, x);
        }
    }

    @Override
    public void setDate(int index, Date x) throws SQLException {
        if (x == null) {
            setNull(index, Types.DATE);
        } else {
            set(index, Parameters.DATE, x);
        }
    }

    @Override
    public void setDate(int index, Date x, Calendar cal) throws SQLException {
        checkOpen();
        params.set(index, Parameters.DATE_CAL, x, cal, 0);
    }

    @Override
    public void setTime(int index, Time x) throws SQLException {
        if (x == null) {
            setNull(index, Types.TIME);
        } else {
            set(index, Parameters.TIME, x);
        }
    }

    @Override
    public void setTime(int index, Time x, Calendar cal) throws SQLException {
        checkOpen();
        params.set(index, Parameters.TIME_CAL, x, cal, 0);
    }

    @Override
    public void setTimestamp(int index, Timestamp x) throws SQLException {
        if (x == null) {
            setNull(index, Types.TIMESTAMP);
        } else {
            set(index, Parameters.TIMESTAMP, x);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp x, Calendar cal) throws SQLException {
        checkOpen();
        params.set(index, Parameters.TIMESTAMP_CAL, x, cal, 0);
    }

    @Override
    public void setObject(int index, Object x) throws SQLException {
        if (x == null) {
            setNull(index, Types.NULL);
        } else {
            set(index, Parameters.OBJECT, x);
        }
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType) throws SQLException {
        checkOpen();
        params.set(index, Parameters.OBJECT_TYPE, x, null, targetSqlType);
    }

    @Override
    public void setObject(int index, Object x, int targetSqlType, int scale) throws SQLException {
        checkOpen();
        params.set(index, Parameters.OBJECT_TYPE_SCALE, x, scale, targetSqlType);
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType) throws SQLException {
        checkOpen();
        params.set(index, Parameters.OBJECT_SQLTYPE, x, targetSqlType, 0);
    }

    @Override
    public void setObject(int index, Object x, SQLType targetSqlType, int scale) throws SQLException {
        checkOpen();
        params.set(index, Parameters.OBJECT_SQLTYPE_SCALE, x, targetSqlType, scale);
    }

    private void setBytesStream(int index, int kind, InputStream x, long length) throws SQLException {
        checkOpen();
        byte[] bytes = Parameters.readAll(x, length);
        if (bytes == null) {
            setNull(index, Types.VARBINARY);
        } else {
            params.set(index, kind, bytes, bytes, 0);
        }
    }

    private void setCharStream(int index, int kind, Reader x, long length) throws SQLException {
        checkOpen();
        String text = Parameters.readAll(x, length);
        if (text == null) {
            setNull(index, Types.VARCHAR);
        } else {
            params.set(index, kind, text, null, 0);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream x, int length) throws SQLException {
        setBytesStream(index, Parameters.ASCII, x, length);
    }

    @Override
    public void setAsciiStream(int index, InputStream x, long length) throws SQLException {
        setBytesStream(index, Parameters.ASCII, x, length);
    }

    @Override
    public void setAsciiStream(int index, InputStream x) throws SQLException {
        setBytesStream(index, Parameters.ASCII, x, -1);
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream x, int length) throws SQLException {
        throw new SQLFeatureNotSupportedException("setUnicodeStream is deprecated; use setCharacterStream", "0A000");
    }

    @Override
    public void setBinaryStream(int index, InputStream x, int length) throws SQLException {
        setBytesStream(index, Parameters.BINARY, x, length);
    }

    @Override
    public void setBinaryStream(int index, InputStream x, long length) throws SQLException {
        setBytesStream(index, Parameters.BINARY, x, length);
    }

    @Override
    public void setBinaryStream(int index, InputStream x) throws SQLException {
        setBytesStream(index, Parameters.BINARY, x, -1);
    }

    @Override
    public void setCharacterStream(int index, Reader reader, int length) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, length);
    }

    @Override
    public void setCharacterStream(int index, Reader reader, long length) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, length);
    }

    @Override
    public void setCharacterStream(int index, Reader reader) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, -1);
    }

    @Override
    public void setNCharacterStream(int index, Reader value, long length) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, value, length);
    }

    @Override
    public void setNCharacterStream(int index, Reader value) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, value, -1);
    }

    @Override
    public void setClob(int index, Reader reader, long length) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, length);
    }

    @Override
    public void setClob(int index, Reader reader) throws SQLException {
        setCharStream(index, Parameters.CHARACTERS, reader, -1);
    }

    @Override
    public void setNClob(int index, Reader reader, long length) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, reader, length);
    }

    @Override
    public void setNClob(int index, Reader reader) throws SQLException {
        setCharStream(index, Parameters.NCHARACTERS, reader, -1);
    }

    @Override
    public void setBlob(int index, InputStream inputStream, long length) throws SQLException {
        setBytesStream(index, Parameters.BINARY, inputStream, length);
    }

    @Override
    public void setBlob(int index, InputStream inputStream) throws SQLException {
        setBytesStream(index, Parameters.BINARY, inputStream, -1);
    }

    @Override
    public void setRef(int index, Ref x) throws SQLException {
        set(index, Parameters.REF, x);
    }

    @Override
    public void setBlob(int index, Blob x) throws SQLException {
        set(index, Parameters.BLOB, x);
    }

    @Override
    public void setClob(int index, Clob x) throws SQLException {
        set(index, Parameters.CLOB, x);
    }

    @Override
    public void setNClob(int index, NClob value) throws SQLException {
        set(index, Parameters.NCLOB, value);
    }

    @Override
    public void setArray(int index, Array x) throws SQLException {
        set(index, Parameters.ARRAY, x);
    }

    @Override
    public void setURL(int index, URL x) throws SQLException {
        set(index, Parameters.URL, x);
    }

    @Override
    public void setRowId(int index, RowId x) throws SQLException {
        set(index, Parameters.ROWID, x);
    }

    @Override
    public void setSQLXML(int index, SQLXML xmlObject) throws SQLException {
        set(index, Parameters.SQLXML, xmlObject);
    }
}
