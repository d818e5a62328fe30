package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.ShardException;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.AnalysisCache;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.exec.Executor;
import io.shardkit.exec.PinnedGuard;
import io.shardkit.exec.Session;
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
public final class ShardedConnection implements Connection {

    private final ShardRegistry registry;
    private final AnalysisCache cache;
    private final java.util.concurrent.ExecutorService scatter;
    private final long mergeRowLimit;
    private final List<ShardedStatement> statements = new ArrayList<>();
    private final int pinned;
    /** Where statements are decided and multi-shard writes run; see {@link Executor}. */
    private final Executor executor;
    /** The physical connections, their settings and transactions; see {@link Session}. */
    private final Session session;
    /** -1 until set: each shard's driver default applies. */
    private int holdability = -1;

    /**
     * @param executor this connection's executor, over its own {@link Session} (pinned to a shard or
     *     not, for a tenant or not)
     * @param scatter runs the shard queries of a merged read in parallel
     * @param mergeRowLimit the most rows a merge may hold in memory
     */
    public ShardedConnection(ShardRegistry registry, AnalysisCache cache, Executor executor,
            java.util.concurrent.ExecutorService scatter, long mergeRowLimit) {
        this.registry = registry;
        this.cache = cache;
        this.executor = executor;
        this.session = executor.session();
        this.pinned = executor.pinned();
        this.scatter = scatter;
        this.mergeRowLimit = mergeRowLimit;
        session.attach(new Session.Users() {
            @Override
            public boolean uses(int shard) {
                for (int i = 0; i < statements.size(); i++) { // no iterator: runs at every statement boundary
                    if (statements.get(i).uses(shard)) {
                        return true;
                    }
                }
                return false;
            }

            @Override
            public void forgetShard(int shard) {
                for (ShardedStatement st : statements) {
                    st.forgetShard(shard);
                }
            }
        });
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
    Session session() {
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

    void checkOpen() throws SQLException {
        session.checkOpen();
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
        session.setAutoCommit(on);
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        checkOpen();
        return session.autoCommit();
    }

    /** Commits every physical connection held, the shard written first. */
    @Override
    public void commit() throws SQLException {
        checkOpen();
        if (session.autoCommit()) {
            throw new SQLException("commit with autocommit on", "25000");
        }
        session.commit();
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (session.autoCommit()) {
            throw new SQLException("rollback with autocommit on", "25000");
        }
        session.rollback();
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return setSavepoint(null);
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        checkOpen();
        if (session.autoCommit()) {
            throw new SQLException("a savepoint with autocommit on", "25000");
        }
        return session.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        if (session.autoCommit()) {
            throw new SQLException("rollback to a savepoint with autocommit on", "25000");
        }
        session.rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        checkOpen();
        session.releaseSavepoint(savepoint);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        checkOpen();
        session.setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (session.isolation() >= 0) {
            return session.isolation();
        }
        return session.physical(pinned >= 0 ? pinned : Math.max(session.preferred(), 0)).getTransactionIsolation();
    }

    /**
     * Read-only is enforced by shardkit itself (writes are refused before they reach a shard, on
     * every dialect) and passed to the shards that support it (not SQLite, whose driver fixes it
     * when the connection opens).
     */
    @Override
    public void setReadOnly(boolean on) throws SQLException {
        checkOpen();
        session.setReadOnly(on);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return session.readOnly();
    }

    // ---- lifecycle ----

    /** Closes every statement and returns every physical connection to its pool. */
    @Override
    public void close() throws SQLException {
        if (session.isClosed()) {
            return;
        }
        session.closing();
        SQLException first = null;
        for (ShardedStatement st : new ArrayList<>(statements)) {
            try {
                st.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        statements.clear();
        session.close(first);
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
        int s = pinned >= 0 ? pinned : session.preferred();
        return session.physical(s >= 0 ? s : 0);
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
    <T> T onShard(int shard, Session.ShardWork<T> work) throws SQLException {
        return session.onShard(shard, work);
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        checkOpen();
        if (session.hasTenant()) {
            throw tenantFixed("setCatalog");
        }
        session.eachPhysical(c -> c.setCatalog(catalog));
    }

    @Override
    public String getCatalog() throws SQLException {
        checkOpen();
        return any().getCatalog();
    }

    @Override
    public void setSchema(String name) throws SQLException {
        checkOpen();
        if (session.hasTenant()) {
            throw tenantFixed("setSchema");
        }
        session.setSchema(name);
    }

    /** A tenant connection's schema is the tenant's for its whole life. */
    private SQLException tenantFixed(String method) {
        return new SQLFeatureNotSupportedException(method + " on a connection of " + session.tenantLabel() + ": its statements run in"
                + " the tenant's schema only; use ShardedDataSource.forTenant(name) for another tenant", "0A000");
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        if (session.hasTenant()) {
            return session.tenantSchema();
        }
        return session.schema() != null ? session.schema() : any().getSchema();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return null;
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        session.eachPhysical(Connection::clearWarnings);
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
    public void setNetworkTimeout(java.util.concurrent.Executor executor, int milliseconds) throws SQLException {
        checkOpen();
        session.eachPhysical(c -> c.setNetworkTimeout(executor, milliseconds));
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
            return session.physical(pinned).unwrap(iface);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || (pinned >= 0 && session.physical(pinned).isWrapperFor(iface));
    }
}
