package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.ShardException;
import io.shardkit.pool.ScatterPermits;
import io.shardkit.pool.ShardRegistry;
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
    private final long timeoutNanos;
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
        this.timeoutNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(queryTimeout);
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
        Part[] parts = new Part[n];
        arm();
        enter();
        try {
            acquire(routes, parts);
            long fetch = fetchSize > 0 ? fetchSize : DEFAULT_FETCH;
            boolean stream = scatter.rowsPerShard() < 0 || scatter.rowsPerShard() > fetch;
            List<Future<ShardCursor>> started = new ArrayList<>(n);
            SQLException failure = null;
            try {
                for (int i = 0; i < n - 1; i++) {
                    int part = i;
                    started.add(executor.submit(() -> openShard(routes.get(part), parts[part], stream)));
                }
            } catch (RuntimeException e) {
                failure = new SQLException("cannot start the shard queries: " + e, "HY000", e);
            }
            List<Cursor> cursors = new ArrayList<>(n);
            ShardCursor last = null;
            if (failure == null) {
                try {
                    last = openShard(routes.get(n - 1), parts[n - 1], stream);
                } catch (SQLException e) {
                    failure = e;
                }
            }
            for (Future<ShardCursor> f : started) {
                try {
                    cursors.add(f.get());
                } catch (ExecutionException e) {
                    failure = first(failure, asSql(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel();
                    failure = first(failure, new SQLException("interrupted while starting shard queries", "HY008"));
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
                for (Part p : parts) {
                    giveBack(p, false); // the parts whose query never started (the others are done)
                }
                dropBroken(parts);
                throw failure;
            }
            if (metaData == null && !cursors.isEmpty()) {
                ResultSetMetaData shardMeta = cursors.get(0).source().getMetaData();
                metaData = new MergedMetaData(shardMeta, shardMeta.getColumnCount());
            }
            return cursors;
        } finally {
            leave();
        }
    }

    private static SQLException first(SQLException kept, SQLException next) {
        if (kept == null) {
            return next;
        }
        if (next != kept) {
            kept.addSuppressed(next);
        }
        return kept;
    }

    private static SQLException asSql(Throwable t) {
        return t instanceof SQLException e ? e : new SQLException("shard query failed: " + t, "HY000", t);
    }

    /**
     * Gets every part its connection before any query starts. In a transaction: the connection's
     * own. Otherwise the one it holds for the shard (dropped first when the pool found it broken),
     * or one borrowed for this read: a shard known to be down fails at once; then the shards'
     * scatter permits are taken (in shard order, so scatters never wait in a cycle, and never
     * more than a shard's scatter share), then the connections are borrowed, in shard order. A
     * failure gives back everything taken, so a waiting scatter holds no connection.
     */
    private void acquire(List<Route> routes, Part[] parts) throws SQLException {
        int n = routes.size();
        boolean transaction = !conn.getAutoCommit();
        int[] counts = null;
        for (int i = 0; i < n; i++) {
            int shard = registry.indexOf(routes.get(i).shard());
            Connection c;
            if (transaction) {
                c = conn.physical(shard);
            } else {
                c = conn.heldConnection(shard);
                if (c != null && c.isClosed()) {
                    conn.dropIfBroken(shard);
                    c = conn.heldConnection(shard);
                }
            }
            parts[i] = new Part(shard, c);
            if (c == null) {
                registry.recentFailures().check(shard, registry.name(shard));
                if (counts == null) {
                    counts = new int[registry.slots()];
                }
                counts[shard]++;
            }
        }
        if (counts == null) {
            return;
        }
        ScatterPermits permits = registry.scatterPermits();
        permits.acquire(counts, System.nanoTime() + permitWaitNanos(parts), "a scatter over " + n + " shards");
        try {
            for (int shard = 0; shard < counts.length; shard++) {
                for (int i = 0; i < n && counts[shard] > 0; i++) {
                    Part p = parts[i];
                    if (p.shard != shard || p.connection != null) {
                        continue;
                    }
                    try {
                        p.connection = conn.borrow(shard);
                    } catch (SQLException e) {
                        registry.recentFailures().failed(shard, e);
                        throw ShardException.fromShard(registry.name(shard), null, e);
                    }
                    registry.recentFailures().ok(shard);
                    p.borrowed = true;
                    p.permit = true;
                    counts[shard]--;
                    if (shard < reading.length) {
                        reading[shard] = p.connection;
                    }
                }
            }
        } catch (SQLException | RuntimeException e) {
            for (Part p : parts) {
                giveBack(p, false);
            }
            permits.release(counts, counts.length);
            throw e;
        }
    }

    /** How long a scatter waits for permits: its query timeout when set, else the first pool's connection timeout. */
    private long permitWaitNanos(Part[] parts) {
        if (timeoutNanos > 0) {
            return timeoutNanos;
        }
        for (Part p : parts) {
            if (p.connection == null) {
                var pool = registry.pool(p.shard);
                return java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(pool == null ? 30_000 : pool.getConnectionTimeout());
            }
        }
        return 0;
    }

    /** After a failed open: held connections the pool found broken are dropped from the logical connection. */
    private void dropBroken(Part[] parts) {
        try {
            if (!conn.getAutoCommit()) {
                return;
            }
        } catch (SQLException e) {
            return;
        }
        for (Part p : parts) {
            if (p != null && !p.borrowed) {
                conn.dropIfBroken(p.shard);
            }
        }
    }

    private ShardCursor openShard(Route route, Part part, boolean stream) throws SQLException {
        int shard = part.shard;
        Connection c = part.connection;
        boolean streamInTransaction = false;
        Statement st = null;
        try {
            String sql = conn.sqlFor(shard, route.sql());
            if (part.borrowed && stream && registry.dialect(shard) == Dialect.POSTGRESQL) {
                c.setAutoCommit(false);
                streamInTransaction = true;
            }
            if (params == null && route.parameters() == null) {
                st = c.createStatement();
                prepare(st);
                started(part, st, route.shard());
                return new ShardCursor(route.shard(), st, st.executeQuery(sql),
                        part.borrowed ? c : null, streamInTransaction, this, part);
            }
            PreparedStatement ps = c.prepareStatement(sql);
            st = ps;
            prepare(ps);
            if (params != null) {
                params.applyTo(ps, route.parameters(), io.shardkit.sql.SqlText.countParameters(route.sql(), registry.dialect(shard)));
            }
            started(part, ps, route.shard());
            return new ShardCursor(route.shard(), ps, ps.executeQuery(), part.borrowed ? c : null, streamInTransaction,
                    this, part);
        } catch (SQLException | RuntimeException e) {
            if (st != null) {
                try {
                    st.close();
                } catch (SQLException ignored) {
                    // the query's own error is reported
                }
            }
            giveBack(part, streamInTransaction);
            if (e instanceof SQLException se) {
                throw failure(route.shard(), route.sql(), se);
            }
            throw e;
        }
    }

    // ---- cancel and query timeout ----

    /**
     * One shard query of this read: its connection, whether the read borrowed it (and holds a
     * scatter permit for it), and its statement once created. Guarded by the execution.
     */
    static final class Part {
        final int shard;
        Connection connection;
        boolean borrowed;
        boolean permit;
        Statement statement;
        boolean done;

        Part(int shard, Connection connection) {
            this.shard = shard;
            this.connection = connection;
        }
    }

    private static final int RUNNING = 0, CANCELLED = 1, TIMED_OUT = 2;
    /** After a cancel, how long a call may stay blocked before the read's connections are aborted. */
    static final long ABORT_AFTER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1000);

    private final List<Part> live = new ArrayList<>();
    private volatile int stop = RUNNING;
    /** {@link System#nanoTime()} (odd) when a call began waiting on the shards, 0 while none waits. */
    private volatile long waitingSince;
    private java.util.concurrent.ScheduledFuture<?> timer;

    /** Records a part's statement before it runs; fails when the read was already cancelled. */
    private void started(Part part, Statement st, String shard) throws SQLException {
        synchronized (this) {
            part.statement = st;
            if (!part.done && !live.contains(part)) {
                live.add(part);
            }
        }
        if (stop != RUNNING) {
            throw stopped(shard, null);
        }
    }

    /** A part's cursor closed (or its query failed): its connection is back, its permit too. */
    void done(Part part) {
        boolean idle;
        synchronized (this) {
            part.done = true;
            live.remove(part);
            idle = live.isEmpty() && waitingSince == 0;
            if (idle && timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        if (part.permit) {
            part.permit = false;
            registry.scatterPermits().release(part.shard);
        }
    }

    /** Closes a part's borrowed connection (ending its read transaction) and gives its permit back; once. */
    private void giveBack(Part part, boolean endTransaction) {
        if (part == null) {
            return;
        }
        synchronized (this) {
            if (part.done) {
                return;
            }
        }
        if (part.borrowed && part.connection != null) {
            try {
                if (endTransaction) {
                    part.connection.rollback();
                }
            } catch (SQLException ignored) {
                // the query's own error is reported
            } finally {
                try {
                    part.connection.close();
                } catch (SQLException ignored) {
                    // the query's own error is reported
                }
            }
        }
        done(part);
    }

    /**
     * A part's fetch failed (on the reading thread): a connection of the logical connection that
     * the pool found broken is dropped, so the next statement borrows a fresh one.
     */
    void failed(Part part) {
        if (!part.borrowed) {
            try {
                if (conn.getAutoCommit()) {
                    conn.dropIfBroken(part.shard);
                }
            } catch (SQLException ignored) {
                // the logical connection is closed: nothing to drop
            }
        }
    }

    /** Whether {@link #cancel()} or the query timeout stopped this read. */
    boolean stopped() {
        return stop != RUNNING;
    }

    /** Whether cursors mark their waits (a query timeout is set). */
    boolean timed() {
        return timeoutNanos > 0;
    }

    /** Starts the query timeout's timer for an open, when a timeout is set and no timer runs. */
    private synchronized void arm() {
        if (timeoutNanos > 0 && timer == null && stop == RUNNING) {
            timer = io.shardkit.pool.Watchdog.after(timeoutNanos, this::check);
        }
    }

    /** A call starts waiting on the shards (an open, or a cursor's next()): two volatile writes per call, no lock. */
    void enter() {
        waitingSince = timeoutNanos > 0 ? System.nanoTime() | 1 : 1;
    }

    /** The call returned. */
    void leave() {
        waitingSince = 0;
    }

    /** Timer: times the read out when one wait has lasted the timeout, else looks again when it could. */
    private void check() {
        long since = waitingSince;
        long now = System.nanoTime();
        if (since != 0 && now - since >= timeoutNanos) {
            stop(TIMED_OUT);
            return;
        }
        synchronized (this) {
            if (timer == null || stop != RUNNING) {
                return;
            }
            if (since == 0 && live.isEmpty()) {
                timer = null;
                return;
            }
            timer = io.shardkit.pool.Watchdog.after(since == 0 ? timeoutNanos : timeoutNanos - (now - since), this::check);
        }
    }

    /** Cancels every shard statement of this read, from any thread; a read not yet started fails when it starts. */
    void cancel() {
        stop(CANCELLED);
    }

    private void stop(int why) {
        Part[] parts;
        synchronized (this) {
            if (stop != RUNNING) {
                return;
            }
            stop = why;
            parts = live.toArray(new Part[0]);
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        for (Part p : parts) {
            Statement st = p.statement;
            if (st != null) {
                io.shardkit.pool.Watchdog.run(() -> cancel(p, st));
            }
        }
        io.shardkit.pool.Watchdog.after(ABORT_AFTER_NANOS, this::abortIfStillWaiting);
    }

    /** Cancels one part's query, unless its cursor closed meanwhile (its connection may serve someone else by now). */
    private void cancel(Part p, Statement st) {
        synchronized (this) {
            if (p.done) {
                return;
            }
        }
        try {
            if (registry.dialect(p.shard) == Dialect.POSTGRESQL) {
                io.shardkit.pool.PgCancel.cancel(p.connection, st);
            } else {
                st.cancel();
            }
        } catch (SQLException | RuntimeException ignored) {
            // the abort below is the fallback
        }
    }

    /**
     * A cancel that did not end the wait (pgjdbc's cancel request to a shard that never answers
     * hangs too): the connections of the parts still running are aborted, which ends any blocked
     * read at once; the pool then retires them.
     */
    private void abortIfStillWaiting() {
        if (waitingSince == 0) {
            return;
        }
        Part[] parts;
        synchronized (this) {
            parts = live.toArray(new Part[0]);
        }
        for (Part p : parts) {
            Connection c = p.connection;
            if (c != null) {
                io.shardkit.pool.Watchdog.run(() -> {
                    try {
                        c.abort(io.shardkit.pool.Watchdog.executor());
                    } catch (SQLException | RuntimeException ignored) {
                        // nothing more can be done for it
                    }
                });
            }
        }
    }

    /** The error for a shard call that failed: 57014 when this read was cancelled or timed out, else the shard's own. */
    SQLException failure(String shard, String sql, SQLException e) {
        if (stop != RUNNING || e == null) {
            return stopped(shard, e);
        }
        return ShardException.fromShard(shard, sql, e);
    }

    private SQLException stopped(String shard, SQLException cause) {
        String message = stop == TIMED_OUT
                ? "query timeout: no answer from shard " + shard + " within the statement's query timeout of "
                        + queryTimeout + " s; the read's shard statements were cancelled"
                : "statement cancelled: the read's shard statements were cancelled (shard " + shard + ")";
        return new ShardException(message, CANCELLED_STATE, 0, shard, cause);
    }

    /** SQLState of a cancelled or timed-out statement (query canceled), as PostgreSQL reports it. */
    static final String CANCELLED_STATE = "57014";

    /**
     * The statement's fetch size. Its query timeout is not handed to the drivers: this read's own
     * timer applies it to the execute and to each wait in {@code next()} alike, on every dialect
     * (sqlite-jdbc's would not stop a scatter, pgjdbc's covers the execute only).
     */
    private void prepare(Statement st) throws SQLException {
        st.setFetchSize(fetchSize > 0 ? fetchSize : DEFAULT_FETCH);
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
