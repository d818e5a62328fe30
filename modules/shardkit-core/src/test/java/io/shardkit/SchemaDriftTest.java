package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a scatter over shards whose table drifted (a column added on one shard only) refuses
 * instead of reading one shard's values under another's column names; the columns are compared
 * once when the merge opens, for plain concatenation and for merged plans alike.
 */
class SchemaDriftTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws Exception {
        String yaml = """
                shards:
                  - {name: s0, url: "jdbc:sqlite:DIR/s0.db", create: true}
                  - {name: s1, url: "jdbc:sqlite:DIR/s1.db", create: true}
                tables:
                  items:
                    key: id
                    strategy: {type: mod, shards: [s0, s1]}
                """.replace("DIR", dir.toString());
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)");
            st.executeUpdate("INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void i11_a10_aScatterOverShardsWithDriftedColumnsIsRefused() throws SQLException {
        try (Connection c = ds.connectionTo("s1"); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE items ADD COLUMN extra INTEGER");
        }
        for (String sql : new String[] {"SELECT * FROM items", "SELECT * FROM items ORDER BY id",
                "SELECT * FROM items ORDER BY id LIMIT 2"}) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery(sql)).as(sql)
                        .isInstanceOf(RefusedException.class)
                        .hasMessageContaining("a merge of shards whose results have different columns: shard s0 returns")
                        .hasMessageContaining("shard s1 " + (sql.contains("ORDER") ? 4 : 3) + "; column 3 is ")
                        .hasMessageContaining(" but extra on s1")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
            }
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, name FROM items ORDER BY id")) {
            int n = 0;
            while (rs.next()) {
                n++;
            }
            assertThat(n).as("named columns exist on every shard").isEqualTo(3);
        }
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }
}
