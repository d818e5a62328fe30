package io.shardkit;

import io.shardkit.tenant.TenantScope;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * One tenant's view of a {@link ShardedDataSource} ({@link ShardedDataSource#forTenant}): every
 * statement of its connections runs in the tenant's schema, routed over the shards as usual. No
 * thread-local state: hand this data source (or its connections) to the code serving the tenant.
 *
 * <p>Costs nothing to keep: it borrows from the shards' pools, which all tenants share; there is
 * no pool per tenant. Thread-safe. Closing the {@link ShardedDataSource} closes what it uses.
 */
public final class TenantDataSource extends DataSourceView {
    private final TenantScope scope;

    TenantDataSource(ShardedDataSource owner, TenantScope scope) {
        super(owner);
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

    TenantScope scope() {
        return scope;
    }

    @Override
    public String toString() {
        return "TenantDataSource[" + scope + "]";
    }
}
