package io.shardkit.exec;

import io.shardkit.Explain;
import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.PlanNode;
import io.shardkit.plan.Planner;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.RouteDecision;
import io.shardkit.route.SplitCatalog;
import io.shardkit.route.Router;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.SqlLexer;
import io.shardkit.sql.StatementKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a statement of one logical connection is decided and its writes over several shards run:
 * routing (pinned connections, connection-state functions, the choosers), the guard sequence every
 * execution passes before any SQL reaches a shard (archive probe, unique keys, write guard), and the
 * multi-shard write in per-shard local transactions. The JDBC statements run the shard parts and
 * build results; they ask this class what to run. Internal; not thread-safe.
 */
public final class Executor {
    private static final Logger LOG = LoggerFactory.getLogger(Executor.class);

    private final ShardRegistry registry;
    private final Router router;
    private final Session session;
    /** Made at the first write, archive probe or unique-key check: most connections only read. */
    private WriteGuard guard;
    private final int pinned;
    /** Re-reads the versioned map after a fence refused a write; {@link Fenced#NONE} without one. */
    private final Fenced.Refresh refresh;

    public Executor(ShardRegistry registry, Router router, Session session, Fenced.Refresh refresh) {
        this.registry = registry;
        this.router = router;
        this.session = session;
        this.pinned = session.pinned();
        this.refresh = refresh;
    }

    public WriteGuard guard() {
        if (guard == null) {
            guard = new WriteGuard(registry, session, router);
        }
        return guard;
    }

    /** The physical connections this executor runs on. */
    public Session session() {
        return session;
    }

    /** The shard every statement goes to, or -1 to route each statement. */
    public int pinned() {
        return pinned;
    }

    /**
     * Routes one execution; a pinned connection goes to its shard without asking the choosers, but
     * refuses a text of several statements too (its guards read only the first).
     */
    public RouteDecision route(SqlAnalysis a, Object[] params) throws SQLException {
        session.statementStarts(a.connectionState());
        if (pinned >= 0) {
            if (a.shape() == SqlAnalysis.Shape.REFUSED && a.problem().startsWith(SqlLexer.SEVERAL_STATEMENTS)) {
                throw new RefusedException(a.problem(), a.sql());
            }
            PinnedGuard.check(registry, pinned, a);
            return router.single(pinned);
        }
        if (a.connectionState()) {
            int lastWrite = session.lastWrite();
            if (lastWrite < 0) {
                throw new RefusedException(lastWrite == Session.NO_WRITE ? "a connection-state function on a connection"
                        + " that has written nothing yet (it would answer for a shard connection that never ran the"
                        + " write)" : lastWrite == Session.SEVERAL_SHARDS ? "a connection-state function after a write that"
                        + " ran on several shards (each shard connection has its own answer)" : "a connection-state"
                        + " function after another statement ran since the last write: in autocommit the shard"
                        + " connection that ran the write went back to its pool (run the function right after the"
                        + " write, or both in one transaction)", a.sql());
            }
            return router.single(lastWrite);
        }
        if (LOG.isDebugEnabled()) {
            StringBuilder why = new StringBuilder();
            RouteDecision d = router.route(a, params, preferred(a), why);
            if (router.hasSplitTables()) {
                d = router.dataNodes(a, d, params, why, catalogReader());
            }
            LOG.debug("route {} → {}: {}", ShardException.shorten(a.sql()), names(d), why.toString().replace('\n', ';'));
            return d;
        }
        RouteDecision d = router.route(a, params, preferred(a), null);
        return router.hasSplitTables() ? router.dataNodes(a, d, params, null, catalogReader()) : d;
    }

    /** See {@link CatalogReaders#of}; made once per logical connection that names a split table. */
    private SplitCatalog.Reader catalogReader() {
        if (catalogReader == null) {
            catalogReader = CatalogReaders.of(session, registry);
        }
        return catalogReader;
    }

    private SplitCatalog.Reader catalogReader;

    /** The shard this connection already uses, for the shapes that may run anywhere (looked up only for them). */
    private int preferred(SqlAnalysis a) {
        SqlAnalysis.Shape shape = a.shape();
        return shape == SqlAnalysis.Shape.NO_TABLE || shape == SqlAnalysis.Shape.BROADCAST ? session.preferred() : -1;
    }

    private String names(RouteDecision d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(registry.name(d.shard(i)));
        }
        return sb.toString();
    }

    /**
     * The decision for one execution (a statement's, or one batch entry's), after the checks that
     * run before any of its SQL reaches a shard: the archive probe of a write to a tiered table, the
     * unique keys of an upsert; a DDL statement forgets the unique keys read so far.
     */
    public RouteDecision decide(SqlAnalysis a, Parameters params) throws SQLException {
        RouteDecision d = route(a, params == null ? null : params.values());
        if (d.archiveProbe() != null) {
            guard().checkArchive(a, d.archiveProbe(), params);
        }
        if (a.anyUniqueKey() && pinned < 0) {
            guard().checkUniqueKeys(a, d.shard(0));
        }
        if (a.kind() == StatementKind.DDL) {
            registry.uniqueKeys().forget();
        }
        return d;
    }

    /**
     * Runs one execution: decides it, closes the runner's plain statements on shards it does not
     * reach, and hands the runner the parts to run (see {@link ShardRunner}). Returns whether the
     * result is a result set. A write a move's fence refused re-reads the map ({@link Fenced}); in
     * autocommit it runs once more, decided again (so by the new epoch, with the same parameters):
     * safe, because a refused autocommit statement left no shard written (one shard's statement
     * fails whole; {@link #writeAll} rolls every part back). Refused again, or in a transaction,
     * it fails with SQLState 40001.
     */
    public boolean run(SqlAnalysis a, Parameters params, int mode, Object keys, ShardRunner runner)
            throws SQLException {
        try {
            return Dispatch.run(this, a, params, mode, keys, runner);
        } catch (SQLException e) {
            if (Fenced.is(e)) {
                return afterFence(a, params, mode, keys, runner, e);
            }
            if (!StaleCatalog.forgotten(router, a, e) || !session.autoCommit() || !a.readsOnly()) {
                throw e; // the next statement reads the catalog again; a write or a transaction is the caller's to retry
            }
            return Dispatch.run(this, a, params, mode, keys, runner); // once: a physical table went away
        }
    }

    private boolean afterFence(SqlAnalysis a, Parameters params, int mode, Object keys, ShardRunner runner,
            SQLException e) throws SQLException {
        SQLException refreshFailed = Fenced.refresh(refresh);
        if (!session.autoCommit()) {
            throw Fenced.error(e, a.sql(), Fenced.IN_TRANSACTION, refreshFailed);
        }
        try {
            return Dispatch.run(this, a, params, mode, keys, runner);
        } catch (SQLException again) {
            throw Fenced.is(again) ? Fenced.error(again, a.sql(), Fenced.RETRIED, refreshFailed) : again;
        }
    }

    /**
     * The error of a shard's physical batch that a fence refused, after re-reading the map. Not
     * retried, even in autocommit: entries before the refused one, on that shard and on shards
     * flushed earlier, may have been applied, so the caller gets SQLState 40001 and its
     * {@code BatchUpdateException} counts. Answers {@code e} itself when it is no fence's refusal.
     */
    public SQLException batchFailed(SQLException e) {
        if (!Fenced.is(e)) {
            return e;
        }
        SQLException refreshFailed = Fenced.refresh(refresh);
        return Fenced.error(e, null, session.autoCommit() ? Fenced.BATCH : Fenced.IN_TRANSACTION, refreshFailed);
    }

    /**
     * For one batch entry: the shard whose physical batch takes it (after the write guard), or -1
     * when it runs alone (it spans shards, has SQL of its own per shard, reads, or needs generated
     * keys sqlite-jdbc's batches do not return).
     */
    public int batchShard(SqlAnalysis a, Parameters params, boolean keysWanted) throws SQLException {
        return Dispatch.batchShard(this, a, params, keysWanted);
    }

    ShardRegistry registry() {
        return registry;
    }

    /** After a DDL statement ran: what is known of split tables' physical tables is forgotten. */
    void ddlRan() {
        SplitCatalog c = router.splitCatalog();
        if (c != null) {
            c.forget(null);
        }
    }

    /** A write about to run on the shards of {@code d} (see {@link WriteGuard#beforeWrite}); pinned connections skip it. */
    public void beforeWrite(SqlAnalysis a, RouteDecision d) throws SQLException {
        if (pinned < 0) {
            guard().beforeWrite(a, d);
        }
    }

    /** What shardkit would do with a statement: its route, with the reasons, and its plan. */
    public static Explain explain(SqlAnalysis a, Object[] params, Router router, ShardRegistry registry)
            throws SQLException {
        return explain(a, params, router, registry, null);
    }

    /** What shardkit would do with a statement of {@code session} (a tenant's reads its own schema), or of none. */
    private static Explain explain(SqlAnalysis a, Object[] params, Router router, ShardRegistry registry,
            Session session) throws SQLException {
        StringBuilder why = new StringBuilder();
        RouteDecision d = router.route(a, params, -1, why);
        if (router.hasSplitTables()) {
            d = router.dataNodes(a, d, params, why, CatalogReaders.forExplain(session, registry, why));
        }
        PlanNode plan = Planner.plan(a, d, registry, params);
        List<String> shards = new ArrayList<>();
        for (int i = 0; i < d.size(); i++) {
            String name = registry.name(d.shard(i));
            if (!shards.contains(name)) { // a shard's physical tables of a split table are parts of their own
                shards.add(name);
            }
        }
        List<String> reasons = why.length() == 0 ? List.of() : Arrays.asList(why.toString().split("\n"));
        return new Explain(a.sql(), shards, reasons, plan);
    }

    /** {@link #explain(SqlAnalysis, Object[], Router, ShardRegistry)} with this connection's router. */
    public Explain explain(SqlAnalysis a, Object[] params) throws SQLException {
        return explain(a, params, router, registry, session);
    }

    /** The hot shards (every shard that is not a read-only archive). */
    public int[] hotShards() {
        return router.hotShards();
    }

    /** The shards whose catalogs describe a table: those holding it per the map, else every hot shard. */
    public int[] shardsHolding(String table) {
        int[] shards = router.shardsHolding(table);
        return shards != null ? shards : router.hotShards();
    }

    /** Runs part {@code i} of a multi-shard write on its shard; answers its update count. */
    public interface Parts {
        long run(int i) throws SQLException;
    }

    /**
     * Runs a write on every shard of the decision. In autocommit mode each shard's part runs in a
     * local transaction and all are committed only after every part succeeded, so a failing shard
     * leaves no shard written. Deferred constraints are checked on every shard before the first
     * commit (PostgreSQL), so a commit that fails after another shard committed is rare; when it
     * happens, the error ({@link ShardException#PARTIAL_COMMIT}) names the shards that committed
     * and those that did not. Returns the update count one database would report.
     */
    public long writeAll(SqlAnalysis a, RouteDecision d, Parts parts) throws SQLException {
        boolean local = session.autoCommit();
        // one connection per shard: the parts of a split table's data nodes share their shard's
        RouteDecision shards = distinctShards(d);
        Connection[] cs = new Connection[shards.size()];
        for (int i = 0; i < cs.length; i++) {
            cs[i] = session.physical(shards.shard(i));
        }
        long total = 0;
        SQLException failure = null;
        int committed = 0;
        try {
            if (local) {
                for (int i = 0; i < cs.length; i++) {
                    setAutoCommit(cs[i], false, shards.shard(i));
                }
            }
            // every copy of a broadcast table takes the same write: one database would report one copy's count
            boolean copies = a.shape() == SqlAnalysis.Shape.BROADCAST;
            for (int i = 0; i < d.size(); i++) {
                long count = parts.run(i);
                if (!copies || i == 0) {
                    total += Math.max(count, 0);
                }
            }
            if (local) {
                checkDeferred(cs, shards, a);
                for (; committed < cs.length; committed++) {
                    try {
                        cs[committed].commit();
                    } catch (SQLException e) {
                        throw committed == 0 ? ShardException.fromShard(registry.name(shards.shard(0)), a.sql(), e)
                                : partialCommit(shards, committed, a.sql(), e);
                    }
                }
            }
        } catch (SQLException e) {
            failure = e;
            if (local) {
                for (int i = committed; i < cs.length; i++) {
                    try {
                        cs[i].rollback();
                    } catch (SQLException later) {
                        e.addSuppressed(ShardException.fromShard(registry.name(shards.shard(i)), null, later));
                    }
                }
            }
            throw e;
        } finally {
            if (local) {
                restoreAutoCommit(cs, shards, failure);
            }
        }
        return total;
    }

    /** The decision's shards, each once, in order of first use ({@code d} itself when no shard repeats). */
    private RouteDecision distinctShards(RouteDecision d) {
        int[] seen = new int[d.size()];
        int n = 0;
        for (int i = 0; i < d.size(); i++) {
            int s = d.shard(i);
            boolean again = false;
            for (int j = 0; j < n && !again; j++) {
                again = seen[j] == s;
            }
            if (!again) {
                seen[n++] = s;
            }
        }
        return n == d.size() ? d : router.overShards(Arrays.copyOf(seen, n));
    }

    private void restoreAutoCommit(Connection[] cs, RouteDecision d, SQLException failure) throws SQLException {
        SQLException cleanup = null;
        for (int i = 0; i < cs.length; i++) {
            try {
                cs[i].setAutoCommit(true);
            } catch (SQLException later) {
                // the statement's own error stays the one reported
                if (failure != null) {
                    failure.addSuppressed(ShardException.fromShard(registry.name(d.shard(i)), null, later));
                } else if (cleanup == null) {
                    cleanup = new ShardException("the write committed on every shard, but autocommit could not"
                            + " be restored on shard " + registry.name(d.shard(i)) + ": "
                            + later.getMessage(), later.getSQLState(), later.getErrorCode(),
                            registry.name(d.shard(i)), later);
                } else {
                    cleanup.addSuppressed(later);
                }
            }
        }
        if (cleanup != null) {
            throw cleanup;
        }
    }

    /**
     * Checks deferred constraints on every shard of a multi-shard write before the first commit,
     * so a violation fails the write while every shard can still roll back.
     */
    private void checkDeferred(Connection[] cs, RouteDecision d, SqlAnalysis a) throws SQLException {
        for (int i = 0; i < cs.length; i++) {
            if (registry.dialect(d.shard(i)) == Dialect.POSTGRESQL) {
                try (Statement st = cs[i].createStatement()) {
                    st.execute("SET CONSTRAINTS ALL IMMEDIATE");
                } catch (SQLException e) {
                    throw ShardException.fromShard(registry.name(d.shard(i)), a.sql(), e);
                }
            }
        }
    }

    /** The error of a multi-shard write whose commit failed on part {@code failed} after earlier parts committed. */
    private ShardException partialCommit(RouteDecision d, int failed, String sql, SQLException e) {
        StringBuilder done = new StringBuilder();
        for (int i = 0; i < failed; i++) {
            done.append(i == 0 ? "" : ", ").append(registry.name(d.shard(i)));
        }
        StringBuilder notDone = new StringBuilder();
        for (int i = failed; i < d.size(); i++) {
            notDone.append(i == failed ? "" : ", ").append(registry.name(d.shard(i)));
        }
        String shard = registry.name(d.shard(failed));
        String message = "write partly committed: committed on " + done + "; not committed on " + notDone
                + " (commit failed on shard " + shard + ": " + e.getMessage() + ") [sql: "
                + ShardException.shorten(sql) + "]";
        return new ShardException(message, ShardException.PARTIAL_COMMIT, e.getErrorCode(), shard, e);
    }

    private void setAutoCommit(Connection c, boolean on, int shard) throws SQLException {
        try {
            c.setAutoCommit(on);
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
    }
}
