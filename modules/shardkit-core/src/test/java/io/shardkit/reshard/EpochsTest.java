package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardMapException;
import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.config.YamlShardMap;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the versioned map: {@code shardkit_map} on the control shard is created and seeded
 * once, each data source reads its live epoch at start and polls it, a published epoch reroutes the
 * moved buckets (explain and the shard files agree), co-located bucket tables still join, the
 * section's errors name path and line, and closing the data source ends its poll thread.
 */
class EpochsTest {
    private static final String BUCKETS = "{type: buckets, buckets: 16, bucketOf: mod}";

    @TempDir Path dir;

    private String yaml(String resharding) {
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 4; i++) {
            y.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\", create: true}\n");
        }
        y.append("tables:\n  players: {key: player_id, strategy: ").append(BUCKETS).append("}\n");
        y.append("  matches: {key: player_id, strategy: ").append(BUCKETS).append("}\n");
        y.append("  sessions: {key: token, strategy: {type: buckets, buckets: 8, bucketOf: hash}}\n");
        y.append("  trophies: {key: player_id, strategy: ").append(BUCKETS)
                .append(", idOf: {column: trophy_id, generator: bucketed}}\n");
        return y + (resharding == null ? "" : resharding + "\n");
    }

    private ShardedDataSource open(String resharding) throws SQLException {
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml(resharding).getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> query(int shard, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    private static Set<Thread> pollThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(Epochs.THREAD) && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Bucket 2 (key 1042 mod 16) moved from s2 to s0; the rest as the default placement over 4 shards. */
    private static BucketPlacement moved() {
        String[] of = new String[16];
        for (int b = 0; b < 16; b++) {
            of[b] = "s" + (b % 4);
        }
        of[2] = "s0";
        return BucketPlacement.of(Arrays.asList(of));
    }

    @Test
    void i15_39_aMapWhoseGroupNoLongerMatchesAPublishedEpochDoesNotStart() throws Exception {
        String section = "resharding: {control: s0, poll: 1m}";
        try (ShardedDataSource ds = open(section)) {
            Resharding.of(ds).publish("players", moved());
        }
        String players = "  players: {key: player_id, strategy: " + BUCKETS + "}\n";
        String matches = "  matches: {key: player_id, strategy: " + BUCKETS + "}\n";
        String reordered = yaml(section).replace(players + matches, matches + players);
        assertThat(reordered).isNotEqualTo(yaml(section));
        // the group would now be named matches and seeded from the map, routing bucket 2 by epoch 1 again
        assertThatThrownBy(() -> ShardedDataSource.fromYaml(new ByteArrayInputStream(reordered.getBytes(
                StandardCharsets.UTF_8)))).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo(SqlStates.DATA_CORRUPTED))
                .hasMessageContaining("holds epoch 2 of bucket group players")
                .hasMessageContaining("were tables reordered or renamed");
        try (ShardedDataSource again = open(section)) {
            assertThat(Resharding.of(again).epoch("players")).as("the map as it was still starts").isEqualTo(2);
        }
    }

    @Test
    void i15_38_aBucketTableOnOneShardIsAnalysedAsIfItCouldGrow() throws Exception {
        String y = "shards:\n  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("s0.db") + "\", create: true}\n"
                + "  - {name: s1, url: \"jdbc:sqlite:" + dir.resolve("s1.db") + "\", create: true}\n"
                + "tables:\n  solo: {key: player_id, strategy: {type: buckets, buckets: 16, shards: [s0]}}\n"
                + "resharding: {control: s0, poll: 1m}\n";
        String sub = "SELECT COUNT(*) FROM solo WHERE player_id IN (SELECT player_id FROM solo WHERE score > 0)";
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(y.getBytes(StandardCharsets.UTF_8)));
                Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE solo (player_id INTEGER PRIMARY KEY, score INTEGER)");
            // on one shard today, a subquery would see every row; after a new epoch spreads the buckets, a cached
            // analysis saying so would read one shard's rows only: refused from the start
            assertThatThrownBy(() -> st.executeQuery(sub)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED))
                    .hasMessageContaining("subquery over sharded table solo");
            Resharding.of(ds).publish("solo", BucketPlacement.defaultOver(16, List.of("s0", "s1")));
            assertThatThrownBy(() -> st.executeQuery(sub)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED));
        }
    }

    @Test
    void i15_30_twoDataSourcesStartingTogetherSeedEpochOneOnce() throws Exception {
        String section = "resharding: {control: s0, poll: 1m}";
        CountDownLatch go = new CountDownLatch(1);
        Callable<ShardedDataSource> start = () -> {
            go.await();
            return open(section);
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<ShardedDataSource> a = two.submit(start);
            Future<ShardedDataSource> b = two.submit(start);
            go.countDown();
            try (ShardedDataSource first = a.get(); ShardedDataSource second = b.get()) {
                assertThat(Resharding.of(first).epoch("players")).isEqualTo(1);
                assertThat(Resharding.of(second).epoch("sessions")).isEqualTo(1);
                assertThat(Resharding.of(first).tables()).as("groups by equal strategies, named by their first table")
                        .containsEntry("players", List.of("players", "matches", "trophies")).containsEntry("sessions", List.of("sessions"))
                        .hasSize(2);
            }
        } finally {
            two.shutdownNow();
        }
        assertThat(query(0, "SELECT bucket_group, epoch, COUNT(*), MIN(bucket_from), MAX(bucket_to) FROM shardkit_map"
                + " GROUP BY bucket_group, epoch ORDER BY bucket_group"))
                .as("one epoch-1 set per group: 16 single-bucket ranges of players, 8 of sessions")
                .containsExactly("players|1|16|0|15", "sessions|1|8|0|7");
        assertThat(query(0, "SELECT shard FROM shardkit_map WHERE bucket_group = 'players' AND bucket_from = 6"))
                .containsExactly("s2");
        assertThat(query(1, "SELECT name FROM sqlite_master WHERE name = 'shardkit_map'")).as("only on the control shard")
                .isEmpty();
        try (ShardedDataSource again = open(section)) {
            assertThat(Resharding.of(again).epoch("players")).isEqualTo(1);
        }
        assertThat(query(0, "SELECT COUNT(*) FROM shardkit_map")).as("a later start seeds nothing").containsExactly("24");
    }

    @Test
    void i15_31_aPublishedEpochIsPickedUpByThePollAndRoutesTheMovedBucket() throws Exception {
        String section = "resharding: {control: s0, poll: 50ms}";
        try (ShardedDataSource a = open(section); ShardedDataSource b = open(section)) {
            try (Connection c = a.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT)");
                st.execute("CREATE TABLE matches (player_id INTEGER, opponent INTEGER)");
                st.execute("INSERT INTO players (player_id, name) VALUES (7, 'p7')");
                st.execute("INSERT INTO matches (player_id, opponent) VALUES (7, 8)");
            }
            assertThat(b.explain("SELECT name FROM players WHERE player_id = 1042").reasons())
                    .contains("players.player_id = 1042: bucket 2 (key mod 16) → s2, epoch 1");

            assertThat(Resharding.of(a).publish("players", moved())).isEqualTo(2);
            assertThat(a.explain("SELECT name FROM players WHERE player_id = 1042").reasons())
                    .as("the publisher switches at once")
                    .contains("players.player_id = 1042: bucket 2 (key mod 16) → s0, epoch 2");
            long until = System.nanoTime() + 10_000_000_000L;
            while (Resharding.of(b).epoch("players") < 2 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(Resharding.of(b).epoch("players")).as("b polled epoch 2").isEqualTo(2);
            assertThat(Resharding.of(b).epoch("sessions")).as("epochs count per group").isEqualTo(1);
            assertThat(b.explain("SELECT name FROM matches WHERE player_id = 18").reasons())
                    .contains("matches.player_id = 18: bucket 2 (key mod 16) → s0, epoch 2");
            assertThat(b.explain("SELECT name FROM players WHERE player_id = 1043").reasons())
                    .as("an unmoved bucket").contains("players.player_id = 1043: bucket 3 (key mod 16) → s3, epoch 2");
            try (Connection c = b.getConnection(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO players (player_id, name) VALUES (1042, 'p1042')");
                st.execute("INSERT INTO matches (player_id, opponent) VALUES (1042, 1043)");
                st.execute("INSERT INTO players (player_id, name) VALUES (1043, 'p1043')");
            }
            assertThat(query(0, "SELECT player_id FROM players")).containsExactly("1042");
            assertThat(query(2, "SELECT player_id FROM players")).as("nothing on the old shard of bucket 2").isEmpty();
            assertThat(query(3, "SELECT player_id FROM players ORDER BY player_id")).containsExactly("7", "1043");
            assertThat(query(0, "SELECT COUNT(*) FROM shardkit_map WHERE epoch = 2")).as("one row per range")
                    .containsExactly(Integer.toString(moved().ranges().size()));

            BucketStrategy players = (BucketStrategy) b.shardMap().tables().get("players").strategy();
            BucketStrategy matches = (BucketStrategy) b.shardMap().tables().get("matches").strategy();
            assertThat(players).isEqualTo(matches).hasSameHashCodeAs(matches);
            assertThat(players.describe()).isEqualTo("buckets 16 (mod), group players");
            assertThat(b.shardMap().tables().get("trophies").idOf()).as("binding keeps the rest of the rule")
                    .isEqualTo(new io.shardkit.config.TableRule.IdOf("trophy_id", "bucketed"));
            assertThat(b.shardMap().tables().get("trophies").strategy()).isSameAs(players);
            try (Connection c = b.getConnection(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT p.name, m.opponent FROM players p JOIN matches m"
                            + " ON p.player_id = m.player_id ORDER BY p.player_id")) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2));
                }
                assertThat(rows).as("co-located after the switch").containsExactly("p7|8", "p1042|1043");
            }
        }
    }

    @Test
    void i15_32_publishRefusesAnotherBucketCountAnUnknownShardOrGroup() throws Exception {
        try (ShardedDataSource ds = open("resharding: {control: s1}")) {
            Resharding r = Resharding.of(ds);
            assertThatThrownBy(() -> r.publish("players", BucketPlacement.defaultOver(32, List.of("s0", "s1"))))
                    .isInstanceOf(SQLException.class).hasMessage("bucket group players has 16 buckets; a placement of 32"
                            + " cannot replace it")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.INVALID_PARAMETER_VALUE);
            assertThatThrownBy(() -> r.publish("players", BucketPlacement.defaultOver(16, List.of("s0", "s9"))))
                    .isInstanceOf(SQLException.class).hasMessageStartingWith("bucket group players places buckets on"
                            + " shard 's9', which the map does not name (known: s0, s1, s2, s3)")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.INVALID_PARAMETER_VALUE);
            assertThatThrownBy(() -> r.epoch("matches")).isInstanceOf(SQLException.class)
                    .hasMessage("unknown bucket group 'matches' (known: players, sessions)");
            assertThat(r.epoch("players")).as("nothing published").isEqualTo(1);
            assertThat(query(1, "SELECT MAX(epoch) FROM shardkit_map")).containsExactly("1");
        }
        try (ShardedDataSource plain = open(null)) {
            assertThatThrownBy(() -> Resharding.of(plain)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("no resharding: section");
            assertThat(((BucketStrategy) plain.shardMap().tables().get("players").strategy()).group()).isNull();
            assertThat(plain.explain("SELECT * FROM players WHERE player_id = 1042").reasons())
                    .as("no epoch without resharding").contains("players.player_id = 1042: bucket 2 (key mod 16) → s2");
        }
    }

    @Test
    void i15_33_reshardingErrorsNameTheirPathAndLine() {
        assertThatThrownBy(() -> load("resharding: {control: s7, poll: 5s}")).isInstanceOf(ShardMapException.class)
                .hasMessageContaining("resharding.control: unknown shard 's7' (known: s0, s1, s2, s3) (line 11)");
        assertThatThrownBy(() -> load("resharding:\n  control: s0\n  poll: fast")).isInstanceOf(ShardMapException.class)
                .hasMessageContaining("resharding.poll: 'fast' is not a duration (write 5s, 500ms, 1m or PT5S) (line 13)");
        assertThatThrownBy(() -> load("resharding:\n  control: s0\n  poll: 0s")).isInstanceOf(ShardMapException.class)
                .hasMessageContaining("resharding.poll: the poll interval must be positive, got PT0S (line 13)");
        assertThatThrownBy(() -> load("resharding:\n  poll: 5s")).isInstanceOf(ShardMapException.class)
                .hasMessageContaining("resharding.control: ").hasMessageContaining("(line 11)");
        assertThatThrownBy(() -> YamlShardMap.load(new ByteArrayInputStream(yaml("resharding: {control: s3}")
                .replace("s3.db\", create: true}", "s3.db\", create: true, readOnly: true}")
                .getBytes(StandardCharsets.UTF_8)), "t.yaml", k -> null)).isInstanceOf(ShardMapException.class)
                .hasMessageContaining("resharding.control: shard 's3' is readOnly: the control table shardkit_map is"
                        + " written there (seeded at start, an epoch per publish) (line 11)");
        assertThatThrownBy(() -> load("resharding: {control: s0, every: 5s}")).isInstanceOf(ShardMapException.class)
                .hasMessageContaining("resharding.every").hasMessageContaining("(line 11)");
    }

    private void load(String section) throws ShardMapException {
        YamlShardMap.load(new ByteArrayInputStream(yaml(section).getBytes(StandardCharsets.UTF_8)), "t.yaml", k -> null);
    }

    @Test
    void i15_34_closingTheDataSourceEndsItsPollThreadAndWithoutReshardingThereIsNone() throws Exception {
        Set<Thread> before = pollThreads();
        try (ShardedDataSource plain = open(null)) {
            assertThat(pollThreads()).as("no poll without resharding:").isEqualTo(before);
        }
        Set<Thread> mine;
        try (ShardedDataSource ds = open("resharding: {control: s0, poll: 50ms}")) {
            mine = pollThreads();
            mine.removeAll(before);
            assertThat(mine).hasSize(1);
            assertThat(mine.iterator().next().isDaemon()).isTrue();
        }
        Thread t = mine.iterator().next();
        t.join(5_000);
        assertThat(t.isAlive()).as("thread %s after close", t.getName()).isFalse();
    }

    @Test
    void i15_35_boundStrategiesAreEqualByBucketsFunctionAndGroupWhateverTheirPlacement() throws Exception {
        List<String> four = List.of("s0", "s1", "s2", "s3");
        BucketStrategy plain = new BucketStrategy(16, BucketStrategy.BucketOf.MOD, four);
        BucketStrategy other = new BucketStrategy(moved(), BucketStrategy.BucketOf.MOD);
        assertThat(plain).as("unbound: the placement decides").isNotEqualTo(other);
        BucketStrategy a = plain.inGroup("players");
        BucketStrategy b = other.inGroup("players");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.describe()).isEqualTo(b.describe()).isEqualTo("buckets 16 (mod), group players");
        assertThat(a).isNotEqualTo(plain.inGroup("matches")).isNotEqualTo(plain)
                .isNotEqualTo(new BucketStrategy(16, BucketStrategy.BucketOf.HASH, four).inGroup("players"))
                .isNotEqualTo(new BucketStrategy(32, BucketStrategy.BucketOf.MOD, four).inGroup("players"));
        assertThat(a.switchTo(moved(), 3)).isTrue();
        assertThat(a.placement()).isEqualTo(moved());
        assertThat(a.switchTo(BucketPlacement.defaultOver(16, four), 2)).as("an older epoch is ignored").isFalse();
        assertThat(a.epoch()).isEqualTo(3);
        assertThat(a.chooseShard("players", 1042L).reason()).isEqualTo("bucket 2 (key mod 16) → s0, epoch 3");
        assertThatThrownBy(() -> plain.switchTo(moved(), 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> a.switchTo(BucketPlacement.defaultOver(32, four), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group players has 16 buckets");
    }

    private void execute(int shard, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void i15_36_aDataSourceDoesNotStartOnAnEpochItCannotUse() throws Exception {
        String section = "resharding: {control: s0, poll: 1m}";
        try (ShardedDataSource ds = open(section)) {
            assertThat(Resharding.of(ds).epoch("players")).isEqualTo(1);
        }
        execute(0, "INSERT INTO shardkit_map SELECT 2, bucket_group, bucket_from, bucket_to,"
                + " CASE WHEN bucket_from = 5 THEN 's9' ELSE shard END FROM shardkit_map WHERE bucket_group = 'players'");
        assertThatThrownBy(() -> open(section)).isInstanceOf(SQLException.class)
                .hasMessage("bucket group players places buckets on shard 's9', which the map does not name"
                        + " (known: s0, s1, s2, s3)");
        execute(0, "DELETE FROM shardkit_map WHERE epoch = 2");
        execute(0, "INSERT INTO shardkit_map SELECT 2, bucket_group, bucket_from, bucket_to, shard FROM shardkit_map"
                + " WHERE bucket_group = 'players' AND bucket_from <> 7");
        assertThatThrownBy(() -> open(section)).isInstanceOf(SQLException.class)
                .hasMessage("shardkit_map epoch 2 of bucket group players: bucket 7 is not placed")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.DATA_CORRUPTED);
        execute(0, "DELETE FROM shardkit_map WHERE epoch = 2 AND bucket_from = 0");
        execute(0, "INSERT INTO shardkit_map VALUES (2, 'players', 0, 7, 's0')");
        assertThatThrownBy(() -> open(section)).isInstanceOf(SQLException.class)
                .hasMessage("shardkit_map epoch 2 of bucket group players: bucket 1 is placed twice");
        execute(0, "DELETE FROM shardkit_map WHERE epoch = 2");
        execute(0, "INSERT INTO shardkit_map SELECT 2, bucket_group, bucket_from, bucket_to,"
                + " CASE WHEN bucket_from = 3 THEN '' ELSE shard END FROM shardkit_map WHERE bucket_group = 'players'");
        assertThatThrownBy(() -> open(section)).isInstanceOf(SQLException.class)
                .hasMessage("shardkit_map epoch 2 of bucket group players: bucket 3 is not placed");
        execute(0, "DELETE FROM shardkit_map WHERE epoch = 2");
        try (ShardedDataSource ds = open(section)) {
            assertThat(Resharding.of(ds).epoch("players")).as("the good epoch again").isEqualTo(1);
        }
    }

    /** The answer cache goes with the placement; measured with the JVM's per-thread allocation counter. */
    @Test
    void i15_37_afterASwitchAnswersAreOfTheNewEpochAndRoutingAgainAllocatesNoMoreThanMod() throws Exception {
        List<String> four = List.of("s0", "s1", "s2", "s3");
        BucketStrategy s = new BucketStrategy(4096, BucketStrategy.BucketOf.MOD, four).inGroup("players");
        assertThat(s.switchTo(BucketPlacement.defaultOver(4096, four), 1)).isTrue();
        assertThat(s.chooseShard("players", 1042L).reason()).isEqualTo("bucket 1042 (key mod 4096) → s2, epoch 1");
        BucketPlacement grown = s.grow(List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"));
        assertThat(s.switchTo(grown, 2)).isTrue();
        assertThat(s.chooseShard("players", 1042L).reason()).as("bucket 1042 mod 8 = 2: stays, the epoch changes")
                .isEqualTo("bucket 1042 (key mod 4096) → s2, epoch 2");
        assertThat(s.candidates("players", 1046L).reason()).isEqualTo("bucket 1046 (key mod 4096) → s6, epoch 2");
        assertThat(s.shards()).hasSize(8);
        assertThat(s.chooseShards("players", "SELECT 1").reason()).contains("all 8 shards");

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Object[] keys = new Object[8192];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (long) i * 7919 - 20_000_000L;
        }
        io.shardkit.strategy.Strategy mod = new io.shardkit.strategy.ModStrategy(four);
        long[] bytes = new long[2];
        for (int round = 0; round < 3; round++) { // the first round fills epoch 2's answers
            int i = 0;
            for (io.shardkit.strategy.Strategy st : new io.shardkit.strategy.Strategy[] {s, mod}) {
                long before = threads.getCurrentThreadAllocatedBytes();
                int sum = 0;
                for (Object key : keys) {
                    sum += st.chooseShard("players", key).shard().length() + st.candidates("players", key).shards().size();
                }
                bytes[i++] = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(sum).isEqualTo(keys.length * 3);
            }
        }
        assertThat(bytes[0]).as("bytes allocated routing %d keys twice on epoch 2", keys.length)
                .isLessThanOrEqualTo(bytes[1] + 1024);
    }
}
