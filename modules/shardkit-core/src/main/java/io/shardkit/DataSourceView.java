package io.shardkit;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The {@code DataSource} plumbing of a {@link ShardedDataSource} and of its views (one tenant's,
 * one shard's), written once: credentials from the shard map, logging through SLF4J, a log writer
 * and login timeout kept but unused, and unwrapping to the object itself or to what is behind it
 * ({@link #behind}).
 */
abstract class DataSourceView implements DataSource {
    /** The data source a view is of; {@code null} for the data source itself. */
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
        Object behind = behind(iface);
        if (behind != null) {
            return iface.cast(behind);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), SqlStates.GENERAL_ERROR);
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isInstance(owner);
    }

    /**
     * What {@link #unwrap} answers for {@code iface} besides this object, or {@code null}: for a
     * view, the data source it is of ({@link #isWrapperFor} says so too).
     */
    Object behind(Class<?> iface) {
        return iface.isInstance(owner) ? owner : null;
    }
}
