package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.internal.Fence;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, move step 6 through the facade: data source A routes by a stale map (it never polls:
 * {@code poll: 1h}); data source B publishes epoch 2, which moves bucket M of {@code players} from
 * s0 to s1, M's rows are copied to s1 by hand and s0 fences M ({@link MoveTriggers}). A write of
 * A's that the fence refuses makes A re-read the map: in autocommit it is retried once on the new
 * shard, in a transaction it fails with 40001 for the application to retry. 16 buckets over the
 * first two shards (bucket b on shard b mod 2 at epoch 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FenceRetryContract {
    private static final int B = 16;
    ShardSet shards;
    ShardedDataSource a;
    ShardedDataSource b;
    /** The moved bucket: on s0 at epoch 1, on s1 at epoch 2. */
    int m;
    /** A bucket that stays on s0. */
    int k;

    @BeforeAll
    void open(ShardSet shards) {
        this.shards = shards;
    }

    @BeforeEach
    void fresh() throws SQLException {
        for (int i = 0; i < 2; i++) {
            try (Connection c = shards.open(i)) {
                try {
                    MoveTriggers.uninstall(c, "players");
                } catch (SQLException none) {
                    // no players table yet
                }
                exec(c, "DROP TABLE IF EXISTS players", "DROP TABLE IF EXISTS shardkit_moving",
                        "DROP TABLE IF EXISTS shardkit_changes", "DROP TABLE IF EXISTS shardkit_map",
                        "CREATE TABLE players (id BIGINT PRIMARY KEY, player_id BIGINT NOT NULL, name VARCHAR(50))");
            }
        }
        a = start();
        b = start();
        BucketPlacement p = Resharding.of(a).placement("players");
        m = -1;
        k = -1;
        for (int i = 1; i < B; i++) {
            if (p.shardOf(i).equals(shards.name(0))) {
                if (m < 0) {
                    m = i;
                } else if (k < 0) {
                    k = i;
                }
            }
        }
        assertThat(k).as("two buckets on s0 at epoch 1: %s", p).isPositive();
        try (Connection c = shards.open(0)) {
            exec(c, "INSERT INTO players VALUES (1, " + m + ", 'a')", "INSERT INTO players VALUES (2, " + (m + B)
                    + ", 'b')", "INSERT INTO players VALUES (3, " + k + ", 'c')");
        }
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private ShardedDataSource start() throws SQLException {
        String yaml = shards.yamlShards() + "tables:\n  players: {key: player_id, strategy: {type: buckets, buckets: " + B
                + ", bucketOf: mod, shards: [" + shards.name(0) + ", " + shards.name(1) + "]}}\n"
                + "resharding: {control: " + shards.name(0) + ", poll: 1h, listen: false}\n";
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** B publishes epoch 2 with bucket m on s1 (A does not know yet). */
    private void publish() throws SQLException {
        BucketPlacement now = Resharding.of(b).placement("players");
        List<String> of = new ArrayList<>();
        for (int i = 0; i < B; i++) {
            of.add(i == m ? shards.name(1) : now.shardOf(i));
        }
        assertThat(Resharding.of(b).publish("players", BucketPlacement.of(of))).isEqualTo(2);
    }

    /** Copies bucket m's rows to s1, installs the triggers on s0 and fences m there. */
    private void copyAndFence() throws SQLException {
        try (Connection c0 = shards.open(0); Connection c1 = shards.open(1)) {
            for (String row : rowsOn(0)) {
                String[] f = row.split("\\|");
                if (Math.floorMod(Long.parseLong(f[1]), B) == m) {
                    exec(c1, "INSERT INTO players VALUES (" + f[0] + ", " + f[1] + ", '" + f[2] + "')");
                }
            }
            MoveTriggers.install(c0, "players", "player_id", List.of("id"), B);
            MoveTriggers.fence(c0, new int[] {m});
        }
    }

    private void move() throws SQLException {
        publish();
        copyAndFence();
    }

    private List<String> rowsOn(int shard) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = shards.open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, player_id, name FROM players ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
            }
        }
        return out;
    }

    private long epochOfA() throws SQLException {
        return Resharding.of(a).epoch("players");
    }

    private void assertRetryable(SQLException e, String advice) {
        assertThat((Throwable) e).isNotNull();
        assertThat(e.getSQLState()).as("%s", e).isEqualTo("40001");
        assertThat(e.getMessage()).startsWith("shard map changed: shard " + shards.name(0) + " refused the write")
                .contains(advice);
        assertThat(Fence.is(e)).as("the fence error is the cause").isTrue();
    }

    @Test
    void i15_150_autocommitWritesToAMovedBucketAreRetriedOnTheNewShard() throws SQLException {
        try (ShardedDataSource a2 = start(); ShardedDataSource a3 = start()) {
            move();
            assertThat(epochOfA()).as("A still routes by epoch 1").isEqualTo(1);
            try (Connection c = a.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE players SET name = 'a2' WHERE player_id = " + m)).isEqualTo(1);
            }
            assertThat(epochOfA()).as("the fence made A read epoch 2").isEqualTo(2);
            try (Connection c = a2.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.execute("INSERT INTO players (id, player_id, name) VALUES (4, " + (m + 2 * B) + ", 'd')")).isFalse();
                assertThat(st.getUpdateCount()).isEqualTo(1);
            }
            assertThat(Resharding.of(a2).epoch("players")).isEqualTo(2);
            try (Connection c = a3.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM players WHERE player_id = " + (m + B))).isEqualTo(1);
            }
            assertThat(Resharding.of(a3).epoch("players")).isEqualTo(2);
        }
        assertThat(rowsOn(1)).as("update, insert and delete ran on s1")
                .containsExactly("1|" + m + "|a2", "4|" + (m + 2 * B) + "|d");
        assertThat(rowsOn(0)).as("s0 refused them all").containsExactly("1|" + m + "|a", "2|" + (m + B) + "|b",
                "3|" + k + "|c");
    }

    @Test
    void i15_151_inATransactionTheFencedWriteFailsRetryablyAndRetryingTheTransactionSucceeds() throws SQLException {
        move();
        try (Connection c = a.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            SQLException e = catchThrowableOfType(
                    () -> st.executeUpdate("UPDATE players SET name = 'a2' WHERE player_id = " + m), SQLException.class);
            assertRetryable(e, "the map was re-read: roll the transaction back and retry it");
            assertThat(epochOfA()).as("refreshed, though not retried").isEqualTo(2);
            assertThat(rowsOn(1)).as("not retried").containsExactly("1|" + m + "|a", "2|" + (m + B) + "|b");
            c.rollback();
            assertThat(st.executeUpdate("UPDATE players SET name = 'a2' WHERE player_id = " + m)).isEqualTo(1);
            c.commit();
        }
        assertThat(rowsOn(1)).containsExactly("1|" + m + "|a2", "2|" + (m + B) + "|b");
        assertThat(rowsOn(0)).contains("1|" + m + "|a");
    }

    @Test
    void i15_152_anErrorThatIsNoFenceIsNeitherRetriedNorRefreshes() throws SQLException {
        publish(); // no copy, no fence: s1 has no row 1, so a retry by epoch 2 would succeed there
        try (Connection c = a.getConnection(); Statement st = c.createStatement()) {
            SQLException e = catchThrowableOfType(
                    () -> st.executeUpdate("INSERT INTO players (id, player_id, name) VALUES (1, " + (m + 3 * B) + ", 'x')"),
                    SQLException.class);
            assertThat((Throwable) e).as("id 1 is taken on s0").isInstanceOf(ShardException.class);
            assertThat(((ShardException) e).shard()).as("the shard's own error: %s", e).isEqualTo(shards.name(0));
            assertThat(e.getSQLState()).as("the driver's state: %s", e).isNotEqualTo("40001");
            assertThat(Fence.is(e)).isFalse();
        }
        assertThat(epochOfA()).as("no refresh").isEqualTo(1);
        assertThat(rowsOn(1)).as("no retry on s1").isEmpty();
    }

    @Test
    void i15_153_aFenceStillInPlaceAfterTheRefreshFailsTheOneRetryWith40001() throws SQLException {
        copyAndFence(); // nothing published: epoch 1 still places bucket m on s0
        SQLException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Connection c = a.getConnection(); Statement st = c.createStatement()) {
                return catchThrowableOfType(() -> st.executeUpdate("UPDATE players SET name = 'a2' WHERE player_id = " + m),
                        SQLException.class);
            }
        });
        assertRetryable(e, "the map was re-read and the statement retried once, and it was refused again: retry it");
        assertThat(e.getMessage()).contains("[sql: UPDATE players SET name = 'a2' WHERE player_id = " + m + "]");
        assertThat(epochOfA()).isEqualTo(1);
        assertThat(rowsOn(0)).contains("1|" + m + "|a");
        assertThat(rowsOn(1)).containsExactly("1|" + m + "|a", "2|" + (m + B) + "|b");
    }

    @Test
    void i15_154_aRetriedPreparedStatementBindsTheSameValues() throws SQLException {
        try (ShardedDataSource a2 = start()) {
            move();
            try (Connection c = a.getConnection();
                    PreparedStatement ps = c.prepareStatement("UPDATE players SET name = ? WHERE player_id = ? AND id = ?")) {
                ps.setString(1, "p");
                ps.setLong(2, m);
                ps.setLong(3, 1);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
            try (Connection c = a2.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO players (id, player_id, name) VALUES (?, ?, ?)")) {
                ps.setLong(1, 5);
                ps.setLong(2, m + 3 * B);
                ps.setString(3, "q");
                assertThat(ps.execute()).isFalse();
            }
            assertThat(Resharding.of(a2).epoch("players")).isEqualTo(2);
        }
        assertThat(rowsOn(1)).containsExactly("1|" + m + "|p", "2|" + (m + B) + "|b", "5|" + (m + 3 * B) + "|q");
    }

    @Test
    void i15_155_aFencedShardBatchIsNotRetriedAndFailsWith40001() throws SQLException {
        move();
        try (Connection c = a.getConnection();
                PreparedStatement ps = c.prepareStatement("UPDATE players SET name = ? WHERE player_id = ?")) {
            ps.setString(1, "x");
            ps.setLong(2, m);
            ps.addBatch();
            ps.setString(1, "y");
            ps.setLong(2, m + B);
            ps.addBatch();
            BatchUpdateException e = catchThrowableOfType(ps::executeBatch, BatchUpdateException.class);
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo("40001");
            assertRetryable((SQLException) e.getCause(), "the batch was not retried");
            assertThat(epochOfA()).isEqualTo(2);
            assertThat(rowsOn(1)).as("not retried").containsExactly("1|" + m + "|a", "2|" + (m + B) + "|b");
            ps.setString(1, "x");
            ps.setLong(2, m);
            ps.addBatch();
            ps.setString(1, "y");
            ps.setLong(2, m + B);
            ps.addBatch();
            assertThat(ps.executeBatch()).as("the caller's retry runs by epoch 2").containsExactly(1, 1);
        }
        assertThat(rowsOn(1)).containsExactly("1|" + m + "|x", "2|" + (m + B) + "|y");
    }

    @Test
    void i15_156_executeQueryOfAWriteReturningRowsIsRetriedToo() throws SQLException {
        assumeFalse(shards.dialect().equals("mysql"), "MariaDB Connector/J refuses executeQuery for DELETE ... RETURNING");
        move();
        List<Long> ids = new ArrayList<>();
        try (Connection c = a.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM players WHERE player_id = ? RETURNING id")) {
            ps.setLong(1, m + B);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        assertThat(ids).as("the row deleted on s1").containsExactly(2L);
        assertThat(epochOfA()).isEqualTo(2);
        assertThat(rowsOn(1)).containsExactly("1|" + m + "|a");
        assertThat(rowsOn(0)).contains("2|" + (m + B) + "|b");
    }
}
