package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, reads during a move on a server database: buckets {@code b mod 8 = 4} of shard 0 (B =
 * 16 over four shards) are copied to shard 1 and published there while shard 0 retains them; the
 * ownership predicate in the server's own SQL ({@code %} on PostgreSQL, {@code MOD} on MySQL and
 * MariaDB) makes every scatter read and write answer as the reference database holding each row once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OwnershipReadsContract {
    private static final String[] TABLES = {"players", "matches"};
    ShardSet shards;

    @BeforeAll
    void open(ShardSet shards) throws SQLException {
        this.shards = shards;
        for (int i = 0; i < shards.size(); i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                for (String t : new String[] {"shardkit_map", "players", "matches"}) {
                    st.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
        try (Connection c = shards.openReference(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS players");
            st.execute("DROP TABLE IF EXISTS matches");
        }
    }

    private ShardedDataSource start() throws SQLException {
        String b = "{type: buckets, buckets: 16, bucketOf: mod}";
        String yaml = shards.yamlShards() + "tables:\n  players: {key: player_id, strategy: " + b + "}\n"
                + "  matches: {key: player_id, strategy: " + b + "}\nresharding: {control: " + shards.name(0)
                + ", poll: 1h, listen: false}\n"; // its test sets the retained buckets by hand: no refresh may clear them
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    sb.append(i > 1 ? "|" : "").append(v instanceof Number x
                            ? new BigDecimal(x.toString()).stripTrailingZeros().toPlainString() : String.valueOf(v));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    static List<String> queries() {
        List<String> out = new ArrayList<>();
        String[] lists = {"COUNT(*)", "SUM(score)", "MIN(score), MAX(score)", "COUNT(DISTINCT team)"};
        String[] filters = {"", " WHERE score > 50", " WHERE team = 'red'", " WHERE player_id IN (4, 5, 12, 20, -4, -12, 3)"};
        for (String l : lists) {
            for (String f : filters) {
                out.add("SELECT " + l + " FROM players" + f);
            }
        }
        out.add("SELECT team, COUNT(*), SUM(score) FROM players GROUP BY team ORDER BY team");
        out.add("SELECT player_id, score FROM players ORDER BY score DESC, player_id LIMIT 7");
        out.add("SELECT DISTINCT team FROM players ORDER BY team");
        out.add("SELECT player_id, name FROM players WHERE player_id IN (4, 5, 12, 20, -4) ORDER BY player_id");
        out.add("SELECT p.team, COUNT(*), SUM(m.points) FROM players p JOIN matches m ON m.player_id = p.player_id"
                + " GROUP BY p.team ORDER BY p.team");
        out.add("SELECT p.player_id, m.points FROM players p LEFT JOIN matches m ON m.player_id = p.player_id"
                + " WHERE p.score < 12 ORDER BY p.player_id, m.points");
        return out;
    }

    private void assertSameAsReference(ShardedDataSource ds, Connection ref, String when) throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (String q : queries()) {
                assertThat(rows(c, q)).as(when + ": " + q).isEqualTo(rows(ref, q));
            }
        }
    }

    @Test
    void i15_87_whileShardZeroRetainsMovedBucketsScattersCountEachRowOnce() throws Exception {
        String[] teams = {"red", "blue", "green"};
        try (ShardedDataSource ds = start(); Connection ref = shards.openReference()) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                    Statement r = ref.createStatement()) {
                String[] ddl = {"CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(20), team VARCHAR(10),"
                        + " score INT)", "CREATE TABLE matches (match_id BIGINT PRIMARY KEY, player_id BIGINT, points INT)"};
                for (String s : ddl) {
                    st.execute(s);
                    r.execute(s);
                }
                StringBuilder p = new StringBuilder("INSERT INTO players (player_id, name, team, score) VALUES ");
                StringBuilder m = new StringBuilder("INSERT INTO matches (match_id, player_id, points) VALUES ");
                for (int k = -24; k < 136; k++) {
                    p.append(k == -24 ? "" : ", ").append("(").append(k).append(", 'p").append(k).append("', '")
                            .append(teams[Math.floorMod(k * 7, 3)]).append("', ").append(Math.floorMod(k * 37, 101))
                            .append(")");
                    for (int j = 0; j < Math.floorMod(k, 3) + 1; j++) {
                        m.append(k == -24 && j == 0 ? "" : ", ").append("(").append(k * 10 + j + 1000).append(", ")
                                .append(k).append(", ").append(Math.floorMod(k + j * 5, 9)).append(")");
                    }
                }
                for (String s : new String[] {p.toString(), m.toString()}) {
                    st.execute(s);
                    r.execute(s);
                }
            }
            assertSameAsReference(ds, ref, "before the move");
            BitSet moved = new BitSet();
            moved.set(4);
            moved.set(12);
            copy(moved);
            List<String> of = new ArrayList<>();
            for (int b = 0; b < 16; b++) {
                of.add(moved.get(b) ? shards.name(1) : shards.name(b % shards.size()));
            }
            BucketPlacement placement = BucketPlacement.of(of);
            long epoch = Resharding.of(ds).publish("players", placement);
            BucketStrategy s = (BucketStrategy) ds.shardMap().tables().get("players").strategy();
            assertThat(s.switchTo(placement, epoch, Map.of(shards.name(0), moved))).isTrue();
            String predicate = shards.dialect().equals("mysql") ? "NOT (MOD(MOD(players.player_id, 8) + 8, 8) = 4)"
                    : "NOT (((players.player_id % 8) + 8) % 8 = 4)";
            assertThat(ds.explain("SELECT name FROM players").toString()).contains("Route " + shards.name(0)
                    + ": SELECT name FROM players WHERE (" + predicate + ")\n", "Route " + shards.name(1)
                    + ": SELECT name FROM players\n");
            assertSameAsReference(ds, ref, shards.name(0) + " retaining " + moved);
            String[] writes = {"UPDATE players SET score = score + 1000 WHERE team = 'blue'",
                "DELETE FROM matches WHERE points < 3"};
            for (String w : writes) {
                int got;
                try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                    got = st.executeUpdate(w);
                }
                int want;
                try (Statement st = ref.createStatement()) {
                    want = st.executeUpdate(w);
                }
                assertThat(got).as("update count of " + w).isEqualTo(want);
                assertSameAsReference(ds, ref, "after " + w);
            }
            assertThatThrownBy(() -> {
                try (Connection c = ds.getConnection()) {
                    rows(c, "SELECT COUNT(*) FROM (SELECT team FROM players WHERE score > 3) x");
                }
            }).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED))
                    .hasMessageContaining("while shard " + shards.name(0) + " holds buckets it no longer owns");
        }
    }

    /** The rows of {@code buckets} copied from shard 0 to shard 1, as a mover's copy step would. */
    private void copy(BitSet buckets) throws SQLException {
        StringBuilder in = new StringBuilder();
        for (int b = buckets.nextSetBit(0); b >= 0; b = buckets.nextSetBit(b + 1)) {
            in.append(in.length() == 0 ? "" : ", ").append(b);
        }
        try (Connection from = shards.open(0); Connection to = shards.open(1)) {
            for (String t : TABLES) {
                List<Object[]> copied = new ArrayList<>();
                int n;
                try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + t
                        + " WHERE MOD(MOD(player_id, 16) + 16, 16) IN (" + in + ")")) {
                    n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Object[] row = new Object[n];
                        for (int i = 0; i < n; i++) {
                            row[i] = rs.getObject(i + 1);
                        }
                        copied.add(row);
                    }
                }
                assertThat(copied).as("rows of the moved buckets in " + t).isNotEmpty();
                String marks = "?" + ", ?".repeat(n - 1);
                try (PreparedStatement ps = to.prepareStatement("INSERT INTO " + t + " VALUES (" + marks + ")")) {
                    for (Object[] row : copied) {
                        for (int i = 0; i < n; i++) {
                            ps.setObject(i + 1, row[i]);
                        }
                        ps.executeUpdate();
                    }
                }
            }
        }
    }
}
