package io.shardkit;

import io.shardkit.config.Secrets;
import io.shardkit.config.ShardSpec;
import io.shardkit.pool.ShardRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Shards opened and closed while the data source runs: a database per tenant, a SQLite file per
 * photo album. Use one through {@link ShardedDataSource#connectionTo(String)}.
 *
 * <p>A runtime shard's pool starts on first use and closes again after
 * {@code settings.runtimeIdleTimeout} without use (reopening on next use), and all runtime shards
 * together hold at most {@code settings.runtimeConnectionCap} connections, so many tenants do not
 * mean thousands of connections. Closing a shard closes its pool: a SQLite file is released and may
 * be moved, copied or deleted, then opened again, from its new place if need be.
 *
 * <p>Thread-safe.
 */
public final class Shards {
    private final ShardRegistry registry;

    Shards(ShardRegistry registry) {
        this.registry = registry;
    }

    /**
     * Opens a writable shard at a JDBC URL. A SQLite file must exist (a missing one fails naming it,
     * SQLState 08001): use {@link #create} for a new one.
     */
    public void open(String name, String url) throws SQLException {
        open(ShardSpec.of(name, url));
    }

    /** Opens a shard with credentials, driver properties, pool settings or read-only as given. */
    public void open(ShardSpec spec) throws SQLException {
        if (spec.name().isBlank()) {
            throw new ShardException("a shard needs a name", ShardException.ROUTING);
        }
        if (!spec.url().startsWith("jdbc:") || spec.url().indexOf(':', 5) < 0) {
            throw new ShardException("malformed JDBC URL '" + Secrets.maskUrl(spec.url())
                    + "' for shard " + spec.name() + " (expected jdbc:<driver>:<database>)", ShardException.ROUTING);
        }
        registry.open(spec);
    }

    /**
     * Opens a new same-shaped database (a tenant's, an album's; a SQLite file and its folder are
     * created, an existing file is used as it is) and gives it its tables: the
     * statements of a class path resource, run in one transaction. If they fail the shard is closed
     * again, so the call can be repeated once the cause is fixed.
     */
    public void create(String name, String url, String ddlResource) throws SQLException {
        create(name, url, Tenants.script(ddlResource));
    }

    /** Like {@link #create(String, String, String)}, with the tables made by a callback. */
    public void create(String name, String url, Tenants.Setup setup) throws SQLException {
        open(ShardSpec.of(name, url).withCreate(true));
        try (Connection c = registry.borrow(registry.indexOf(name))) {
            c.setAutoCommit(false);
            try {
                setup.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            registry.close(name);
            if (e instanceof SQLException se) {
                throw ShardException.fromShard(name, null, se);
            }
            throw e;
        }
    }

    /**
     * Closes a runtime shard and its pool. Connections still borrowed from it are closed by the
     * pool; statements using it afterwards fail until it is opened again.
     */
    public void close(String name) throws SQLException {
        registry.close(name);
    }

    public boolean isOpen(String name) {
        return registry.isOpen(name);
    }

    /** The runtime shards that are open (configured shards are not listed). */
    public List<String> names() {
        return registry.runtimeShards();
    }

    /** How many runtime shards have a pool open right now (idle ones close theirs). */
    public int openPools() {
        return registry.openRuntimePools();
    }
}
