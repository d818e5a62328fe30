package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.merge.Cursor;
import io.shardkit.exec.Executor;
import io.shardkit.exec.ScatterExecution;
import io.shardkit.plan.RowSource;
import io.shardkit.plan.PlanNode;
import io.shardkit.plan.Planner;
import io.shardkit.route.RouteDecision;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import java.sql.BatchUpdateException;
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
 * A JDBC statement over the shards: each execution is analysed (cached by SQL text), routed,
 * and run on one shard directly or on several through the planner's nodes.
 *
 * <p>Physical statements are created lazily, one per shard used, on the connection's physical
 * connection to that shard, and reused until this statement closes. Statement options (fetch
 * size, timeouts, max rows) are applied to each. Not thread-safe, like any JDBC statement.
 */
class ShardedStatement implements Statement {
    static final int ANY = 0, QUERY = 1, UPDATE = 2;

    final ShardedConnection conn;
    final int resultSetType;
    final int resultSetConcurrency;
    /** -1: the driver's default (SQLite supports only CLOSE_CURSORS_AT_COMMIT). */
    final int resultSetHoldability;

    /** Per shard index; grows when a runtime shard opened after this statement is used. */
    private Statement[] physical;
    private ResultSet current;
    private long updateCount = -1;
    /** The physical statements of the last execution, for generated keys and more results. */
    private Statement[] lastStatements = new Statement[0];
    private String[] lastShards = new String[0];
    /** Whether the last execution was a batch, and its generated keys ({@code null} when not asked for). */
    private boolean lastWasBatch;
    /** The last execution when it was a multi-row INSERT split by shard, for its generated keys. */
    private RouteDecision lastSplit;
    private BatchKeys batchKeys;
    private List<String> batch;
    private boolean closed;
    /** The last merged read, for tests that check how many rows a merge held. */
    private ScatterExecution lastExecution;
    /** The merged read running or last run, for {@link #cancel()} from another thread. */
    private volatile ScatterExecution running;

    private int fetchSize;
    private int fetchDirection = ResultSet.FETCH_FORWARD;
    private long maxRows;
    private int queryTimeout;
    private int maxFieldSize;
    private boolean escapeProcessing = true;
    private boolean poolable;
    private boolean closeOnCompletion;

    ShardedStatement(ShardedConnection conn, int type, int concurrency, int holdability) {
        this.conn = conn;
        this.resultSetType = type;
        this.resultSetConcurrency = concurrency;
        this.resultSetHoldability = holdability;
        this.physical = new Statement[conn.registry().slots()];
    }

    // ---- execution core, shared with ShardedPreparedStatement ----

    /**
     * Runs one execution. Returns whether the result is a result set (then in {@link #current}).
     *
     * @param params bound parameters, {@code null} for a plain statement
     * @param keys generated-keys request for plain statements: {@code null}, an Integer flag, int[] or String[]
     */
    final boolean run(SqlAnalysis a, Parameters params, int mode, Object keys) throws SQLException {
        checkOpen();
        closeCurrent();
        lastWasBatch = false;
        batchKeys = null;
        if (running != null) {
            running = null;
        }
        if (a.kind() == StatementKind.COMMIT && conn.pinnedShard() < 0) {
            conn.commit();
            updateCount = 0;
            return false;
        }
        if (a.kind() == StatementKind.ROLLBACK && conn.pinnedShard() < 0) {
            conn.rollback();
            updateCount = 0;
            return false;
        }
        if (a.shape() == SqlAnalysis.Shape.REFUSED && conn.pinnedShard() < 0 && explain(a, params, mode)) {
            return true;
        }
        Executor executor = conn.executor();
        RouteDecision d = executor.decide(a, params);
        dropOtherShards(d);
        conn.releaseIdle(d);
        if (d.isSingle()) {
            if (a.kind().isWrite()) {
                executor.beforeWrite(a, d);
            }
            lastStatements = one(lastStatements);
            lastShards = oneName(lastShards);
            lastSplit = null;
            return runPart(a, d, 0, params, mode, keys, 0);
        }
        PlanNode plan = Planner.plan(a, d, conn.registry(), params == null ? null : params.values());
        lastStatements = new Statement[d.size()];
        lastShards = new String[d.size()];
        lastSplit = d.splitsRows() ? d : null;
        if (plan instanceof RowSource root) {
            if (mode == UPDATE) {
                throw new SQLException("executeUpdate was given a query; use executeQuery", "07000");
            }
            int[] shards = new int[d.size()];
            for (int i = 0; i < shards.length; i++) {
                shards[i] = d.shard(i);
            }
            ScatterExecution ex = new ScatterExecution(conn.session(), conn.registry(), conn.scatter(), params, fetchSize,
                    queryTimeout, shards, conn.mergeRowLimit(), md -> new MergedMetaData(md, md.getColumnCount()));
            running = ex;
            Cursor rows = root.open(ex);
            try {
                current = new MergedResultSet(this, rows, ex.metaData(), maxRows);
            } catch (SQLException | RuntimeException e) {
                rows.close();
                throw e;
            }
            lastExecution = ex;
            updateCount = -1;
            return true;
        }
        if (a.returning() && mode != UPDATE) {
            if (!d.splitsRows()) {
                throw new RefusedException("a write with RETURNING that reaches " + d.size() + " shards (shardkit"
                        + " merges the rows returned by a multi-row INSERT only); write the rows of one shard key per"
                        + " statement", a.sql());
            }
            executor.beforeWrite(a, d);
            Returned returned = new Returned(d);
            executor.writeAll(a, d, i -> {
                // execute, not executeQuery: MySQL Connector/J refuses executeQuery for INSERT ... RETURNING
                runPart(a, d, i, params, ANY, null, i);
                ResultSet rows = current;
                current = null;
                returned.collect(i, rows, conn.registry().name(d.shard(i)), a);
                return 0;
            });
            current = returned.resultSet(this);
            updateCount = -1;
            return true;
        }
        if (mode == QUERY) {
            throw new SQLException("executeQuery was given a statement that writes to " + d.size()
                    + " shards; use executeUpdate", "07000");
        }
        executor.beforeWrite(a, d);
        long total = executor.writeAll(a, d, i -> {
            runPart(a, d, i, params, UPDATE, keys, i);
            return updateCount;
        });
        updateCount = total;
        return false;
    }

    /**
     * The rows a multi-row INSERT ... RETURNING split by shard returns, put back in VALUES order
     * (one database answers them in that order). Each part must return one row per row it inserts
     * (an {@code ON CONFLICT DO NOTHING} that skipped a row does not): otherwise the write is rolled
     * back on every shard and refused, since the rows could not be put back in order.
     */
    private static final class Returned {
        private final RouteDecision d;
        private final List<List<Object[]>> parts = new ArrayList<>();
        private MergedMetaData metaData;

        Returned(RouteDecision d) {
            this.d = d;
        }

        /** Reads part {@code i}'s rows (and closes them) before anything commits. */
        void collect(int i, ResultSet rows, String shard, SqlAnalysis a) throws SQLException {
            List<Object[]> got = List.of();
            if (rows != null) {
                try (rows) {
                    if (metaData == null) {
                        metaData = new MergedMetaData(rows.getMetaData(), rows.getMetaData().getColumnCount());
                    }
                    got = CopiedRows.readAll(rows);
                }
            }
            if (got.size() != d.rows(i).length) {
                throw new RefusedException("a multi-row INSERT ... RETURNING split over shards whose shard " + shard
                        + " returned " + got.size() + " rows for the " + d.rows(i).length + " it was given (a row skipped"
                        + " by a conflict clause?), so the rows cannot be put back in VALUES order; nothing was"
                        + " written", a.sql());
            }
            parts.add(got);
        }

        ResultSet resultSet(ShardedStatement owner) throws SQLException {
            int n = 0;
            for (int p = 0; p < parts.size(); p++) {
                n += d.rows(p).length;
            }
            Object[][] ordered = new Object[n][];
            for (int p = 0; p < parts.size(); p++) {
                int[] rows = d.rows(p);
                for (int j = 0; j < rows.length; j++) {
                    ordered[rows[j]] = parts.get(p).get(j);
                }
            }
            return CopiedRows.resultSet(owner, metaData, Arrays.asList(ordered));
        }
    }

    /** An {@code EXPLAIN <statement>} (which the analysis refuses as a statement to run) answers its plans; see {@link SqlExplain}. */
    private boolean explain(SqlAnalysis a, Parameters params, int mode) throws SQLException {
        String inner = SqlExplain.inner(a.sql());
        if (inner == null) {
            return false;
        }
        if (mode == UPDATE) {
            throw new SQLException("executeUpdate was given EXPLAIN, which returns rows; use executeQuery", "07000");
        }
        lastStatements = new Statement[0];
        lastShards = new String[0];
        lastSplit = null;
        current = SqlExplain.run(this, a.sql(), inner, params);
        updateCount = -1;
        return true;
    }

    /** Runs part {@code i} of a decision on its shard; the physical statement lands in lastStatements[slot]. */
    final boolean runPart(SqlAnalysis a, RouteDecision d, int i, Parameters params, int mode, Object keys, int slot)
            throws SQLException {
        int shard = d.shard(i);
        String shardName = conn.registry().name(shard);
        String sql = d.sql(i) == null ? a.sql() : d.sql(i);
        lastShards[slot] = shardName;
        sql = conn.sqlFor(shard, sql);
        try {
            Statement st = physicalFor(shard, sql, d.sql(i) != null);
            lastStatements[slot] = st;
            ResultSet rows = execute(st, sql, params, d.parameters(i), a.parameterCount(), mode, keys);
            if (rows != null && mode == UPDATE) {
                rows.close();
                throw new SQLException("executeUpdate was given a statement that returns rows; use executeQuery",
                        "07000");
            }
            if (rows != null) {
                current = new ShardResultSet(this, shardName, rows);
                updateCount = -1;
                return true;
            }
            updateCount = st.getUpdateCount();
            return false;
        } catch (ShardException e) {
            conn.dropIfBroken(shard);
            throw e;
        } catch (SQLException e) {
            conn.dropIfBroken(shard);
            throw ShardException.fromShard(shardName, sql, e);
        }
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

    /**
     * Executes on a physical statement (plain statements pass the SQL text). Returns the rows,
     * or {@code null} when the result is an update count.
     */
    ResultSet execute(Statement st, String sql, Parameters params, int[] map, int count, int mode, Object keys)
            throws SQLException {
        if (mode == QUERY) {
            return st.executeQuery(sql);
        }
        boolean rows;
        if (keys == null) {
            rows = st.execute(sql);
        } else if (keys instanceof Integer flag) {
            rows = st.execute(sql, flag);
        } else if (keys instanceof int[] columns) {
            rows = st.execute(sql, columns);
        } else {
            rows = st.execute(sql, (String[]) keys);
        }
        return rows ? st.getResultSet() : null;
    }

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

    /**
     * Before an execution: closes this plain statement's physical statements on shards the new
     * execution does not go to, so their connections can go back to the pools in autocommit (a
     * plain statement is cheap to create again; prepared statements keep theirs, see
     * {@link #uses(int)}).
     */
    void dropOtherShards(RouteDecision d) {
        for (int shard = 0; shard < physical.length; shard++) {
            if (physical[shard] != null && !d.reaches(shard)) {
                closeQuietly(physical[shard]);
                physical[shard] = null;
            }
        }
    }

    /**
     * Whether this statement still needs its connection to a shard: it holds a physical statement
     * there (whose result, generated keys or warnings may still be read), or a merged read of it is
     * open (which may ask any shard's catalog on the connection the logical connection holds).
     */
    boolean uses(int shard) {
        if (shard < physical.length && physical[shard] != null) {
            return true;
        }
        ResultSet rs = current;
        try {
            return rs instanceof MergedResultSet && !rs.isClosed();
        } catch (SQLException e) {
            return true;
        }
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

    /** Every physical statement this statement holds, for applying options and closing. */
    List<Statement> physicalStatements() {
        List<Statement> out = new ArrayList<>();
        for (Statement s : physical) {
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private void forEachPhysical(SqlConsumer action) throws SQLException {
        for (Statement s : physicalStatements()) {
            if (!s.isClosed()) {
                action.accept(s);
            }
        }
    }

    interface SqlConsumer {
        void accept(Statement s) throws SQLException;
    }

    private long effectiveMaxRows() {
        return maxRows;
    }

    final void closeCurrent() throws SQLException {
        ResultSet rs = current;
        current = null;
        updateCount = -1;
        if (rs != null) {
            rs.close();
        }
    }

    private static void closeQuietly(ResultSet[] parts) {
        for (ResultSet rs : parts) {
            if (rs != null) {
                try {
                    rs.close();
                } catch (SQLException ignored) {
                    // the first error is the one reported
                }
            }
        }
    }

    private static Statement[] one(Statement[] a) {
        return a.length == 1 ? a : new Statement[1];
    }

    private static String[] oneName(String[] a) {
        return a.length == 1 ? a : new String[1];
    }

    final void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("statement is closed", "HY010");
        }
        conn.checkOpen();
    }

    final SqlAnalysis analyze(String sql) throws SQLException {
        if (sql == null) {
            throw new SQLException("SQL is null", "42000");
        }
        return conn.cache().get(sql);
    }

    // ---- java.sql.Statement ----

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        run(analyze(sql), null, QUERY, null);
        return current;
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        run(analyze(sql), null, UPDATE, null);
        return (int) Math.min(Math.max(updateCount, 0), Integer.MAX_VALUE);
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        run(analyze(sql), null, UPDATE, null);
        return Math.max(updateCount, 0);
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return run(analyze(sql), null, ANY, null);
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        run(analyze(sql), null, UPDATE, autoGeneratedKeys);
        return (int) Math.max(updateCount, 0);
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        run(analyze(sql), null, UPDATE, columnIndexes);
        return (int) Math.max(updateCount, 0);
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        run(analyze(sql), null, UPDATE, columnNames);
        return (int) Math.max(updateCount, 0);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        run(analyze(sql), null, UPDATE, autoGeneratedKeys);
        return Math.max(updateCount, 0);
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        run(analyze(sql), null, UPDATE, columnIndexes);
        return Math.max(updateCount, 0);
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        run(analyze(sql), null, UPDATE, columnNames);
        return Math.max(updateCount, 0);
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return run(analyze(sql), null, ANY, autoGeneratedKeys);
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return run(analyze(sql), null, ANY, columnIndexes);
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return run(analyze(sql), null, ANY, columnNames);
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

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        if (batchKeys != null) {
            return batchKeys.resultSet(this);
        }
        if (lastWasBatch) {
            throw new SQLException("the last batch was not prepared to return generated keys"
                    + " (prepareStatement(sql, Statement.RETURN_GENERATED_KEYS) or with key columns)", "HY010");
        }
        int n = 0;
        for (Statement s : lastStatements) {
            n += s == null ? 0 : 1;
        }
        if (n == 0) {
            throw new SQLException("no statement has run yet, so there are no generated keys", "HY010");
        }
        if (lastStatements.length == 1) {
            try {
                return new ShardResultSet(this, lastShards[0], lastStatements[0].getGeneratedKeys());
            } catch (SQLException e) {
                throw ShardException.fromShard(lastShards[0], null, e);
            }
        }
        ResultSet[] parts = new ResultSet[lastStatements.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i] = lastStatements[i].getGeneratedKeys();
            } catch (SQLException e) {
                closeQuietly(parts);
                throw ShardException.fromShard(lastShards[i], null, e);
            }
        }
        if (lastSplit != null) {
            return BatchKeys.ofSplitInsert(this, lastSplit, lastShards.clone(), parts);
        }
        return new ConcatResultSet(this, lastShards.clone(), parts, 0);
    }

    /** Whether this statement was prepared to return generated keys (plain statements ask per call). */
    boolean wantsGeneratedKeys() {
        return false;
    }

    /** Called when a batch starts: nothing of an earlier execution answers getGeneratedKeys(). */
    final void startBatch() {
        lastWasBatch = false;
        batchKeys = null;
        lastStatements = new Statement[0];
        lastShards = new String[0];
        lastSplit = null;
    }

    /** Called when a batch has run: {@link #getGeneratedKeys()} answers with its keys from now on. */
    final void ranBatch(BatchKeys keys) {
        lastWasBatch = true;
        batchKeys = keys;
    }

    /** The most rows a merge node held during the last merged read of this statement (0 if none). */
    public long lastMergeHeldRows() {
        return lastExecution == null ? 0 : lastExecution.maxHeld();
    }

    /** For the connection's multi-shard write: records the physical statements used. */
    final void recordPart(int slot, Statement st, String shard) {
        lastStatements[slot] = st;
        lastShards[slot] = shard;
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        checkOpen();
        if (batch == null) {
            batch = new ArrayList<>();
        }
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        checkOpen();
        if (batch != null) {
            batch.clear();
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long[] counts = executeLargeBatch();
        int[] out = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (int) Math.min(counts[i], Integer.MAX_VALUE);
        }
        return out;
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        checkOpen();
        closeCurrent();
        startBatch();
        List<String> entries = batch == null ? List.of() : new ArrayList<>(batch);
        if (batch != null) {
            batch.clear();
        }
        // every entry analysed first, so a refused entry refuses the batch before any SQL reaches a shard
        SqlAnalysis[] analyses = new SqlAnalysis[entries.size()];
        for (int i = 0; i < analyses.length; i++) {
            SqlAnalysis a = analyze(entries.get(i));
            if (a.shape() == SqlAnalysis.Shape.REFUSED && (conn.pinnedShard() < 0
                    || a.problem().startsWith(io.shardkit.sql.SqlLexer.SEVERAL_STATEMENTS))) {
                RefusedException refused = new RefusedException(a.problem(), a.sql());
                throw new BatchUpdateException("batch entry " + (i + 1) + ": " + refused.getMessage(),
                        refused.getSQLState(), 0, new long[0], refused);
            }
            analyses[i] = a;
        }
        Batch b = new Batch(this, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            b.add(i, analyses[i], null, entries.get(i));
        }
        return b.finish();
    }

    /** Adds one batch entry to the physical statement of a shard (plain: the SQL text). */
    void addToPhysicalBatch(int shard, String sql, Parameters params, int[] map, int count) throws SQLException {
        physicalFor(shard, sql, false).addBatch(conn.sqlFor(shard, sql));
    }

    /** The physical statement whose batch holds a shard's pending entries. */
    Statement physicalBatchOwner(int shard) throws SQLException {
        return physicalFor(shard, null, false);
    }

    /** Runs one batch entry on its own (an entry that spans shards); returns its update count. */
    long runAlone(SqlAnalysis a, Parameters params) throws SQLException {
        run(a, params, UPDATE, null);
        long c = Math.max(updateCount, 0);
        updateCount = -1;
        return c;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException first = null;
        try {
            closeCurrent();
        } catch (SQLException e) {
            first = e;
        }
        for (Statement s : physicalStatements()) {
            try {
                s.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        Arrays.fill(physical, null);
        conn.forget(this);
        conn.releaseIdle(null);
        if (first != null) {
            throw first;
        }
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
            throw new SQLException("maxRows must be >= 0, got " + max, "22023");
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
            throw new SQLException("query timeout must be >= 0, got " + seconds, "22023");
        }
        queryTimeout = seconds;
        forEachPhysical(s -> s.setQueryTimeout(seconds));
    }

    /**
     * Cancels the running execution from another thread: every shard statement of a merged read
     * (those still starting too; each cancel runs on a thread of its own, since a driver's cancel
     * may block), so the blocked {@code execute} or {@code next()} fails with SQLState 57014 and the
     * read's connections go back to their pools; a single-shard statement through its driver.
     */
    @Override
    public void cancel() throws SQLException {
        checkOpen();
        ScatterExecution ex = running;
        if (ex != null) {
            ex.cancel();
        }
        for (Statement s : physicalStatements()) {
            s.cancel();
        }
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

    @Override
    public void setCursorName(String name) throws SQLException {
        throw new SQLFeatureNotSupportedException("named cursors are not supported through shardkit", "0A000");
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
            throw new SQLException("fetch size must be >= 0, got " + rows, "22023");
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
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    static BatchUpdateException batchFailure(SQLException e, long[] counts) {
        return new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), counts, e);
    }
}
