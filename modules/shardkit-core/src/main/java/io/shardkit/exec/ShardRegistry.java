package io.shardkit.exec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.config.PoolSettings;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.sql.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HikariCP pool per shard, addressed by a dense index so the hot path looks shards up in an
 * array. Pools are created when the data source is built but open no connection until asked
 * ({@code initializationFailTimeout = -1}, {@code minimumIdle = 0} unless configured), so a
 * shard that is down does not stop the others from being used.
 *
 * <p>SQLite file shards get their parent folder created, a busy timeout, and WAL journaling (or,
 * for a read-only shard, SQLite's read-only open mode); an
 * in-memory SQLite shard ({@code jdbc:sqlite::memory:}) gets a pool of exactly one connection
 * that never retires, since each connection would otherwise be a different, empty database.
 */
public final class ShardRegistry implements AutoCloseable {
    private final ShardSpec[] specs;
    private final String[] names;
    private final Dialect[] dialects;
    private final HikariDataSource[] pools;
    private final Map<String, Integer> index = new HashMap<>();
    /** Per shard: null until probed, then whether its text order is code point order. */
    private final Boolean[] binaryTextOrder;

    public ShardRegistry(ShardMap map) throws ShardException {
        int n = map.shards().size();
        specs = map.shards().toArray(new ShardSpec[0]);
        names = new String[n];
        dialects = new Dialect[n];
        pools = new HikariDataSource[n];
        binaryTextOrder = new Boolean[n];
        try {
            for (int i = 0; i < n; i++) {
                names[i] = specs[i].name();
                dialects[i] = Dialect.fromUrl(specs[i].url());
                index.put(names[i], i);
                pools[i] = new HikariDataSource(config(map, specs[i], dialects[i]));
            }
        } catch (RuntimeException e) {
            close();
            throw new ShardException("cannot create the connection pools: " + e.getMessage(), "08001", 0, null, e);
        }
    }

    private static HikariConfig config(ShardMap map, ShardSpec spec, Dialect dialect) {
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
        for (Map.Entry<String, String> p : spec.properties().entrySet()) {
            c.addDataSourceProperty(p.getKey(), p.getValue());
        }
        return c;
    }

    private static void sqlite(HikariConfig c, ShardSpec spec) {
        String path = spec.url().substring("jdbc:sqlite:".length());
        boolean memory = path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory");
        if (memory) {
            c.setMaximumPoolSize(1);
            c.setMinimumIdle(1);
            c.setMaxLifetime(0);
            c.setIdleTimeout(0);
        } else {
            String file = path.startsWith("file:") ? path.substring(5) : path;
            int q = file.indexOf('?');
            Path parent = Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath().getParent();
            try {
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new IllegalStateException("shard " + spec.name() + ": cannot create folder " + parent + ": " + e, e);
            }
            if (spec.readOnly()) {
                // opened read-only by SQLite itself, so a write fails at the database even if it bypassed shardkit
                c.addDataSourceProperty("open_mode", "1");
            } else {
                c.addDataSourceProperty("journal_mode", "WAL");
            }
        }
        c.addDataSourceProperty("busy_timeout", "10000");
    }

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

    public int size() {
        return names.length;
    }

    /** The index of a shard, or -1 when the map has no such shard. */
    public int indexOf(String shard) {
        Integer i = index.get(shard);
        return i == null ? -1 : i;
    }

    public String name(int shard) {
        return names[shard];
    }

    public ShardSpec spec(int shard) {
        return specs[shard];
    }

    public Dialect dialect(int shard) {
        return dialects[shard];
    }

    /** The pool of a shard, for monitoring (active and idle counts). */
    public HikariDataSource pool(int shard) {
        return pools[shard];
    }

    /**
     * Whether the shard orders text by code point, as a merge sort in Java does: SQLite's default
     * BINARY collation does; a PostgreSQL database does when its collation is C or POSIX (asked
     * once, then remembered); MySQL's default collations do not.
     */
    public boolean binaryTextOrder(int shard) {
        Boolean known = binaryTextOrder[shard];
        if (known != null) {
            return known;
        }
        boolean binary = switch (dialects[shard]) {
            case SQLITE -> true;
            case POSTGRESQL -> postgresCollationIsC(shard);
            default -> false;
        };
        binaryTextOrder[shard] = binary;
        return binary;
    }

    private boolean postgresCollationIsC(int shard) {
        try (Connection c = pools[shard].getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
            if (!rs.next()) {
                return false;
            }
            String collate = rs.getString(1);
            return collate.equals("C") || collate.equals("POSIX") || collate.startsWith("C.");
        } catch (SQLException e) {
            return false;
        }
    }

    /** Borrows a connection from a shard's pool; errors name the shard. */
    public Connection borrow(int shard) throws SQLException {
        try {
            return pools[shard].getConnection();
        } catch (SQLException e) {
            throw ShardException.fromShard(names[shard], null, e);
        }
    }

    @Override
    public void close() {
        for (HikariDataSource p : pools) {
            if (p != null) {
                p.close();
            }
        }
    }
}
