package io.shardkit.bench;

import io.shardkit.testing.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The shards every contender reads: {@code shards} databases, either H2 in-memory databases (no
 * I/O, so the numbers isolate routing and merging cost) or databases on the embedded PostgreSQL
 * (sockets, a real planner and a real driver). Every contender opens its own pools over the same
 * databases, so all three read the same rows.
 *
 * <p>{@code players(player_id, name, score, level)} holds {@link #TOTAL_ROWS} rows, the row with
 * id {@code k} on shard {@code k mod shards}; ids are dense from 0. Scores are
 * {@code k * 7919 mod 1000003}: unique (1000003 is prime and every id is below it), so every top-N
 * and page has exactly one right answer. {@code level = score mod 50} spreads each group over
 * every shard. {@code moves} is the empty table the INSERT benchmarks fill. One dataset per
 * backend and shard count per JVM, loaded on first use.
 */
final class Dataset {
    /** Enough rows that each of four shards holds more than the deep page's 100,010. */
    static final int TOTAL_ROWS = 404_000;

    static final String H2 = "h2";
    static final String POSTGRES = "postgres";

    private static final Map<String, Dataset> LOADED = new HashMap<>();

    final String backend;
    final int shards;
    final String[] urls;
    final String user;
    final String password;

    private Dataset(String backend, int shards, String[] urls, String user, String password) {
        this.backend = backend;
        this.shards = shards;
        this.urls = urls;
        this.user = user;
        this.password = password;
    }

    /** Databases that already exist and hold the tables (the startup probes' files). */
    static Dataset of(String backend, String[] urls, String user, String password) {
        return new Dataset(backend, urls.length, urls, user, password);
    }

    static synchronized Dataset open(String backend, int shards) throws SQLException {
        String key = backend + "/" + shards;
        Dataset d = LOADED.get(key);
        if (d == null) {
            d = create(backend, shards);
            LOADED.put(key, d);
        }
        return d;
    }

    String driverClass() {
        return backend.equals(H2) ? "org.h2.Driver" : "org.postgresql.Driver";
    }

    int shardOf(long playerId) {
        return (int) Math.floorMod(playerId, (long) shards);
    }

    private static Dataset create(String backend, int shards) throws SQLException {
        String[] urls = new String[shards];
        String user;
        String password;
        EmbeddedPostgres pg = null;
        if (backend.equals(H2)) {
            user = "sa";
            password = "";
        } else if (backend.equals(POSTGRES)) {
            pg = EmbeddedPostgres.get();
            user = pg.user();
            password = pg.password();
        } else {
            throw new IllegalArgumentException("backend must be h2 or postgres: " + backend);
        }
        int perShard = TOTAL_ROWS / shards;
        for (int i = 0; i < shards; i++) {
            String name = "bench" + shards + "_s" + i;
            if (pg == null) {
                // LAZY_QUERY_EXECUTION streams results instead of materialising them, like a server would
                urls[i] = "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;LAZY_QUERY_EXECUTION=1";
            } else {
                pg.createDatabase(name);
                urls[i] = pg.jdbcUrl(name);
            }
            load(backend, urls[i], user, password, shards, i, perShard);
        }
        return new Dataset(backend, shards, urls, user, password);
    }

    /** Creates both tables on shard {@code shard} of {@code shards} and fills {@code players}. */
    static void load(String backend, String url, String user, String password, int shards, int shard, int rows)
            throws SQLException {
        boolean h2 = backend.equals(H2);
        String ids = h2 ? "SELECT X * " + shards + " + " + shard + " AS id FROM SYSTEM_RANGE(0, " + (rows - 1) + ")"
                : "SELECT CAST(g AS BIGINT) * " + shards + " + " + shard + " AS id FROM generate_series(0, " + (rows - 1)
                        + ") AS g";
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS players");
            s.execute("DROP TABLE IF EXISTS moves");
            s.execute("CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL,"
                    + " score BIGINT NOT NULL, level INT NOT NULL)");
            s.execute("CREATE TABLE moves (player_id BIGINT NOT NULL, seq BIGINT NOT NULL, score BIGINT NOT NULL)");
            s.execute("INSERT INTO players SELECT id, CONCAT('player', id), MOD(id * 7919, 1000003),"
                    + " MOD(MOD(id * 7919, 1000003), 50) FROM (" + ids + ") AS t");
            s.execute("CREATE INDEX players_score ON players (score)");
            if (!h2) {
                s.execute("VACUUM ANALYZE players");
            }
        }
    }
}
