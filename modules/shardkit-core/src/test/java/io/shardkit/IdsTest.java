package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ids.Ids;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.BucketStrategy.BucketOf;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (ids): {@code ds.ids("matches").next(playerId)} on four SQLite shards with 4096 buckets.
 * Ids carry the key's bucket, blocks are leased from the bucket's shard without duplicates across
 * threads and data sources, and with {@code idOf} a statement that pins only the id routes to the
 * one shard of bucket {@code id mod B}; an INSERT whose id disagrees with its key is refused.
 */
class IdsTest {
    @TempDir Path dir;

    private String yaml(int buckets, String bucketOf, boolean idOf) {
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 4; i++) {
            y.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\", create: true}\n");
        }
        y.append("tables:\n  matches:\n    key: player_id\n    strategy: {type: buckets, buckets: ").append(buckets)
                .append(", bucketOf: ").append(bucketOf).append("}\n");
        if (idOf) {
            y.append("    idOf: {column: match_id, generator: bucketed}\n");
        }
        y.append("  players: {key: player_id, strategy: {type: mod}}\n");
        return y.toString();
    }

    private ShardedDataSource open(int buckets, String bucketOf, boolean idOf) throws SQLException {
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml(buckets, bucketOf, idOf)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private long nextValueOnShard(int shard, int bucket) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
                Statement st = c.createStatement()) {
            try (ResultSet t = st.executeQuery("SELECT 1 FROM sqlite_master WHERE name = 'shardkit_id_blocks'")) {
                if (!t.next()) {
                    return -1;
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT next_value FROM shardkit_id_blocks WHERE id_table = 'matches'"
                    + " AND bucket = " + bucket)) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Test
    void i15_50_idsCarryTheKeysBucketAndLeaseFromItsShard() throws Exception {
        try (ShardedDataSource ds = open(4096, "mod", true)) {
            Ids ids = ds.ids("matches");
            long a = ids.next(1042L);
            long b = ids.next(1042L + 4096);
            assertThat(a).isEqualTo(1 * 4096 + 1042).as("the first sequence value is 1");
            assertThat(b).isEqualTo(2 * 4096 + 1042);
            assertThat(ids.bucketOf(a)).isEqualTo(1042);
            assertThat(ids.next(-1L) % 4096).isEqualTo(4095);
            // bucket 1042 is on s2 (1042 mod 4): its block row is there, one block leased
            assertThat(nextValueOnShard(2, 1042)).isEqualTo(1 + Ids.DEFAULT_BLOCK);
            assertThat(nextValueOnShard(1, 1042)).isEqualTo(-1);
            assertThat(nextValueOnShard(3, 4095)).isEqualTo(1 + Ids.DEFAULT_BLOCK);
            assertThatThrownBy(() -> ds.ids("players")).isInstanceOf(ShardException.class)
                    .hasMessage("ids embed a key's bucket, so players needs a buckets strategy; it is players sharded"
                            + " by player_id: mod 4 over [s0, s1, s2, s3]")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.INVALID_PARAMETER_VALUE);
        }
        try (ShardedDataSource again = open(4096, "mod", true)) {
            assertThat(again.ids("matches").next(1042L)).as("a new data source leases the next block")
                    .isEqualTo((1 + Ids.DEFAULT_BLOCK) * 4096L + 1042);
        }
    }

    @Test
    void i15_51_eightThreadsOnTwoDataSourcesNeverShareAnId() throws Exception {
        try (ShardedDataSource one = open(16, "mod", false); ShardedDataSource two = open(16, "mod", false)) {
            List<Ids> sources = List.of(Ids.of(one, "matches", 100), Ids.of(two, "matches", 100));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Ids ids = sources.get(t % 2);
                long seed = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long[] out = new long[10_000];
                    for (int i = 0; i < out.length; i++) {
                        long key = random.nextInt(8) * 16L + random.nextInt(2); // two buckets: contended
                        out[i] = ids.next(key);
                        if (Math.floorMod(out[i], 16) != key % 16) {
                            throw new AssertionError("id " + out[i] + " for key " + key);
                        }
                    }
                    return out;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<long[]> f : futures) {
                for (long id : f.get()) {
                    all.add(id);
                }
            }
            pool.shutdown();
            assertThat(all).as("8 threads x 2 data sources x 10,000 ids").hasSize(160_000);
        }
    }

    @Test
    void i15_52_aSelectByIdAloneRoutesToTheBucketsShardAndFindsTheRow() throws Exception {
        try (ShardedDataSource ds = open(4096, "mod", true); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER, score INTEGER)");
            Ids ids = ds.ids("matches");
            long id = ids.next(1L);
            assertThat(id).isEqualTo(4097);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO matches (match_id, player_id, score) VALUES (?, ?, 7)")) {
                ps.setLong(1, id);
                ps.setLong(2, 1L);
                ps.executeUpdate();
            }
            Explain e = ds.explain("SELECT score FROM matches WHERE match_id = ?", 8392705L);
            assertThat(e.shards()).containsExactly("s1");
            assertThat(e.reasons()).contains("matches.match_id = 8392705: bucket 1 (id mod 4096) → s1");
            assertThat(ds.explain("SELECT score FROM matches WHERE match_id = ?", id).shards()).containsExactly("s1");
            try (PreparedStatement ps = c.prepareStatement("SELECT player_id, score FROM matches WHERE match_id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(1L);
                    assertThat(rs.next()).isFalse();
                }
            }
            assertThat(ds.explain("UPDATE matches SET score = 8 WHERE match_id = ?", id).shards()).containsExactly("s1");
            assertThat(ds.explain("DELETE FROM matches WHERE match_id = 4097").shards()).containsExactly("s1");
            assertThat(ds.explain("SELECT score FROM matches WHERE match_id = ? AND player_id = ?", id, 2L).shards())
                    .as("a statement with both routes by the key").containsExactly("s2");
            assertThat(ds.explain("SELECT score FROM matches WHERE score = 7").shards()).hasSize(4);
            assertThat(st.executeUpdate("UPDATE matches SET score = 9 WHERE match_id = 4097")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT score FROM matches WHERE player_id = 1")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(9);
            }
        }
    }

    @Test
    void i15_53_anInListOfIdsOverSeveralShardsMergesExactly() throws Exception {
        try (ShardedDataSource ds = open(4096, "hash", true); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id TEXT, score INTEGER)");
            Ids ids = ds.ids("matches");
            List<Long> made = new ArrayList<>();
            Set<String> shards = new HashSet<>();
            BucketStrategy strategy = (BucketStrategy) ds.shardMap().tables().get("matches").strategy();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO matches (match_id, player_id, score) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 40; i++) {
                    String player = "player-" + i;
                    long id = ids.next(player);
                    assertThat(Math.floorMod(id, 4096L)).as("hash: the id carries the hashed bucket")
                            .isEqualTo(BucketStrategy.bucket(BucketOf.HASH, 4096, "matches", player));
                    shards.add(strategy.placement().shardOf(ids.bucketOf(id)));
                    made.add(id);
                    ps.setLong(1, id);
                    ps.setString(2, player);
                    ps.setInt(3, i);
                    ps.executeUpdate();
                }
            }
            assertThat(shards).hasSize(4);
            String in = "SELECT score FROM matches WHERE match_id IN (" + made.get(0) + ", " + made.get(1) + ", "
                    + made.get(2) + ", " + made.get(3) + ", " + made.get(4) + ", " + made.get(5) + ", 1) ORDER BY score";
            Set<String> expectedShards = new HashSet<>();
            for (int i = 0; i < 6; i++) {
                expectedShards.add(strategy.placement().shardOf(ids.bucketOf(made.get(i))));
            }
            expectedShards.add(strategy.placement().shardOf(1));
            assertThat(new HashSet<>(ds.explain(in).shards())).isEqualTo(expectedShards);
            List<Integer> scores = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(in)) {
                while (rs.next()) {
                    scores.add(rs.getInt(1));
                }
            }
            assertThat(scores).containsExactly(0, 1, 2, 3, 4, 5);
        }
    }

    @Test
    void i15_54_anInsertWhoseIdDisagreesWithItsKeyIsRefused() throws Exception {
        try (ShardedDataSource ds = open(4096, "mod", true); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER, score INTEGER)");
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO matches (match_id, player_id, score)"
                    + " VALUES (4097, 1, 0), (4098, 3, 0)"))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageStartingWith("INSERT into matches: row 2 has match_id 4098 of bucket 2 (id mod 4096) but"
                            + " its key 3 is in bucket 3; the row could not be found by its id. Make the id with"
                            + " ds.ids(\"matches\").next(key)")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED);
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM matches")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("nothing written").isZero();
            }
            assertThat(st.executeUpdate("INSERT INTO matches (match_id, player_id, score) VALUES (4097, 1, 0),"
                    + " (4099, 3, 0)")).isEqualTo(2);
            assertThat(st.executeUpdate("INSERT INTO matches (player_id, score) VALUES (5, 0)"))
                    .as("without the id column nothing is checked").isEqualTo(1);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO matches (match_id, player_id, score) VALUES (?, ?, 1)")) {
                ps.setLong(1, 2 * 4096 + 7);
                ps.setLong(2, 7);
                ps.addBatch();
                ps.setLong(1, 2 * 4096 + 8);
                ps.setLong(2, 9);
                ps.addBatch();
                assertThatThrownBy(ps::executeBatch).as("a batch is checked entry by entry")
                        .hasMessageContaining("has match_id 8200 of bucket 8 (id mod 4096) but its key 9 is in bucket 9");
            }
        }
    }

    @Test
    void i15_55_nextSafeStaysBelowTwoToThe53() throws Exception {
        try (ShardedDataSource ds = open(16, "mod", false)) {
            Ids ids = ds.ids("matches");
            long id = ids.nextSafe(3L);
            assertThat(id).isEqualTo(16 + 3).isLessThan(Ids.SAFE_LIMIT);
            long last = (Ids.SAFE_LIMIT - 1 - 5) / 16; // the largest sequence a safe id of bucket 5 may have
            Ids fresh = Ids.of(ds, "matches", 1);
            assertThat(fresh.nextSafe(5L)).isEqualTo(16 + 5);
            try (Connection c = ds.connectionTo("s1"); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE shardkit_id_blocks SET next_value = " + last
                        + " WHERE id_table = 'matches' AND bucket = 5")).isEqualTo(1);
            }
            assertThat(fresh.nextSafe(5L)).isEqualTo(last * 16 + 5).isLessThan(Ids.SAFE_LIMIT);
            assertThatThrownBy(() -> fresh.nextSafe(5L)).isInstanceOf(ShardException.class)
                    .hasMessage("the id sequence of bucket 5 of matches is at " + (last + 1) + ", past the " + last
                            + " that ids below 2^53 allow with B = 16")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
            assertThat(fresh.next(5L)).as("next has the whole 63 bits").isEqualTo((last + 1) * 16 + 5)
                    .isGreaterThanOrEqualTo(Ids.SAFE_LIMIT);
        }
    }

    @Test
    void i15_56_anUpdateOfTheIdAndAnIdThatIsNoNumberAreRefused() throws Exception {
        try (ShardedDataSource ds = open(4096, "mod", true); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER, score INTEGER)");
            assertThatThrownBy(() -> st.executeUpdate("UPDATE matches SET match_id = 4098 WHERE player_id = 1"))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageStartingWith("UPDATE changes matches.match_id, the table's idOf column: an id carries its"
                            + " row's bucket (id mod B) and routes by it, so ids are made once, by"
                            + " ds.ids(\"matches\").next(key), and never change");
            assertThat(st.executeUpdate("UPDATE matches SET score = 1 WHERE player_id = 1")).isZero();
            assertThatThrownBy(() -> ds.explain("SELECT score FROM matches WHERE match_id = ?", "x1"))
                    .isInstanceOf(ShardException.class)
                    .hasMessageStartingWith("matches.match_id = 'x1' is not a whole number, so it names no bucket")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(SqlStates.INVALID_PARAMETER_VALUE);
            assertThat(ds.explain("SELECT score FROM matches WHERE match_id = ?", (Object) null).shards())
                    .as("NULL matches no row: routed as without a predicate").hasSize(4);
        }
    }
}
