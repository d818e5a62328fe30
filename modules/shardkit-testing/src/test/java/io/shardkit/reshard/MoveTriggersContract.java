package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, move steps 1 and 5 on a source shard, over raw JDBC: the log triggers append the pk of
 * every row written in a moving bucket to {@code shardkit_changes}, and once the bucket is fenced
 * every write to it is refused by the database ({@link MoveTriggers#isFence}, 40001 on the servers).
 * Table {@code players(id, player_id, name)}, key player_id, 16 buckets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MoveTriggersContract {
    private static final int B = 16;
    ShardSet shards;
    Connection c;

    @BeforeAll
    void open(ShardSet shards) {
        this.shards = shards;
    }

    /**
     * The isolation level of every connection of the test ({@link Connection} constant), or -1 for
     * the database's default. MySQL/MariaDB's default, REPEATABLE READ, makes a read in a write's
     * trigger a locking read of its own; READ COMMITTED does not, so only the fence trigger's lock
     * makes {@link MoveTriggers#fence} wait there.
     */
    int isolation() {
        return -1;
    }

    @BeforeEach
    void fresh() throws SQLException {
        c = session();
        exec("DROP TABLE IF EXISTS players", "DROP TABLE IF EXISTS scores", "DROP TABLE IF EXISTS shardkit_moving",
                "DROP TABLE IF EXISTS shardkit_changes",
                "CREATE TABLE players (id BIGINT PRIMARY KEY, player_id BIGINT NOT NULL, name VARCHAR(50))",
                "CREATE TABLE scores (player_id BIGINT NOT NULL, game VARCHAR(50) NOT NULL, pts INT,"
                        + " PRIMARY KEY (player_id, game))");
        MoveTriggers.install(c, "players", "player_id", List.of("id"), B);
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    private void exec(String... sql) throws SQLException {
        exec(c, sql);
    }

    private static void exec(Connection on, String... sql) throws SQLException {
        try (Statement st = on.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private List<String> logged() throws SQLException {
        List<String> out = new ArrayList<>();
        for (MoveTriggers.Change ch : MoveTriggers.changes(c, 0)) {
            out.add(ch.table() + ":" + ch.pk());
        }
        return out;
    }

    /**
     * Another connection to the shard, whose lock waits end after 10 s (SQLite: the driver's 3 s
     * busy timeout), so a test that fails cannot hang.
     */
    private Connection session() throws SQLException {
        Connection s = shards.open(0);
        if (isolation() != -1) {
            s.setTransactionIsolation(isolation());
        }
        try (Statement st = s.createStatement()) {
            switch (shards.dialect()) {
                case "postgresql" -> st.execute("SET lock_timeout = '10s'");
                case "mysql" -> st.execute("SET innodb_lock_wait_timeout = 10");
                default -> {
                }
            }
        }
        return s;
    }

    /** Runs {@code sql} on {@code on} in {@code pool}'s thread. */
    private static Future<Void> later(ExecutorService pool, Connection on, String sql) {
        return pool.submit(() -> {
            exec(on, sql);
            return null;
        });
    }

    private static Future<Void> fenceLater(ExecutorService pool, Connection on, int[] buckets) {
        return pool.submit(() -> {
            MoveTriggers.fence(on, buckets);
            return null;
        });
    }

    /** Waits 300 ms and asserts that {@code f} is still running (blocked on a lock). */
    private static void stillWaiting(Future<?> f, String what) throws InterruptedException {
        Thread.sleep(300);
        assertThat(f.isDone()).as(what).isFalse();
    }

    private SQLException refused(String sql) {
        SQLException e = catchThrowableOfType(() -> exec(sql), SQLException.class);
        assertThat((Throwable) e).as("%s is refused", sql).isNotNull();
        return fenceError(sql, e);
    }

    private SQLException fenceError(String sql, SQLException e) {
        assertThat(MoveTriggers.isFence(e)).as("%s: %s", sql, e.getMessage()).isTrue();
        if (!shards.dialect().equals("sqlite")) {
            assertThat(e.getSQLState()).as(sql).isEqualTo("40001");
        }
        assertThat(e.getMessage()).contains("shardkit fence: table players");
        return e;
    }

    private List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, player_id, name FROM players ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
            }
        }
        return out;
    }

    @Test
    void i15_50_everyWriteToARowInAMovingBucketLogsItsPkAndNoOtherWriteDoes() throws SQLException {
        MoveTriggers.moving(c, new int[] {3, 5});
        exec("INSERT INTO players VALUES (1, 3, 'a')", "INSERT INTO players VALUES (2, 4, 'b')",
                "INSERT INTO players VALUES (3, 21, 'c')", "INSERT INTO players VALUES (4, 6, 'd')");
        assertThat(logged()).as("inserts in buckets 3 and 5 (21 mod 16), not 4 or 6")
                .containsExactly("players:1", "players:3");
        long seen = MoveTriggers.changes(c, 0).get(1).seq();
        exec("UPDATE players SET name = 'a2' WHERE id = 1", "UPDATE players SET name = 'd2' WHERE id = 4");
        assertThat(MoveTriggers.changes(c, seen)).as("a non-key update logs the row's old and new image")
                .extracting(MoveTriggers.Change::pk).containsExactly("1", "1");
        seen = MoveTriggers.changes(c, seen).get(1).seq();
        exec("UPDATE players SET player_id = 19 WHERE id = 2", "UPDATE players SET player_id = 8 WHERE id = 3",
                "UPDATE players SET player_id = 7 WHERE id = 4");
        assertThat(MoveTriggers.changes(c, seen)).as("a key moved into bucket 3 (new image), out of bucket 5 (old"
                + " image); 6 to 7 not").extracting(MoveTriggers.Change::pk).containsExactly("2", "3");
        seen = MoveTriggers.changes(c, seen).get(1).seq();
        exec("DELETE FROM players WHERE id = 1", "DELETE FROM players WHERE id = 3", "DELETE FROM players WHERE id = 4");
        assertThat(MoveTriggers.changes(c, seen)).as("a delete in bucket 3 only (id 3 is in bucket 8 now)")
                .extracting(MoveTriggers.Change::pk).containsExactly("1");
    }

    @Test
    void i15_51_negativeKeysLandInTheirFloorModBucket() throws SQLException {
        MoveTriggers.moving(c, new int[] {13});
        exec("INSERT INTO players VALUES (1, -3, 'a')", "INSERT INTO players VALUES (2, -13, 'b')",
                "INSERT INTO players VALUES (3, -19, 'c')", "INSERT INTO players VALUES (4, 13, 'd')");
        assertThat(logged()).as("-3, -19 and 13 are bucket 13; -13 is bucket 3")
                .containsExactly("players:1", "players:3", "players:4");
        MoveTriggers.fence(c, new int[] {13});
        refused("UPDATE players SET name = 'x' WHERE id = 1");
        exec("UPDATE players SET name = 'x' WHERE id = 2");
    }

    @Test
    void i15_52_fencedBucketsRefuseEveryKindOfWriteAndOtherBucketsStayWritable() throws SQLException {
        MoveTriggers.moving(c, new int[] {3, 5});
        exec("INSERT INTO players VALUES (1, 3, 'a')", "INSERT INTO players VALUES (2, 4, 'b')",
                "INSERT INTO players VALUES (3, 5, 'c')");
        MoveTriggers.fence(c, new int[] {3});
        long seen = MoveTriggers.changes(c, 0).get(1).seq();
        refused("INSERT INTO players VALUES (9, 19, 'z')");
        refused("UPDATE players SET name = 'x' WHERE id = 1");
        refused("UPDATE players SET player_id = 4 WHERE id = 1");
        refused("UPDATE players SET player_id = 35 WHERE id = 2");
        refused("DELETE FROM players WHERE id = 1");
        assertThat(rows()).as("nothing written").containsExactly("1|3|a", "2|4|b", "3|5|c");
        exec("UPDATE players SET name = 'b2' WHERE id = 2", "UPDATE players SET name = 'c2' WHERE id = 3",
                "INSERT INTO players VALUES (4, 6, 'd')", "DELETE FROM players WHERE id = 4");
        assertThat(rows()).containsExactly("1|3|a", "2|4|b2", "3|5|c2");
        SQLException duplicate = catchThrowableOfType(() -> exec("INSERT INTO players VALUES (2, 4, 'b')"),
                SQLException.class);
        assertThat(MoveTriggers.isFence(duplicate)).as("a duplicate key is no fence: %s", duplicate).isFalse();
        assertThat(MoveTriggers.changes(c, seen)).as("bucket 5, still moving, logs; refused writes log nothing")
                .extracting(MoveTriggers.Change::pk).containsExactly("3", "3");
        MoveTriggers.moving(c, new int[] {3});
        refused("DELETE FROM players WHERE id = 1");
    }

    @Test
    void i15_53_installingTwiceIsInstallingOnce() throws SQLException {
        MoveTriggers.install(c, "players", "player_id", List.of("id"), B);
        MoveTriggers.moving(c, new int[] {3});
        MoveTriggers.moving(c, new int[] {3});
        exec("INSERT INTO players VALUES (1, 3, 'a')", "DELETE FROM players WHERE id = 1");
        assertThat(logged()).containsExactly("players:1", "players:1");
    }

    @Test
    void i15_54_aCompositeKeyIsLoggedAsLengthPrefixedValues() throws SQLException {
        MoveTriggers.install(c, "scores", "player_id", List.of("player_id", "game"), B);
        MoveTriggers.moving(c, new int[] {2});
        exec("INSERT INTO scores VALUES (18, 'go:1', 5)", "INSERT INTO scores VALUES (3, 'chess', 1)");
        assertThat(logged()).containsExactly("scores:2:184:go:1");
        assertThat(MoveTriggers.pkValues(MoveTriggers.changes(c, 0).get(0).pk(), 2)).containsExactly("18", "go:1");
    }

    @Test
    void i15_55_uninstallLeavesWritesFreeAndDropsTheTablesWithTheLastTable() throws SQLException {
        MoveTriggers.install(c, "scores", "player_id", List.of("player_id", "game"), B);
        MoveTriggers.fence(c, new int[] {3});
        refused("INSERT INTO players VALUES (1, 3, 'a')");
        MoveTriggers.uninstall(c, "players");
        exec("INSERT INTO players VALUES (1, 3, 'a')", "UPDATE players SET name = 'b' WHERE id = 1");
        assertThat((Throwable) catchThrowableOfType(() -> exec("INSERT INTO scores VALUES (3, 'go', 1)"), SQLException.class))
                .as("scores keeps its triggers").isNotNull();
        assertThat(logged()).as("tables kept while scores uses them").isEmpty();
        MoveTriggers.uninstall(c, "scores");
        exec("INSERT INTO scores VALUES (3, 'go', 1)", "DELETE FROM players WHERE id = 1");
        SQLException gone = catchThrowableOfType(() -> exec("SELECT * FROM shardkit_moving"), SQLException.class);
        assertThat((Throwable) gone).as("shardkit_moving dropped with the last table").isNotNull();
    }

    @Test
    void i15_56_fenceWaitsForAnOpenTransactionThatWroteInTheBucketAndTheLogHoldsItsChange() throws Exception {
        exec("INSERT INTO players VALUES (1, 3, 'a')", "INSERT INTO players VALUES (2, 4, 'b')");
        MoveTriggers.moving(c, new int[] {3});
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection w = session(); Connection f = session()) {
            w.setAutoCommit(false);
            exec(w, "UPDATE players SET name = 'a2' WHERE id = 1");
            Future<Void> fence = fenceLater(pool, f, new int[] {3});
            stillWaiting(fence, "fence waits for the open writer of bucket 3");
            w.commit();
            fence.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(logged()).as("the writer's old and new image, committed before fence returned")
                .containsExactly("players:1", "players:1");
        assertThat(rows()).containsExactly("1|3|a2", "2|4|b");
        refused("UPDATE players SET name = 'a3' WHERE id = 1");
    }

    @Test
    void i15_57_fenceWaitsForTheWriterOfEitherRowImageOfAnUpdate() throws Exception {
        assumeFalse(shards.dialect().equals("sqlite"), "SQLite has one writer at a time (i15_56 covers it)");
        exec("INSERT INTO players VALUES (1, 3, 'a')", "INSERT INTO players VALUES (2, 6, 'b')");
        MoveTriggers.moving(c, new int[] {3, 5});
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection w = session(); Connection f = session()) {
            w.setAutoCommit(false);
            exec(w, "UPDATE players SET player_id = 4 WHERE id = 1");
            Future<Void> fence = fenceLater(pool, f, new int[] {3});
            stillWaiting(fence, "fence of 3 waits for the writer whose old image is in bucket 3");
            w.commit();
            fence.get(10, TimeUnit.SECONDS);
            exec(w, "UPDATE players SET player_id = 5 WHERE id = 2");
            fence = fenceLater(pool, f, new int[] {5});
            stillWaiting(fence, "fence of 5 waits for the writer whose new image is in bucket 5");
            w.commit();
            fence.get(10, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(logged()).as("bucket 3's old image, bucket 5's new image")
                .containsExactly("players:1", "players:2");
        assertThat(rows()).containsExactly("1|4|a", "2|5|b");
        refused("UPDATE players SET name = 'b2' WHERE id = 2");
    }

    @Test
    void i15_58_aWriterAfterTheFencersUpdateWaitsForItsCommitThenIsRefused() throws Exception {
        exec("INSERT INTO players VALUES (1, 3, 'a')", "INSERT INTO players VALUES (2, 4, 'b')");
        MoveTriggers.moving(c, new int[] {3});
        String write = "UPDATE players SET name = 'a2' WHERE id = 1";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection w = session(); Connection f = session()) {
            f.setAutoCommit(false);
            MoveTriggers.fence(f, new int[] {3});
            Future<Void> writer = later(pool, w, write);
            stillWaiting(writer, "the writer waits for the fencer's open transaction");
            f.commit();
            ExecutionException e = catchThrowableOfType(() -> writer.get(10, TimeUnit.SECONDS),
                    ExecutionException.class);
            assertThat((Throwable) e).as("the writer fails").isNotNull();
            assertThat(e.getCause()).isInstanceOf(SQLException.class);
            fenceError(write, (SQLException) e.getCause());
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows()).as("nothing written").containsExactly("1|3|a", "2|4|b");
        assertThat(logged()).as("a refused write logs nothing").isEmpty();
    }

    @Test
    void i15_59_unfenceFreesItsBucketsAndClearChangesDeletesExactlyTheNamedSeqs() throws SQLException {
        MoveTriggers.moving(c, new int[] {3, 5});
        MoveTriggers.fence(c, new int[] {5});
        StringBuilder many = new StringBuilder("INSERT INTO players VALUES (1000, 3, 'n')");
        for (int id = 1001; id < 1000 + MoveTriggers.CLEAR_BATCH + 103; id++) {
            many.append(", (").append(id).append(", ").append(3 + 16 * (id % 7)).append(", 'n')");
        }
        exec(many.toString());
        refused("INSERT INTO players VALUES (1, 5, 'a')");
        List<MoveTriggers.Change> all = MoveTriggers.changes(c, 0);
        assertThat(all).hasSize(MoveTriggers.CLEAR_BATCH + 103);
        List<MoveTriggers.Change> kept = new ArrayList<>();
        long[] replayed = new long[all.size() - 3];  // kept: 7, 207, 407
        int n = 0;
        for (int i = 0; i < all.size(); i++) {
            if (i % 200 == 7) {
                kept.add(all.get(i));
            } else {
                replayed[n++] = all.get(i).seq();
            }
        }
        assertThat(n).isEqualTo(replayed.length).isGreaterThan(MoveTriggers.CLEAR_BATCH);
        MoveTriggers.clearChanges(c, replayed);
        assertThat(MoveTriggers.changes(c, 0)).as("over two statements, only the named seqs go").isEqualTo(kept);
        MoveTriggers.clearChanges(c, new long[0]);
        MoveTriggers.clearChanges(c, new long[] {replayed[0], kept.get(0).seq() + 1_000_000});
        assertThat(MoveTriggers.changes(c, 0)).as("deleting nothing, a gone seq or an unknown one is a no-op")
                .isEqualTo(kept);
        MoveTriggers.clearChanges(c, new long[] {kept.get(1).seq()});
        assertThat(MoveTriggers.changes(c, 0)).containsExactly(kept.get(0), kept.get(2));

        MoveTriggers.unfence(c, new int[] {5, 7});
        exec("INSERT INTO players VALUES (1, 5, 'a')", "UPDATE players SET name = 'a2' WHERE id = 1",
                "UPDATE players SET name = 'm' WHERE id = 1000");
        assertThat(MoveTriggers.changes(c, kept.get(2).seq())).as("bucket 5 neither refused nor logged; 3 logs")
                .extracting(MoveTriggers.Change::pk).containsExactly("1000", "1000");
        MoveTriggers.unfence(c, new int[] {3});
        exec("UPDATE players SET name = 'm2' WHERE id = 1000");
        assertThat(MoveTriggers.changes(c, kept.get(2).seq())).hasSize(2);
        assertThat(rows()).contains("1|5|a2", "1000|3|m2");
    }
}
