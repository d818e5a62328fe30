package io.shardkit;

import io.shardkit.tenant.TenantScope;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One tenant's view of a {@link ShardedDataSource} ({@link ShardedDataSource#forTenant}): every
 * statement of its connections runs in the tenant's schema, routed over the shards as usual. No
 * thread-local state: hand this data source (or its connections) to the code serving the tenant.
 *
 * <p>Costs nothing to keep: it borrows from the shards' pools, which all tenants share; there is
 * no pool per tenant. Thread-safe. Closing the {@link ShardedDataSource} closes what it uses.
 */
public final class TenantDataSource implements DataSource {
    private final ShardedDataSource owner;
    private final TenantScope scope;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeout;

    TenantDataSource(ShardedDataSource owner, TenantScope scope) {
        this.owner = owner;
        this.scope = scope;
    }

    /** The tenant's name. */
    public String tenant() {
        return scope.tenant();
    }

    /** The tenant's physical schema (on MySQL/MariaDB its database), e.g. {@code tenant_client1}. */
    public String schema() {
        return scope.schema();
    }

    /**
     * A lazy connection whose statements run in the tenant's schema. Refused (SQLState 3F000)
     * once the tenant has been dropped through {@link Tenants#drop}.
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (scope.dropped()) {
            throw new ShardException("tenant " + scope.tenant() + " was dropped", Tenants.UNKNOWN_TENANT);
        }
        return owner.tenantConnection(scope);
    }

    /** Refused: credentials are per shard and come from the shard map. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set per shard in the shard map; use getConnection()",
                "0A000");
    }

    TenantScope scope() {
        return scope;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("shardkit logs through SLF4J", "0A000");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        if (iface.isInstance(owner)) {
            return iface.cast(owner);
        }
        throw new SQLException("not a wrapper for " + iface.getName(), "HY000");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this) || iface.isInstance(owner);
    }

    @Override
    public String toString() {
        return "TenantDataSource[" + scope + "]";
    }
}
