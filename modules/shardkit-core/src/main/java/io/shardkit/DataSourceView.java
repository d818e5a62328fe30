package io.shardkit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What the views of a {@link ShardedDataSource} share (one tenant's, one shard's): no pool of
 * their own, credentials from the shard map, logging through SLF4J, and unwrapping to the view or
 * to the data source behind it.
 */
abstract class DataSourceView implements DataSource {
    final ShardedDataSource owner;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeout;

    DataSourceView(ShardedDataSource owner) {
        this.owner = owner;
    }

    /** Refused: credentials are per shard and come from the shard map. */
    @Override
    public final Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set per shard in the shard map; use getConnection()",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public final PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public final void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public final void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public final int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public final Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("shardkit logs through SLF4J", SqlStates.FEATURE_NOT_SUPPORTED);
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isInstance(owner)) {
            return iface.cast(owner);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL_ERROR);
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isInstance(owner);
    }
}
