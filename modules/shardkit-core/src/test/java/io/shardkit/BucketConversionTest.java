package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (foundation): a {@code mod 4} map over four SQLite shards converts to
 * {@code buckets: 4096, bucketOf: mod} with the default placement without moving a row. Rows
 * loaded through the mod map are all found through the bucket map, merged reads agree, and on
 * the shard files each row sits on the shard its bucket names. Then explain shows the bucket and
 * co-located bucket tables join on the key.
 */
class BucketConversionTest {
    private static final String MOD = "{type: mod}";
    private static final String BUCKETS = "{type: buckets, buckets: 4096, bucketOf: mod}";
    private static final List<String> READS = List.of(
            "SELECT COUNT(*) FROM players",
            "SELECT SUM(score) FROM players",
            "SELECT COUNT(*), SUM(score), MIN(player_id), MAX(player_id) FROM players WHERE score > 40",
            "SELECT player_id, name FROM players ORDER BY player_id LIMIT 7",
            "SELECT player_id, score FROM players ORDER BY score DESC, player_id LIMIT 9",
            "SELECT player_id FROM players WHERE player_id IN (-4097, 0, 4096, 8193, 9223372036854775807) ORDER BY player_id");

    @TempDir Path dir;

    private ShardedDataSource open(String players, String matches) throws SQLException {
        StringBuilder yaml = new StringBuilder("shards:\n");
        for (int i = 0; i < 4; i++) {
            yaml.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\", create: true}\n");
        }
        yaml.append("tables:\n  players: {key: player_id, strategy: ").append(players).append("}\n");
        yaml.append("  matches: {key: player_id, strategy: ").append(matches).append("}\n");
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** Negative keys, 0, the ends of the 64-bit range, keys around multiples of 4096, and random ones. */
    private static List<Long> keys() {
        Set<Long> keys = new LinkedHashSet<>();
        for (long m : new long[] {-1L << 40, -3, -2, -1, 0, 1, 2, 3, 1000, 1L << 40}) {
            for (long d = -3; d <= 3; d++) {
                keys.add(m * 4096 + d);
            }
        }
        for (long k : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE - 4096, Long.MIN_VALUE,
                Long.MIN_VALUE + 1, Long.MIN_VALUE + 4097, 1042, -1042}) {
            keys.add(k);
        }
        Random random = new Random(4096);
        while (keys.size() < 300) {
            keys.add(random.nextLong() >> random.nextInt(60));
        }
        return new ArrayList<>(keys);
    }

    private static List<String> rows(ShardedDataSource ds, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(sb.toString());
                }
            }
        }
        return out;
    }

    /** The keys stored in one shard's file, read without shardkit. */
    private List<Long> onShard(int shard, String table) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT player_id FROM " + table)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    @Test
    void i15_20_aModFourMapConvertsToBucketsWithoutMovingARow() throws Exception {
        List<Long> keys = keys();
        List<List<String>> modReads = new ArrayList<>();
        try (ShardedDataSource mod = open(MOD, MOD); Connection c = mod.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
                st.execute("CREATE TABLE matches (player_id INTEGER, opponent INTEGER)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO players (player_id, name, score) VALUES (?, ?, ?)")) {
                for (long k : keys) {
                    ps.setLong(1, k);
                    ps.setString(2, "p" + k);
                    ps.setLong(3, Math.floorMod(k, 97L));
                    ps.executeUpdate();
                }
            }
            for (String sql : READS) {
                modReads.add(rows(mod, sql));
            }
        }
        assertThat(modReads.get(0)).containsExactly(Integer.toString(keys.size()));

        try (ShardedDataSource buckets = open(BUCKETS, BUCKETS)) {
            for (long k : keys) {
                assertThat(rows(buckets, "SELECT name FROM players WHERE player_id = ?", k)).as("point read of %d", k)
                        .containsExactly("p" + k);
            }
            for (int i = 0; i < READS.size(); i++) {
                assertThat(rows(buckets, READS.get(i))).as(READS.get(i)).isEqualTo(modReads.get(i)).isNotEmpty();
            }
        }
        BucketStrategy named = new BucketStrategy(4096, BucketOf.MOD, List.of("s0", "s1", "s2", "s3"));
        int total = 0;
        for (int s = 0; s < 4; s++) {
            List<Long> here = onShard(s, "players");
            total += here.size();
            for (long k : here) {
                int bucket = (int) Math.floorMod(k, 4096L);
                assertThat(bucket % 4).as("key %d (bucket %d) on s%d", k, bucket, s).isEqualTo(s);
                assertThat(named.chooseShard("players", k).shard()).as("the shard bucket %d names", bucket)
                        .isEqualTo("s" + s);
            }
        }
        assertThat(total).as("no row lost or doubled").isEqualTo(keys.size());
    }

    @Test
    void i15_21_explainShowsTheBucketAndCoLocatedBucketTablesJoin() throws Exception {
        try (ShardedDataSource ds = open(BUCKETS, BUCKETS); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
            st.execute("CREATE TABLE matches (player_id INTEGER, opponent INTEGER)");
            for (long k : new long[] {1042, 1042 + 4096, -3054, 7}) {
                st.execute("INSERT INTO players (player_id, name, score) VALUES (" + k + ", 'p" + k + "', 1)");
                st.execute("INSERT INTO matches (player_id, opponent) VALUES (" + k + ", " + (k + 1) + ")");
            }
            Explain e = ds.explain("SELECT name FROM players WHERE player_id = ?", 1042L);
            assertThat(e.shards()).containsExactly("s2");
            assertThat(e.reasons()).contains("players.player_id = 1042: bucket 1042 (key mod 4096) → s2");
            assertThat(ds.explain("SELECT name FROM players WHERE player_id = 5138").reasons())
                    .contains("players.player_id = 5138: bucket 1042 (key mod 4096) → s2");
            assertThat(ds.explain("INSERT INTO players (player_id, name) VALUES (?, 'x')", -3054L).reasons())
                    .contains("players.player_id = -3054: bucket 1042 (key mod 4096) → s2");
            assertThat(onShard(2, "players")).containsExactlyInAnyOrder(1042L, 1042L + 4096, -3054L);
            assertThat(onShard(3, "players")).containsExactly(7L);
            assertThat(rows(ds, "SELECT p.name, m.opponent FROM players p JOIN matches m ON p.player_id = m.player_id"
                    + " ORDER BY p.player_id")).as("co-located: the join runs on each shard")
                    .containsExactly("p-3054|-3053", "p7|8", "p1042|1043", "p5138|5139");
        }
        try (ShardedDataSource mixed = open(BUCKETS, MOD)) {
            assertThatThrownBy(() -> rows(mixed, "SELECT p.name FROM players p JOIN matches m ON p.player_id = m.player_id"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("are not co-located");
        }
    }
}
