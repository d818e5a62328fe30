package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.archive.AdminAccess;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot + read-only archive tiers on SQLite: writes stay hot, archived rows cannot be changed, key
 * lookups try hot then each archive, scans see both tiers with the hot copy winning, and cutoff
 * predicates skip a tier.
 */
class TieredReadTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws Exception {
        String yaml = """
                shards:
                  - name: hot
                    url: jdbc:sqlite:DIR/hot.db
                    create: true
                  - name: a2025
                    url: jdbc:sqlite:DIR/a2025.db
                    readOnly: true
                    create: true
                    tier: archive
                  - name: a2024
                    url: jdbc:sqlite:DIR/a2024.db
                    readOnly: true
                    create: true
                    tier: archive
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [hot]}
                    archive:
                      shards: [a2025, a2024]
                      cutoff: {column: order_id, below: 1000}
                """.replace("DIR", dir.toString());
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        for (String shard : List.of("hot", "a2025", "a2024")) {
            try (Connection c = AdminAccess.open(ds, shard); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders (order_id INTEGER PRIMARY KEY, amount INTEGER, note TEXT)");
            }
        }
        admin("a2024", "INSERT INTO orders VALUES (1, 10, 'old'), (2, 20, 'old'), (3, 30, 'moving')");
        admin("a2025", "INSERT INTO orders VALUES (500, 50, 'old'), (501, 51, 'old')");
        admin("hot", "INSERT INTO orders VALUES (3, 33, 'hot copy'), (1000, 100, 'new'), (1001, 101, 'new')");
    }

    private void admin(String shard, String sql) throws SQLException {
        try (Connection c = AdminAccess.open(ds, shard); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    @AfterEach
    void close() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
        ds.close();
    }

    private List<String> rows(String sql, Object... params) throws SQLException {
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
    void keyLookupsTryHotThenEachArchiveInOrder() throws SQLException {
        assertThat(rows("SELECT amount FROM orders WHERE order_id = ?", 1001)).containsExactly("101");
        assertThat(rows("SELECT amount FROM orders WHERE order_id = ?", 500)).containsExactly("50");
        assertThat(rows("SELECT amount FROM orders WHERE order_id = ?", 2)).containsExactly("20");
        assertThat(rows("SELECT note FROM orders WHERE order_id = ?", 3)).as("hot wins").containsExactly("hot copy");
        assertThat(rows("SELECT note FROM orders WHERE order_id = ?", 77)).isEmpty();
        Explain e = ds.explain("SELECT amount FROM orders WHERE order_id = ?", 2L);
        assertThat(e.plan().describe()).isEqualTo("FirstHit hot → a2025 → a2024 (the first shard with rows answers)");
        assertThat(String.join("\n", e.reasons())).contains("hot first, then archive [a2025, a2024] in order");
    }

    @Test
    void scansSeeBothTiersWithTheHotCopyWinning() throws SQLException {
        assertThat(rows("SELECT order_id, note FROM orders ORDER BY order_id"))
                .containsExactly("1|old", "2|old", "3|hot copy", "500|old", "501|old", "1000|new", "1001|new");
        assertThat(rows("SELECT * FROM orders WHERE amount > 25 ORDER BY amount DESC LIMIT 3"))
                .containsExactly("1001|101|new", "1000|100|new", "501|51|old");
        assertThat(rows("SELECT order_id FROM orders WHERE order_id IN (3, 500)")).containsExactlyInAnyOrder("3", "500");
        assertThat(rows("SELECT note FROM orders WHERE note = 'moving'")).as("the shadowed archive copy is never seen")
                .isEmpty();
        assertThat(ds.explain("SELECT order_id FROM orders").toString()).contains("Shadow (an archive row is dropped");
    }

    @Test
    void aggregatesOverBothTiersAreRefused() {
        assertThatThrownBy(() -> rows("SELECT COUNT(*) FROM orders"))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("aggregates or GROUP BY over orders across its hot and archive tiers");
    }

    @Test
    void cutoffPredicatesSkipATier() throws SQLException {
        Explain recent = ds.explain("SELECT amount FROM orders WHERE order_id >= 1000");
        assertThat(recent.shards()).containsExactly("hot");
        assertThat(String.join("\n", recent.reasons())).contains("archive tier skipped");
        Explain old = ds.explain("SELECT amount FROM orders WHERE order_id < ?", 600L);
        assertThat(old.shards()).as("hot is read even for old rows: they stay hot until the archiver moves them")
                .containsExactly("hot", "a2025", "a2024");
        assertThat(String.join("\n", old.reasons())).contains("but hot is still read");
        assertThat(rows("SELECT COUNT(*) FROM orders WHERE order_id >= 1000")).containsExactly("2");
    }

    @Test
    void writesStayHotAndArchivedRowsCannotBeChanged() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO orders (order_id, amount, note) VALUES (5, 5, 'late')")).isEqualTo(1);
            assertThat(st.executeUpdate("UPDATE orders SET amount = 102 WHERE order_id = 1001")).isEqualTo(1);
            assertThatThrownBy(() -> st.executeUpdate("UPDATE orders SET amount = 0 WHERE order_id = 2"))
                    .isInstanceOf(ShardException.class)
                    .hasMessageContaining("UPDATE would change rows of orders held by read-only archive shard a2024")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders WHERE amount < 60"))
                    .hasMessageContaining("DELETE would change rows of orders held by read-only archive shard a2025");
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM orders WHERE amount > 0 FOR UPDATE"))
                    .hasMessageContaining("FOR UPDATE on orders would lock rows in read-only archive shards")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
        }
        assertThat(rows("SELECT amount FROM orders WHERE order_id = ?", 2)).containsExactly("20");
        assertThat(rows("SELECT amount FROM orders WHERE order_id = ?", 5)).containsExactly("5");
        try (Connection c = ds.connectionTo("a2024"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders")).as("the archive database itself refuses")
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void lookupAllReadsEveryTierAndMergesWithTheHotRowWinning() throws Exception {
        String yaml = """
                shards:
                  - {name: hot, url: "jdbc:sqlite:DIR/hot.db", create: true}
                  - {name: a2025, url: "jdbc:sqlite:DIR/a2025.db", readOnly: true, tier: archive, create: true}
                  - {name: a2024, url: "jdbc:sqlite:DIR/a2024.db", readOnly: true, tier: archive, create: true}
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [hot]}
                    archive: {shards: [a2025, a2024], lookup: all}
                """.replace("DIR", dir.toString());
        try (ShardedDataSource all = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
                Connection c = all.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT note FROM orders WHERE order_id = ?")) {
            Explain e = all.explain("SELECT note FROM orders WHERE order_id = ?", 3L);
            assertThat(e.shards()).containsExactly("hot", "a2025", "a2024");
            assertThat(e.toString()).contains("Shadow").doesNotContain("FirstHit");
            ps.setLong(1, 3);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("hot copy");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void aShardKeyThatIsNotTheRowIdReadsEveryTier() throws Exception {
        String yaml = """
                shards:
                  - {name: hot, url: "jdbc:sqlite:DIR/hot.db", create: true}
                  - {name: a2025, url: "jdbc:sqlite:DIR/a2025.db", readOnly: true, tier: archive, create: true}
                  - {name: a2024, url: "jdbc:sqlite:DIR/a2024.db", readOnly: true, tier: archive, create: true}
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [hot]}
                    archive: {shards: [a2025, a2024], id: match_id}
                """.replace("DIR", dir.toString());
        for (String shard : List.of("hot", "a2025", "a2024")) {
            admin(shard, "CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER, points INTEGER)");
        }
        admin("a2024", "INSERT INTO matches VALUES (1, 7, 10), (2, 8, 20)");
        admin("hot", "INSERT INTO matches VALUES (3, 7, 30)");
        try (ShardedDataSource byPlayer = ShardedDataSource.fromYaml(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
                Connection c = byPlayer.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT match_id FROM matches WHERE player_id = ? ORDER BY match_id")) {
            assertThat(byPlayer.explain("SELECT match_id FROM matches WHERE player_id = ?", 7L).toString())
                    .as("a player's matches may be in several tiers: no first-hit").doesNotContain("FirstHit");
            ps.setLong(1, 7);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            assertThat(ids).containsExactly(1L, 3L);
        }
    }

    @Test
    void aJoinOfATieredTableAcrossTiersIsRefused() throws Exception {
        String yaml = """
                shards:
                  - {name: hot, url: "jdbc:sqlite:DIR/hot.db", create: true}
                  - {name: a2025, url: "jdbc:sqlite:DIR/a2025.db", readOnly: true, tier: archive, create: true}
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [hot]}
                    archive: {shards: [a2025]}
                  lines:
                    key: order_id
                    strategy: {type: mod, shards: [hot]}
                """.replace("DIR", dir.toString());
        try (ShardedDataSource joined = ShardedDataSource.fromYaml(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            assertThatThrownBy(() -> joined.explain(
                    "SELECT o.order_id FROM orders o JOIN lines l ON l.order_id = o.order_id WHERE o.order_id = 1"))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("a join of orders with another sharded table across its hot and archive tiers")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
        }
    }
}
