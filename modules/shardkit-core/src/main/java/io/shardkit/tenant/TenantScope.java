package io.shardkit.tenant;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.Tenancy;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a tenant's connections need at the two places shardkit touches a shard: the SQL sent
 * ({@link #sql}: checked in every mode, and in rewrite mode its tables put in the tenant's schema)
 * and the pooled connection borrowed ({@link #borrow}: in search_path and role modes switched to the
 * tenant's schema, and in role mode to its role; in every mode checked, and reset, on return). One
 * per tenant, shared by all its connections; immutable but for {@link #drop}. Thread-safe.
 */
public final class TenantScope {
    private final String tenant;
    private final String schema;
    private final boolean rewrite;
    /** The tenant's role (role mode), or {@code null}. */
    private final String role;
    private final String quotedAnsi;
    private final String quotedMysql;
    private final SchemaTemplates templates;
    private final SessionSchema sessions;
    private final ShardRegistry registry;
    private volatile boolean dropped;

    /** @param templates the data source's shared templates (they rewrite in rewrite mode, check in the others) */
    public TenantScope(String tenant, Tenancy tenancy, SchemaTemplates templates, SessionSchema sessions,
            ShardRegistry registry) {
        this.tenant = tenant;
        this.schema = tenancy.schemaOf(tenant);
        this.rewrite = tenancy.mode() == Tenancy.Mode.REWRITE;
        this.role = tenancy.roleOf(tenant);
        // names are [a-z0-9_] only (Tenancy checks), so quoting needs no escaping
        this.quotedAnsi = '"' + schema + '"';
        this.quotedMysql = '`' + schema + '`';
        this.templates = templates;
        this.sessions = sessions;
        this.registry = registry;
    }

    public String tenant() {
        return tenant;
    }

    /** The tenant's physical schema (on MySQL/MariaDB: its database). */
    public String schema() {
        return schema;
    }

    public boolean rewrites() {
        return rewrite;
    }

    /** The tenant's role in role mode, or {@code null}. */
    public String role() {
        return role;
    }

    private String modeName() {
        return rewrite ? "rewrite" : role != null ? "role" : "search_path";
    }

    /**
     * The SQL to send to a shard for this tenant: the text's template (worked out once per text,
     * for all tenants), in rewrite mode with the tenant's quoted schema put in, in the other modes
     * the text unchanged. Refused when the statement cannot be confined to the schema, names a
     * schema that is neither the tenant's nor a shared table's, reads a catalog (0A000), or names
     * another tenant's schema (42501).
     */
    public String sql(int shard, String sql) throws SQLException {
        SchemaTemplates.Template t = templates.get(sql);
        if (t.refusal() != null) {
            throw new RefusedException(t.refusal() + " (tenant " + tenant + ", " + modeName() + " mode)", sql);
        }
        String[] named = t.tenantSchemas();
        for (String s : named) {
            if (!s.equals(schema)) {
                throw new ShardException("the statement names schema " + s + ", which belongs to another tenant;"
                        + " a connection of tenant " + tenant + " reaches only " + schema + " and shared tables [sql: "
                        + ShardException.shorten(sql) + "]", SqlStates.INSUFFICIENT_PRIVILEGE);
            }
        }
        return t.apply(registry.dialect(shard) == Dialect.MYSQL ? quotedMysql : quotedAnsi);
    }

    /**
     * Borrows a shard's pooled connection for this tenant: in search_path mode switched to the
     * tenant's schema, in role mode also to its role, in rewrite mode as the pool gives it. Closing
     * it resets what was switched and checks the connection is as a fresh one of its pool (schema,
     * search path, user), evicting it otherwise.
     */
    public Connection borrow(int shard) throws SQLException {
        return rewrite ? sessions.borrowChecked(shard) : sessions.borrow(shard, schema, role);
    }

    /**
     * Borrows a shard's pooled connection switched to the tenant's schema (and in role mode its
     * role) whatever the mode: for DDL shardkit itself runs for the tenant, such as creating a
     * split table's physical table, whose statements name tables unqualified. Reset on close.
     */
    public Connection borrowInSchema(int shard) throws SQLException {
        return sessions.borrow(shard, schema, role);
    }

    /** Whether the tenant was dropped through this data source. */
    public boolean dropped() {
        return dropped;
    }

    /** Marks the tenant dropped: its data source view refuses new connections. */
    public void drop() {
        dropped = true;
    }

    @Override
    public String toString() {
        return "tenant " + tenant + " (schema " + schema + (role == null ? "" : ", role " + role) + ", " + modeName()
                + " mode)";
    }
}
