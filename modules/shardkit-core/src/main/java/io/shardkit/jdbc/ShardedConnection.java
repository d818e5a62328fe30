package io.shardkit.jdbc;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.RouteDecision;
import io.shardkit.route.Router;
import io.shardkit.sql.AnalysisCache;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.SqlLexer;
import io.shardkit.tenant.TenantScope;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One logical connection over every shard. Lazy: it holds no physical connection until a
 * statement runs on a shard. Inside a transaction it keeps every shard connection it used until
 * the commit or rollback, which reach every one of them. In autocommit, and after a transaction
 * ends, a shard connection goes back to its pool as soon as no open statement uses it (see
 * {@link #releaseIdle}), so a logical connection idle in an outer pool holds none.
 *
 * <p>Transactions (autocommit off) are pinned to the first shard written: a write to a second
 * shard in the same transaction is refused with both shards named, since there is no
 * distributed commit. Reads may go to any shard. A connection pinned to one shard (explicitly
 * or by a {@code ShardingKey}) sends every statement there without routing. A tenant's connection
 * ({@code ShardedDataSource.forTenant}) runs every statement in the tenant's schema: its SQL and
 * the pooled connections it borrows go through its {@link TenantScope}.
 *
 * <p>Not thread-safe, like any JDBC connection.
 */
public final class ShardedConnection implements Connection {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedConnection.class);

    private final ShardRegistry registry;
    private final AnalysisCache cache;
    private final Router router;
    private final java.util.concurrent.ExecutorService scatter;
    private final long mergeRowLimit;
    /** Per shard index; grows when a runtime shard opened after this connection is used. */
    private Connection[] physical;
    private final List<ShardedStatement> statements = new ArrayList<>();
    private final int pinned;
    private int writeShard = -1;
    /** The shard of the last write, in or out of a transaction, for connection-state functions. */
    private int lastWrite = NO_WRITE;
    private static final int NO_WRITE = -1;
    private static final int SEVERAL_SHARDS = -2;
    /** lastWrite: the shard connection that ran the last write has gone back to its pool. */
    private static final int GIVEN_BACK = -3;
    /**
     * The shard whose connection stays after an autocommit write (or a commit) although nothing open
     * uses it, so a connection-state function run next answers for that write; -1 for none. The next
     * statement that is not such a function ends it.
     */
    private int keptForState = -1;
    /** With autocommit off: whether a statement ran or a shard was borrowed since the last commit or rollback. */
    private boolean inTransaction;
    private boolean autoCommit = true;
    /** The current transaction's savepoints, bound to each shard as it joins. */
    private final Savepoints savepoints = new Savepoints();
    private boolean readOnly;
    private int isolation = -1;
    private String schema;
    /** -1 until set: each shard's driver default applies. */
    private int holdability = -1;
    private boolean closed;
    /** The tenant whose schema every statement runs in, or {@code null}. */
    private final TenantScope tenant;

    /**
     * @param pinned the shard index every statement goes to, or -1 to route each statement
     * @param scatter runs the shard queries of a merged read in parallel
     * @param mergeRowLimit the most rows a merge may hold in memory
     */
    public ShardedConnection(ShardRegistry registry, AnalysisCache cache, Router router, int pinned,
            java.util.concurrent.ExecutorService scatter, long mergeRowLimit) {
        this(registry, cache, router, pinned, scatter, mergeRowLimit, null);
    }

    /** @param tenant the tenant every statement runs for (its schema), or {@code null} for none */
    public ShardedConnection(ShardRegistry registry, AnalysisCache cache, Router router, int pinned,
            java.util.concurrent.ExecutorService scatter, long mergeRowLimit, TenantScope tenant) {
        this.tenant = tenant;
        this.registry = registry;
        this.cache = cache;
        this.router = router;
        this.scatter = scatter;
        this.mergeRowLimit = mergeRowLimit;
        this.physical = new Connection[registry.slots()];
        this.pinned = pinned;
    }

    ShardRegistry registry() {
        return registry;
    }

    Router router() {
        return router;
    }

    java.util.concurrent.ExecutorService scatter() {
        return scatter;
    }

    long mergeRowLimit() {
        return mergeRowLimit;
    }

    /** The physical connection already held for a shard, or {@code null}; never borrows. */
    Connection heldConnection(int shard) {
        return shard < physical.length ? physical[shard] : null;
    }

    AnalysisCache cache() {
        return cache;
    }

    /** The tenant this connection runs every statement for, or {@code null}. */
    public TenantScope tenant() {
        return tenant;
    }

    /**
     * Borrows a shard's pooled connection; for a tenant in search_path mode it comes switched to the
     * tenant's schema, and closing it resets that. The caller closes it.
     */
    Connection borrow(int shard) throws SQLException {
        return tenant == null ? registry.borrow(shard) : tenant.borrow(shard);
    }

    /** The SQL to send to a shard: for a tenant in rewrite mode, with its tables in the tenant's schema. */
    String sqlFor(int shard, String sql) throws SQLException {
        return tenant == null ? sql : tenant.sql(shard, sql);
    }

    /** The shard this connection is pinned to, or -1. */
    public int pinnedShard() {
        return pinned;
    }

    /**
     * Routes one execution; a pinned connection goes to its shard without asking the choosers, but
     * refuses a text of several statements too (its guards read only the first).
     */
    RouteDecision route(SqlAnalysis a, Object[] params) throws SQLException {
        inTransaction = !autoCommit;
        if (pinned >= 0) {
            if (a.shape() == SqlAnalysis.Shape.REFUSED && a.problem().startsWith(SqlLexer.SEVERAL_STATEMENTS)) {
                throw new RefusedException(a.problem(), a.sql());
            }
            PinnedGuard.check(registry, pinned, a);
            return router.single(pinned);
        }
        if (a.connectionState()) {
            if (lastWrite < 0) {
                throw new RefusedException(lastWrite == NO_WRITE ? "a connection-state function on a connection"
                        + " that has written nothing yet (it would answer for a shard connection that never ran the"
                        + " write)" : lastWrite == SEVERAL_SHARDS ? "a connection-state function after a write that"
                        + " ran on several shards (each shard connection has its own answer)" : "a connection-state"
                        + " function after another statement ran since the last write: in autocommit the shard"
                        + " connection that ran the write went back to its pool (run the function right after the"
                        + " write, or both in one transaction)", a.sql());
            }
            return router.single(lastWrite);
        }
        keptForState = -1;
        if (LOG.isDebugEnabled()) {
            StringBuilder why = new StringBuilder();
            RouteDecision d = router.route(a, params, preferred(), why);
            LOG.debug("route {} → {}: {}", ShardException.shorten(a.sql()), names(d), why.toString().replace('\n', ';'));
            return d;
        }
        return router.route(a, params, preferred(), null);
    }

    private String names(RouteDecision d) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < d.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(registry.name(d.shard(i)));
        }
        return sb.toString();
    }

    /** A shard already in use, preferred for reads that may run anywhere. */
    private int preferred() {
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
     * Checks a write before any SQL reaches a shard: read-only shards refuse it; inside a
     * transaction every write must go to the transaction's one shard.
     */
    void beforeWrite(SqlAnalysis a, RouteDecision d) throws SQLException {
        if (readOnly) {
            throw new ShardException("the connection is read-only: " + a.kind() + " refused before it reached a shard [sql: "
                    + ShardException.shorten(a.sql()) + "]", "25006");
        }
        for (int i = 0; i < d.size(); i++) {
            int s = d.shard(i);
            if (registry.spec(s).readOnly()) {
                throw new ShardException("shard " + registry.name(s) + " is read-only: " + a.kind()
                        + " refused before it reached the shard [sql: " + ShardException.shorten(a.sql()) + "]",
                        "25006", 0, registry.name(s), null);
            }
        }
        if (autoCommit) {
            lastWrite = d.size() == 1 ? d.shard(0) : SEVERAL_SHARDS;
            keptForState = lastWrite >= 0 ? lastWrite : -1;
            return;
        }
        int target = writeShard;
        for (int i = 0; i < d.size(); i++) {
            int s = d.shard(i);
            if (target < 0) {
                target = s;
            } else if (s != target) {
                String already = writeShard >= 0 ? "this transaction already wrote to shard " + registry.name(writeShard)
                        : "this statement writes to shard " + registry.name(target);
                throw new RefusedException(already + " and would now write to shard " + registry.name(s)
                        + "; a transaction may write to one shard only (there is no distributed commit): commit first,"
                        + " or keep the transaction's writes on one shard", a.sql());
            }
        }
        writeShard = target;
        lastWrite = target;
        keptForState = target;
    }

    /**
     * Refuses a write to a tiered table when an archive shard holds rows it would change: runs the
     * analysis's probe ({@code SELECT 1 FROM t WHERE <the write's condition>}) on each archive shard
     * before anything is written (SQLState 25006, naming the shard and the table).
     */
    void checkArchive(SqlAnalysis a, int[] archiveShards, Parameters params) throws SQLException {
        io.shardkit.sql.Tiering t = a.tiering();
        for (int shard : archiveShards) {
            String name = registry.name(shard);
            Connection held = heldConnection(shard);
            Connection c = held != null ? held : registry.borrow(shard);
            boolean found;
            Object id = null;
            boolean failed = false;
            try (PreparedStatement ps = c.prepareStatement(t.probeSql())) {
                if (params != null) {
                    params.applyTo(ps, t.probeParameters(), t.probeParameters().length);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    found = rs.next();
                    id = found && a.kind() == io.shardkit.sql.StatementKind.INSERT ? rs.getObject(1) : null;
                }
            } catch (SQLException e) {
                failed = true;
                throw ShardException.fromShard(name, t.probeSql(), e);
            } finally {
                if (held == null) {
                    closeBorrowed(shard, c, failed);
                }
            }
            if (found) {
                throw archived(a, t, name, id);
            }
        }
    }

    /** The refusal of a write that an archived row stands in the way of. */
    private ShardException archived(SqlAnalysis a, io.shardkit.sql.Tiering t, String shard, Object id) {
        String sql = " [sql: " + ShardException.shorten(a.sql()) + "]";
        String column = t.archive().id();
        if (a.kind() == io.shardkit.sql.StatementKind.INSERT && !t.upsert()) {
            // what one database would say about a duplicate primary key
            boolean mysql = registry.dialect(registry.indexOf(shard)) == io.shardkit.sql.Dialect.MYSQL;
            return new ShardException("INSERT into " + t.table() + " gives " + column + " = " + id + ", which read-only"
                    + " archive shard " + shard + " already holds; a hot row would shadow the archived row (refused"
                    + " before any shard was written)" + sql, mysql ? "23000" : "23505", mysql ? 1062 : 0, shard, null);
        }
        String why = a.kind() == io.shardkit.sql.StatementKind.DELETE ? "; archived rows cannot be deleted, and a hot row"
                + " with the same " + column + " only shadows the archived one: deleting it would bring the archived row"
                + " back (a row being archived is both: the archiver removes the hot copy)"
                : a.kind() == io.shardkit.sql.StatementKind.INSERT ? " (" + column + " = " + id + "); archived rows"
                + " cannot be changed" : "; archived rows cannot be changed";
        return new ShardException(a.kind() + " would change rows of " + t.table() + " held by read-only archive shard "
                + shard + why + " (refused before any shard was written)" + sql, PinnedGuard.READ_ONLY, 0, shard, null);
    }

    /**
     * Returns a connection borrowed for one probe. After a failed statement a read-only shard's
     * connection is evicted from its pool rather than returned, so whatever the failure left behind
     * (an aborted transaction, a session setting) cannot reach the next borrower.
     */
    private void closeBorrowed(int shard, Connection c, boolean failed) throws SQLException {
        if (failed && registry.spec(shard).readOnly()) {
            registry.evict(shard, c);
            return;
        }
        c.close();
    }

    /**
     * Refuses an upsert that reacts to any unique key unless every unique key of its table includes
     * the shard key (read from the catalog of the shard it runs on, once per table).
     */
    void checkUniqueKeys(SqlAnalysis a, int shard) throws SQLException {
        String key = a.strategy() == null ? null : router.keyColumn(a.shardedTable());
        registry.uniqueKeys().require(physical(shard), registry.name(shard), a.shardedTable(), key, a.sql());
    }

    /** The physical connection to a shard, borrowed from its pool on first use. */
    Connection physical(int shard) throws SQLException {
        if (shard >= physical.length) {
            physical = java.util.Arrays.copyOf(physical, registry.slots());
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
            if (readOnly && registry.dialect(shard) != io.shardkit.sql.Dialect.SQLITE) {
                c.setReadOnly(true);
            }
            if (isolation >= 0) {
                c.setTransactionIsolation(isolation);
            }
            if (schema != null) {
                c.setSchema(schema);
            }
            if (!autoCommit) {
                savepoints.joined(shard, c);
            }
        } catch (SQLException e) {
            c.close();
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
        physical[shard] = c;
        return c;
    }

    /**
     * After a statement failed on a shard: when the pool found that shard's connection broken (it
     * closed it under us, as HikariCP does on a class 08 error or an abort) and no transaction is
     * open, the connection is given back so the next statement borrows a fresh one. The failed
     * statement's own error stands; nothing is retried. Inside a transaction the broken connection
     * stays, and every statement fails, until {@link #rollback()}.
     */
    void dropIfBroken(int shard) {
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
    private void giveBackBroken(int shard, Connection c) {
        if (lastWrite == shard) {
            lastWrite = GIVEN_BACK;
        }
        for (ShardedStatement st : statements) {
            st.forgetShard(shard);
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken: closing only gives it back
        }
    }

    private static boolean broken(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * At a statement boundary: gives back every shard connection that nothing open uses (no
     * statement has prepared or run anything on it that may still be read), so a logical connection
     * idle in an outer pool holds no shard connection. Runs in autocommit, and after a commit or
     * rollback until the next statement; never inside a transaction, never on a pinned connection
     * (which may have handed out its one physical connection's objects), and never on a tenant's
     * connection (switching a pooled connection to a tenant and checking it on return cost a round
     * trip each, so a tenant's logical connection does that once per shard and keeps it until closed).
     * The shard of the last write is kept until the next statement, for a connection-state function;
     * the shards of {@code except} are about to be used. Every session setting (read-only, isolation,
     * schema) is applied again
     * when a shard is borrowed next.
     */
    void releaseIdle(RouteDecision except) {
        if ((!autoCommit && inTransaction) || closed || pinned >= 0 || tenant != null) {
            return;
        }
        giveBackIdle(except);
    }

    private void giveBackIdle(RouteDecision except) {
        for (int i = 0; i < physical.length; i++) {
            Connection c = physical[i];
            if (c == null || i == keptForState || (except != null && except.reaches(i)) || inUse(i)) {
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

    private boolean inUse(int shard) {
        for (int i = 0; i < statements.size(); i++) { // no iterator: runs at every statement boundary
            if (statements.get(i).uses(shard)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this connection holds a physical connection to a shard (for tests and monitoring). */
    public boolean holds(String shard) {
        int i = registry.indexOf(shard);
        return i >= 0 && i < physical.length && physical[i] != null;
    }

    void checkOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection is closed", "08003");
        }
    }

    void forget(ShardedStatement st) {
        statements.remove(st);
    }

    private <T extends ShardedStatement> T track(T st) {
        statements.add(st);
        return st;
    }

    private interface PhysicalAction {
        void apply(Connection c) throws SQLException;
    }

    /** Applies to every held physical connection; errors name the shard. */
    private void eachPhysical(PhysicalAction action) throws SQLException {
        SQLException first = null;
        for (int i = 0; i < physical.length; i++) {
            if (physical[i] != null) {
                try {
                    action.apply(physical[i]);
                } catch (SQLException e) {
                    if (first == null) {
                        first = ShardException.fromShard(registry.name(i), null, e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    // ---- statements ----

    @Override
    public Statement createStatement() throws SQLException {
        return createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public Statement createStatement(int type, int concurrency) throws SQLException {
        return createStatement(type, concurrency, holdability);
    }

    @Override
    public Statement createStatement(int type, int concurrency, int resultHoldability) throws SQLException {
        checkOpen();
        return track(new ShardedStatement(this, type, concurrency, resultHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
        return prepare(sql, type, concurrency, holdability, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int type, int concurrency, int resultHoldability)
            throws SQLException {
        return prepare(sql, type, concurrency, resultHoldability, null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability,
                autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS ? (Object) autoGeneratedKeys : null);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability, columnIndexes);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return prepare(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability, columnNames);
    }

    private PreparedStatement prepare(String sql, int type, int concurrency, int resultHoldability, Object keys)
            throws SQLException {
        checkOpen();
        if (sql == null) {
            throw new SQLException("SQL is null", "42000");
        }
        return track(new ShardedPreparedStatement(this, cache.get(sql), type, concurrency, resultHoldability, keys));
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return prepareCall(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency) throws SQLException {
        return prepareCall(sql, type, concurrency, holdability);
    }

    @Override
    public CallableStatement prepareCall(String sql, int type, int concurrency, int resultHoldability)
            throws SQLException {
        checkOpen();
        if (pinned >= 0) {
            // a pinned connection runs anything on its shard as written, stored procedures included
            // (a read-only shard's guard refuses calls)
            PinnedGuard.checkCall(registry, pinned, sql);
            Connection c = physical(pinned);
            return resultHoldability < 0 ? c.prepareCall(sql, type, concurrency)
                    : c.prepareCall(sql, type, concurrency, resultHoldability);
        }
        if (sql == null) {
            throw new SQLException("SQL is null", "42000");
        }
        // routed: the call runs as the statement it stands for, analysed like any other (see RoutedCall)
        ShardedPreparedStatement inner = (ShardedPreparedStatement) prepare(RoutedCall.query(sql), type, concurrency,
                resultHoldability, null);
        return RoutedCall.of(inner, sql);
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

    // ---- transactions ----

    @Override
    public void setAutoCommit(boolean on) throws SQLException {
        checkOpen();
        if (on == autoCommit) {
            return;
        }
        eachPhysical(c -> c.setAutoCommit(on));
        autoCommit = on;
        writeShard = -1;
        savepoints.clear();
        if (on) {
            releaseIdle(null);
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return autoCommit;
    }

    /** Commits every physical connection held, the shard written first. */
    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("commit with autocommit on", "25000");
        }
        try {
            if (writeShard >= 0 && physical[writeShard] != null) {
                try {
                    physical[writeShard].commit();
                } catch (SQLException e) {
                    throw ShardException.fromShard(registry.name(writeShard), null, e);
                }
            }
            int written = writeShard;
            for (int i = 0; i < physical.length; i++) {
                if (i != written && physical[i] != null) {
                    try {
                        physical[i].commit();
                    } catch (SQLException e) {
                        throw ShardException.fromShard(registry.name(i), null, e);
                    }
                }
            }
        } finally {
            writeShard = -1;
            savepoints.clear();
        }
        afterTransaction();
    }

    /** After a commit or rollback: the shard connections nothing open uses go back to their pools. */
    private void afterTransaction() {
        inTransaction = false;
        if (pinned < 0 && !closed && tenant == null) {
            giveBackIdle(null);
        }
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("rollback with autocommit on", "25000");
        }
        try {
            dropBroken();
            eachPhysical(Connection::rollback);
        } finally {
            writeShard = -1;
            savepoints.clear();
        }
        afterTransaction();
    }

    /** Rollback: a broken shard connection has lost its transaction already; it is given back, not rolled back. */
    private void dropBroken() {
        for (int i = 0; i < physical.length; i++) {
            Connection c = physical[i];
            if (c != null && broken(c)) {
                physical[i] = null;
                giveBackBroken(i, c);
            }
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return setSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("a savepoint with autocommit on", "25000");
        }
        return savepoints.set(name, physical, this);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        if (autoCommit) {
            throw new SQLException("rollback to a savepoint with autocommit on", "25000");
        }
        savepoints.rollback(savepoint, physical, this);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        savepoints.release(savepoint, physical, this);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        eachPhysical(c -> c.setTransactionIsolation(level));
        isolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (isolation >= 0) {
            return isolation;
        }
        return physical(pinned >= 0 ? pinned : Math.max(preferred(), 0)).getTransactionIsolation();
    }

    /**
     * Read-only is enforced by shardkit itself (writes are refused before they reach a shard, on
     * every dialect) and passed to the shards that support it (not SQLite, whose driver fixes it
     * when the connection opens).
     */
    @Override
    public void setReadOnly(boolean on) throws SQLException {
        checkOpen();
        SQLException first = null;
        for (int i = 0; i < physical.length; i++) {
            if (physical[i] != null && registry.dialect(i) != io.shardkit.sql.Dialect.SQLITE) {
                try {
                    physical[i].setReadOnly(on);
                } catch (SQLException e) {
                    first = first == null ? ShardException.fromShard(registry.name(i), null, e) : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        readOnly = on;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return readOnly;
    }

    // ---- lifecycle ----

    /** Closes every statement and returns every physical connection to its pool. */
    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        SQLException first = null;
        for (ShardedStatement st : new ArrayList<>(statements)) {
            try {
                st.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        statements.clear();
        for (int i = 0; i < physical.length; i++) {
            Connection c = physical[i];
            physical[i] = null;
            if (c != null) {
                try {
                    if (!autoCommit && !c.isClosed()) {
                        c.rollback();
                    }
                } catch (SQLException e) {
                    first = first == null ? ShardException.fromShard(registry.name(i), null, e) : first;
                } finally {
                    try {
                        c.close();
                    } catch (SQLException e) {
                        first = first == null ? ShardException.fromShard(registry.name(i), null, e) : first;
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < physical.length; i++) {
            if (physical[i] != null) {
                physical[i].abort(executor);
                physical[i] = null;
            }
        }
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (closed) {
            return false;
        }
        for (Connection c : physical) {
            if (c != null && !c.isValid(timeout)) {
                return false;
            }
        }
        return true;
    }

    /** Refused: a connection's sharding key is fixed when it is made (see the connection builder). */
    @Override
    public void setShardingKey(java.sql.ShardingKey key, java.sql.ShardingKey superKey) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("set the sharding key when the connection is made: "
                + "ShardedDataSource.createConnectionBuilder().shardingKey(key).build()", "0A000");
    }

    @Override
    public void setShardingKey(java.sql.ShardingKey key) throws SQLException {
        setShardingKey(key, null);
    }

    // ---- metadata and factories: answered by one shard ----

    private Connection any() throws SQLException {
        int s = pinned >= 0 ? pinned : preferred();
        return physical(s >= 0 ? s : 0);
    }

    /** Metadata that never hands out a shard's raw connection and never enlists a shard: see {@link ShardedMetaData}. */
    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        checkOpen();
        return ShardedMetaData.of(this);
    }

    /** The shard that answers metadata questions: the pinned one, one in use, else the first hot shard. */
    int metadataShard() {
        if (pinned >= 0) {
            return pinned;
        }
        int s = preferred();
        if (s >= 0) {
            return s;
        }
        int[] hot = router.hotShards();
        return hot.length > 0 ? hot[0] : 0;
    }

    /** The shards whose catalogs describe a table: those holding it per the map, else every hot shard. */
    int[] shardsHolding(String table) {
        int[] shards = router.shardsHolding(table);
        return shards != null ? shards : router.hotShards();
    }

    /** Work on one shard's physical connection. */
    interface ShardWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a shard without enlisting it: on the physical connection already held,
     * or on a short borrow (with this connection's schema) returned at once.
     */
    <T> T onShard(int shard, ShardWork<T> work) throws SQLException {
        Connection held = heldConnection(shard);
        if (held != null) {
            return work.apply(held);
        }
        try (Connection c = borrow(shard)) {
            if (schema != null) {
                c.setSchema(schema);
            }
            return work.apply(c);
        } catch (ShardException e) {
            throw e;
        } catch (SQLException e) {
            throw ShardException.fromShard(registry.name(shard), null, e);
        }
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        if (tenant != null) {
            throw tenantFixed("setCatalog");
        }
        eachPhysical(c -> c.setCatalog(catalog));
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return any().getCatalog();
    }

    @Override
    public void setSchema(String name) throws SQLException {
        checkOpen();
        if (tenant != null) {
            throw tenantFixed("setSchema");
        }
        eachPhysical(c -> c.setSchema(name));
        schema = name;
    }

    /** A tenant connection's schema is the tenant's for its whole life. */
    private SQLException tenantFixed(String method) {
        return new SQLFeatureNotSupportedException(method + " on a connection of " + tenant + ": its statements run in"
                + " the tenant's schema only; use ShardedDataSource.forTenant(name) for another tenant", "0A000");
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        if (tenant != null) {
            return tenant.schema();
        }
        return schema != null ? schema : any().getSchema();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        eachPhysical(Connection::clearWarnings);
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        checkOpen();
        return any().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        throw new SQLFeatureNotSupportedException("custom type maps are not supported through shardkit", "0A000");
    }

    @Override
    public void setHoldability(int value) throws SQLException {
        checkOpen();
        holdability = value;
    }

    @Override
    public int getHoldability() throws SQLException {
        checkOpen();
        return holdability >= 0 ? holdability : any().getHoldability();
    }

    @Override
    public Clob createClob() throws SQLException {
        return any().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return any().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return any().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return any().createSQLXML();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return any().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return any().createStruct(typeName, attributes);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        // client info is advisory; shardkit does not forward it to shards
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        // client info is advisory; shardkit does not forward it to shards
    }

    @Override
    public String getClientInfo(String name) {
        return null;
    }

    @Override
    public Properties getClientInfo() {
        return new Properties();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        eachPhysical(c -> c.setNetworkTimeout(executor, milliseconds));
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        checkOpen();
        return 0;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (pinned >= 0) {
            PinnedGuard.checkUnwrap(registry, pinned, iface);
            return physical(pinned).unwrap(iface);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || (pinned >= 0 && physical(pinned).isWrapperFor(iface));
    }
}
