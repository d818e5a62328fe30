package io.shardkit.exec;

import io.shardkit.SqlStates;
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
 *
 * <p>It gets its parts' connections and permits through {@link ScatterConnections}, is cancelled and
 * timed out by its {@link ScatterWatch}, and asks the shards' catalogs through {@link ScatterCatalog}.
 */
public final class ScatterExecution implements Execution {
    /** Rows per round trip for merged reads when the statement sets no fetch size. */
    static final int DEFAULT_FETCH = 1000;

    /** Copies a shard's column metadata when the scatter opens (its cursors may close long before it is asked). */
    public interface Columns {
        ResultSetMetaData copy(ResultSetMetaData shard) throws SQLException;
    }

    private final Session session;
    private final ShardRegistry registry;
    private final ExecutorService executor;
    private final Parameters params;
    private final int fetchSize;
    private final int[] shards;
    private final long rowLimit;
    /** The merge state bound of this read, shared by its plan's nodes; dropped with the execution. */
    private final MemoryBudget memory;
    private Arithmetic arithmetic;
    private final Columns columns;
    private ResultSetMetaData metaData;
    private final ScatterWatch watch;
    private final ScatterCatalog catalog;
    private final ScatterConnections connections;
    private long maxHeld;

    /**
     * @param session the logical connection's physical connections (held, borrowed, its tenant's SQL)
     * @param columns copies the first shard's column metadata when the scatter opens
     */
    public ScatterExecution(Session session, ShardRegistry registry, ExecutorService executor, Parameters params,
            int fetchSize, int queryTimeout, int[] shards, long rowLimit, Columns columns) {
        this.session = session;
        this.registry = registry;
        this.executor = executor;
        this.params = params;
        this.fetchSize = fetchSize;
        long timeoutNanos = java.util.concurrent.TimeUnit.SECONDS.toNanos(queryTimeout);
        this.shards = shards;
        this.rowLimit = rowLimit;
        this.memory = new MemoryBudget(registry.settings().mergeMemory(), rowLimit, registry.mergeMemory());
        this.columns = columns;
        this.watch = new ScatterWatch(registry, session, queryTimeout, timeoutNanos);
        this.catalog = new ScatterCatalog(session, registry, shards);
        this.connections = new ScatterConnections(session, registry, watch, catalog, timeoutNanos);
    }

    @Override
    public List<Cursor> open(Scatter scatter) throws SQLException {
        if (!scatter.write()) {
            values(); // asks the shards' default collation (once per data source) before their connections are taken
        }
        List<Route> routes = scatter.routes();
        int n = routes.size();
        ScatterPart[] parts = new ScatterPart[n];
        watch.arm();
        watch.enter();
        try {
            connections.acquire(routes, parts);
            long fetch = fetchSize > 0 ? fetchSize : DEFAULT_FETCH;
            boolean stream = scatter.rowsPerShard() < 0 || scatter.rowsPerShard() > fetch;
            int[][] groups = byShard(parts);
            int groupCount = groups == null ? n : groups.length;
            ShardCursor[] opened = new ShardCursor[n];
            List<Future<?>> started = new ArrayList<>(groupCount);
            SQLException failure = null;
            try {
                for (int g = 0; g < groupCount - 1; g++) {
                    int group = g;
                    started.add(executor.submit(() -> openGroup(groups, group, routes, parts, stream, opened)));
                }
            } catch (RuntimeException e) {
                failure = new SQLException("cannot start the shard queries: " + e, SqlStates.GENERAL_ERROR, e);
            }
            if (failure == null) {
                try {
                    openGroup(groups, groupCount - 1, routes, parts, stream, opened);
                } catch (SQLException e) {
                    failure = e;
                }
            }
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failure = first(failure, asSql(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    watch.cancel();
                    failure = first(failure, new SQLException("interrupted while starting shard queries",
                            SqlStates.OPERATION_CANCELED));
                }
            }
            List<Cursor> cursors = new ArrayList<>(n);
            for (ShardCursor c : opened) {
                if (c != null) {
                    cursors.add(c);
                }
            }
            if (failure != null) {
                for (Cursor c : cursors) {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        failure.addSuppressed(e);
                    }
                }
                for (ScatterPart p : parts) {
                    watch.giveBack(p, false); // the parts whose query never started (the others are done)
                }
                connections.dropBroken(parts);
                throw failure;
            }
            if (metaData == null && !cursors.isEmpty()) {
                ResultSetMetaData shardMeta = cursors.get(0).source().getMetaData();
                metaData = columns.copy(shardMeta);
            }
            return cursors;
        } finally {
            watch.leave();
        }
    }

    /**
     * The parts by shard, each shard's in route order, the shards in the order they first appear:
     * the queries of one shard (a split table's physical tables) run one after the other on its
     * one connection, those of different shards in parallel. Null when no shard appears twice
     * (the common case: no split table, or one physical table per shard), meaning group {@code g}
     * is part {@code g} alone; that is checked with a bit set in a {@code long} when all shards are
     * below 64, so it allocates nothing.
     */
    private static int[][] byShard(ScatterPart[] parts) {
        int n = parts.length;
        long seen = 0;
        boolean distinct = true;
        for (ScatterPart p : parts) {
            if (p.shard >= Long.SIZE) {
                distinct = false; // not decided by the bit set: the grouping below tells
                break;
            }
            long bit = 1L << p.shard;
            if ((seen & bit) != 0) {
                distinct = false;
                break;
            }
            seen |= bit;
        }
        if (distinct) {
            return null;
        }
        int slots = 0;
        for (ScatterPart p : parts) {
            slots = Math.max(slots, p.shard + 1);
        }
        int[] groupOfShard = new int[slots];
        java.util.Arrays.fill(groupOfShard, -1);
        int[] groupOf = new int[n];
        int[] sizes = new int[n];
        int groups = 0;
        for (int i = 0; i < n; i++) {
            int shard = parts[i].shard;
            if (groupOfShard[shard] < 0) {
                groupOfShard[shard] = groups++;
            }
            groupOf[i] = groupOfShard[shard];
            sizes[groupOf[i]]++;
        }
        int[][] out = new int[groups][];
        for (int g = 0; g < groups; g++) {
            out[g] = new int[sizes[g]];
            sizes[g] = 0;
        }
        for (int i = 0; i < n; i++) {
            int g = groupOf[i];
            out[g][sizes[g]++] = i;
        }
        return out;
    }

    /**
     * Opens group {@code g}'s parts (one shard's) in turn, {@code groups} as {@link #byShard} returned it;
     * stops at the first failure (the parts not started are given back by the caller).
     */
    private Void openGroup(int[][] groups, int g, List<Route> routes, ScatterPart[] parts, boolean stream,
            ShardCursor[] opened) throws SQLException {
        if (groups == null) {
            opened[g] = openShard(routes.get(g), parts[g], stream);
            return null;
        }
        for (int i : groups[g]) {
            opened[i] = openShard(routes.get(i), parts[i], stream);
        }
        return null;
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
        return t instanceof SQLException e ? e : new SQLException("shard query failed: " + t,
                SqlStates.GENERAL_ERROR, t);
    }
    private ShardCursor openShard(Route route, ScatterPart part, boolean stream) throws SQLException {
        int shard = part.shard;
        Connection c = part.connection;
        boolean streamInTransaction = false;
        Statement st = null;
        try {
            String sql = session.sqlFor(shard, route.sql());
            if (part.borrowed && stream && registry.dialect(shard) == Dialect.POSTGRESQL) {
                c.setAutoCommit(false);
                streamInTransaction = true;
                if (part.shared != null) {
                    part.shared.inTransaction();
                }
            }
            if (params == null && route.parameters() == null) {
                st = c.createStatement();
                prepare(st);
                watch.started(part, st, route.shard());
                return new ShardCursor(route.shard(), st, st.executeQuery(sql),
                        part.borrowed ? c : null, streamInTransaction, watch, part);
            }
            PreparedStatement ps = c.prepareStatement(sql);
            st = ps;
            prepare(ps);
            if (params != null) {
                params.applyTo(ps, route.parameters(), io.shardkit.sql.SqlText.countParameters(route.sql(), registry.dialect(shard)));
            }
            watch.started(part, ps, route.shard());
            return new ShardCursor(route.shard(), ps, ps.executeQuery(), part.borrowed ? c : null, streamInTransaction,
                    watch, part);
        } catch (SQLException | RuntimeException e) {
            if (st != null) {
                try {
                    st.close();
                } catch (SQLException ignored) {
                    // the query's own error is reported
                }
            }
            watch.giveBack(part, streamInTransaction);
            if (e instanceof SQLException se) {
                throw watch.failure(route.shard(), route.sql(), se);
            }
            throw e;
        }
    }

    /**
     * The statement's fetch size. Its query timeout is not handed to the drivers: this read's own
     * timer applies it to the execute and to each wait in {@code next()} alike, on every dialect
     * (sqlite-jdbc's would not stop a scatter, pgjdbc's covers the execute only).
     */
    private void prepare(Statement st) throws SQLException {
        st.setFetchSize(fetchSize > 0 ? fetchSize : DEFAULT_FETCH);
    }

    /** Cancels every shard statement of this read, from any thread; a read not yet started fails when it starts. */
    public void cancel() {
        watch.cancel();
    }

    @Override
    public java.util.Set<Object> present(List<String> hotShards, String table, String idColumn, List<Object> ids)
            throws SQLException {
        return catalog.present(hotShards, table, idColumn, ids);
    }

    @Override
    public Values values() {
        return catalog.values();
    }

    @Override
    public String declaredCollation(String table, String column) throws SQLException {
        return catalog.declaredCollation(table, column);
    }

    @Override
    public java.util.Map<String, Integer> enumOrder(String type) throws SQLException {
        return catalog.enumOrder(type);
    }

    @Override
    public Boolean deterministicCollation(String collation) throws SQLException {
        return catalog.deterministicCollation(collation);
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
    public long maxHeld() {
        return maxHeld;
    }

    /** A shard's column metadata, once a scatter has opened. */
    public ResultSetMetaData metaData() {
        return metaData;
    }
}
