package io.shardkit.pool;

import io.shardkit.ShardException;
import io.shardkit.config.Secrets;
import io.shardkit.config.ShardSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * New, unpooled, writable connections straight to a shard, for maintenance that must write where
 * applications may not (the archiver filling a read-only archive), as the shard's {@code admin}
 * user when the map names one (its {@code user} may hold SELECT only). Not routed; the caller
 * closes them.
 *
 * <p>Internal. Applications keep the read-only rule: no API type opens such a connection, and
 * {@link #open} refuses every caller outside {@code io.shardkit.archive} and {@code io.shardkit.reshard}
 * (whose mover writes past the fence it installs, and installs triggers, as the package-private
 * {@code ShardedDataSource.openAdmin} it replaces refused every caller outside {@code io.shardkit}).
 * The caller check is one stack-walker look per connection opened: once per archive shard per run.
 */
public final class AdminConnections {
    /** The packages whose code may open admin connections: the archiver and the resharding mover. */
    private static final java.util.Set<String> ALLOWED = java.util.Set.of("io.shardkit.archive", "io.shardkit.reshard");
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final ShardRegistry registry;

    public AdminConnections(ShardRegistry registry) {
        this.registry = registry;
    }

    /**
     * A new admin connection to {@code shard}, autocommit as the driver opens it.
     *
     * @throws IllegalCallerException when called from outside {@code io.shardkit.archive} or {@code io.shardkit.reshard}
     * @throws ShardException for an unknown shard (SQLState HY000), a missing SQLite file (08001),
     *         or the driver's error with the shard's secrets masked
     */
    public Connection open(String shard) throws SQLException {
        Class<?> caller = WALKER.getCallerClass();
        if (!ALLOWED.contains(caller.getPackageName())) {
            throw new IllegalCallerException("admin connections are for io.shardkit.archive and io.shardkit.reshard only, not "
                    + caller.getName() + ": applications reach read-only shards through the data source");
        }
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw new ShardException("unknown shard '" + shard + "'", ShardException.ROUTING);
        }
        registry.checkOpenable(i);
        ShardSpec spec = registry.spec(i);
        Properties props = new Properties();
        props.putAll(spec.properties());
        String user = spec.admin() != null ? spec.admin().user() : spec.user();
        String password = spec.admin() != null ? spec.admin().password() : spec.password();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        try {
            return DriverManager.getConnection(spec.url(), props);
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, null, new SQLException(
                    Secrets.mask(e.getMessage(), spec), e.getSQLState(), e.getErrorCode()));
        }
    }
}
