package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.internal.Closer;
import io.shardkit.sql.SqlAnalysis;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared statement over the shards. The SQL is analysed once, when prepared (from the cache
 * when another statement already did); each execution only binds the key, asks the chooser and
 * runs the shard's physical prepared statement, which is prepared on first use per shard and
 * reused. Parameters are recorded (the setters are {@link ParameterSetters}) and replayed onto
 * whichever shard the execution goes to.
 */
final class ShardedPreparedStatement extends ShardedStatement implements ParameterSetters {
    private final SqlAnalysis analysis;
    private final Parameters params;
    private final Object keys;
    /** Per shard index; grows when a runtime shard opened after this statement is used. */
    private PreparedStatement[] prepared;
    /** Statements for SQL that differs from ours (a split INSERT's parts); closed at the next run; made at the first. */
    private List<Statement> oneOffs;
    /** The shards the one-off statements run on. */
    private BitSet oneOffShards;
    private List<Parameters> batch;
    /** Per shard index: the statements for data nodes' renderings of our SQL, by text; made at the first. */
    private Map<String, PreparedStatement>[] nodes;

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
            if (oneOffs == null) {
                oneOffs = new ArrayList<>();
                oneOffShards = new BitSet();
            }
            oneOffs.add(ps);
            oneOffShards.set(shard);
            return ps;
        }
        if (shard >= prepared.length) {
            prepared = Arrays.copyOf(prepared, conn.registry().slots());
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
    @SuppressWarnings("unchecked")
    Statement nodeFor(int shard, String sql) throws SQLException {
        if (nodes == null || shard >= nodes.length) {
            nodes = nodes == null ? new Map[conn.registry().slots()] : Arrays.copyOf(nodes, conn.registry().slots());
        }
        Map<String, PreparedStatement> byText = nodes[shard];
        PreparedStatement ps = byText == null ? null : byText.get(sql);
        if (ps == null || ps.isClosed()) {
            if (byText == null) {
                byText = new HashMap<>();
                nodes[shard] = byText;
            }
            ps = prepare(conn.physical(shard), sql);
            byText.put(sql, ps);
        } else {
            conn.registry().checkAlive(shard);
        }
        return ps;
    }

    @Override
    void forgetShard(int shard) {
        super.forgetShard(shard);
        if (nodes != null && shard < nodes.length && nodes[shard] != null) {
            for (PreparedStatement ps : nodes[shard].values()) {
                closeQuietly(ps);
            }
            nodes[shard] = null;
        }
        if (shard < prepared.length && prepared[shard] != null) {
            closeQuietly(prepared[shard]);
            prepared[shard] = null;
        }
    }

    /** Prepared statements keep what they prepared on a shard (and so its connection) until they close. */
    @Override
    boolean uses(int shard) {
        return super.uses(shard) || (shard < prepared.length && prepared[shard] != null) || (oneOffShards != null && oneOffShards.get(shard))
                || (nodes != null && shard < nodes.length && nodes[shard] != null && !nodes[shard].isEmpty());
    }

    @Override
    List<Statement> physicalStatements() {
        List<Statement> out = super.physicalStatements();
        for (PreparedStatement ps : prepared) {
            if (ps != null) {
                out.add(ps);
            }
        }
        if (oneOffs != null) {
            out.addAll(oneOffs);
        }
        if (nodes != null) {
            for (Map<String, PreparedStatement> byText : nodes) {
                if (byText != null) {
                    out.addAll(byText.values());
                }
            }
        }
        return out;
    }

    @Override
    void closePhysical(Closer closer) {
        super.closePhysical(closer);
        for (PreparedStatement ps : prepared) {
            closer.close(ps, Statement::close);
        }
        if (oneOffs != null) {
            for (Statement s : oneOffs) {
                closer.close(s, Statement::close);
            }
        }
        if (nodes != null) {
            for (Map<String, PreparedStatement> byText : nodes) {
                if (byText != null) {
                    for (PreparedStatement ps : byText.values()) {
                        closer.close(ps, Statement::close);
                    }
                }
            }
        }
    }

    private void closeOneOffs() throws SQLException {
        if (oneOffs == null) {
            return;
        }
        for (Statement s : oneOffs) {
            s.close();
        }
        oneOffs.clear();
        oneOffShards.clear();
    }

    private boolean runPrepared(int mode) throws SQLException {
        if (oneOffs != null) {
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

    /** The setters ({@link ParameterSetters}) record here. */
    @Override
    public Parameters parametersIfOpen() throws SQLException {
        checkOpen();
        return params;
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
    // (overrides here, not defaults in ParameterSetters: ShardedStatement's methods would win over those)

    private static SQLException notOnPrepared() {
        return new SQLException("this method takes SQL text and cannot be called on a PreparedStatement",
                SqlStates.GENERAL_ERROR);
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
}
