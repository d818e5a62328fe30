package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, memory bound in bytes, through the data source on SQLite shards: {@code mergeMemory}
 * bounds one statement, and the statements of one data source together, so two large merges at
 * once cannot hold twice the bound. The sizes: each group of {@code GROUP BY grp ORDER BY SUM(v)}
 * is one sorted row of about 150 estimated bytes (the estimate is deterministic).
 */
class MergeMemoryTest {
    private static final String SORTED = "SELECT grp, SUM(v) FROM events WHERE grp < ? GROUP BY grp ORDER BY SUM(v) DESC, grp";

    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void shards() throws Exception {
        StringBuilder yaml = new StringBuilder("shards:\n");
        for (int s = 0; s < 4; s++) {
            Path file = dir.resolve("s" + s + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, v INTEGER NOT NULL)");
                st.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999)"
                        + " INSERT INTO events SELECT i * 4 + " + s + ", i * 4 + " + s + ", i % 10 FROM n");
            }
            yaml.append("  - name: s").append(s).append("\n    url: jdbc:sqlite:").append(file).append('\n');
        }
        yaml.append("tables:\n  events: {key: id, strategy: {type: mod}}\nsettings:\n  mergeMemory: 2MB\n");
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void i11_mem14_twoMergesAtOnceShareTheDataSourcesBound() throws Exception {
        try (Connection a = ds.getConnection(); Connection b = ds.getConnection();
                PreparedStatement pa = a.prepareStatement(SORTED);
                PreparedStatement pb = b.prepareStatement(SORTED)) {
            pa.setInt(1, 8000);
            pb.setInt(1, 8000);
            assertThat(rows(pa)).as("8,000 groups alone fit in 2 MB").isEqualTo(8000);
            assertThat(rows(pb)).isEqualTo(8000);
            pa.setInt(1, 20_000);
            assertThatThrownBy(() -> rows(pa)).as("20,000 groups alone do not")
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("merge state over 2 MB (settings.mergeMemory) in Sort by ")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("54000"));
            pa.setInt(1, 8000);
            try (ResultSet held = pa.executeQuery()) {
                assertThat(held.next()).isTrue(); // the sort has read and holds its 8,000 rows
                assertThatThrownBy(() -> rows(pb)).as("a second 8,000 while the first is held")
                        .isInstanceOf(SQLException.class)
                        .hasMessageStartingWith("merge state over 2 MB (settings.mergeMemory, all statements of the data"
                                + " source together) in Sort by ")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("54000"));
                assertThat(rows(pb, 100)).as("a small merge still fits beside it").isEqualTo(100);
            }
            assertThat(rows(pb, 8000)).as("once the first is closed, the second runs").isEqualTo(8000);
        }
    }

    private static long rows(PreparedStatement ps, int below) throws SQLException {
        ps.setInt(1, below);
        return rows(ps);
    }

    private static long rows(PreparedStatement ps) throws SQLException {
        long n = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }
}
