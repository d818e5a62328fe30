package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.BucketStrategy.BucketOf;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15: a {@code mod 4} map converts to {@code buckets: 4096, bucketOf: mod} without moving a
 * row, on each database (the SQLite proof is {@code BucketConversionTest} in core): rows loaded
 * through the mod map, negative and extreme keys included, are found by point reads and merged
 * reads through the bucket map alike, and each sits on the shard its bucket names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BucketConversionContract {
    private static final List<String> READS = List.of(
            "SELECT COUNT(*) FROM conv_players",
            "SELECT SUM(score) FROM conv_players",
            "SELECT COUNT(*), SUM(score), MIN(player_id), MAX(player_id) FROM conv_players WHERE score > 40",
            "SELECT player_id, name FROM conv_players ORDER BY player_id LIMIT 7",
            "SELECT player_id, score FROM conv_players ORDER BY score DESC, player_id LIMIT 9",
            "SELECT player_id FROM conv_players WHERE player_id IN (-4097, 0, 4096, 8193, 9223372036854775807)"
                    + " ORDER BY player_id");
    ShardSet shards;

    @BeforeAll
    void open(ShardSet shards) throws SQLException {
        this.shards = shards;
        for (int i = 0; i < shards.size(); i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS conv_players");
            }
        }
    }

    private ShardedDataSource open(String strategy) throws SQLException {
        String yaml = shards.yamlShards() + "tables:\n  conv_players: {key: player_id, strategy: " + strategy + "}\n";
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Long> keys() {
        Set<Long> keys = new LinkedHashSet<>();
        for (long m : new long[] {-1L << 40, -3, -1, 0, 1, 3, 1000, 1L << 40}) {
            for (long d = -3; d <= 3; d++) {
                keys.add(m * 4096 + d);
            }
        }
        for (long k : new long[] {Long.MAX_VALUE, Long.MAX_VALUE - 4096, Long.MIN_VALUE, Long.MIN_VALUE + 4097, -1042}) {
            keys.add(k);
        }
        Random random = new Random(4096);
        while (keys.size() < 200) {
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

    @Test
    void i15_22_aModFourMapConvertsToBucketsWithoutMovingARow() throws Exception {
        assertThat(shards.size()).isEqualTo(4);
        List<Long> keys = keys();
        List<List<String>> modReads = new ArrayList<>();
        try (ShardedDataSource mod = open("{type: mod}"); Connection c = mod.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE conv_players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), score BIGINT)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conv_players (player_id, name, score) VALUES (?, ?, ?)")) {
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
        try (ShardedDataSource buckets = open("{type: buckets, buckets: 4096, bucketOf: mod}")) {
            for (long k : keys) {
                assertThat(rows(buckets, "SELECT name FROM conv_players WHERE player_id = ?", k)).as("point read of %d", k)
                        .containsExactly("p" + k);
            }
            for (int i = 0; i < READS.size(); i++) {
                assertThat(rows(buckets, READS.get(i))).as(READS.get(i)).isEqualTo(modReads.get(i)).isNotEmpty();
            }
        }
        BucketStrategy named = new BucketStrategy(4096, BucketOf.MOD, shards.names());
        int total = 0;
        for (int s = 0; s < 4; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT player_id FROM conv_players")) {
                while (rs.next()) {
                    long k = rs.getLong(1);
                    total++;
                    assertThat(named.chooseShard("conv_players", k).shard()).as("key %d on %s", k, shards.name(s))
                            .isEqualTo(shards.name(s));
                }
            }
        }
        assertThat(total).as("no row lost or doubled").isEqualTo(keys.size());
    }
}
