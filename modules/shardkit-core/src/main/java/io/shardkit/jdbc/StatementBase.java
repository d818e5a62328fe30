package io.shardkit.jdbc;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.exec.Parameters;
import io.shardkit.exec.ShardRunner;
import io.shardkit.internal.Closer;
import io.shardkit.sql.SqlAnalysis;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What every shardkit statement shares apart from running: the options (fetch size, timeouts, max
 * rows, ...) kept here and applied to each physical statement, the plain-SQL execute overloads, the
 * result set type and holdability, the closed flag and the wrapper rules. Not thread-safe, like any
 * JDBC statement.
 */
abstract class StatementBase implements PlainSqlExecutes, ShardRunner {
    // the execution modes ANY, QUERY and UPDATE are ShardRunner's

    final ShardedConnection conn;
    final int resultSetType;
    final int resultSetConcurrency;
    /** -1: the driver's default (SQLite supports only CLOSE_CURSORS_AT_COMMIT). */
    final int resultSetHoldability;

    /** Set once, by {@code close()}. */
    boolean closed;
    /** The current result, or {@code null}. */
    ResultSet current;
    /** The last execution's update count, or -1. */
    long updateCount = -1;
    /** The physical statements of the last execution, for generated keys and more results. */
    Statement[] lastStatements = NO_STATEMENTS;
    String[] lastShards = NO_SHARDS;

    int fetchSize;
    private int fetchDirection = ResultSet.FETCH_FORWARD;
    long maxRows;
    int queryTimeout;
    private int maxFieldSize;
    private boolean escapeProcessing = true;
    private boolean poolable;
    private boolean closeOnCompletion;

    /** Nothing executed yet (shared: a zero-length array is never written). */
    static final Statement[] NO_STATEMENTS = {};
    static final String[] NO_SHARDS = {};

    /**
     * Plain statements' physical statements, per shard index; made at the first use (prepared
     * statements keep theirs elsewhere) and grown when a runtime shard opened after this statement is used.
     */
    private Statement[] physical = NO_STATEMENTS;

    StatementBase(ShardedConnection conn, int type, int concurrency, int holdability) {
        this.conn = conn;
        this.resultSetType = type;
        this.resultSetConcurrency = concurrency;
        this.resultSetHoldability = holdability;
    }

    // ---- the physical statements, one per shard used ----

    /** Whether this statement holds a plain physical statement on a shard. */
    final boolean holdsPhysical(int shard) {
        return shard < physical.length && physical[shard] != null;
    }

    /** How many shard slots the plain physical statements have. */
    final int physicalSlots() {
        return physical.length;
    }

    /** Closes and forgets the plain physical statement of a shard. */
    final void dropPlain(int shard) {
        if (shard < physical.length && physical[shard] != null) {
            closeQuietly(physical[shard]);
            physical[shard] = null;
        }
    }

    /** Forgets every plain physical statement (they are closed already). */
    final void forgetPhysical() {
        Arrays.fill(physical, null);
    }

    /**
     * The physical statement for a data node's rendering {@code sql} of the statement's own SQL (a
     * split table named by its physical table), kept for the next execution that renders the same.
     * Plain statements pass the text at each execution, so their one statement per shard serves.
     */
    Statement nodeFor(int shard, String sql) throws SQLException {
        return physicalFor(shard, sql, false);
    }

    /** The physical statement for a shard: plain statements keep one per shard. */
    Statement physicalFor(int shard, String sql, boolean oneOff) throws SQLException {
        if (shard >= physical.length) {
            physical = Arrays.copyOf(physical, conn.registry().slots());
        }
        Statement st = physical[shard];
        if (st == null || st.isClosed()) {
            Connection c = conn.physical(shard);
            st = resultSetHoldability < 0 ? c.createStatement(resultSetType, resultSetConcurrency)
                    : c.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability);
            applyOptions(st);
            physical[shard] = st;
        }
        return st;
    }

    /** Drops the physical statement of a shard whose connection broke (closed quietly; the next use prepares anew). */
    void forgetShard(int shard) {
        if (shard < physical.length && physical[shard] != null) {
            closeQuietly(physical[shard]);
            physical[shard] = null;
        }
    }

    static void closeQuietly(Statement st) {
        try {
            st.close();
        } catch (SQLException ignored) {
            // its connection is broken already
        }
    }

    @Override
    public final boolean runSql(String sql, int mode, Object keys) throws SQLException {
        return run(analyze(sql), null, mode, keys);
    }

    @Override
    public final ResultSet currentResult() {
        return current;
    }

    @Override
    public final long lastUpdateCount() {
        return updateCount;
    }

    /** Closes every physical statement this statement holds, keeping the first failure; allocates nothing. */
    void closePhysical(Closer closer) {
        for (Statement s : physical) {
            closer.close(s, Statement::close);
        }
    }

    /** Every physical statement this statement holds, for applying options and cancelling. */
    List<Statement> physicalStatements() {
        List<Statement> out = new ArrayList<>();
        for (Statement s : physical) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }


    /** Runs one execution (see {@link ShardedStatement}); whether the result is a result set. */
    abstract boolean run(SqlAnalysis a, Parameters params, int mode, Object keys) throws SQLException;

    final void applyOptions(Statement st) throws SQLException {
        if (fetchSize != 0) {
            st.setFetchSize(fetchSize);
        }
        if (maxRows != 0) {
            st.setMaxRows((int) Math.min(maxRows, Integer.MAX_VALUE));
        }
        if (queryTimeout != 0) {
            st.setQueryTimeout(queryTimeout);
        }
        if (maxFieldSize != 0) {
            st.setMaxFieldSize(maxFieldSize);
        }
        if (!escapeProcessing) {
            st.setEscapeProcessing(false);
        }
    }

    final void forEachPhysical(SqlConsumer action) throws SQLException {
        for (Statement s : physicalStatements()) {
            if (!s.isClosed()) {
                action.accept(s);
            }
        }
    }

    interface SqlConsumer {
        void accept(Statement s) throws SQLException;
    }

    final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed", SqlStates.FUNCTION_SEQUENCE_ERROR);
        }
        conn.checkOpen();
    }

    final SqlAnalysis analyze(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("SQL is null", SqlStates.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION);
        }
        return conn.cache().get(sql);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public Connection getConnection() throws SQLException {
        checkOpen();
        return conn;
    }

    @Override
    public int getMaxFieldSize() {
        return maxFieldSize;
    }

    @Override
    public void setMaxFieldSize(int max) throws SQLException {
        checkOpen();
        maxFieldSize = max;
        forEachPhysical(s -> s.setMaxFieldSize(max));
    }

    @Override
    public int getMaxRows() {
        return (int) Math.min(maxRows, Integer.MAX_VALUE);
    }

    @Override
    public void setMaxRows(int max) throws SQLException {
        setLargeMaxRows(max);
    }

    @Override
    public long getLargeMaxRows() {
        return maxRows;
    }

    @Override
    public void setLargeMaxRows(long max) throws SQLException {
        checkOpen();
        if (max < 0) {
            throw new SQLException("maxRows must be >= 0, got " + max, SqlStates.INVALID_PARAMETER_VALUE);
        }
        maxRows = max;
        forEachPhysical(s -> s.setMaxRows((int) Math.min(max, Integer.MAX_VALUE)));
    }

    @Override
    public void setEscapeProcessing(boolean enable) throws SQLException {
        checkOpen();
        escapeProcessing = enable;
        forEachPhysical(s -> s.setEscapeProcessing(enable));
    }

    @Override
    public int getQueryTimeout() {
        return queryTimeout;
    }

    @Override
    public void setQueryTimeout(int seconds) throws SQLException {
        checkOpen();
        if (seconds < 0) {
            throw new SQLException("query timeout must be >= 0, got " + seconds, SqlStates.INVALID_PARAMETER_VALUE);
        }
        queryTimeout = seconds;
        forEachPhysical(s -> s.setQueryTimeout(seconds));
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        throw new SQLFeatureNotSupportedException("named cursors are not supported through shardkit",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public void setFetchDirection(int direction) throws SQLException {
        checkOpen();
        fetchDirection = direction;
        forEachPhysical(s -> s.setFetchDirection(direction));
    }

    @Override
    public int getFetchDirection() {
        return fetchDirection;
    }

    @Override
    public void setFetchSize(int rows) throws SQLException {
        checkOpen();
        if (rows < 0) {
            throw new SQLException("fetch size must be >= 0, got " + rows, SqlStates.INVALID_PARAMETER_VALUE);
        }
        fetchSize = rows;
        forEachPhysical(s -> s.setFetchSize(rows));
    }

    @Override
    public int getFetchSize() {
        return fetchSize;
    }

    @Override
    public int getResultSetConcurrency() {
        return resultSetConcurrency;
    }

    @Override
    public int getResultSetType() {
        return resultSetType;
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        return resultSetHoldability >= 0 ? resultSetHoldability : conn.getHoldability();
    }

    @Override
    public void setPoolable(boolean poolable) throws SQLException {
        checkOpen();
        this.poolable = poolable;
    }

    @Override
    public boolean isPoolable() {
        return poolable;
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        checkOpen();
        closeOnCompletion = true;
    }

    @Override
    public boolean isCloseOnCompletion() {
        return closeOnCompletion;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL_ERROR);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        Warnings warnings = new Warnings();
        for (int shard = 0; shard < physical.length; shard++) {
            Statement s = physical[shard];
            if (s != null && !s.isClosed()) {
                warnings.add(conn.registry().name(shard), s.getWarnings());
            }
        }
        return warnings.chain();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        forEachPhysical(Statement::clearWarnings);
    }

    final void closeCurrent() throws SQLException {
        ResultSet rs = current;
        current = null;
        updateCount = -1;
        if (rs != null) {
            rs.close();
        }
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        checkOpen();
        return current;
    }

    @Override
    public int getUpdateCount() throws SQLException {
        checkOpen();
        return current != null ? -1 : (int) Math.min(updateCount, Integer.MAX_VALUE);
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        checkOpen();
        return current != null ? -1 : updateCount;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        return getMoreResults(CLOSE_CURRENT_RESULT);
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        checkOpen();
        if (lastStatements.length == 1 && lastStatements[0] != null && !lastStatements[0].isClosed()) {
            Statement st = lastStatements[0];
            if (current == CLOSE_CURRENT_RESULT && this.current != null) {
                this.current.close();
            }
            this.current = null;
            try {
                if (st.getMoreResults(current)) {
                    this.current = new ShardResultSet(this, lastShards[0], st.getResultSet());
                    updateCount = -1;
                    return true;
                }
                updateCount = st.getUpdateCount();
                return false;
            } catch (SQLException e) {
                throw ShardException.fromShard(lastShards[0], null, e);
            }
        }
        closeCurrent();
        return false;
    }
}
