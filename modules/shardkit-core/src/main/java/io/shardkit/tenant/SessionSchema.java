package io.shardkit.tenant;

import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lends pooled shard connections switched to a tenant's schema (and in role mode its role), and
 * makes sure none goes back to its pool still in it. Used by search_path and role modes for every
 * borrow, by rewrite mode to check connections on return ({@link #borrowChecked}), and by tenant
 * DDL in every mode.
 *
 * <p>Role mode (PostgreSQL): {@code SET ROLE "tenant_role"} right after the borrow, {@code RESET ROLE}
 * before the return; then {@code current_user} and {@code session_user} must be the login user a
 * fresh connection of the shard has, or the connection is evicted. The first borrow of each shard
 * warns (log) when that login user is a superuser or has BYPASSRLS: a superuser login can take any
 * role back, so role mode's guarantee assumes an ordinary login role (see docs/TENANCY.md).
 *
 * <p>Switching: PostgreSQL {@code setSchema} (the search path becomes the tenant's schema alone),
 * MySQL/MariaDB {@code setCatalog} ({@code USE}), done first thing after the borrow, in autocommit
 * mode (committed otherwise), so no later rollback can undo it. The first switch on each shard is
 * read back, which catches a driver that ignores it (Connector/J with {@code databaseTerm=SCHEMA}).
 *
 * <p>Returning: HikariCP restores a schema or catalog changed through its proxy only when the pool
 * itself configures one ({@code schema}/{@code catalog} pool settings), so shardkit resets it
 * itself: PostgreSQL {@code setSchema(null)} ({@code SET search_path TO DEFAULT}, the search path
 * the session started with) or the pool's schema; MySQL {@code setCatalog} back to the database the
 * connection started in. Then it reads the schema back and compares it with the one a fresh
 * connection of that shard had; a connection that fails either step is evicted from its pool rather
 * than returned. What is compared: on PostgreSQL {@code current_schema()}, the search path,
 * {@code current_user} and {@code session_user}; on MySQL {@code DATABASE()}.
 *
 * <p>Cost per borrowed shard connection (not per statement: a logical connection keeps it): one
 * round trip to switch (role and schema together in role mode); on PostgreSQL one to reset and
 * check (the statements sent together), on MySQL two; rewrite mode switches nothing and checks in
 * one. Thread-safe.
 */
public final class SessionSchema {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSchema.class);

    private final ShardRegistry registry;
    /** Shard URL → the schema (PostgreSQL) or database (MySQL) a fresh pooled connection is in. */
    private final ConcurrentHashMap<String, String> defaults = new ConcurrentHashMap<>();
    /** Shard URL → the session state of a fresh pooled connection ({@link #state}). */
    private final ConcurrentHashMap<String, String> fresh = new ConcurrentHashMap<>();
    /** Shard URLs whose first switch was read back. */
    private final Set<String> switchChecked = ConcurrentHashMap.newKeySet();
    private final LongAdder evicted = new LongAdder();

    public SessionSchema(ShardRegistry registry) {
        this.registry = registry;
    }

    /**
     * Borrows a connection of a shard's pool, switched to {@code schema}. Closing it resets the
     * schema and returns it to the pool (or evicts it when the reset cannot be verified).
     */
    public Connection borrow(int shard, String schema) throws SQLException {
        return borrow(shard, schema, null);
    }

    /**
     * Borrows a connection switched to {@code schema} and, when {@code role} is not null
     * (PostgreSQL), to that role. Closing it resets both, checks the connection against a fresh
     * one, and returns it to the pool (or evicts it).
     */
    public Connection borrow(int shard, String schema, String role) throws SQLException {
        Connection c = registry.borrow(shard);
        String url = registry.spec(shard).url();
        Dialect d = registry.dialect(shard);
        try {
            remember(shard, url, c, d, role != null);
            if (role != null) {
                // one round trip for both (names are [a-z0-9_]: Tenancy checks)
                try (Statement st = c.createStatement()) {
                    st.execute("SET ROLE \"" + role + "\"; SET SESSION search_path TO '" + schema + "'");
                }
            } else {
                set(c, d, schema);
            }
            if (!switchChecked.contains(url)) {
                String now = current(c, d);
                if (!schema.equals(now)) {
                    throw new ShardException("the connection did not switch to schema " + schema + " (it is in "
                            + (now == null ? "no schema: does " + schema + " exist?" : now) + "); check the driver's"
                            + " settings (Connector/J: databaseTerm must be CATALOG)", SqlStates.INVALID_SCHEMA_NAME, 0,
                            registry.name(shard), null);
                }
                switchChecked.add(url);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            discard(shard, c);
            if (e instanceof ShardException se) {
                throw se;
            }
            if (e instanceof SQLException se) {
                throw ShardException.fromShard(registry.name(shard), null, se);
            }
            throw e;
        }
        return new SchemaConnection(c, this, shard, true, role != null);
    }

    /**
     * Borrows a connection as the pool gives it (rewrite mode); closing it checks that it is still
     * as a fresh connection of its pool (schema, search path, user) and evicts it otherwise: a
     * session change that got past the analysis never reaches a later borrower.
     */
    public Connection borrowChecked(int shard) throws SQLException {
        Connection c = registry.borrow(shard);
        try {
            remember(shard, registry.spec(shard).url(), c, registry.dialect(shard), false);
        } catch (SQLException | RuntimeException e) {
            discard(shard, c);
            if (e instanceof SQLException se) {
                throw ShardException.fromShard(registry.name(shard), null, se);
            }
            throw e;
        }
        return new SchemaConnection(c, this, shard, false, false);
    }

    /** Records, on the first borrow of a shard, what a fresh connection of it is like; warns once about the login role. */
    private void remember(int shard, String url, Connection c, Dialect d, boolean roleMode) throws SQLException {
        if (fresh.containsKey(url)) {
            return;
        }
        defaults.putIfAbsent(url, Objects.requireNonNullElse(current(c, d), ""));
        if (roleMode) {
            String problem = loginRoleProblem(c);
            if (problem != null) {
                LOG.warn("shard {}: {}", registry.name(shard), problem);
            }
        }
        fresh.putIfAbsent(url, state(c, d));
    }

    /**
     * Why the login role of a PostgreSQL connection weakens role mode (superuser or BYPASSRLS), or
     * {@code null}. Reads {@code pg_roles} for {@code session_user}.
     */
    public static String loginRoleProblem(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT session_user, rolsuper, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = session_user")) {
            if (!rs.next()) {
                return null;
            }
            String user = rs.getString(1);
            if (rs.getBoolean(2)) {
                return "the login role " + user + " is a superuser: role mode's isolation assumes an ordinary login"
                        + " role (CREATEROLE, owning nothing of the tenants); see docs/TENANCY.md";
            }
            if (rs.getBoolean(3)) {
                return "the login role " + user + " has BYPASSRLS: row-level security does not hold for it; role mode"
                        + " assumes an ordinary login role (see docs/TENANCY.md)";
            }
            return null;
        }
    }

    /**
     * Resets a connection lent by {@link #borrow} to the shard's default schema, checks it, and
     * returns it to its pool; evicts it when either fails. Uncommitted work is rolled back first,
     * as closing a pooled connection would do. Never throws: the caller's work is already done.
     */
    void giveBack(int shard, Connection c, boolean switched, boolean role) {
        Dialect d = registry.dialect(shard);
        String url = registry.spec(shard).url();
        String expected = defaults.get(url);
        try {
            boolean auto = c.getAutoCommit();
            if (!auto) {
                c.rollback();
            }
            String now;
            if (d == Dialect.POSTGRESQL) {
                // one round trip: RESET ROLE, the search path back, and the state read
                String prefix = (role ? "RESET ROLE; " : "") + (switched ? resetSql(shard) : "");
                now = state(c, prefix);
            } else {
                if (switched) {
                    reset(c, shard, d, expected);
                }
                now = state(c, d);
            }
            if (!auto) {
                c.commit();
            }
            String was = fresh.get(url);
            if (!now.equals(was)) {
                LOG.warn("shard {}: a connection returned by a tenant is in state [{}] instead of [{}]; evicted from the"
                        + " pool", registry.name(shard), now, was);
                discard(shard, c);
                return;
            }
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("shard {}: cannot reset the schema of a connection returned by a tenant ({}); evicted from the pool",
                    registry.name(shard), e.toString());
            discard(shard, c);
        }
    }

    private static void set(Connection c, Dialect d, String schema) throws SQLException {
        if (d == Dialect.MYSQL) {
            c.setCatalog(schema);
        } else {
            c.setSchema(schema);
        }
    }

    private void reset(Connection c, int shard, Dialect d, String expected) throws SQLException {
        HikariDataSource pool = registry.pool(shard);
        if (d == Dialect.MYSQL) {
            String configured = pool == null ? null : pool.getCatalog();
            c.setCatalog(configured != null ? configured : expected);
        } else {
            // null: SET search_path TO DEFAULT, the session's starting search path, exactly
            c.setSchema(pool == null ? null : pool.getSchema());
        }
    }

    /**
     * The schema (PostgreSQL) or database (MySQL) the connection is in, asked of the server: a
     * HikariCP connection answers {@code getSchema()} from memory once {@code setSchema} was called.
     */
    static String current(Connection c, Dialect d) throws SQLException {
        String sql = d == Dialect.MYSQL ? "SELECT DATABASE()" : "SELECT current_schema()";
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * What must be the same on a returned connection as on a fresh one: PostgreSQL's current
     * schema, search path, current and session user; MySQL's database. Asked of the server.
     */
    static String state(Connection c, Dialect d) throws SQLException {
        if (d == Dialect.MYSQL) {
            return Objects.requireNonNullElse(current(c, d), "");
        }
        return state(c, "");
    }

    private static final String STATE_SQL =
            "SELECT current_schema(), current_setting('search_path'), current_user, session_user";

    /** PostgreSQL: runs {@code prefix} (statements ending in {@code ;}) and reads the state, in one round trip. */
    private static String state(Connection c, String prefix) throws SQLException {
        try (Statement st = c.createStatement()) {
            boolean rows = st.execute(prefix + STATE_SQL);
            while (!rows && st.getUpdateCount() != -1) {
                rows = st.getMoreResults();
            }
            if (!rows) {
                return "";
            }
            try (ResultSet rs = st.getResultSet()) {
                if (!rs.next()) {
                    return "";
                }
                return "schema " + rs.getString(1) + ", search_path " + rs.getString(2) + ", current_user "
                        + rs.getString(3) + ", session_user " + rs.getString(4);
            }
        }
    }

    /**
     * PostgreSQL: the statement that puts the search path back: {@code SET search_path TO DEFAULT}
     * (the session's starting search path, exactly), or the pool's configured schema.
     */
    private String resetSql(int shard) {
        HikariDataSource pool = registry.pool(shard);
        String configured = pool == null ? null : pool.getSchema();
        return configured == null ? "SET SESSION search_path TO DEFAULT; "
                : "SET SESSION search_path TO '" + configured.replace("'", "''") + "'; ";
    }

    /** Connections taken out of their pools because their schema could not be reset (or switched). */
    public long evicted() {
        return evicted.sum();
    }

    /** Takes a connection out of its pool for good. */
    void discard(int shard, Connection c) {
        evicted.increment();
        HikariDataSource pool = registry.pool(shard);
        if (pool != null && c.getClass().getName().startsWith("com.zaxxer.hikari")) {
            pool.evictConnection(c);
        } else {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closing below is all that is left
            }
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // evicted or aborted: the pool does not get it back
        }
    }
}
