package io.shardkit.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.PoolSettings;
import io.shardkit.config.Secrets;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.sql.Dialect;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a shard's HikariCP pool: the map's and the shard's {@code pool:} settings over shardkit's
 * defaults (no connection until asked, {@code minimumIdle = 0}), SQLite's open mode, journal and
 * attach limit, a read-only PostgreSQL session, and the {@link NetworkDefaults}. A pool that cannot
 * start marks its shard down (SQLState 08001).
 */
final class PoolFactory {
    private PoolFactory() {
    }

    /** A new pool for the slot's shard; one that cannot start marks the shard down and fails with 08001, naming it. */
    static HikariDataSource start(ShardMap map, Slot slot) throws ShardException {
        try {
            return new HikariDataSource(config(map, slot.spec, slot.dialect));
        } catch (RuntimeException e) {
            String why = "shard " + slot.spec.name() + " is down: its connection pool cannot start: "
                    + Secrets.mask(String.valueOf(e.getMessage()), slot.spec);
            slot.down = why;
            throw new ShardException(why, SqlStates.UNABLE_TO_CONNECT, 0, slot.spec.name(), null);
        }
    }

    static HikariConfig config(ShardMap map, ShardSpec spec, Dialect dialect) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("shardkit-" + spec.name());
        c.setJdbcUrl(spec.url());
        if (spec.user() != null) {
            c.setUsername(spec.user());
        }
        if (spec.password() != null) {
            c.setPassword(spec.password());
        }
        c.setInitializationFailTimeout(-1);
        c.setMinimumIdle(0);
        c.setMaximumPoolSize(10);
        c.setReadOnly(spec.readOnly());
        if (dialect == Dialect.SQLITE) {
            sqlite(c, spec);
        }
        if (dialect == Dialect.POSTGRESQL && spec.readOnly()) {
            // pgjdbc applies setReadOnly(true) only inside transactions unless told otherwise
            c.addDataSourceProperty("readOnlyMode", "always");
        }
        Map<String, Object> settings = new LinkedHashMap<>(map.pool());
        settings.putAll(spec.pool());
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            apply(c, e.getKey(), PoolSettings.convert(e.getKey(), e.getValue()));
        }
        NetworkDefaults.apply(c, spec, dialect);
        for (Map.Entry<String, String> p : spec.properties().entrySet()) {
            c.addDataSourceProperty(p.getKey(), p.getValue());
        }
        return c;
    }

    private static void sqlite(HikariConfig c, ShardSpec spec) {
        if (Slot.sqliteMemory(spec.url())) {
            c.setMaximumPoolSize(1);
            c.setMinimumIdle(1);
            c.setMaxLifetime(0);
            c.setIdleTimeout(0);
        } else if (spec.readOnly()) {
            // opened read-only by SQLite itself, so a write fails at the database even if it bypassed shardkit
            c.addDataSourceProperty("open_mode", String.valueOf(SQLITE_OPEN_READONLY));
        } else {
            // read-write without SQLITE_OPEN_CREATE: a missing file fails instead of becoming an empty database
            c.addDataSourceProperty("open_mode", String.valueOf(SQLITE_OPEN_READWRITE));
            c.addDataSourceProperty("journal_mode", "WAL");
        }
        c.addDataSourceProperty("busy_timeout", "10000");
        // no ATTACH on any shard connection: a hot connection could attach an archive file read-write
        c.addDataSourceProperty("limit_attached", "0");
    }

    private static final int SQLITE_OPEN_READONLY = 0x1;
    private static final int SQLITE_OPEN_READWRITE = 0x2;

    private static void apply(HikariConfig c, String name, Object v) {
        switch (name) {
            case "maximumPoolSize" -> c.setMaximumPoolSize((Integer) v);
            case "minimumIdle" -> c.setMinimumIdle((Integer) v);
            case "connectionTimeout" -> c.setConnectionTimeout((Long) v);
            case "idleTimeout" -> c.setIdleTimeout((Long) v);
            case "maxLifetime" -> c.setMaxLifetime((Long) v);
            case "keepaliveTime" -> c.setKeepaliveTime((Long) v);
            case "validationTimeout" -> c.setValidationTimeout((Long) v);
            case "leakDetectionThreshold" -> c.setLeakDetectionThreshold((Long) v);
            case "initializationFailTimeout" -> c.setInitializationFailTimeout((Long) v);
            case "connectionTestQuery" -> c.setConnectionTestQuery((String) v);
            case "connectionInitSql" -> c.setConnectionInitSql((String) v);
            case "transactionIsolation" -> c.setTransactionIsolation((String) v);
            case "schema" -> c.setSchema((String) v);
            case "catalog" -> c.setCatalog((String) v);
            case "registerMbeans" -> c.setRegisterMbeans((Boolean) v);
            default -> throw new IllegalArgumentException("unknown pool setting " + name);
        }
    }

    /** The pool's connection timeout a shard will get, without making a pool (HikariCP's default 30 s). */
    static long connectionTimeout(ShardMap map, ShardSpec spec) {
        Object v = spec.pool().containsKey("connectionTimeout") ? spec.pool().get("connectionTimeout")
                : map.pool().get("connectionTimeout");
        try {
            return v == null ? 30_000 : (Long) PoolSettings.convert("connectionTimeout", v);
        } catch (IllegalArgumentException e) {
            return 30_000;
        }
    }
}
