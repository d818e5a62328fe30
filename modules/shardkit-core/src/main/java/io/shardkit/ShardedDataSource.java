package io.shardkit;

import io.shardkit.archive.Archiver;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.config.YamlShardMap;
import io.shardkit.pool.AdminConnections;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.jdbc.ShardKey;
import io.shardkit.exec.Executor;
import io.shardkit.exec.Session;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.route.Router;
import io.shardkit.sql.AnalysisCache;
import io.shardkit.sql.Analyzer;
import io.shardkit.strategy.Strategy;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.ShardingKeyBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Many databases as one {@link DataSource}. Built from a shard map (YAML or {@link #builder()}),
 * it holds one HikariCP pool per shard; {@link #getConnection()} returns a lazy connection that
 * routes each statement by its shard key through the table's choosers.
 *
 * <p>Thread-safe. No global state: any number of instances may live in one JVM. Closing it
 * closes every pool.
 */
public final class ShardedDataSource implements DataSource, AutoCloseable {
    /** Distinct SQL texts whose analysis is kept. */
    public static final int DEFAULT_ANALYSIS_CACHE = 10_000;

    private final ShardMap map;
    private final ShardRegistry registry;
    private final AnalysisCache cache;
    private final Router router;
    private final Tenants tenants;
    private final java.util.concurrent.ExecutorService scatter;
    private final long mergeRowLimit;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeout;

    /** Rows a merge may hold in memory (sort of groups, hash grouping, distinct) before it fails. */
    public static final long DEFAULT_MERGE_ROW_LIMIT = 1_000_000;

    private ShardedDataSource(ShardMap map, int cacheSize, int scatterThreads, long mergeRowLimit)
            throws ShardException {
        this.map = map;
        this.registry = new ShardRegistry(map);
        this.cache = new AnalysisCache(new Analyzer(map), cacheSize);
        this.router = new Router(map, registry);
        this.tenants = new Tenants(this, map, registry);
        this.mergeRowLimit = mergeRowLimit;
        int threads = scatterThreads > 0 ? scatterThreads : Math.max(4, map.shards().size());
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.scatter = new java.util.concurrent.ThreadPoolExecutor(threads, threads, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "shardkit-scatter-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        ((java.util.concurrent.ThreadPoolExecutor) scatter).allowCoreThreadTimeOut(true);
    }

    private ShardedDataSource(ShardMap map) throws ShardException {
        this(map, map.settings().analysisCacheSize(), map.settings().scatterThreads(), map.settings().mergeRowLimit());
    }

    /** Loads a YAML shard map (see {@code shard-config/shard-map.schema.json}) and opens its pools. */
    public static ShardedDataSource fromYaml(Path file) throws SQLException {
        return new ShardedDataSource(YamlShardMap.load(file));
    }

    /** Like {@link #fromYaml(Path)}; {@code ${VAR}} is read from the environment. */
    public static ShardedDataSource fromYaml(InputStream yaml) throws SQLException {
        return new ShardedDataSource(YamlShardMap.load(yaml, "<stream>", System::getenv));
    }

    /** A data source over a map built in Java; the map is validated first. */
    public static ShardedDataSource of(ShardMap map) throws SQLException {
        return new ShardedDataSource(map.validated("(built in Java)"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A lazy connection that routes every statement; it borrows from a shard's pool only when a statement needs it. */
    @Override
    public Connection getConnection() throws SQLException {
        return connection(-1, null);
    }

    /** Refused: credentials are per shard and come from the shard map. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set per shard in the shard map; use getConnection()",
                "0A000");
    }

    /**
     * A connection pinned to one shard: every statement runs there as written, without routing
     * or refusals. For maintenance, vendor SQL shardkit cannot parse, and per-shard work.
     */
    public Connection connectionTo(String shard) throws SQLException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw unknownShard(shard);
        }
        if (!registry.isOpen(shard)) {
            throw new ShardException("shard " + shard + " is closed; open it again to use it", "08003", 0, shard, null);
        }
        return connection(i, null);
    }

    private ShardException unknownShard(String shard) {
        return new ShardException("unknown shard '" + shard + "' (known: " + String.join(", ", map.shardNames()) + ")",
                ShardException.ROUTING);
    }

    /**
     * One shard as a plain {@code DataSource}, for tools that run once per shard (Flyway, Liquibase,
     * Hibernate's schema tools): its connections are {@link #connectionTo(String)}'s.
     *
     * @throws ShardException naming the known shards when {@code shard} is not one of them
     */
    public ShardDataSource dataSourceFor(String shard) throws SQLException {
        if (registry.indexOf(shard) < 0) {
            throw unknownShard(shard);
        }
        return new ShardDataSource(this, shard);
    }

    /**
     * One tenant's view of this data source (schema-per-tenant tenancy, YAML {@code tenancy:}): its
     * connections run every statement in the tenant's schema, over the same pools as every other
     * tenant. A tenant listed in the map or created through {@link #tenants()} is answered from
     * memory; another is looked up in the database once.
     *
     * @throws SQLException SQLState {@value Tenants#INVALID_NAME} for a name that is not a plain
     *     lower-case identifier (or too long, or reserved), {@value Tenants#UNKNOWN_TENANT} for a
     *     tenant without a schema; never a fallback to a default schema
     */
    public TenantDataSource forTenant(String tenant) throws SQLException {
        return tenants.forTenant(tenant);
    }

    /** Create, migrate, list and drop the tenants of schema-per-tenant tenancy at runtime. */
    public Tenants tenants() {
        return tenants;
    }

    /** A lazy routing connection for one tenant; see {@link TenantDataSource#getConnection()}. */
    Connection tenantConnection(io.shardkit.tenant.TenantScope tenant) {
        return connection(-1, tenant);
    }

    /**
     * JDBC 4.3: {@code createConnectionBuilder().shardingKey(key).build()} pins the connection to the
     * key's shard. The key is placed by the strategy of the table named by the super sharding key
     * (a one-value key holding a table name), or, without one, by the one strategy all sharded
     * tables share.
     */
    @Override
    public ConnectionBuilder createConnectionBuilder() {
        return new ConnectionBuilder() {
            private ShardKey key;
            private ShardKey superKey;

            @Override
            public ConnectionBuilder user(String username) {
                return this;
            }

            @Override
            public ConnectionBuilder password(String password) {
                return this;
            }

            @Override
            public ConnectionBuilder shardingKey(java.sql.ShardingKey shardingKey) {
                key = (ShardKey) shardingKey;
                return this;
            }

            @Override
            public ConnectionBuilder superShardingKey(java.sql.ShardingKey superShardingKey) {
                superKey = (ShardKey) superShardingKey;
                return this;
            }

            @Override
            public Connection build() throws SQLException {
                if (key == null) {
                    return getConnection();
                }
                return connectionTo(shardOf(key, superKey));
            }
        };
    }

    @Override
    public ShardingKeyBuilder createShardingKeyBuilder() {
        return ShardKey.builder();
    }

    private String shardOf(ShardKey key, ShardKey superKey) throws SQLException {
        if (key.values().size() != 1) {
            throw new ShardException("a sharding key must have exactly one subkey (the shard key value), got "
                    + key.values().size(), ShardException.ROUTING);
        }
        TableRule rule;
        if (superKey != null) {
            String table = String.valueOf(superKey.values().get(0)).toLowerCase(java.util.Locale.ROOT);
            rule = map.tables().get(table);
            if (rule == null || !rule.isSharded()) {
                throw new ShardException("super sharding key names '" + table + "', which is not a sharded table of the map",
                        ShardException.ROUTING);
            }
        } else {
            Set<Strategy> strategies = new LinkedHashSet<>();
            rule = null;
            for (TableRule r : map.tables().values()) {
                if (r.isSharded()) {
                    strategies.add(r.strategy());
                    rule = r;
                }
            }
            if (strategies.size() != 1) {
                throw new ShardException("the map has " + strategies.size() + " different strategies; name the table in "
                        + "a super sharding key: superShardingKey(createShardingKeyBuilder().subkey(\"players\", "
                        + "JDBCType.VARCHAR).build())", ShardException.ROUTING);
            }
        }
        return rule.strategy().candidates(rule.table(), key.values().get(0)).shards().get(0);
    }

    /** A logical connection: pinned to shard {@code pinned} (or -1 to route), for a tenant (or {@code null}). */
    private ShardedConnection connection(int pinned, io.shardkit.tenant.TenantScope tenant) {
        Session session = new Session(registry, tenant, pinned);
        return new ShardedConnection(registry, cache, new Executor(registry, router, session), scatter, mergeRowLimit);
    }

    /**
     * How a statement would be routed and planned, with the choosers' reasons. Runs nothing and
     * opens no connection. Throws what executing it would throw when it is refused.
     *
     * @param params the values of its {@code ?} parameters, in order
     */
    public Explain explain(String sql, Object... params) throws SQLException {
        return Executor.explain(cache.get(sql), params, router, registry);
    }

    /**
     * The archiver of one tiered table of this data source's map: {@link Archiver#of(ShardedDataSource, String)}.
     * Opens nothing.
     *
     * @throws ShardException SQLState {@value Archiver#NOT_ARCHIVABLE} when the map does not name the
     *         table, gives it no archive tier, or gives its archive no cutoff
     */
    public Archiver archiver(String table) throws ShardException {
        return Archiver.of(this, table);
    }

    /**
     * Asks a shard's database, on one of its pool's connections, whether it would itself refuse every
     * write from that connection's user, as a read-only (archive) shard should: see
     * {@link io.shardkit.pool.ReadOnlyCheck} for what is asked per database. Returns the ways the user
     * could write, one line each; empty when read-only holds at the database. {@code shardkit check}
     * reports it for every read-only shard.
     */
    public List<String> readOnlyProblems(String shard) throws SQLException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw new ShardException("unknown shard '" + shard + "'", ShardException.ROUTING);
        }
        try (Connection c = registry.borrow(i)) {
            return io.shardkit.pool.ReadOnlyCheck.problems(c, registry.dialect(i));
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, null, e);
        }
    }

    /** Shards opened and closed at runtime (a database per tenant, a file per album). */
    public Shards shards() {
        return new Shards(registry);
    }

    public ShardMap shardMap() {
        return map;
    }

    /** The shards of the shard map (runtime shards: {@link #shards()}). */
    public List<String> shardNames() {
        return map.shardNames();
    }

    /**
     * The shards known to be down now, by name, with why (a SQLite file that is missing, a pool
     * that cannot start): statements that need them fail with SQLState 08001 or 08006 naming
     * them, while the other shards work. A shard is marked again each time it is tried.
     */
    public Map<String, String> downShards() {
        return registry.downShards();
    }

    /** Connections of a shard's pool currently borrowed (0 when nothing leaked). */
    public int activeConnections(String shard) {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw new IllegalArgumentException("unknown shard " + shard);
        }
        var pool = registry.pool(i);
        var mx = pool == null ? null : pool.getHikariPoolMXBean();
        return mx == null ? 0 : mx.getActiveConnections();
    }

    /** Closes every shard's pool. Connections still borrowed are closed by HikariCP. */
    @Override
    public void close() {
        scatter.shutdownNow();
        registry.close();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("shardkit logs through SLF4J", "0A000");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface == AdminConnections.class) {
            // the internal hook of io.shardkit.archive: its open() refuses any caller outside that package,
            // so applications keep the read-only rule
            return iface.cast(new AdminConnections(registry));
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /** Builds the same shard map as the YAML format does, in Java. */
    public static final class Builder {
        private final List<ShardSpec> shards = new ArrayList<>();
        private final Map<String, Object> pool = new LinkedHashMap<>();
        private final Map<String, TableRule> tables = new LinkedHashMap<>();
        private String defaultShard;
        private int cacheSize = DEFAULT_ANALYSIS_CACHE;
        private int scatterThreads;
        private long mergeRowLimit = DEFAULT_MERGE_ROW_LIMIT;
        private long mergeMemory = io.shardkit.config.Settings.defaultMergeMemory();
        private long runtimeIdleTimeout = io.shardkit.config.Settings.DEFAULTS.runtimeIdleTimeout();
        private int runtimeConnectionCap = io.shardkit.config.Settings.DEFAULTS.runtimeConnectionCap();
        private io.shardkit.config.Tenancy tenancy;

        private Builder() {
        }

        /**
         * Schema-per-tenant tenancy, as the YAML {@code tenancy:} section: for example
         * {@code Tenancy.rewrite("tenant_{tenant}").withShared("public.users").withTenants("client1")}.
         */
        public Builder tenancy(io.shardkit.config.Tenancy value) {
            tenancy = value;
            return this;
        }

        public Builder shard(String name, String jdbcUrl) {
            return shard(ShardSpec.of(name, jdbcUrl));
        }

        public Builder shard(ShardSpec spec) {
            shards.add(spec);
            return this;
        }

        /** A HikariCP setting for every shard's pool (see {@link io.shardkit.config.PoolSettings}). */
        public Builder pool(String setting, Object value) {
            pool.put(setting, value);
            return this;
        }

        public Builder table(TableRule rule) {
            tables.put(rule.table(), rule);
            return this;
        }

        public Builder sharded(String table, String keyColumn, Strategy strategy) {
            return table(TableRule.sharded(table, keyColumn, strategy));
        }

        public Builder broadcast(String table) {
            return table(TableRule.broadcast(table));
        }

        public Builder pinned(String table, String shard) {
            return table(TableRule.pinned(table, shard));
        }

        public Builder defaultShard(String shard) {
            defaultShard = shard;
            return this;
        }

        /** Distinct SQL texts whose analysis is kept (default {@value #DEFAULT_ANALYSIS_CACHE}). */
        public Builder analysisCacheSize(int entries) {
            cacheSize = entries;
            return this;
        }

        /** Threads that start the shard queries of a merged read (default: max(4, shards)). */
        public Builder scatterThreads(int threads) {
            scatterThreads = threads;
            return this;
        }

        /** Rows a merge may hold in memory before failing with SQLState 54000 (default 1,000,000). */
        public Builder mergeRowLimit(long rows) {
            mergeRowLimit = rows;
            return this;
        }

        /**
         * Estimated bytes of merge state (hash grouping, DISTINCT and its aggregates, sorting groups)
         * one statement, and all statements of the data source together, may hold before failing
         * with SQLState 54000 (default a quarter of the maximum heap). {@link #mergeRowLimit}
         * applies as well.
         */
        public Builder mergeMemory(long bytes) {
            mergeMemory = bytes;
            return this;
        }

        /** Milliseconds without use after which a runtime shard's pool closes (default 60,000). */
        public Builder runtimeIdleTimeout(long millis) {
            runtimeIdleTimeout = millis;
            return this;
        }

        /** The most connections all runtime shards together may hold (default 32). */
        public Builder runtimeConnectionCap(int connections) {
            runtimeConnectionCap = connections;
            return this;
        }

        public ShardMap map() {
            return new ShardMap(shards, pool, tables, defaultShard,
                    new io.shardkit.config.Settings(cacheSize, scatterThreads, mergeRowLimit, runtimeIdleTimeout,
                            runtimeConnectionCap, mergeMemory), tenancy);
        }

        public ShardedDataSource build() throws SQLException {
            return new ShardedDataSource(map().validated("(built in Java)"));
        }
    }
}
