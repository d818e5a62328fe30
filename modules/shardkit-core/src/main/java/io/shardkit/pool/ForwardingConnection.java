package io.shardkit.pool;

import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.ShardingKey;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A {@link Connection} that passes every call to the connection it wraps. Subclasses decide what
 * closing means (give a permit back, reset a tenant's schema) and override what else they change.
 */
public abstract class ForwardingConnection implements Connection {
    protected final Connection target;
    private boolean closed;

    protected ForwardingConnection(Connection target) {
        this.target = target;
    }

    /** Closes once, however often called: runs {@link #release()} the first time. */
    @Override
    public final void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** What the first {@code close()} does with the wrapped connection. */
    protected abstract void release() throws SQLException;

    @Override
    public boolean isClosed() throws SQLException {
        return closed || target.isClosed();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target.isWrapperFor(iface);
    }

    @Override
    public void abort(Executor v0) throws SQLException {
        target.abort(v0);
    }

    @Override
    public void beginRequest() throws SQLException {
        target.beginRequest();
    }

    @Override
    public void clearWarnings() throws SQLException {
        target.clearWarnings();
    }

    @Override
    public void commit() throws SQLException {
        target.commit();
    }

    @Override
    public Array createArrayOf(String v0, Object[] v1) throws SQLException {
        return target.createArrayOf(v0, v1);
    }

    @Override
    public Blob createBlob() throws SQLException {
        return target.createBlob();
    }

    @Override
    public Clob createClob() throws SQLException {
        return target.createClob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return target.createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return target.createSQLXML();
    }

    @Override
    public Statement createStatement() throws SQLException {
        return target.createStatement();
    }

    @Override
    public Statement createStatement(int v0, int v1, int v2) throws SQLException {
        return target.createStatement(v0, v1, v2);
    }

    @Override
    public Statement createStatement(int v0, int v1) throws SQLException {
        return target.createStatement(v0, v1);
    }

    @Override
    public Struct createStruct(String v0, Object[] v1) throws SQLException {
        return target.createStruct(v0, v1);
    }

    @Override
    public void endRequest() throws SQLException {
        target.endRequest();
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return target.getAutoCommit();
    }

    @Override
    public String getCatalog() throws SQLException {
        return target.getCatalog();
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return target.getClientInfo();
    }

    @Override
    public String getClientInfo(String label) throws SQLException {
        return target.getClientInfo(label);
    }

    @Override
    public int getHoldability() throws SQLException {
        return target.getHoldability();
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return target.getMetaData();
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return target.getNetworkTimeout();
    }

    @Override
    public String getSchema() throws SQLException {
        return target.getSchema();
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return target.getTransactionIsolation();
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return target.getTypeMap();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return target.getWarnings();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return target.isReadOnly();
    }

    @Override
    public boolean isValid(int v0) throws SQLException {
        return target.isValid(v0);
    }

    @Override
    public String nativeSQL(String v0) throws SQLException {
        return target.nativeSQL(v0);
    }

    @Override
    public CallableStatement prepareCall(String v0, int v1, int v2, int v3) throws SQLException {
        return target.prepareCall(v0, v1, v2, v3);
    }

    @Override
    public CallableStatement prepareCall(String v0, int v1, int v2) throws SQLException {
        return target.prepareCall(v0, v1, v2);
    }

    @Override
    public CallableStatement prepareCall(String v0) throws SQLException {
        return target.prepareCall(v0);
    }

    @Override
    public PreparedStatement prepareStatement(String v0, int[] v1) throws SQLException {
        return target.prepareStatement(v0, v1);
    }

    @Override
    public PreparedStatement prepareStatement(String v0, String[] v1) throws SQLException {
        return target.prepareStatement(v0, v1);
    }

    @Override
    public PreparedStatement prepareStatement(String v0, int v1, int v2, int v3) throws SQLException {
        return target.prepareStatement(v0, v1, v2, v3);
    }

    @Override
    public PreparedStatement prepareStatement(String v0, int v1, int v2) throws SQLException {
        return target.prepareStatement(v0, v1, v2);
    }

    @Override
    public PreparedStatement prepareStatement(String v0, int v1) throws SQLException {
        return target.prepareStatement(v0, v1);
    }

    @Override
    public PreparedStatement prepareStatement(String v0) throws SQLException {
        return target.prepareStatement(v0);
    }

    @Override
    public void releaseSavepoint(Savepoint v0) throws SQLException {
        target.releaseSavepoint(v0);
    }

    @Override
    public void rollback() throws SQLException {
        target.rollback();
    }

    @Override
    public void rollback(Savepoint v0) throws SQLException {
        target.rollback(v0);
    }

    @Override
    public void setAutoCommit(boolean v0) throws SQLException {
        target.setAutoCommit(v0);
    }

    @Override
    public void setCatalog(String v0) throws SQLException {
        target.setCatalog(v0);
    }

    @Override
    public void setClientInfo(String v0, String v1) throws SQLClientInfoException {
        target.setClientInfo(v0, v1);
    }

    @Override
    public void setClientInfo(Properties v0) throws SQLClientInfoException {
        target.setClientInfo(v0);
    }

    @Override
    public void setHoldability(int index) throws SQLException {
        target.setHoldability(index);
    }

    @Override
    public void setNetworkTimeout(Executor v0, int v1) throws SQLException {
        target.setNetworkTimeout(v0, v1);
    }

    @Override
    public void setReadOnly(boolean v0) throws SQLException {
        target.setReadOnly(v0);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return target.setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String v0) throws SQLException {
        return target.setSavepoint(v0);
    }

    @Override
    public void setSchema(String v0) throws SQLException {
        target.setSchema(v0);
    }

    @Override
    public void setShardingKey(ShardingKey v0, ShardingKey v1) throws SQLException {
        target.setShardingKey(v0, v1);
    }

    @Override
    public void setShardingKey(ShardingKey v0) throws SQLException {
        target.setShardingKey(v0);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey v0, int v1) throws SQLException {
        return target.setShardingKeyIfValid(v0, v1);
    }

    @Override
    public boolean setShardingKeyIfValid(ShardingKey v0, ShardingKey v1, int v2) throws SQLException {
        return target.setShardingKeyIfValid(v0, v1, v2);
    }

    @Override
    public void setTransactionIsolation(int index) throws SQLException {
        target.setTransactionIsolation(index);
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> v0) throws SQLException {
        target.setTypeMap(v0);
    }

}
