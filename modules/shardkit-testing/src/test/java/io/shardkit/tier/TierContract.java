package io.shardkit.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.Explain;
import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hot + archive seed scenario, unchanged on every database: s0 is the hot database, s1
 * (2025) and s2 (2024) are read-only yearly archives with the same table. Inserts land hot, a
 * lookup by id finds an archived row, a range read sees both tiers with the hot copy winning,
 * and changing an archived row is refused before anything is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TierContract {
    ShardSet shards;
    ShardedDataSource ds;

    /** The DDL of the orders table in this dialect. */
    abstract String createOrders();

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        StringBuilder yaml = new StringBuilder(shards.yamlShards(Set.of("s1", "s2")));
        yaml.append("""
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [s0]}
                    archive:
                      shards: [s1, s2]
                      cutoff: {column: created_at, age: 90d}
                      placement:
                        column: created_at
                        strategy: {type: range, bounds: ['2025-01-01'], shards: [s2, s1]}
                """);
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    @BeforeEach
    void seed() throws SQLException {
        for (int i = 0; i < 3; i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS orders");
                st.execute(createOrders());
            }
        }
        insertDirect(2, 1, "2024-03-01 10:00:00", 10, "2024 archive");
        insertDirect(2, 2, "2024-07-01 10:00:00", 20, "2024 archive");
        insertDirect(1, 3, "2025-02-01 10:00:00", 30, "2025 archive");
        insertDirect(1, 4, "2025-05-01 10:00:00", 40, "2025 archive, moving");
        insertDirect(0, 4, "2025-05-01 10:00:00", 44, "hot copy");
    }

    @AfterEach
    void noLeak() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }

    private void insertDirect(int shard, long id, String created, int amount, String note) throws SQLException {
        try (Connection c = shards.open(shard); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO orders (order_id, created_at, amount, note) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setTimestamp(2, Timestamp.valueOf(created));
            ps.setInt(3, amount);
            ps.setString(4, note);
            ps.executeUpdate();
        }
    }

    private List<String> query(String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + ":" + rs.getString(2));
                }
            }
        }
        return out;
    }

    private long countOn(int shard) throws SQLException {
        try (Connection c = shards.open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void insertsLandHot() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO orders (order_id, created_at, amount, note) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, 100);
            ps.setTimestamp(2, Timestamp.valueOf(LocalDateTime.now().withNano(0)));
            ps.setInt(3, 7);
            ps.setString(4, "new");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(countOn(0)).isEqualTo(2);
        assertThat(countOn(1)).isEqualTo(2);
        assertThat(countOn(2)).isEqualTo(2);
    }

    @Test
    void aLookupByIdFindsAnArchivedRow() throws SQLException {
        assertThat(query("SELECT order_id, note FROM orders WHERE order_id = ?", 1L)).containsExactly("1:2024 archive");
        assertThat(query("SELECT order_id, note FROM orders WHERE order_id = ?", 3L)).containsExactly("3:2025 archive");
        assertThat(query("SELECT order_id, note FROM orders WHERE order_id = ?", 4L)).containsExactly("4:hot copy");
        Explain e = ds.explain("SELECT note FROM orders WHERE order_id = ?", 1L);
        assertThat(e.plan().describe()).isEqualTo("FirstHit s0 → s1 → s2 (the first shard with rows answers)");
    }

    @Test
    void aRangeReadSeesBothTiersWithTheHotCopyWinning() throws SQLException {
        assertThat(query("SELECT order_id, note FROM orders WHERE order_id BETWEEN ? AND ? ORDER BY order_id", 1L, 4L))
                .containsExactly("1:2024 archive", "2:2024 archive", "3:2025 archive", "4:hot copy");
        assertThat(query("SELECT order_id, note FROM orders WHERE amount >= 30 ORDER BY amount DESC LIMIT 2"))
                .containsExactly("4:hot copy", "3:2025 archive");
    }

    @Test
    void aRecentRangeSkipsTheArchive() throws SQLException {
        Timestamp since = Timestamp.valueOf(LocalDateTime.now().minusDays(30));
        Explain e = ds.explain("SELECT order_id, note FROM orders WHERE created_at >= ?", since);
        assertThat(e.shards()).containsExactly("s0");
        assertThat(String.join("\n", e.reasons())).contains("archive tier skipped");
        assertThat(query("SELECT order_id, note FROM orders WHERE created_at >= ?", since)).isEmpty();
    }

    @Test
    void changingAnArchivedRowIsRefusedBeforeAnythingIsWritten() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE orders SET amount = 0 WHERE order_id = 2"))
                    .isInstanceOf(ShardException.class)
                    .hasMessageContaining("UPDATE would change rows of orders held by read-only archive shard s2")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            assertThat(st.executeUpdate("UPDATE orders SET amount = 45 WHERE order_id = 4 AND note = 'hot copy'"))
                    .isEqualTo(1);
        }
        try (Connection c = ds.connectionTo("s1"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders")).as("the archive connection itself is read-only")
                    .isInstanceOf(SQLException.class);
        }
        assertThat(countOn(1)).isEqualTo(2);
        assertThat(query("SELECT order_id, note FROM orders WHERE order_id = ?", 2L)).containsExactly("2:2024 archive");
    }
}
