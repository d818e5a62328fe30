package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.merge.Cursor;
import io.shardkit.internal.Closer;
import io.shardkit.exec.ScatterExecution;
import io.shardkit.plan.RowSource;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A JDBC statement over the shards: each execution is analysed (cached by SQL text), routed,
 * and run on one shard directly or on several through the planner's nodes.
 *
 * <p>Physical statements are created lazily, one per shard used, on the connection's physical
 * connection to that shard, and reused until this statement closes. Statement options (fetch
 * size, timeouts, max rows) are applied to each. Not thread-safe, like any JDBC statement.
 */
class ShardedStatement extends StatementBase {
    /** Whether the last execution was a batch, and its generated keys ({@code null} when not asked for). */
    private boolean lastWasBatch;
    /** The last execution when it was a multi-row INSERT split by shard, for its generated keys. */
    private int[][] lastSplit;
    /** The rows a split INSERT ... RETURNING's parts returned, while it runs. */
    private ReturnedRows returned;
    private BatchKeys batchKeys;
    private List<String> batch;
    /** The last merged read, for tests that check how many rows a merge held. */
    private ScatterExecution lastExecution;
    /** The merged read running or last run, for {@link #cancel()} from another thread. */
    private volatile ScatterExecution running;

    ShardedStatement(ShardedConnection conn, int type, int concurrency, int holdability) {
        super(conn, type, concurrency, holdability);
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
        return conn.executor().run(a, params, mode, keys, this);
    }

    /** An {@code EXPLAIN <statement>} (which the analysis refuses as a statement to run) answers its plans; see {@link SqlExplain}. */
    private boolean explain(SqlAnalysis a, Parameters params, int mode) throws SQLException {
        String inner = SqlExplain.inner(a.sql());
        if (inner == null) {
            return false;
        }
        if (mode == UPDATE) {
            throw new SQLException("executeUpdate was given EXPLAIN, which returns rows; use executeQuery",
                    SqlStates.DYNAMIC_SQL_ERROR);
        }
        lastStatements = NO_STATEMENTS;
        lastShards = NO_SHARDS;
        lastSplit = null;
        current = SqlExplain.run(this, a.sql(), inner, params);
        updateCount = -1;
        return true;
    }

    @Override
    public final boolean runPart(SqlAnalysis a, Parameters params, int slot, int shard, String partSql, int[] map,
            int mode, Object keys) throws SQLException {
        String shardName = conn.registry().name(shard);
        String sql = partSql == null ? a.sql() : partSql;
        lastShards[slot] = shardName;
        sql = conn.sqlFor(shard, sql);
        try {
            // a part's own SQL with parameters as they are is a data node's rendering: kept per node
            Statement st = partSql == null ? physicalFor(shard, sql, false)
                    : map == null ? nodeFor(shard, sql) : physicalFor(shard, sql, true);
            lastStatements[slot] = st;
            ResultSet rows = execute(st, sql, params, map, a.parameterCount(), mode, keys);
            if (rows != null && mode == UPDATE) {
                rows.close();
                throw new SQLException("executeUpdate was given a statement that returns rows; use executeQuery",
                        SqlStates.DYNAMIC_SQL_ERROR);
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

    // ---- the rest of ShardRunner: what the executor hands this statement ----

    @Override
    public final int shardSlots() {
        return physicalSlots();
    }

    /**
     * Closes this plain statement's physical statement on a shard the new execution does not go
     * to, so its connection can go back to the pool in autocommit (a plain statement is cheap to
     * create again; prepared statements keep theirs, see {@link #uses(int)}).
     */
    @Override
    public final void dropUnreached(int shard) {
        if (holdsPhysical(shard)) {
            dropPlain(shard);
        }
    }

    @Override
    public final void begin(int parts, int[][] splitRows) {
        if (parts == 1) {
            lastStatements = one(lastStatements);
            lastShards = oneName(lastShards);
        } else {
            lastStatements = new Statement[parts];
            lastShards = new String[parts];
        }
        lastSplit = splitRows;
        returned = null;
    }

    @Override
    public final long updateCount() {
        return updateCount;
    }

    @Override
    public final void openMerged(RowSource root, Parameters params, int[] shards) throws SQLException {
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
    }

    @Override
    public final void collectReturned(int slot, SqlAnalysis a) throws SQLException {
        if (returned == null) {
            returned = new ReturnedRows(lastSplit);
        }
        ResultSet rows = current;
        current = null;
        returned.collect(slot, rows, lastShards[slot], a);
    }

    @Override
    public final void finishReturned() throws SQLException {
        current = returned.resultSet(this);
        returned = null;
        updateCount = -1;
    }

    @Override
    public final void wrote(long total) {
        updateCount = total;
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

    /**
     * Whether this statement still needs its connection to a shard: it holds a physical statement
     * there (whose result, generated keys or warnings may still be read), or a merged read of it is
     * open (which may ask any shard's catalog on the connection the logical connection holds).
     */
    boolean uses(int shard) {
        if (holdsPhysical(shard)) {
            return true;
        }
        ResultSet rs = current;
        try {
            return rs instanceof MergedResultSet && !rs.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    private static Statement[] one(Statement[] a) {
        return a.length == 1 ? a : new Statement[1];
    }

    private static String[] oneName(String[] a) {
        return a.length == 1 ? a : new String[1];
    }

    // ---- java.sql.Statement ----

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        checkOpen();
        if (batchKeys != null) {
            return batchKeys.resultSet(this);
        }
        if (lastWasBatch) {
            throw new SQLException("the last batch was not prepared to return generated keys"
                    + " (prepareStatement(sql, Statement.RETURN_GENERATED_KEYS) or with key columns)",
                    SqlStates.FUNCTION_SEQUENCE_ERROR);
        }
        return BatchKeys.ofLastExecution(this, lastStatements, lastShards, lastSplit);
    }

    /** Whether this statement was prepared to return generated keys (plain statements ask per call). */
    boolean wantsGeneratedKeys() {
        return false;
    }

    /** Called when a batch starts: nothing of an earlier execution answers getGeneratedKeys(). */
    final void startBatch() {
        lastWasBatch = false;
        batchKeys = null;
        lastStatements = NO_STATEMENTS;
        lastShards = NO_SHARDS;
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
        return Batch.ofSql(this, entries);
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
        Closer closer = new Closer();
        closer.run(this::closeCurrent);
        closePhysical(closer);
        forgetPhysical();
        conn.forget(this);
        conn.session().releaseIdle(null);
        closer.throwFirst();
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

    static BatchUpdateException batchFailure(SQLException e, long[] counts) {
        return new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), counts, e);
    }
}
