package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: statements naming two split tables ({@code a} and {@code b}, co-located: mod 2 over
 * two SQLite shards, mod 4 by name) where a shard holds the physical tables of one only (an error
 * naming the table and the shard), of neither (skipped, the other shard's rows are the result), and
 * a write that would need several physical tables of both on one shard (refused).
 */
class SplitRefusalTest {
    @TempDir Path dir;

    private ShardedDataSource open() throws SQLException {
        String yaml = "shards:\n"
                + "  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("s0.db") + "\", create: true}\n"
                + "  - {name: s1, url: \"jdbc:sqlite:" + dir.resolve("s1.db") + "\", create: true}\n"
                + """
                tables:
                  a:
                    key: id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {as: {type: mod, count: 4}, name: "a_{n}"}
                  b:
                    key: id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {as: {type: mod, count: 4}, name: "b_{n}"}
                """;
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** a and b with ids 0..7 (x = id, y = 10 * id) through shardkit: 0, 2, 4, 6 on s0, the others on s1. */
    private void load() throws SQLException {
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE a (id INTEGER PRIMARY KEY, x INTEGER)");
            st.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, y INTEGER)");
            for (int i = 0; i < 8; i++) {
                st.execute("INSERT INTO a (id, x) VALUES (" + i + ", " + i + ")");
                st.execute("INSERT INTO b (id, y) VALUES (" + i + ", " + 10 * i + ")");
            }
        }
    }

    private void dropOnS1(String... tables) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s1.db"));
                Statement st = c.createStatement()) {
            for (String t : tables) {
                for (int n = 0; n < 4; n++) {
                    st.execute("DROP TABLE " + t + "_" + n);
                }
            }
        }
    }

    private static List<String> join(ShardedDataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT a.id, a.x, b.y FROM a JOIN b ON a.id = b.id ORDER BY a.id")) {
            while (rs.next()) {
                out.add(rs.getInt(1) + ":" + rs.getInt(2) + ":" + rs.getInt(3));
            }
        }
        return out;
    }

    @Test
    void aShardHoldingOneSplitTableOfTheStatementButNotTheOtherIsAnErrorNamingBoth() throws Exception {
        load();
        dropOnS1("b");
        try (ShardedDataSource ds = open()) {
            assertThatThrownBy(() -> join(ds)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("split table b has no physical table on shard s1, where the statement also"
                            + " reads a; create b_{n} tables there")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(SqlStates.UNDEFINED_TABLE)
                            .isEqualTo("42P01"));
        }
    }

    @Test
    void aShardHoldingNoSplitTableOfTheStatementIsSkipped() throws Exception {
        load();
        try (ShardedDataSource ds = open()) {
            assertThat(join(ds)).containsExactly("0:0:0", "1:1:10", "2:2:20", "3:3:30", "4:4:40", "5:5:50", "6:6:60",
                    "7:7:70");
        }
        dropOnS1("a", "b");
        try (ShardedDataSource ds = open()) {
            assertThat(join(ds)).containsExactly("0:0:0", "2:2:20", "4:4:40", "6:6:60");
            assertThat(ds.explain("SELECT a.id, a.x, b.y FROM a JOIN b ON a.id = b.id ORDER BY a.id").toString())
                    .contains("no physical table on s1 → skipped");
        }
    }

    /**
     * {@code UPDATE ... FROM} over two split tables would need every pair of their physical tables on
     * a shard: refused before any shard runs it. A subquery over another split table in a write is
     * refused earlier, by the analyser (any sharded table).
     */
    @Test
    void aWriteNamingTwoSplitTablesOverSeveralPhysicalTablesOfAShardIsRefused() throws Exception {
        load();
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE a SET x = b.y FROM b WHERE a.id = b.id"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("a write naming split tables a and b over several physical tables of shard s0")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM a WHERE id IN (SELECT id FROM b WHERE y > 20)"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("subquery over sharded table b (it would see only the rows of one shard): it is"
                            + " in a DELETE")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM a WHERE x = id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("no row changed").isEqualTo(8);
            }
        }
    }
}
