package io.shardkit.tenant;

import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.exec.ShardRegistry;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lends pooled shard connections switched to a tenant's schema, and makes sure none goes back to
 * its pool still in it. Used by search_path mode for every borrow, and by tenant DDL in both modes.
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
 * than returned.
 *
 * <p>Cost per borrowed shard connection: one round trip to switch, two to reset and check.
 * Thread-safe.
 */
public final class SessionSchema {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSchema.class);

    private final ShardRegistry registry;
    /** Shard URL → the schema (PostgreSQL) or database (MySQL) a fresh pooled connection is in. */
    private final ConcurrentHashMap<String, String> defaults = new ConcurrentHashMap<>();
    /** Shard URLs whose first switch was read back. */
    private final Set<String> switchChecked = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.LongAdder evicted = new java.util.concurrent.atomic.LongAdder();

    public SessionSchema(ShardRegistry registry) {
        this.registry = registry;
    }

    /**
     * Borrows a connection of a shard's pool, switched to {@code schema}. Closing it resets the
     * schema and returns it to the pool (or evicts it when the reset cannot be verified).
     */
    public Connection borrow(int shard, String schema) throws SQLException {
        Connection c = registry.borrow(shard);
        String url = registry.spec(shard).url();
        Dialect d = registry.dialect(shard);
        try {
            if (!defaults.containsKey(url)) {
                defaults.putIfAbsent(url, Objects.requireNonNullElse(current(c, d), ""));
            }
            set(c, d, schema);
            if (!switchChecked.contains(url)) {
                String now = current(c, d);
                if (!schema.equals(now)) {
                    throw new ShardException("the connection did not switch to schema " + schema + " (it is in "
                            + (now == null ? "no schema: does " + schema + " exist?" : now) + "); check the driver's"
                            + " settings (Connector/J: databaseTerm must be CATALOG)", "3F000", 0, registry.name(shard), null);
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
        return new SchemaConnection(c, this, shard);
    }

    /**
     * Resets a connection lent by {@link #borrow} to the shard's default schema, checks it, and
     * returns it to its pool; evicts it when either fails. Uncommitted work is rolled back first,
     * as closing a pooled connection would do. Never throws: the caller's work is already done.
     */
    void giveBack(int shard, Connection c) {
        Dialect d = registry.dialect(shard);
        String expected = defaults.get(registry.spec(shard).url());
        try {
            boolean auto = c.getAutoCommit();
            if (!auto) {
                c.rollback();
            }
            reset(c, shard, d, expected);
            String now = current(c, d);
            if (!auto) {
                c.commit();
            }
            if (!Objects.equals(Objects.requireNonNullElse(now, ""), expected)) {
                LOG.warn("shard {}: a connection returned by a tenant is in schema {} instead of {}; evicted from the pool",
                        registry.name(shard), now, expected);
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
