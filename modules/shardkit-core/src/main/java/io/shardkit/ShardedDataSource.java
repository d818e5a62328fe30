package io.shardkit;

import io.shardkit.archive.Archiver;
import io.shardkit.config.MapBuilder;
import io.shardkit.config.Settings;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.config.Tenancy;
import io.shardkit.config.YamlShardMap;
import io.shardkit.ids.Ids;
import io.shardkit.jdbc.ShardKey;
import io.shardkit.pool.AdminConnections;
import io.shardkit.reshard.Resharding;
import io.shardkit.strategy.Strategy;
import io.shardkit.tenant.TenantScope;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ConnectionBuilder;
import java.sql.SQLException;
import java.sql.ShardingKeyBuilder;
import java.util.List;
import java.util.Map;

/**
 * Many databases as one {@link javax.sql.DataSource}. Built from a shard map (YAML or {@link #builder()}), it holds one
 * HikariCP pool per shard; {@link #getConnection()} returns a lazy connection that routes each statement by its
 * shard key through the table's choosers.
 *
 * <p>Thread-safe. No global state: any number of instances may live in one JVM. Closing it closes every pool.
 */
public final class ShardedDataSource extends DataSourceView implements AutoCloseable {
    /** Distinct SQL texts whose analysis is kept. */
    public static final int DEFAULT_ANALYSIS_CACHE = Settings.DEFAULT_ANALYSIS_CACHE;
    /** Rows a merge may hold in memory (sort of groups, hash grouping, distinct) before it fails. */
    public static final long DEFAULT_MERGE_ROW_LIMIT = Settings.DEFAULT_MERGE_ROW_LIMIT;

    private final Assembly parts;
    private final Tenants tenants;

    private ShardedDataSource(ShardMap map) throws ShardException {
        super(null);
        this.parts = new Assembly(map);
        this.tenants = new Tenants(this, map, parts.registry);
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
        return parts.connection(-1, null);
    }

    /** A connection pinned to one shard: statements run there as written, unrouted (maintenance, vendor SQL). */
    public Connection connectionTo(String shard) throws SQLException {
        return parts.connection(parts.openShard(shard), null);
    }

    /**
     * One shard as a plain {@code DataSource}, for tools that run once per shard (Flyway, Liquibase, Hibernate's
     * schema tools): its connections are {@link #connectionTo(String)}'s.
     * @throws ShardException naming the known shards when {@code shard} is not one of them
     */
    public ShardDataSource dataSourceFor(String shard) throws SQLException {
        parts.checkKnown(shard);
        return new ShardDataSource(this, shard);
    }

    /**
     * One tenant's view (schema-per-tenant tenancy, YAML {@code tenancy:}): its connections run every statement in the
     * tenant's schema, over the pools all tenants share. A tenant of the map or of {@link #tenants()} is answered from
     * memory; another is looked up in the database once.
     * @throws SQLException SQLState {@value Tenants#INVALID_NAME} for a name that is not a plain lower-case identifier
     *     (or too long, or reserved), {@value Tenants#UNKNOWN_TENANT} for a tenant without a schema; never a fallback
     */
    public TenantDataSource forTenant(String tenant) throws SQLException {
        return tenants.forTenant(tenant);
    }

    /** Create, migrate, list and drop the tenants of schema-per-tenant tenancy at runtime. */
    public Tenants tenants() {
        return tenants;
    }

    Connection tenantConnection(TenantScope tenant) { // TenantDataSource's lazy routing connection
        return parts.connection(-1, tenant);
    }

    /**
     * JDBC 4.3: {@code createConnectionBuilder().shardingKey(key).build()} pins the connection to the key's shard, placed
     * by the strategy of the table the super sharding key names (or, without one, the one all sharded tables share).
     */
    @Override
    public ConnectionBuilder createConnectionBuilder() {
        return new KeyedConnectionBuilder(this, parts.map);
    }

    @Override
    public ShardingKeyBuilder createShardingKeyBuilder() {
        return ShardKey.builder();
    }

    /**
     * How a statement would be routed and planned, with the choosers' reasons. Runs nothing; opens no connection but to
     * read split tables' physical tables from the catalogs. Throws what executing it would throw when it is refused.
     * @param params the values of its {@code ?} parameters, in order
     */
    public Explain explain(String sql, Object... params) throws SQLException {
        return parts.explain(sql, params);
    }

    /**
     * The archiver of one tiered table ({@link Archiver#of(ShardedDataSource, String)}); opens nothing.
     * @throws ShardException SQLState {@value Archiver#NOT_ARCHIVABLE} when the map does not name the table, gives it no
     *     archive tier, or gives its archive no cutoff
     */
    public Archiver archiver(String table) throws ShardException {
        return Archiver.of(this, table);
    }

    /** Ids of a buckets table that carry a key's bucket ({@code ids("matches").next(playerId)}): {@link Ids#of}. */
    public Ids ids(String table) throws ShardException {
        return Ids.of(this, table);
    }

    /** The versioned map and its mover ({@code resharding:} in the map): {@link Resharding#of}; opens nothing. */
    public Resharding reshard() throws ShardException {
        return Resharding.of(this);
    }

    /** How a shard's pool user could write, a line each, as its database says; empty: read-only holds there. */
    public List<String> readOnlyProblems(String shard) throws SQLException {
        return parts.readOnlyProblems(shard);
    }

    /** Shards opened and closed at runtime (a database per tenant, a file per album). */
    public Shards shards() {
        return new Shards(parts.registry);
    }

    /** The physical tables of split tables ({@link Tables}). */
    public Tables tables() {
        return new Tables(parts.map, parts.registry, parts.splitCatalog());
    }

    public ShardMap shardMap() {
        return parts.map;
    }

    /** The shards of the shard map (runtime shards: {@link #shards()}). */
    public List<String> shardNames() {
        return parts.map.shardNames();
    }

    /**
     * The shards known to be down now, with why (a missing SQLite file, a pool that cannot start): statements needing
     * them fail with 08001 or 08006 naming them, the others work. A shard is marked again each time tried.
     */
    public Map<String, String> downShards() {
        return parts.registry.downShards();
    }

    /** Connections of a shard's pool currently borrowed (0 when nothing leaked). */
    public int activeConnections(String shard) {
        return parts.activeConnections(shard);
    }

    /** Closes every shard's pool. Connections still borrowed are closed by HikariCP. */
    @Override
    public void close() {
        parts.close();
    }

    @Override
    Object behind(Class<?> iface) {
        // the archive package's hook: its open() refuses callers outside it, so applications keep the read-only rule
        return iface == AdminConnections.class ? new AdminConnections(parts.registry) : null;
    }

    /** Builds the same shard map as the YAML format does, in Java (the parts: {@link MapBuilder}). */
    public static final class Builder {
        private final MapBuilder map = new MapBuilder();

        private Builder() {
        }

        /**
         * Schema-per-tenant tenancy, as the YAML {@code tenancy:} section: for example
         * {@code Tenancy.rewrite("tenant_{tenant}").withShared("public.users").withTenants("client1")}.
         */
        public Builder tenancy(Tenancy value) {
            map.tenancy(value);
            return this;
        }

        public Builder shard(String name, String jdbcUrl) {
            return shard(ShardSpec.of(name, jdbcUrl));
        }

        public Builder shard(ShardSpec spec) {
            map.shard(spec);
            return this;
        }

        /** A HikariCP setting for every shard's pool (see {@link io.shardkit.config.PoolSettings}). */
        public Builder pool(String setting, Object value) {
            map.pool(setting, value);
            return this;
        }

        public Builder table(TableRule rule) {
            map.table(rule);
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
            map.defaultShard(shard);
            return this;
        }

        /** Distinct SQL texts whose analysis is kept (default {@value #DEFAULT_ANALYSIS_CACHE}). */
        public Builder analysisCacheSize(int entries) {
            map.analysisCacheSize(entries);
            return this;
        }

        /** Threads that start the shard queries of a merged read (default: max(4, shards)). */
        public Builder scatterThreads(int threads) {
            map.scatterThreads(threads);
            return this;
        }

        /** Rows a merge may hold in memory before failing with SQLState 54000 (default 1,000,000). */
        public Builder mergeRowLimit(long rows) {
            map.mergeRowLimit(rows);
            return this;
        }

        /**
         * Estimated bytes of merge state (hash grouping, DISTINCT and its aggregates, sorting groups) one statement,
         * and all statements of the data source together, may hold before failing with SQLState 54000 (default a
         * quarter of the maximum heap). {@link #mergeRowLimit} applies as well.
         */
        public Builder mergeMemory(long bytes) {
            map.mergeMemory(bytes);
            return this;
        }

        /** Milliseconds without use after which a runtime shard's pool closes (default 60,000). */
        public Builder runtimeIdleTimeout(long millis) {
            map.runtimeIdleTimeout(millis);
            return this;
        }

        /** The most connections all runtime shards together may hold (default 32). */
        public Builder runtimeConnectionCap(int connections) {
            map.runtimeConnectionCap(connections);
            return this;
        }

        public ShardMap map() {
            return map.map();
        }

        public ShardedDataSource build() throws SQLException {
            return new ShardedDataSource(map().validated("(built in Java)"));
        }
    }
}
