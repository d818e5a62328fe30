package io.shardkit;

import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.Tenancy;
import io.shardkit.internal.Closer;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import io.shardkit.tenant.SchemaTemplates;
import io.shardkit.tenant.SessionSchema;
import io.shardkit.tenant.SqlScript;
import io.shardkit.tenant.TenantScope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants of a data source with schema-per-tenant tenancy (see {@link Tenancy}): create, migrate,
 * list and drop them while it runs ({@link ShardedDataSource#tenants()}). A tenant's schema lives
 * on every shard of the map; each operation acts on all of them, in map order.
 *
 * <p>A tenant's DDL runs on a pooled connection per shard switched to the tenant's schema (in
 * either mode), so unqualified names in it (tables, sequences, types, foreign keys) land there;
 * the connection is reset before it goes back to its pool. Creating is all or nothing: when the
 * DDL fails on any shard, the schemas made so far are dropped again.
 *
 * <p>Role mode (PostgreSQL): creating a tenant also creates its role ({@code NOLOGIN}, named by the
 * role pattern) if no shard's server has it, grants it to the login user (so {@code SET ROLE} works),
 * creates the schema owned by that role ({@code CREATE SCHEMA ... AUTHORIZATION}), revokes PUBLIC's
 * privileges on it, and lets the role read and write tables the login user creates there later
 * ({@code ALTER DEFAULT PRIVILEGES}); the tenant's DDL runs as the role, so the role owns its tables.
 * No other grant is made: shared tables need the grants the application decides (docs/TENANCY.md).
 * Dropping a tenant drops its schema, what the role owns or was granted in each shard's database,
 * and then the role. A role that exists before the tenant is created refuses the create (it could
 * hold grants nobody meant for the tenant).
 *
 * <p>Dropping deletes data, so it takes the tenant's name twice: {@code drop("client1", "client1")}.
 *
 * <p>Errors: an invalid name {@value #INVALID_NAME}, an unknown tenant {@value #UNKNOWN_TENANT}, a
 * tenant that exists already {@value #EXISTS}, a drop without confirmation {@value #NOT_CONFIRMED}.
 * Thread-safe.
 */
public final class Tenants {
    /** SQLState of a tenant name that is not a plain identifier, too long, or reserved. */
    public static final String INVALID_NAME = SqlStates.INVALID_NAME;
    /** SQLState of a tenant without a schema (never created, or dropped). */
    public static final String UNKNOWN_TENANT = SqlStates.INVALID_SCHEMA_NAME;
    /** SQLState of creating a tenant whose schema exists. */
    public static final String EXISTS = SqlStates.DUPLICATE_SCHEMA;
    /** SQLState of a drop whose confirmation is not the tenant's name. */
    public static final String NOT_CONFIRMED = SqlStates.INVALID_PARAMETER_VALUE;

    /** A tenant's DDL, given a connection in the tenant's schema; called once per shard. */
    @FunctionalInterface
    public interface Setup {
        void run(Connection connection) throws SQLException;
    }

    private final ShardedDataSource owner;
    private final ShardMap map;
    private final Tenancy tenancy;
    private final ShardRegistry registry;
    private final SchemaTemplates templates;
    private final SessionSchema sessions;
    /** Tenants with a view: listed in the map, created here, or found in the database when first asked for. */
    private final ConcurrentHashMap<String, TenantDataSource> known = new ConcurrentHashMap<>();

    Tenants(ShardedDataSource owner, ShardMap map, ShardRegistry registry) {
        this.owner = owner;
        this.map = map;
        this.tenancy = map.tenancy();
        this.registry = registry;
        this.sessions = new SessionSchema(registry);
        this.templates = tenancy != null ? new SchemaTemplates(tenancy, map.settings().analysisCacheSize()) : null;
        if (tenancy != null) {
            for (String t : tenancy.tenants()) {
                known.put(t, view(t));
            }
        }
    }

    private TenantDataSource view(String tenant) {
        return new TenantDataSource(owner, new TenantScope(tenant, tenancy, templates, sessions, registry));
    }

    /** Whether the map configures tenancy. */
    public boolean configured() {
        return tenancy != null;
    }

    /** The map's tenancy settings. */
    public Tenancy tenancy() throws SQLException {
        return require();
    }

    /**
     * The view of a tenant: a tenant listed in the map or created here is answered from memory; any
     * other is looked up in the first shard's database once. Unknown or invalid names fail; there is
     * no default schema to fall back to.
     */
    TenantDataSource forTenant(String tenant) throws SQLException {
        if (tenant != null) {
            TenantDataSource v = known.get(tenant);
            if (v != null) {
                return v;
            }
        }
        Tenancy t = require();
        check(t, tenant);
        int first = shards()[0];
        if (!schemaExists(first, t.schemaOf(tenant))) {
            throw new ShardException("unknown tenant '" + tenant + "': shard " + registry.name(first) + " has no schema "
                    + t.schemaOf(tenant) + " (create the tenant with ds.tenants().create(\"" + tenant + "\", ...))",
                    UNKNOWN_TENANT);
        }
        return known.computeIfAbsent(tenant, this::view);
    }

    /** Whether the tenant's schema exists on the first shard. */
    public boolean exists(String tenant) throws SQLException {
        Tenancy t = require();
        check(t, tenant);
        return schemaExists(shards()[0], t.schemaOf(tenant));
    }

    /** The tenants whose schema exists on any shard, sorted, read from the databases. */
    public List<String> list() throws SQLException {
        Tenancy t = require();
        TreeSet<String> out = new TreeSet<>();
        for (int s : shards()) {
            String sql = registry.dialect(s) == Dialect.MYSQL ? "SELECT schema_name FROM information_schema.schemata"
                    : "SELECT nspname FROM pg_catalog.pg_namespace";
            try (Connection c = registry.borrow(s); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    String tenant = t.tenantOf(rs.getString(1));
                    if (tenant != null) {
                        out.add(tenant);
                    }
                }
            } catch (SQLException e) {
                throw ShardException.fromShard(registry.name(s), sql, e);
            }
        }
        return new ArrayList<>(out);
    }

    /** Creates a tenant with an empty schema on every shard. */
    public TenantDataSource create(String tenant) throws SQLException {
        return create(tenant, (Setup) null);
    }

    /**
     * Creates a tenant: its schema on every shard, then the DDL of a class path resource (statements
     * separated by {@code ;}) run in it on each shard.
     */
    public TenantDataSource create(String tenant, String ddlResource) throws SQLException {
        return create(tenant, script(ddlResource));
    }

    /** Creates a tenant: its schema on every shard, then {@code setup} on a connection in it, per shard. */
    public TenantDataSource create(String tenant, Setup setup) throws SQLException {
        Tenancy t = require();
        check(t, tenant);
        String schema = t.schemaOf(tenant);
        String role = t.roleOf(tenant);
        int[] shards = shards();
        for (int s : shards) {
            if (schemaExists(s, schema)) {
                throw new ShardException("tenant " + tenant + " exists already: shard " + registry.name(s) + " has schema "
                        + schema, EXISTS, 0, registry.name(s), null);
            }
            if (role != null && roleExists(s, role)) {
                throw new ShardException("role " + role + " exists already on the server of shard " + registry.name(s)
                        + "; tenant " + tenant + " is created with a new role of its own (drop that role, or choose"
                        + " another tenancy.role pattern)", EXISTS, 0, registry.name(s), null);
            }
        }
        List<Integer> made = new ArrayList<>();
        try {
            for (int s : shards) {
                if (role != null) {
                    createRoleAndSchema(s, role, schema);
                } else {
                    run(s, (registry.dialect(s) == Dialect.MYSQL ? "CREATE DATABASE " : "CREATE SCHEMA ")
                            + quote(s, schema));
                }
                made.add(s);
                if (setup != null) {
                    runIn(s, schema, role, setup);
                }
            }
        } catch (SQLException | RuntimeException e) {
            for (int s : made) {
                Closer.runAfter(e, () -> {
                    run(s, dropSql(s, schema));
                    if (role != null) {
                        run(s, "DROP OWNED BY " + quote(s, role));
                    }
                });
            }
            if (role != null) {
                dropRole(shards, role, e);
            }
            throw e;
        }
        return known.computeIfAbsent(tenant, this::view);
    }

    /** Runs the DDL of a class path resource in an existing tenant's schema, on every shard. */
    public void migrate(String tenant, String ddlResource) throws SQLException {
        migrate(tenant, script(ddlResource));
    }

    /** Runs {@code setup} on a connection in an existing tenant's schema, once per shard. */
    public void migrate(String tenant, Setup setup) throws SQLException {
        TenantDataSource v = forTenant(tenant);
        owner.tables().forgetSchema(v.schema()); // its DDL may make or drop split tables' physical tables
        for (int s : shards()) {
            runIn(s, v.schema(), tenancy.roleOf(tenant), setup);
        }
    }

    /**
     * Drops a tenant: its schema and everything in it, on every shard. {@code confirmation} must be
     * the tenant's name again; anything else refuses (SQLState {@value #NOT_CONFIRMED}) before any
     * shard is touched. Connections of the tenant made afterwards are refused.
     */
    public void drop(String tenant, String confirmation) throws SQLException {
        Tenancy t = require();
        check(t, tenant);
        String schema = t.schemaOf(tenant);
        if (!tenant.equals(confirmation)) {
            throw new ShardException("dropping tenant " + tenant + " deletes schema " + schema + " and every row in it on"
                    + " every shard; to confirm, pass the tenant's name again: ds.tenants().drop(\"" + tenant + "\", \""
                    + tenant + "\")", NOT_CONFIRMED);
        }
        int[] shards = shards();
        boolean found = false;
        for (int s : shards) {
            found |= schemaExists(s, schema);
        }
        if (!found) {
            throw new ShardException("unknown tenant '" + tenant + "': no shard has schema " + schema, UNKNOWN_TENANT);
        }
        TenantDataSource v = known.remove(tenant);
        if (v != null) {
            v.scope().drop();
        }
        owner.tables().forgetSchema(schema);
        String role = t.roleOf(tenant);
        for (int s : shards) {
            run(s, dropSql(s, schema));
            if (role != null && roleExists(s, role)) {
                run(s, "DROP OWNED BY " + quote(s, role));
            }
        }
        if (role != null) {
            dropRole(shards, role, null);
        }
    }

    /**
     * Role mode, one shard: the tenant's role (once per server: roles are server-wide), its
     * membership for the login user, and the schema owned by the role with nothing for PUBLIC.
     */
    private void createRoleAndSchema(int s, String role, String schema) throws SQLException {
        String r = quote(s, role);
        String q = quote(s, schema);
        if (!roleExists(s, role)) {
            run(s, "CREATE ROLE " + r + " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
            run(s, "GRANT " + r + " TO CURRENT_USER");
        }
        run(s, "CREATE SCHEMA " + q + " AUTHORIZATION " + r);
        run(s, "REVOKE ALL ON SCHEMA " + q + " FROM PUBLIC");
        run(s, "ALTER DEFAULT PRIVILEGES IN SCHEMA " + q + " GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES,"
                + " TRIGGER ON TABLES TO " + r);
        run(s, "ALTER DEFAULT PRIVILEGES IN SCHEMA " + q + " GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO " + r);
    }

    /**
     * Drops a tenant's role once (roles are server-wide: the first shard of each server drops it). After
     * {@code failure} (a failed create), every shard is tried and their failures are added to it.
     */
    private void dropRole(int[] shards, String role, Exception failure) throws SQLException {
        for (int s : shards) {
            Closer.Action drop = () -> {
                if (roleExists(s, role)) {
                    run(s, "DROP ROLE " + quote(s, role));
                }
            };
            if (failure == null) {
                drop.run();
            } else {
                Closer.runAfter(failure, drop);
            }
        }
    }

    private boolean roleExists(int shard, String role) throws SQLException {
        String sql = "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = ?";
        try (Connection c = registry.borrow(shard); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), sql, e);
        }
    }

    /**
     * Role mode: what weakens its isolation on each shard, as one line per shard (empty when
     * nothing does): a login role that is a superuser or has BYPASSRLS.
     */
    public List<String> roleWarnings() throws SQLException {
        List<String> out = new ArrayList<>();
        if (tenancy == null || tenancy.mode() != Tenancy.Mode.ROLE) {
            return out;
        }
        for (int s : shards()) {
            try (Connection c = registry.borrow(s)) {
                String p = SessionSchema.loginRoleProblem(c);
                if (p != null) {
                    out.add("shard " + registry.name(s) + ": " + p);
                }
            } catch (SQLException e) {
                throw ShardException.fromShard(registry.name(s), null, e);
            }
        }
        return out;
    }

    /** How many SQL texts rewrite mode has parsed into templates (shared by all tenants; 0 in search_path mode). */
    public long templatesParsed() {
        return templates == null ? 0 : templates.parses();
    }

    /**
     * Pooled connections evicted because a tenant's schema could not be reset and checked when they
     * were returned (or could not be switched when borrowed); 0 in a healthy system.
     */
    public long connectionsEvicted() {
        return sessions.evicted();
    }

    // ---- helpers ----

    private Tenancy require() throws SQLException {
        if (tenancy == null) {
            throw new ShardException("tenancy is not configured: add a tenancy: section to the shard map (mode, schema:"
                    + " tenant_{tenant}, ...) or call ShardedDataSource.builder().tenancy(...)", ShardException.ROUTING);
        }
        return tenancy;
    }

    private static void check(Tenancy t, String tenant) throws SQLException {
        String why = t.problem(tenant);
        if (why != null) {
            throw new ShardException(why, INVALID_NAME);
        }
    }

    /** The map's shards, by registry index. */
    private int[] shards() {
        List<ShardSpec> specs = map.shards();
        int[] out = new int[specs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = registry.indexOf(specs.get(i).name());
        }
        return out;
    }

    private String quote(int shard, String schema) {
        return registry.dialect(shard) == Dialect.MYSQL ? '`' + schema + '`' : '"' + schema + '"';
    }

    private String dropSql(int shard, String schema) {
        return registry.dialect(shard) == Dialect.MYSQL ? "DROP DATABASE IF EXISTS " + quote(shard, schema)
                : "DROP SCHEMA IF EXISTS " + quote(shard, schema) + " CASCADE";
    }

    private boolean schemaExists(int shard, String schema) throws SQLException {
        String sql = registry.dialect(shard) == Dialect.MYSQL
                ? "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?"
                : "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?";
        try (Connection c = registry.borrow(shard); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), sql, e);
        }
    }

    private void run(int shard, String sql) throws SQLException {
        try (Connection c = registry.borrow(shard); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), sql, e);
        }
    }

    private void runIn(int shard, String schema, String role, Setup setup) throws SQLException {
        try (Connection c = sessions.borrow(shard, schema, role)) {
            setup.run(c);
        } catch (ShardException e) {
            throw e;
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
    }

    /** A class path resource's statements as a setup; read (and missing resources reported) before any shard is touched. */
    static Setup script(String resource) throws SQLException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        String text;
        try (InputStream in = (loader != null ? loader : Tenants.class.getClassLoader()).getResourceAsStream(path)) {
            if (in == null) {
                throw new ShardException("tenant DDL resource '" + resource + "' is not on the class path", SqlStates.IO_ERROR);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ShardException("cannot read tenant DDL resource '" + resource + "': " + e, SqlStates.IO_ERROR, 0, null, e);
        }
        List<String> statements = SqlScript.split(text);
        return c -> {
            try (Statement st = c.createStatement()) {
                for (int i = 0; i < statements.size(); i++) {
                    try {
                        st.execute(statements.get(i));
                    } catch (SQLException e) {
                        throw new SQLException(e.getMessage() + " [" + resource + ", statement " + (i + 1) + ": "
                                + ShardException.shorten(statements.get(i)) + "]", e.getSQLState(), e.getErrorCode(), e);
                    }
                }
            }
        };
    }
}
