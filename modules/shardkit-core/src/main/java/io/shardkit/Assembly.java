package io.shardkit;

import io.shardkit.config.Settings;
import io.shardkit.config.ShardMap;
import io.shardkit.exec.Executor;
import io.shardkit.exec.Fenced;
import io.shardkit.exec.Session;
import io.shardkit.internal.ScatterThreads;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.pool.ReadOnlyCheck;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.reshard.Epochs;
import io.shardkit.route.Router;
import io.shardkit.route.SplitCatalog;
import io.shardkit.sql.AnalysisCache;
import io.shardkit.sql.Analyzer;
import io.shardkit.tenant.TenantScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What one {@link ShardedDataSource} is made of, built once from its map: the shards' pools (the
 * registry), the analysis cache, the router, the threads that start scatter queries; and the
 * logical connections made over them. The facade hands out; this holds. Thread-safe.
 */
final class Assembly {
    final ShardMap map;
    final ShardRegistry registry;
    private final AnalysisCache cache;
    private final Router router;
    private final ExecutorService scatter;
    private final long mergeRowLimit;
    /** The versioned map's poll, or {@code null} without {@code resharding:}. */
    private final Epochs epochs;
    /** Re-reads the versioned map when a fence refused a write (every logical connection's executor shares it). */
    private final Fenced.Refresh refresh;

    /**
     * Opens the map's pools; the map is validated. With {@code resharding:}, binds this data
     * source's own bucket strategies, reads the live epochs from the control shard (creating and
     * seeding its table when needed) and starts the poll; a failure there closes the pools again.
     */
    Assembly(ShardMap given) throws ShardException {
        ShardMap map = Epochs.bind(given);
        Settings settings = map.settings();
        this.map = map;
        this.registry = new ShardRegistry(map);
        if (map.resharding() == null) {
            this.epochs = null;
        } else {
            int control = registry.indexOf(map.resharding().control());
            try {
                this.epochs = Epochs.start(map, () -> registry.borrow(control));
            } catch (SQLException | RuntimeException e) {
                registry.close();
                if (e instanceof ShardException s) {
                    throw s;
                }
                if (e instanceof SQLException q) {
                    throw ShardException.fromShard(map.resharding().control(), "read the versioned map shardkit_map", q);
                }
                throw (RuntimeException) e;
            }
        }
        this.refresh = epochs == null ? Fenced.NONE : epochs::refresh;
        this.cache = new AnalysisCache(new Analyzer(map), settings.analysisCacheSize());
        this.router = new Router(map, registry);
        this.mergeRowLimit = settings.mergeRowLimit();
        int threads = settings.scatterThreads() > 0 ? settings.scatterThreads() : Math.max(4, map.shards().size());
        this.scatter = ScatterThreads.pool(threads);
    }

    /** A logical connection: pinned to shard {@code pinned} (or -1 to route), for a tenant (or {@code null}). */
    ShardedConnection connection(int pinned, TenantScope tenant) {
        Session session = new Session(registry, tenant, pinned);
        return new ShardedConnection(registry, cache, new Executor(registry, router, session, refresh), scatter, mergeRowLimit);
    }

    /** The index of an open shard of the map or a runtime one, to pin a connection to. */
    int openShard(String shard) throws ShardException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw unknownShard(shard);
        }
        if (!registry.isOpen(shard)) {
            throw new ShardException("shard " + shard + " is closed; open it again to use it",
                    SqlStates.CONNECTION_DOES_NOT_EXIST, 0, shard, null);
        }
        return i;
    }

    /** Throws naming the known shards when {@code shard} is neither a shard of the map nor a runtime one. */
    void checkKnown(String shard) throws ShardException {
        if (registry.indexOf(shard) < 0) {
            throw unknownShard(shard);
        }
    }

    private ShardException unknownShard(String shard) {
        return new ShardException("unknown shard '" + shard + "' (known: " + String.join(", ", map.shardNames()) + ")",
                ShardException.ROUTING);
    }

    /** What is known of split tables' physical tables, or {@code null} when no table is split. */
    SplitCatalog splitCatalog() {
        return router.splitCatalog();
    }

    Explain explain(String sql, Object[] params) throws SQLException {
        return Executor.explain(cache.get(sql), params, router, registry);
    }

    /** See {@link ShardedDataSource#readOnlyProblems}. */
    List<String> readOnlyProblems(String shard) throws SQLException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw new ShardException("unknown shard '" + shard + "'", ShardException.ROUTING);
        }
        try (Connection c = registry.borrow(i)) {
            return ReadOnlyCheck.problems(c, registry.dialect(i));
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, null, e);
        }
    }

    /** See {@link ShardedDataSource#activeConnections}. */
    int activeConnections(String shard) {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw new IllegalArgumentException("unknown shard " + shard);
        }
        var pool = registry.pool(i);
        var mx = pool == null ? null : pool.getHikariPoolMXBean();
        return mx == null ? 0 : mx.getActiveConnections();
    }

    void close() {
        if (epochs != null) {
            epochs.close();
        }
        scatter.shutdownNow();
        registry.close();
    }
}
