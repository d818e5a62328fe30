package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, the mover on SQLite shards: 2 → 4 shards (buckets 16) with players and their matches
 * (bucketed ids), writes between the steps, a crash inside the copy and the catch-up resumed, abort
 * at each step before the switch, and the fence refusing a stale data source after the switch.
 * After every step the shard files hold exactly what the reference holds (nothing lost, nothing
 * doubled), and at the end every row sits on the shard its bucket names.
 */
class MoverTest {
    static final int B = 16;
    @TempDir Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        Mover.faults = point -> {
        };
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private ShardedDataSource open() throws SQLException {
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 4; i++) {
            y.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\", create: true}\n");
        }
        String strategy = "{type: buckets, buckets: " + B + ", bucketOf: mod, shards: [s0, s1]}";
        y.append("tables:\n  players: {key: player_id, strategy: ").append(strategy).append("}\n");
        y.append("  matches: {key: player_id, strategy: ").append(strategy)
                .append(", idOf: {column: match_id, generator: bucketed}}\n");
        y.append("resharding: {control: s0, poll: 1h}\n");
        ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(y.toString().getBytes(StandardCharsets.UTF_8)));
        open.add(ds);
        return ds;
    }

    private static final String PLAYERS = "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)";
    private static final String MATCHES = "CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL,"
            + " points REAL, note TEXT)";

    /** Creates the tables on every shard, loads players 1..n with 3 matches each (ids from ds.ids). */
    private void load(ShardedDataSource ds, int n) throws SQLException {
        for (int i = 0; i < 4; i++) {
            try (Connection c = ds.connectionTo("s" + i); Statement st = c.createStatement()) {
                st.execute(PLAYERS);
                st.execute(MATCHES);
            }
        }
        long[][] ids = new long[n + 1][3];
        for (int i = 1; i <= n; i++) {
            for (int k = 0; k < 3; k++) {
                ids[i][k] = ds.ids("matches").next(i); // leased outside the load's transaction (one SQLite writer)
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO players (player_id, name, score) VALUES (?, ?, ?)");
                    PreparedStatement m = c.prepareStatement("INSERT INTO matches (match_id, player_id, points, note) VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= n; i++) {
                    p.setInt(1, i);
                    p.setString(2, "p" + i);
                    p.setInt(3, i % 97);
                    p.executeUpdate();
                    for (int k = 0; k < 3; k++) {
                        m.setLong(1, ids[i][k]);
                        m.setInt(2, i);
                        m.setDouble(3, k * 1.5 + i);
                        m.setString(4, k == 1 ? null : "m" + k);
                        m.executeUpdate();
                    }
                    c.commit(); // a player and their matches: one shard, one transaction
                }
            }
        }
    }

    /** Every row of every shard file, as "table|pk|values|shard", sorted: where each row is. */
    private TreeSet<String> where(String table) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + i + ".db"));
                    Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int k = 1; k <= n; k++) {
                        b.append(rs.getString(k)).append('|');
                    }
                    out.add(b.append('s').append(i).toString());
                }
            }
        }
        return out;
    }

    /** The rows through the data source (merged), sorted. */
    private static TreeSet<String> rows(ShardedDataSource ds, String sql) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int k = 1; k <= n; k++) {
                    b.append(rs.getString(k)).append('|');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    /** The shard the placement names for each row, checked against where it is; rows not on the named shard listed. */
    private List<String> misplaced(String table, BucketPlacement p, int keyColumn) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String r : where(table)) {
            String[] f = r.split("\\|");
            long key = Long.parseLong(f[keyColumn]);
            String shard = f[f.length - 1];
            if (!p.shardOf((int) Math.floorMod(key, (long) B)).equals(shard)) {
                out.add(r);
            }
        }
        return out;
    }

    private static void exec(ShardedDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    /** The rows without their shard: what a reference database holding each row once would hold. */
    private static List<String> content(TreeSet<String> where) {
        List<String> out = new ArrayList<>();
        for (String r : where) {
            out.add(r.substring(0, r.lastIndexOf('|')));
        }
        out.sort(null);
        return out;
    }

    private static BucketPlacement grown(ShardedDataSource ds) {
        return ((BucketStrategy) ds.shardMap().tables().get("players").strategy()).grow(List.of("s0", "s1", "s2", "s3"));
    }

    @Test
    void i15_60_twoToFourShardsWithWritesBetweenEverySteps() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 400);
        List<String> players = content(where("players"));
        Mover mover = Resharding.of(ds).mover("players").chunk(64);
        BucketPlacement target = grown(ds);
        MoveStatus plan = mover.plan(target);
        assertThat(plan.pairs()).extracting(MoveStatus.Pair::source, MoveStatus.Pair::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s0", "s2"), org.assertj.core.groups.Tuple.tuple("s1", "s3"));
        assertThat(plan.rows()).as("half the players and their matches and id leases move").isEqualTo(200 + 600 + 8);

        MoveStatus started = mover.start(target);
        assertThat(started.step()).isEqualTo("verified");
        // writes after the copy, before the switch: the log carries them to the targets
        exec(ds, "UPDATE players SET score = score + 1000 WHERE player_id IN (2, 3, 6, 7)");
        exec(ds, "DELETE FROM matches WHERE player_id = 10");
        exec(ds, "INSERT INTO players (player_id, name, score) VALUES (1002, 'late', 5)");
        assertThat(mover.status().pairs()).extracting(MoveStatus.Pair::pendingChanges).as("logged, not yet replayed")
                .allSatisfy(n -> assertThat(n).isPositive());
        assertThat(rows(ds, "SELECT COUNT(*), SUM(score) FROM players")).as("before the switch the sources answer")
                .containsExactly("401|" + (sum(players) + 4000 + 5) + "|");

        MoveStatus switched = mover.switchOver();
        assertThat(switched.step()).isEqualTo("switched");
        assertThat(Resharding.of(ds).epoch("players")).isEqualTo(2);
        assertThat(switched.pauseMillis()).isLessThan(1000);
        // every row of a moved bucket is on its target too; the source keeps its copy until cleanup
        BucketPlacement live = Resharding.of(ds).placement("players");
        assertThat(live).isEqualTo(target);
        List<String> after = content(where("players"));
        assertThat(new TreeSet<>(after)).as("the same rows, each on the source and its target").hasSize(401);
        mover.cleanup(Duration.ZERO);
        assertThat(misplaced("players", target, 0)).isEmpty();
        assertThat(misplaced("matches", target, 1)).isEmpty();
        assertThat(where("players")).hasSize(401);
        assertThat(where("matches")).hasSize(1197);
        assertThat(rows(ds, "SELECT COUNT(*), SUM(score) FROM players")).containsExactly("401|" + (sum(players) + 4005) + "|");
        assertThat(rows(ds, "SELECT score FROM players WHERE player_id = 6")).containsExactly((6 % 97 + 1000) + "|");
        assertThat(rows(ds, "SELECT COUNT(*) FROM matches WHERE player_id = 10")).containsExactly("0|");
        // ids keep their sequence on the new shard: a new id for a moved player is above every old one
        long id = ds.ids("matches").next(3);
        assertThat(rows(ds, "SELECT MAX(match_id) FROM matches WHERE player_id = 3")).singleElement()
                .satisfies(m -> assertThat(Long.parseLong(m.replace("|", ""))).isLessThan(id));
        assertThat(Math.floorMod(id, B)).isEqualTo(3);
    }

    private static long sum(List<String> players) {
        long s = 0;
        for (String p : players) {
            s += Long.parseLong(p.split("\\|")[2]);
        }
        return s;
    }

    @Test
    void i15_61_aStaleDataSourceIsFencedAfterTheSwitch() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 50);
        ShardedDataSource stale = open(); // polls every hour: it never hears of the switch by itself
        Mover mover = Resharding.of(ds).mover("players");
        mover.start(grown(ds));
        mover.switchOver();
        assertThat(Resharding.of(stale).epoch("players")).isEqualTo(1);
        // bucket 2 moved from s0 to s2: the stale source still sends player 2 to s0, whose trigger refuses it
        try (Connection c = stale.connectionTo("s0"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE players SET score = 1 WHERE player_id = 2"))
                    .isInstanceOf(SQLException.class).satisfies(e -> assertThat(MoveTriggers.isFence((SQLException) e)).isTrue());
            assertThat(st.executeUpdate("UPDATE players SET score = 1 WHERE player_id = 4")).as("bucket 4 stays on s0")
                    .isEqualTo(1);
        }
        // its id lease for bucket 2 meets the fence on s0 (the lease row moved too), re-reads the map, leases on s2
        long id = stale.ids("matches").next(2);
        assertThat(Resharding.of(stale).epoch("players")).isEqualTo(2);
        assertThat(Math.floorMod(id, B)).isEqualTo(2);
        assertThat(rows(ds, "SELECT MAX(match_id) FROM matches WHERE player_id = 2")).singleElement()
                .satisfies(m -> assertThat(Long.parseLong(m.replace("|", ""))).isLessThan(id));
        mover.cleanup(Duration.ZERO);
        try (Connection c = stale.connectionTo("s0"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO players VALUES (18, 'x', 1)")).as("fenced after cleanup too")
                    .satisfies(e -> assertThat(MoveTriggers.isFence((SQLException) e)).isTrue());
        }
    }

    @Test
    void i15_62_aCrashInsideTheCopyAndTheCatchUpResumes() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 300);
        BucketPlacement target = grown(ds);
        AtomicInteger copies = new AtomicInteger();
        Mover.faults = point -> {
            if (point.equals("copy-chunk") && copies.incrementAndGet() == 3) {
                throw new SQLException("injected crash in the copy");
            }
        };
        Mover first = Resharding.of(ds).mover("players").chunk(50);
        assertThatThrownBy(() -> first.start(target)).hasMessageContaining("injected");
        exec(ds, "UPDATE players SET name = 'changed' WHERE player_id BETWEEN 1 AND 40");
        AtomicInteger replays = new AtomicInteger();
        Mover.faults = point -> {
            if (point.equals("catchup-chunk") && replays.incrementAndGet() == 1) {
                throw new SQLException("injected crash in the catch-up");
            }
        };
        Mover second = Resharding.of(ds).mover("players").chunk(50); // another mover object: the state is in the ledger
        assertThatThrownBy(() -> second.start(target)).hasMessageContaining("injected");
        assertThat(second.status().step()).isEqualTo("copied");
        Mover.faults = point -> {
        };
        exec(ds, "DELETE FROM players WHERE player_id = 2");
        assertThat(second.start(target).step()).isEqualTo("verified");
        second.switchOver();
        second.cleanup(Duration.ZERO);
        assertThat(misplaced("players", target, 0)).isEmpty();
        assertThat(rows(ds, "SELECT COUNT(*) FROM players WHERE name = 'changed'")).containsExactly("39|");
        assertThat(rows(ds, "SELECT COUNT(*) FROM players")).containsExactly("299|");
        assertThat(where("matches")).hasSize(900);
    }

    @Test
    void i15_63_abortAtEachStepBeforeTheSwitchLeavesTheSourcesAsTheyWere() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 120);
        TreeSet<String> before = where("players");
        BucketPlacement target = grown(ds);
        for (String crashAt : List.of("prepared", "copy-chunk", "verify-table", "fenced", "drained")) {
            Mover.faults = point -> {
                if (point.equals(crashAt)) {
                    throw new SQLException("stop at " + crashAt);
                }
            };
            Mover m = Resharding.of(ds).mover("players").chunk(40);
            assertThatThrownBy(() -> {
                m.start(target);
                m.switchOver();
            }).hasMessageContaining("stop at " + crashAt);
            Mover.faults = point -> {
            };
            assertThat(m.abort().step()).as(crashAt).isEqualTo("aborted");
            assertThat(where("players")).as("after an abort at " + crashAt).isEqualTo(before);
            assertThat(Resharding.of(ds).epoch("players")).isEqualTo(1);
            exec(ds, "UPDATE players SET score = score WHERE player_id = 2"); // no fence left behind
        }
        try (Connection c = ds.connectionTo("s0"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'shardkit!_%' ESCAPE '!'"
                        + " AND type = 'trigger'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the triggers are gone").isZero();
        }
    }

    @Test
    void i15_64_stepsOutOfOrderAndBadPlansAreRefused() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 10);
        Mover m = Resharding.of(ds).mover("players");
        assertThatThrownBy(m::switchOver).hasFieldOrPropertyWithValue("SQLState", SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
        assertThatThrownBy(() -> m.cleanup(Duration.ZERO))
                .hasFieldOrPropertyWithValue("SQLState", SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
        BucketPlacement live = Resharding.of(ds).placement("players");
        assertThatThrownBy(() -> m.start(live)).hasMessageContaining("nothing moves");
        m.start(grown(ds));
        BucketPlacement other = live.grow(List.of("s0", "s1", "s2"));
        assertThatThrownBy(() -> m.start(other)).hasMessageContaining("in progress");
        assertThatThrownBy(() -> m.cleanup(Duration.ZERO)).hasMessageContaining("at step verified");
        m.switchOver();
        assertThatThrownBy(() -> m.cleanup(Duration.ofHours(1))).hasMessageContaining("grace");
        assertThatThrownBy(m::abort).hasMessageContaining("at step switched");
    }
}
