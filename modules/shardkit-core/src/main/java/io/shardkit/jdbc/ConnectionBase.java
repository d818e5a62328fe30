package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import io.shardkit.exec.Executor;
import io.shardkit.exec.Session;
import io.shardkit.pool.ShardRegistry;
import java.sql.Array;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.NClob;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;

/**
 * The part of the logical connection that is not about statements: transactions, savepoints and
 * settings (passed to its {@link Session}), schema and catalog, holdability, factories answered by
 * one shard, client info and warnings. Not thread-safe, like any JDBC connection.
 */
abstract class ConnectionBase implements Connection {
    final ShardRegistry registry;
    /** Where statements are decided and multi-shard writes run; see {@link Executor}. */
    final Executor executor;
    /** The physical connections, their settings and transactions; see {@link Session}. */
    final Session session;
    /** The shard every statement goes to, or -1 to route each statement. */
    final int pinned;
    /** -1 until set: each shard's driver default applies. */
    int holdability = -1;

    ConnectionBase(ShardRegistry registry, Executor executor) {
        this.registry = registry;
        this.executor = executor;
        this.session = executor.session();
        this.pinned = executor.pinned();
    }

    final void checkOpen() throws SQLException {
        session.checkOpen();
    }

    @Override
    public String nativeSQL(String sql) throws SQLException {
        checkOpen();
        return sql;
    }

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
            throw new SQLException("commit with autocommit on", SqlStates.INVALID_TRANSACTION_STATE);
        }
        session.commit();
    }

    @Override
    public void rollback() throws SQLException {
        checkOpen();
        if (session.autoCommit()) {
            throw new SQLException("rollback with autocommit on", SqlStates.INVALID_TRANSACTION_STATE);
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
            throw new SQLException("a savepoint with autocommit on", SqlStates.INVALID_TRANSACTION_STATE);
        }
        return session.setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        checkOpen();
        if (session.autoCommit()) {
            throw new SQLException("rollback to a savepoint with autocommit on", SqlStates.INVALID_TRANSACTION_STATE);
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
        session.settings().setTransactionIsolation(level);
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        checkOpen();
        if (session.settings().isolation() >= 0) {
            return session.settings().isolation();
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
        session.settings().setReadOnly(on);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        checkOpen();
        return session.readOnly();
    }

    /** Refused: a connection's sharding key is fixed when it is made (see the connection builder). */
    @Override
    public void setShardingKey(java.sql.ShardingKey key, java.sql.ShardingKey superKey) throws SQLException {
        checkOpen();
        throw new SQLFeatureNotSupportedException("set the sharding key when the connection is made: "
                + "ShardedDataSource.createConnectionBuilder().shardingKey(key).build()",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public void setShardingKey(java.sql.ShardingKey key) throws SQLException {
        setShardingKey(key, null);
    }

    final Connection any() throws SQLException {
        int s = pinned >= 0 ? pinned : session.preferred();
        return session.physical(s >= 0 ? s : 0);
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
        session.settings().setSchema(name);
    }

    /** A tenant connection's schema is the tenant's for its whole life. */
    private SQLException tenantFixed(String method) {
        return new SQLFeatureNotSupportedException(method + " on a connection of " + session.tenantLabel() + ": its statements run in"
                + " the tenant's schema only; use ShardedDataSource.forTenant(name) for another tenant",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public String getSchema() throws SQLException {
        checkOpen();
        if (session.hasTenant()) {
            return session.tenantSchema();
        }
        return session.settings().schema() != null ? session.settings().schema() : any().getSchema();
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
        throw new SQLFeatureNotSupportedException("custom type maps are not supported through shardkit",
                SqlStates.FEATURE_NOT_SUPPORTED);
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
}
