package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.internal.Closer;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.RouteDecision;
import io.shardkit.sql.Dialect;
import io.shardkit.tenant.TenantScope;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Arrays;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The physical connections of one logical connection: borrowed lazily, one per shard; the
 * session's settings (autocommit, read-only, isolation, schema) applied to each at its borrow and
 * to every held one when they change; the commit order; savepoints; giving connections back; close.
 * A tenant's SQL and borrow go through here ({@link #sqlFor}, {@link #borrow}), so no path to a shard
 * can skip them. Internal; not thread-safe, like the JDBC connection it serves.
 *
 * <p>Inside a transaction every shard connection used stays until the commit or rollback, which
 * reach every one of them. In autocommit, and after a transaction ends, {@link #releaseIdle} gives
 * back at each statement boundary every shard connection nothing open uses (see {@link SessionUsers}).
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    /** lastWrite: nothing written yet. */
    public static final int NO_WRITE = -1;
    /** lastWrite: the last write ran on several shards. */
    public static final int SEVERAL_SHARDS = -2;
    /** lastWrite: the shard connection that ran the last write has gone back to its pool. */
    public static final int GIVEN_BACK = -3;

    final ShardRegistry registry;
    private final TenantScope tenant;
    private final int pinned;
    private SessionUsers users;
    /** Per shard index; grows when a runtime shard opened after this session is used. */
    Connection[] physical;
    /** Made at the first use (most connections set none); see {@link SessionTransaction#savepoints}. */
    Savepoints savepoints;
    private boolean autoCommit = true;
    /** Read-only, isolation and schema as set through JDBC; applied to every shard connection borrowed. */
    private SessionSettings settings;
    private boolean closed;
    /** The shard the current transaction writes to, or -1. */
    int writeShard = -1;
    /** The shard of the last write, in or out of a transaction, for connection-state functions (or a constant above). */
    private int lastWrite = NO_WRITE;
    /**
     * The shard whose connection stays after an autocommit write (or a commit) although nothing open
     * uses it, so a connection-state function run next answers for that write; -1 for none. The next
     * statement that is not such a function ends it.
     */
    private int keptForState = -1;
    /** With autocommit off: whether a statement ran or a shard was borrowed since the last commit or rollback. */
    private boolean inTransaction;

    /**
     * @param pinned the shard every statement goes to, or -1 (a pinned session never gives back its connection)
     * @param tenant the tenant whose schema every connection is switched to, or {@code null}
     */
    public Session(ShardRegistry registry, TenantScope tenant, int pinned) {
        this.registry = registry;
        this.tenant = tenant;
        this.pinned = pinned;
        this.physical = new Connection[registry.slots()];
    }

    /** The logical connection's open statements, asked before a shard connection goes back; set once. */
    public void attach(SessionUsers users) {
        this.users = users;
    }

    /** The shard every statement goes to, or -1. */
    public int pinned() {
        return pinned;
    }

    /** Whether the session runs for a tenant (in its schema). */
    public boolean hasTenant() {
        return tenant != null;
    }

    /** The tenant's schema, or {@code null}. */
    public String tenantSchema() {
        return tenant == null ? null : tenant.schema();
    }

    /** The tenant as messages name it ({@code tenant acme (schema ..., mode)}), or {@code null}. */
    public String tenantLabel() {
        return tenant == null ? null : tenant.toString();
    }

    /**
     * Borrows a shard's pooled connection; for a tenant in search_path mode it comes switched to the
     * tenant's schema, and closing it resets that. The caller closes it.
     */
    public Connection borrow(int shard) throws SQLException {
        return tenant == null ? registry.borrow(shard) : tenant.borrow(shard);
    }

    /** A pooled connection in the session's schema whatever the tenancy mode: the tenant's (see {@link TenantScope#borrowInSchema}), else the pool's own. */
    public Connection borrowInSchema(int shard) throws SQLException {
        return tenant == null ? registry.borrow(shard) : tenant.borrowInSchema(shard);
    }

    /** The SQL to send to a shard: for a tenant in rewrite mode, with its tables in the tenant's schema. */
    public String sqlFor(int shard, String sql) throws SQLException {
        return tenant == null ? sql : tenant.sql(shard, sql);
    }

    /** The physical connection already held for a shard, or {@code null}; never borrows. */
    public Connection held(int shard) {
        return shard < physical.length ? physical[shard] : null;
    }

    /** Whether a physical connection to the shard is held. */
    public boolean holds(int shard) {
        return shard >= 0 && shard < physical.length && physical[shard] != null;
    }

    /** The physical connection to a shard, borrowed from its pool on first use, with the session's settings. */
    public Connection physical(int shard) throws SQLException {
        if (shard >= physical.length) {
            physical = Arrays.copyOf(physical, registry.slots());
        }
        Connection c = physical[shard];
        if (c != null) {
            registry.checkAlive(shard);
            return c;
        }
        checkOpen();
        c = borrow(shard);
        inTransaction = !autoCommit;
        try {
            if (!autoCommit) {
                c.setAutoCommit(false);
            }
            if (settings != null) {
                settings.applyTo(c, registry.dialect(shard));
            }
            if (!autoCommit) {
                SessionTransaction.savepoints(this).joined(shard, c);
            }
        } catch (SQLException e) {
            c.close();
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
        physical[shard] = c;
        return c;
    }

    /**
     * Runs {@code work} on a shard without enlisting it: on the physical connection already held,
     * or on a short borrow (with this session's schema) returned at once.
     */
    public <T> T onShard(int shard, ShardWork<T> work) throws SQLException {
        Connection held = held(shard);
        if (held != null) {
            return work.apply(held);
        }
        try (Connection c = borrow(shard)) {
            if (settings != null && settings.schema() != null) {
                c.setSchema(settings.schema());
            }
            return work.apply(c);
        } catch (ShardException e) {
            throw e;
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
    }

    public void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", SqlStates.CONNECTION_DOES_NOT_EXIST);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- the statement boundary: what a connection-state function may ask, what goes back ----

    /** A statement is about to be routed; a connection-state function keeps the last write's shard. */
    public void statementStarts(boolean connectionState) {
        inTransaction = !autoCommit;
        if (!connectionState) {
            keptForState = -1;
        }
    }

    /** The shard a connection-state function runs on, or one of NO_WRITE, SEVERAL_SHARDS, GIVEN_BACK. */
    public int lastWrite() {
        return lastWrite;
    }

    /** A write is about to run on {@code shard} (or on several shards: {@link #SEVERAL_SHARDS}). */
    public void wrote(int shard) {
        lastWrite = shard;
        keptForState = shard >= 0 ? shard : -1;
    }

    /** The shard the current transaction writes to, or -1. */
    public int writeShard() {
        return writeShard;
    }

    public void writeShard(int shard) {
        writeShard = shard;
    }

    /** A shard already in use, preferred for reads that may run anywhere, or -1. */
    public int preferred() {
        if (writeShard >= 0) {
            return writeShard;
        }
        for (int i = 0; i < physical.length; i++) {
            if (physical[i] != null) {
                return i;
            }
        }
        return -1;
    }

    /**
     * At a statement boundary: gives back every shard connection that nothing open uses, so a
     * logical connection idle in an outer pool holds no shard connection. Runs in autocommit, and
     * after a commit or rollback until the next statement; never inside a transaction, never on a
     * pinned session (which may have handed out its one physical connection's objects), and never on
     * a tenant's (switching a pooled connection to a tenant and checking it on return cost a round
     * trip each, so a tenant's logical connection does that once per shard and keeps it until
     * closed). The shard of the last write is kept until the next statement, for a connection-state
     * function; the shards of {@code except} (or none when {@code null}) are about to be used.
     * Every session setting (read-only, isolation, schema) is applied again at the next borrow.
     */
    public void releaseIdle(RouteDecision except) {
        if ((!autoCommit && inTransaction) || closed || pinned >= 0 || tenant != null) {
            return;
        }
        giveBackIdle(except);
    }

    private void giveBackIdle(RouteDecision except) {
        for (int i = 0; i < physical.length; i++) {
            Connection c = physical[i];
            if (c == null || i == keptForState || (except != null && except.reaches(i)) || users.uses(i)) {
                continue;
            }
            physical[i] = null;
            if (lastWrite == i) {
                lastWrite = GIVEN_BACK;
            }
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("giving back the connection to shard {} failed", registry.name(i), e);
            }
        }
    }

    /** After a commit or rollback: the shard connections nothing open uses go back to their pools. */
    void afterTransaction() {
        inTransaction = false;
        if (pinned < 0 && !closed && tenant == null) {
            giveBackIdle(null);
        }
    }

    /**
     * After a statement failed on a shard: when the pool found that shard's connection broken (it
     * closed it under us, as HikariCP does on a class 08 error or an abort) and no transaction is
     * open, the connection is given back so the next statement borrows a fresh one. The failed
     * statement's own error stands; nothing is retried. Inside a transaction the broken connection
     * stays, and every statement fails, until the rollback.
     */
    public void dropIfBroken(int shard) {
        if (!autoCommit || shard < 0 || shard >= physical.length || physical[shard] == null) {
            return;
        }
        Connection c = physical[shard];
        if (!broken(c)) {
            return;
        }
        physical[shard] = null;
        giveBackBroken(shard, c);
    }

    /** Gives back a broken shard connection; the statements forget what they prepared on it (the pool does not close those). */
    void giveBackBroken(int shard, Connection c) {
        if (lastWrite == shard) {
            lastWrite = GIVEN_BACK;
        }
        users.forgetShard(shard);
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken: closing only gives it back
        }
    }

    static boolean broken(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Applies to every held physical connection; errors name the shard (the first is thrown, after all ran). */
    public void eachPhysical(PhysicalAction action) throws SQLException {
        eachPhysical(null, action);
    }

    /**
     * {@link #eachPhysical(PhysicalAction)} on the shards not of dialect {@code skip} ({@code null}:
     * every shard): all are tried, the first failure, named by its shard, is thrown after.
     */
    public void eachPhysical(Dialect skip, PhysicalAction action) throws SQLException {
        Closer closer = new Closer();
        for (int i = 0; i < physical.length; i++) {
            Connection c = physical[i];
            if (c != null && (skip == null || registry.dialect(i) != skip)) {
                try {
                    action.apply(c);
                } catch (SQLException e) {
                    closer.add(ShardException.fromShard(registry.name(i), null, e));
                }
            }
        }
        closer.throwFirst();
    }

    // ---- transactions ----

    /** Whether the connection was set read-only (without making the settings). */
    public boolean readOnly() {
        return settings != null && settings.readOnly();
    }

    /** Read-only, isolation and schema, as set through JDBC. */
    public SessionSettings settings() {
        if (settings == null) { // made when first asked: most connections change no setting
            settings = new SessionSettings(this);
        }
        return settings;
    }

    public boolean autoCommit() {
        return autoCommit;
    }

    public void setAutoCommit(boolean on) throws SQLException {
        if (on == autoCommit) {
            return;
        }
        eachPhysical(c -> c.setAutoCommit(on));
        autoCommit = on;
        writeShard = -1;
        SessionTransaction.clearSavepoints(this);
        if (on) {
            releaseIdle(null);
        }
    }

    /** Commits every physical connection held, the shard written first. */
    public void commit() throws SQLException {
        SessionTransaction.commit(this);
    }

    public void rollback() throws SQLException {
        SessionTransaction.rollback(this);
    }

    public Savepoint setSavepoint(String name) throws SQLException {
        return SessionTransaction.setSavepoint(this, name);
    }

    public void rollback(Savepoint savepoint) throws SQLException {
        SessionTransaction.rollback(this, savepoint);
    }

    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        SessionTransaction.releaseSavepoint(this, savepoint);
    }

    // ---- lifecycle ----

    /**
     * Returns every physical connection to its pool (rolled back first when a transaction is open);
     * the first error is thrown after all were returned. Runs once; afterwards the session is closed.
     */
    public void close(SQLException earlier) throws SQLException {
        closed = true;
        Closer closer = new Closer();
        closer.add(earlier);
        for (int i = 0; i < physical.length; i++) {
            Connection c = physical[i];
            physical[i] = null;
            if (c == null) {
                continue;
            }
            try {
                if (!autoCommit && !c.isClosed()) {
                    c.rollback();
                }
            } catch (SQLException e) {
                closer.add(ShardException.fromShard(registry.name(i), null, e));
            }
            try {
                c.close();
            } catch (SQLException e) {
                closer.add(ShardException.fromShard(registry.name(i), null, e));
            }
        }
        closer.throwFirst();
    }

    /** Marks the session closed before its statements close (they must not give anything back meanwhile). */
    public void closing() {
        closed = true;
    }

    public void abort(Executor executor) throws SQLException {
        closed = true;
        for (int i = 0; i < physical.length; i++) {
            if (physical[i] != null) {
                physical[i].abort(executor);
                physical[i] = null;
            }
        }
    }

    public boolean isValid(int timeout) throws SQLException {
        for (Connection c : physical) {
            if (c != null && !c.isValid(timeout)) {
                return false;
            }
        }
        return true;
    }
}
