package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.plan.Route;
import io.shardkit.pool.ScatterPermits;
import io.shardkit.pool.ShardRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Gets the parts of one scatter their connections, and its permits, in shard order, before any
 * query starts (the parts of one shard, a split table's physical tables, share one connection and
 * one permit); after a failed open, drops the held connections the pool found broken.
 */
final class ScatterConnections {
    private final Session session;
    private final ShardRegistry registry;
    private final ScatterWatch watch;
    private final ScatterCatalog catalog;
    private final long timeoutNanos;

    ScatterConnections(Session session, ShardRegistry registry, ScatterWatch watch, ScatterCatalog catalog,
            long timeoutNanos) {
        this.session = session;
        this.registry = registry;
        this.watch = watch;
        this.catalog = catalog;
        this.timeoutNanos = timeoutNanos;
    }

    /** The session's autocommit, as the logical connection's {@code getAutoCommit()} answers it: fails once closed. */
    static boolean autoCommit(Session session) throws SQLException {
        session.checkOpen();
        return session.autoCommit();
    }

    /**
     * Gets every part its connection before any query starts. In a transaction: the connection's
     * own. Otherwise the one it holds for the shard (dropped first when the pool found it broken),
     * or one borrowed for this read: a shard known to be down fails at once; then the shards'
     * scatter permits are taken (in shard order, so scatters never wait in a cycle, and never
     * more than a shard's scatter share), then the connections are borrowed, in shard order. A
     * failure gives back everything taken, so a waiting scatter holds no connection.
     */
    void acquire(List<Route> routes, ScatterPart[] parts) throws SQLException {
        int n = routes.size();
        boolean transaction = !autoCommit(session);
        int[] counts = null;
        int[] users = null;
        for (int i = 0; i < n; i++) {
            int shard = registry.indexOf(routes.get(i).shard());
            Connection c;
            if (transaction) {
                c = session.physical(shard);
            } else {
                c = session.held(shard);
                if (c != null && c.isClosed()) {
                    session.dropIfBroken(shard);
                    c = session.held(shard);
                }
            }
            parts[i] = new ScatterPart(shard, c);
            if (c == null) {
                registry.recentFailures().check(shard, registry.name(shard));
                if (counts == null) {
                    counts = new int[registry.slots()];
                    users = new int[registry.slots()];
                }
                counts[shard] = 1; // the parts of one shard share its connection and its permit
                users[shard]++;
            }
        }
        if (counts == null) {
            return;
        }
        ScatterPermits permits = registry.scatterPermits();
        permits.acquire(counts, System.nanoTime() + permitWaitNanos(parts), "a scatter over " + n + " shards");
        try {
            for (int shard = 0; shard < counts.length; shard++) {
                if (counts[shard] > 0) {
                    borrow(shard, users[shard], parts);
                    counts[shard]--;
                }
            }
        } catch (SQLException | RuntimeException e) {
            for (ScatterPart p : parts) {
                watch.giveBack(p, false);
            }
            permits.release(counts, counts.length);
            throw e;
        }
    }

    /**
     * Borrows one connection of a shard for the parts of this read that need one there; when there
     * are several (physical tables of a split table), they share it and the last one done gives it back.
     */
    private void borrow(int shard, int users, ScatterPart[] parts) throws SQLException {
        Connection c;
        try {
            c = session.borrow(shard);
        } catch (SQLException e) {
            registry.recentFailures().failed(shard, e);
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
        registry.recentFailures().ok(shard);
        ScatterPart.Shared shared = users > 1 ? new ScatterPart.Shared(users) : null;
        boolean first = true;
        for (ScatterPart p : parts) {
            if (p.shard == shard && p.connection == null) {
                p.connection = c;
                p.borrowed = true;
                p.permit = first;
                p.shared = shared;
                first = false;
            }
        }
        catalog.reads(shard, c);
    }

    /** How long a scatter waits for permits: its query timeout when set, else the first pool's connection timeout. */
    private long permitWaitNanos(ScatterPart[] parts) {
        if (timeoutNanos > 0) {
            return timeoutNanos;
        }
        for (ScatterPart p : parts) {
            if (p.connection == null) {
                var pool = registry.pool(p.shard);
                return java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(pool == null ? 30_000 : pool.getConnectionTimeout());
            }
        }
        return 0;
    }

    /** After a failed open: held connections the pool found broken are dropped from the logical connection. */
    void dropBroken(ScatterPart[] parts) {
        try {
            if (!autoCommit(session)) {
                return;
            }
        } catch (SQLException e) {
            return;
        }
        for (ScatterPart p : parts) {
            if (p != null && !p.borrowed) {
                session.dropIfBroken(p.shard);
            }
        }
    }
}
