package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.testing.ShardServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, the resharding acceptance test: 4 → 8 shards (buckets 64) while three data sources run
 * a mixed write workload, one polling every 200 ms, one every 2 s, one never (it hears of the switch
 * only from the fence). Each worker owns its keys, so an in-memory model knows what every committed
 * write did: an UPDATE, INSERT or DELETE either reports success (applied to the model) or fails with
 * the retryable SQLState 40001 (not applied); any other error fails the test. After each step (the
 * workers paused) the merged reads of the fast data source equal the model exactly (rows, COUNT,
 * SUM), and at the end every row sits on the shard its bucket names in the new placement, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReshardWorkloadContract {
    static final int B = 64;
    static final int WORKERS = 6;
    static final int PLAYERS = 1200;
    private final List<String> urls = new ArrayList<>();
    private Path dir;

    /** The server of the shards, or {@code null} for SQLite files. */
    abstract ShardServer server();

    @BeforeAll
    void databases() throws Exception {
        ShardServer server = server();
        if (server == null) {
            dir = Files.createTempDirectory("shardkit-reshard");
        }
        for (int i = 0; i < 8; i++) {
            if (server == null) {
                urls.add("jdbc:sqlite:" + dir.resolve("s" + i + ".db"));
            } else {
                server.createDatabase("sk_rw_s" + i);
                urls.add(server.jdbcUrl("sk_rw_s" + i));
            }
        }
    }

    @AfterAll
    void drop() throws Exception {
        ShardServer server = server();
        for (int i = 0; i < 8 && server != null; i++) {
            server.dropDatabase("sk_rw_s" + i);
        }
    }

    private ShardedDataSource open(String poll) throws SQLException {
        ShardServer server = server();
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 8; i++) {
            y.append("  - name: s").append(i).append("\n    url: \"").append(urls.get(i)).append("\"\n");
            if (server == null) {
                y.append("    create: true\n");
            } else if (server.user() != null) {
                y.append("    user: \"").append(server.user()).append("\"\n");
                if (server.password() != null) {
                    y.append("    password: \"").append(server.password()).append("\"\n");
                }
            }
        }
        y.append("tables:\n  players: {key: player_id, strategy: {type: buckets, buckets: ").append(B)
                .append(", bucketOf: mod, shards: [s0, s1, s2, s3]}}\n");
        // the one that never polls does not listen either (PostgreSQL): it hears of the switch from the fence only
        y.append("resharding: {control: s0, poll: ").append(poll).append(poll.equals("1h") ? ", listen: false" : "")
                .append("}\n");
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(y.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private Connection raw(int shard) throws SQLException {
        ShardServer server = server();
        return server == null ? DriverManager.getConnection(urls.get(shard))
                : DriverManager.getConnection(urls.get(shard), server.user(), server.password());
    }

    /** What the committed writes did: score by player, for the keys each worker owns. */
    private final Map<Long, Long> model = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    /** One worker: writes to its own keys (k mod WORKERS = w) through {@code ds} until told to stop. */
    private Thread worker(ShardedDataSource ds, int w, AtomicBoolean stop, long seed) {
        Thread t = new Thread(() -> {
            Random r = new Random(seed);
            try (Connection c = ds.getConnection()) {
                while (!stop.get()) {
                    Thread.sleep(2); // about 300 writes a second per worker: a busy game, not a saturated machine
                    long key = w + WORKERS * (long) r.nextInt(2 * PLAYERS / WORKERS) + 1;
                    Long score = model.get(key);
                    String sql;
                    int op = r.nextInt(10);
                    if (score == null) {
                        sql = "INSERT INTO players (player_id, score, name) VALUES (?, 0, 'new')";
                    } else if (op < 2) {
                        sql = "DELETE FROM players WHERE player_id = ?";
                    } else {
                        sql = "UPDATE players SET score = score + 1 WHERE player_id = ?";
                    }
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setLong(1, key);
                        int n = ps.executeUpdate();
                        if (n != 1) {
                            failures.add(sql + " " + key + " changed " + n + " rows (model: " + score + ")");
                        } else if (sql.startsWith("INSERT")) {
                            model.put(key, 0L);
                        } else if (sql.startsWith("DELETE")) {
                            model.remove(key);
                        } else {
                            model.put(key, score + 1);
                        }
                        applied.incrementAndGet();
                    } catch (SQLException e) {
                        if (SqlStates.SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                            refused.incrementAndGet(); // retryable: not applied, the model says so
                        } else {
                            failures.add(sql + " " + key + ": " + e.getSQLState() + " " + e.getMessage());
                        }
                    }
                }
            } catch (SQLException e) {
                failures.add("connection: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "workload-" + w);
        t.start();
        return t;
    }

    private final class Workload implements AutoCloseable {
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Thread> threads = new ArrayList<>();

        Workload(List<ShardedDataSource> sources, long seed) {
            for (int w = 0; w < WORKERS; w++) {
                threads.add(worker(sources.get(w / 2), w, stop, seed + w));
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
                assertThat(t.isAlive()).as(t.getName() + " stopped (nothing hangs)").isFalse();
            }
        }
    }

    private TreeMap<Long, Long> merged(ShardedDataSource ds) throws SQLException {
        TreeMap<Long, Long> out = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT player_id, score FROM players")) {
            while (rs.next()) {
                assertThat(out.put(rs.getLong(1), rs.getLong(2))).as("player %d read twice", rs.getLong(1)).isNull();
            }
        }
        return out;
    }

    private void compare(String step, ShardedDataSource ds) throws SQLException {
        assertThat(failures).as("writes that failed otherwise than with 40001, " + step).isEmpty();
        TreeMap<Long, Long> expected = new TreeMap<>(model);
        assertThat(merged(ds)).as("merged rows " + step).isEqualTo(expected);
        long sum = expected.values().stream().mapToLong(Long::longValue).sum();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(score) FROM players")) {
            rs.next();
            assertThat(rs.getLong(1) + "|" + rs.getLong(2)).as("COUNT and SUM " + step).isEqualTo(expected.size() + "|" + sum);
        }
    }

    @Test
    void i15_90_fourToEightShardsUnderAWorkloadOfThreeDataSources() throws Exception {
        try (ShardedDataSource fast = open("200ms"); ShardedDataSource slow = open("2s");
                ShardedDataSource never = open("1h")) {
            for (int i = 0; i < 8; i++) {
                try (Connection c = fast.connectionTo("s" + i); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE players (player_id BIGINT PRIMARY KEY, score BIGINT NOT NULL, name VARCHAR(40))");
                }
            }
            try (Connection c = fast.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO players (player_id, score, name) VALUES (?, ?, ?)")) {
                for (long k = 1; k <= PLAYERS; k++) {
                    ps.setLong(1, k);
                    ps.setLong(2, k % 13);
                    ps.setString(3, "p" + k);
                    ps.executeUpdate();
                    model.put(k, k % 13);
                }
            }
            List<ShardedDataSource> sources = List.of(fast, slow, never);
            compare("after the load", fast);
            BucketPlacement target = ((BucketStrategy) fast.shardMap().tables().get("players").strategy())
                    .grow(List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"));
            Mover mover = Resharding.of(fast).mover("players").chunk(100);
            try (Workload w = new Workload(sources, 1)) {
                assertThat(mover.start(target).step()).isEqualTo("verified");
                Thread.sleep(300);
            }
            compare("after start (copied, caught up, verified; not switched)", fast);
            assertThat(mover.verify()).as("nothing differs once the writers are paused and caught up").isZero();
            MoveStatus switched;
            try (Workload w = new Workload(sources, 2)) {
                Thread.sleep(300);
                switched = mover.switchOver();
                Thread.sleep(500);
            }
            compare("after the switch (sources keep their copies)", fast);
            Thread.sleep(2_200); // the slow data source has polled
            compare("after the switch, the slow data source", slow);
            try (Workload w = new Workload(sources, 3)) {
                Thread.sleep(300);
                mover.cleanup(Duration.ZERO);
                Thread.sleep(300);
            }
            Thread.sleep(300); // the fast data source has seen the cleanup
            compare("after cleanup", fast);
            compare("after cleanup, the slow data source", slow);
            compare("after cleanup, the data source that never polls", never);
            // every row once, on the shard its bucket names
            TreeMap<Long, String> where = new TreeMap<>();
            for (int i = 0; i < 8; i++) {
                try (Connection c = raw(i); Statement st = c.createStatement();
                        ResultSet rs = st.executeQuery("SELECT player_id FROM players")) {
                    while (rs.next()) {
                        long k = rs.getLong(1);
                        assertThat(where.put(k, "s" + i)).as("player %d on two shards", k).isNull();
                        assertThat(target.shardOf((int) Math.floorMod(k, (long) B))).as("shard of player " + k).isEqualTo("s" + i);
                    }
                }
            }
            assertThat(where.keySet()).isEqualTo(new TreeMap<>(model).keySet());
            assertThat(Resharding.of(never).epoch("players")).as("the fence made it refresh").isEqualTo(2);
            System.out.println("FIGURE reshard workload " + getClass().getSimpleName() + " applied=" + applied + " refused="
                    + refused + " pauseMillis=" + switched.pauseMillis() + " rowsCopied=" + switched.rows());
            assertThat(applied.get()).isPositive();
        }
    }
}
