package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.AnalysisCache;
import io.shardkit.exec.Executor;
import io.shardkit.exec.PinnedGuard;
import io.shardkit.exec.Session;
import io.shardkit.exec.SessionUsers;
import io.shardkit.exec.ShardWork;
import io.shardkit.internal.Closer;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One logical connection over every shard. Lazy: it holds no physical connection until a
 * statement runs on a shard. Inside a transaction it keeps every shard connection it used until
 * the commit or rollback, which reach every one of them. In autocommit, and after a transaction
 * ends, a shard connection goes back to its pool as soon as no open statement uses it (see
 * {@link Session#releaseIdle}), so a logical connection idle in an outer pool holds none.
 *
 * <p>Transactions (autocommit off) are pinned to the first shard written: a write to a second
 * shard in the same transaction is refused with both shards named, since there is no
 * distributed commit. Reads may go to any shard. A connection pinned to one shard (explicitly
 * or by a {@code ShardingKey}) sends every statement there without routing. A tenant's connection
 * ({@code ShardedDataSource.forTenant}) runs every statement in the tenant's schema: its SQL and
 * the pooled connections it borrows go through its tenant scope (see {@link Session}).
 *
 * <p>Not thread-safe, like any JDBC connection.
 */
public final class ShardedConnection extends ConnectionBase implements SessionUsers {

    private final AnalysisCache cache;
    private final java.util.concurrent.ExecutorService scatter;
    private final long mergeRowLimit;
    private final List<ShardedStatement> statements = new ArrayList<>();

    /**
     * @param executor this connection's executor, over its own {@link Session} (pinned to a shard or
     *     not, for a tenant or not)
     * @param scatter runs the shard queries of a merged read in parallel
     * @param mergeRowLimit the most rows a merge may hold in memory
     */
    public ShardedConnection(ShardRegistry registry, AnalysisCache cache, Executor executor,
            java.util.concurrent.ExecutorService scatter, long mergeRowLimit) {
        super(registry, executor);
        this.cache = cache;
        this.scatter = scatter;
        this.mergeRowLimit = mergeRowLimit;
        session.attach(this);
    }

    /** Whether an open statement of this connection still needs the shard's connection (Session asks). */
    @Override
    public boolean uses(int shard) {
        for (int i = 0; i < statements.size(); i++) { // no iterator: runs at every statement boundary
            if (statements.get(i).uses(shard)) {
                return true;
            }
        }
        return false;
    }

    /** The shard's connection broke and was given back: the statements forget what they prepared on it. */
    @Override
    public void forgetShard(int shard) {
        for (ShardedStatement st : statements) {
            st.forgetShard(shard);
        }
    }

    ShardRegistry registry() {
        return registry;
    }

    java.util.concurrent.ExecutorService scatter() {
        return scatter;
    }

    long mergeRowLimit() {
        return mergeRowLimit;
    }

    /** The physical connections of this logical connection (a merged read in exec runs on them). */
    public Session session() {
        return session;
    }

    AnalysisCache cache() {
        return cache;
    }

    /** The SQL to send to a shard: for a tenant in rewrite mode, with its tables in the tenant's schema. */
    String sqlFor(int shard, String sql) throws SQLException {
        return session.sqlFor(shard, sql);
    }

    /** The shard this connection is pinned to, or -1. */
    public int pinnedShard() {
        return pinned;
    }

    /** Where this connection's statements are decided and their multi-shard writes run. */
    Executor executor() {
        return executor;
    }

    /** The physical connection to a shard, borrowed from its pool on first use. */
    Connection physical(int shard) throws SQLException {
        return session.physical(shard);
    }

    /** After a statement failed on a shard: a connection the pool found broken is given back (see {@link Session#dropIfBroken}). */
    void dropIfBroken(int shard) {
        session.dropIfBroken(shard);
    }

    /** Whether this connection holds a physical connection to a shard (for tests and monitoring). */
    public boolean holds(String shard) {
        return session.holds(registry.indexOf(shard));
    }

    void forget(ShardedStatement st) {
        statements.remove(st);
    }

    private <T extends ShardedStatement> T track(T st) {
        statements.add(st);
        return st;
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
            throw new SQLException("SQL is null", SqlStates.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION);
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
            throw new SQLException("SQL is null", SqlStates.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION);
        }
        // routed: the call runs as the statement it stands for, analysed like any other (see RoutedCall)
        ShardedPreparedStatement inner = (ShardedPreparedStatement) prepare(RoutedCall.query(sql), type, concurrency,
                resultHoldability, null);
        return RoutedCall.of(inner, sql);
    }

    // ---- transactions ----

    // ---- lifecycle ----

    /** Closes every statement and returns every physical connection to its pool. */
    @Override
    public void close() throws SQLException {
        if (session.isClosed()) {
            return;
        }
        session.closing();
        Closer closer = new Closer();
        if (!statements.isEmpty()) { // a statement's close removes it from the list: close a copy
            for (ShardedStatement st : new ArrayList<>(statements)) {
                closer.close(st, ShardedStatement::close);
            }
            statements.clear();
        }
        session.close(closer.first());
    }

    @Override
    public boolean isClosed() {
        return session.isClosed();
    }

    @Override
    public void abort(java.util.concurrent.Executor executor) throws SQLException {
        if (session.isClosed()) {
            return;
        }
        session.abort(executor);
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        return !session.isClosed() && session.isValid(timeout);
    }

    // ---- metadata and factories: answered by one shard ----

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
        int s = session.preferred();
        if (s >= 0) {
            return s;
        }
        int[] hot = executor.hotShards();
        return hot.length > 0 ? hot[0] : 0;
    }

    /** The shards whose catalogs describe a table: those holding it per the map, else every hot shard. */
    int[] shardsHolding(String table) {
        return executor.shardsHolding(table);
    }

    /**
     * Runs {@code work} on a shard without enlisting it: on the physical connection already held,
     * or on a short borrow (with this connection's schema) returned at once.
     */
    <T> T onShard(int shard, ShardWork<T> work) throws SQLException {
        return session.onShard(shard, work);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (pinned >= 0) {
            PinnedGuard.checkUnwrap(registry, pinned, iface);
            return session.physical(pinned).unwrap(iface);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL_ERROR);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || (pinned >= 0 && session.physical(pinned).isWrapperFor(iface));
    }
}
