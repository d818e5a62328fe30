package io.shardkit.jdbc;

import io.shardkit.ShardException;
import io.shardkit.exec.ShardRegistry;
import io.shardkit.merge.Arithmetic;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Values;
import io.shardkit.plan.Execution;
import io.shardkit.plan.Route;
import io.shardkit.plan.Scatter;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs the shard queries of one merged read. The queries start in parallel on the data source's
 * scatter executor (the calling thread runs one of them itself). Outside a transaction each shard
 * the connection does not already hold gets a connection borrowed for this read only, returned
 * when its cursor closes, so a LIMIT that is satisfied early, or a result set closed early, gives
 * connections back at once. Inside a transaction the connection's own shard connections are used,
 * so the read sees the transaction's writes.
 *
 * <p>On PostgreSQL a borrowed connection reads in a transaction, so the driver streams rows in
 * batches of the fetch size instead of loading the whole result.
 */
final class ScatterExecution implements Execution {
    /** Rows per round trip for merged reads when the statement sets no fetch size. */
    static final int DEFAULT_FETCH = 1000;

    private final ShardedConnection conn;
    private final ShardRegistry registry;
    private final ExecutorService executor;
    private final Parameters params;
    private final int fetchSize;
    private final int queryTimeout;
    private final int[] shards;
    private final long rowLimit;
    /** The merge state bound of this read, shared by its plan's nodes; dropped with the execution. */
    private final MemoryBudget memory;
    private Values values;
    private Arithmetic arithmetic;
    private ResultSetMetaData metaData;
    /** The connection each shard's query reads on, by registry index, for catalog lookups during the merge. */
    private final Connection[] reading;
    private java.util.Map<String, Boolean> deterministic;
    private long maxHeld;

    ScatterExecution(ShardedConnection conn, ExecutorService executor, Parameters params, int fetchSize,
            int queryTimeout, int[] shards, long rowLimit) {
        this.conn = conn;
        this.registry = conn.registry();
        this.executor = executor;
        this.params = params;
        this.fetchSize = fetchSize;
        this.queryTimeout = queryTimeout;
        this.shards = shards;
        this.rowLimit = rowLimit;
        this.memory = new MemoryBudget(registry.settings().mergeMemory(), rowLimit, registry.mergeMemory());
        this.reading = new Connection[registry.size()];
    }

    private Connection catalogConnectionOrNull(int shard) {
        try {
            return catalogConnection(shard);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * A connection to ask a shard's catalog on while the merge reads: the one its query reads on
     * (a second statement on it; no second pool connection is needed), or the logical connection's.
     * {@code null}: borrow one.
     */
    private Connection catalogConnection(int shard) throws SQLException {
        Connection c = shard < reading.length ? reading[shard] : null;
        if (c != null && !c.isClosed()) {
            return c;
        }
        return conn.getAutoCommit() ? conn.heldConnection(shard) : conn.physical(shard);
    }

    @Override
    public List<Cursor> open(Scatter scatter) throws SQLException {
        if (!scatter.write()) {
            values(); // asks the shards' default collation (once per data source) before their connections are taken
        }
        List<Route> routes = scatter.routes();
        int n = routes.size();
        Connection[] held = new Connection[n];
        boolean transaction = !conn.getAutoCommit();
        for (int i = 0; i < n; i++) {
            int shard = registry.indexOf(routes.get(i).shard());
            held[i] = transaction ? conn.physical(shard) : conn.heldConnection(shard);
        }
        long fetch = fetchSize > 0 ? fetchSize : DEFAULT_FETCH;
        boolean stream = scatter.rowsPerShard() < 0 || scatter.rowsPerShard() > fetch;
        List<Future<ShardCursor>> started = new ArrayList<>(n);
        for (int i = 0; i < n - 1; i++) {
            int part = i;
            started.add(executor.submit(() -> openShard(routes.get(part), held[part], stream)));
        }
        List<Cursor> cursors = new ArrayList<>(n);
        SQLException failure = null;
        ShardCursor last = null;
        try {
            last = openShard(routes.get(n - 1), held[n - 1], stream);
        } catch (SQLException e) {
            failure = e;
        }
        for (Future<ShardCursor> f : started) {
            try {
                cursors.add(f.get());
            } catch (ExecutionException e) {
                failure = failure != null ? failure : asSql(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new SQLException("interrupted while starting shard queries", "HY008");
            }
        }
        if (last != null) {
            cursors.add(last);
        }
        if (failure != null) {
            for (Cursor c : cursors) {
                try {
                    c.close();
                } catch (SQLException e) {
                    failure.addSuppressed(e);
                }
            }
            throw failure;
        }
        if (metaData == null && !cursors.isEmpty()) {
            ResultSetMetaData shardMeta = cursors.get(0).source().getMetaData();
            metaData = new MergedMetaData(shardMeta, shardMeta.getColumnCount());
        }
        return cursors;
    }

    private static SQLException asSql(Throwable t) {
        return t instanceof SQLException e ? e : new SQLException("shard query failed: " + t, "HY000", t);
    }

    private ShardCursor openShard(Route route, Connection held, boolean stream) throws SQLException {
        int shard = registry.indexOf(route.shard());
        String sql = conn.sqlFor(shard, route.sql());
        Connection c = held;
        boolean borrowed = c == null;
        boolean streamInTransaction = false;
        Statement st = null;
        try {
            if (borrowed) {
                c = conn.borrow(shard);
                if (shard < reading.length) {
                    reading[shard] = c;
                }
                if (stream && registry.dialect(shard) == Dialect.POSTGRESQL) {
                    c.setAutoCommit(false);
                    streamInTransaction = true;
                }
            }
            if (params == null && route.parameters() == null) {
                st = c.createStatement();
                prepare(st);
                return new ShardCursor(route.shard(), st, st.executeQuery(sql),
                        borrowed ? c : null, streamInTransaction);
            }
            PreparedStatement ps = c.prepareStatement(sql);
            st = ps;
            prepare(ps);
            if (params != null) {
                params.applyTo(ps, route.parameters(), io.shardkit.sql.SqlText.countParameters(route.sql(), registry.dialect(shard)));
            }
            return new ShardCursor(route.shard(), ps, ps.executeQuery(), borrowed ? c : null, streamInTransaction);
        } catch (SQLException | RuntimeException e) {
            if (st != null) {
                try {
                    st.close();
                } catch (SQLException ignored) {
                    // the query's own error is reported
                }
            }
            if (borrowed && c != null) {
                try {
                    if (streamInTransaction) {
                        c.rollback();
                    }
                    c.close();
                } catch (SQLException ignored) {
                    // the query's own error is reported
                }
            }
            if (e instanceof SQLException se) {
                throw ShardException.fromShard(route.shard(), route.sql(), se);
            }
            throw e;
        }
    }

    private void prepare(Statement st) throws SQLException {
        st.setFetchSize(fetchSize > 0 ? fetchSize : DEFAULT_FETCH);
        if (queryTimeout > 0) {
            st.setQueryTimeout(queryTimeout);
        }
    }

    @Override
    public java.util.Set<Object> present(List<String> hotShards, String table, String idColumn, List<Object> ids)
            throws SQLException {
        java.util.Set<Object> found = new java.util.HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(idColumn).append(" FROM ").append(table)
                .append(" WHERE ").append(idColumn).append(" IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        for (String name : hotShards) {
            int shard = registry.indexOf(name);
            Connection held = conn.getAutoCommit() ? conn.heldConnection(shard) : conn.physical(shard);
            Connection c = held != null ? held : registry.borrow(shard);
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < ids.size(); i++) {
                    ps.setObject(i + 1, ids.get(i));
                }
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(values().identity(rs.getObject(1)));
                    }
                }
            } catch (SQLException e) {
                throw ShardException.fromShard(name, sql.toString(), e);
            } finally {
                if (held == null) {
                    c.close();
                }
            }
        }
        return found;
    }

    @Override
    public Values values() {
        if (values == null) {
            Dialect dialect = registry.dialect(shards[0]);
            boolean binary = true;
            for (int s : shards) {
                binary &= registry.dialect(s) == dialect && registry.binaryTextOrder(s, catalogConnectionOrNull(s));
            }
            values = new Values(dialect, binary);
        }
        return values;
    }

    /**
     * Reads the table's CREATE statement from each shard's {@code sqlite_master} (one local query
     * per shard and table per execution; the parse is cached by statement text, so a table
     * dropped and created again with other collations is seen at once).
     */
    @Override
    public String declaredCollation(String table, String column) throws SQLException {
        String name = table.replace("\"", "").replace("`", "");
        if (name.indexOf('.') >= 0) {
            if (!name.regionMatches(true, 0, "main.", 0, 5)) {
                return null;
            }
            name = name.substring(5);
        }
        String found = null;
        for (int s : shards) {
            if (registry.dialect(s) != Dialect.SQLITE) {
                return null;
            }
            List<Object> rows = catalogQuery(s, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?"
                    + " COLLATE NOCASE", name);
            String create = rows.isEmpty() ? null : (String) rows.get(0);
            String coll = create == null ? null : SqliteCollations.of(create).get(SqliteCollations.key(column));
            if (coll == null || found != null && !found.equals(coll)) {
                return null;
            }
            found = coll;
        }
        return found;
    }

    /** One {@code pg_enum} lookup per shard and type per execution (ALTER TYPE ... ADD VALUE is seen at once). */
    @Override
    public java.util.Map<String, Integer> enumOrder(String type) throws SQLException {
        java.util.Map<String, Integer> agreed = null;
        for (int s : shards) {
            java.util.Map<String, Integer> order = new java.util.HashMap<>();
            try {
                for (Object label : catalogQuery(s, "SELECT enumlabel FROM pg_enum WHERE enumtypid = to_regtype(?)"
                        + " ORDER BY enumsortorder", type)) {
                    order.put((String) label, order.size());
                }
            } catch (SQLException e) {
                return null;
            }
            if (order.isEmpty() || agreed != null && !agreed.equals(order)) {
                return null;
            }
            agreed = order;
        }
        return agreed;
    }

    /** One {@code pg_collation} lookup per shard and collation per execution. */
    @Override
    public Boolean deterministicCollation(String collation) throws SQLException {
        if (deterministic == null) {
            deterministic = new java.util.HashMap<>();
        }
        if (deterministic.containsKey(collation)) {
            return deterministic.get(collation);
        }
        Boolean all = Boolean.TRUE;
        for (int s : shards) {
            try {
                List<Object> rows = catalogQuery(s, "SELECT collisdeterministic FROM pg_collation"
                        + " WHERE oid = to_regcollation(?)", collation);
                if (rows.isEmpty() || !Boolean.TRUE.equals(rows.get(0))) {
                    all = null;
                }
            } catch (SQLException e) {
                all = null;
            }
            if (all == null) {
                break;
            }
        }
        deterministic.put(collation, all);
        return all;
    }

    /**
     * The first column of a one-parameter catalog query on a shard, on the connection the read
     * already holds there when it has one (so a pool of one connection cannot deadlock), else on
     * one borrowed for the query.
     */
    private List<Object> catalogQuery(int shard, String sql, String parameter) throws SQLException {
        Connection held = catalogConnection(shard);
        Connection c = held != null ? held : registry.borrow(shard);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            List<Object> out = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1));
                }
            }
            return out;
        } finally {
            if (held == null) {
                c.close();
            }
        }
    }

    @Override
    public Arithmetic arithmetic() {
        if (arithmetic == null) {
            arithmetic = new Arithmetic(registry.dialect(shards[0]));
        }
        return arithmetic;
    }

    @Override
    public Object[] parameters() {
        return params == null ? null : params.values();
    }

    @Override
    public long rowLimit() {
        return rowLimit;
    }

    @Override
    public MemoryBudget memory() {
        return memory;
    }

    @Override
    public void holding(String node, long rows) {
        maxHeld = Math.max(maxHeld, rows);
    }

    /** The most rows any node held at once during this execution. */
    long maxHeld() {
        return maxHeld;
    }

    /** A shard's column metadata, once a scatter has opened. */
    ResultSetMetaData metaData() {
        return metaData;
    }
}
