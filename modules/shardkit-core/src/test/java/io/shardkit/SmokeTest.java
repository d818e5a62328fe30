package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.*;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @TempDir Path dir;

    @Test
    void smoke() throws Exception {
        String yaml = Files.readString(Path.of(System.getProperty("shardkit.repo.root"), "shard-config/game-sqlite.yaml"))
                .replace("${SHARDKIT_DATA:-target/game}", dir.toString());
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes()))) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO players (player_id, name, score) VALUES (?, ?, ?)")) {
                    for (int i = 0; i < 20; i++) {
                        ps.setLong(1, i); ps.setString(2, "p" + i); ps.setInt(3, i * 10);
                        assertThat(ps.executeUpdate()).isEqualTo(1);
                    }
                }
                st.executeUpdate("INSERT INTO players (player_id, name, score) VALUES (100, 'a', 1), (101, 'b', 2), (102, 'c', 3)");
                try (PreparedStatement ps = c.prepareStatement("SELECT name FROM players WHERE player_id = ?")) {
                    ps.setLong(1, 7);
                    try (ResultSet rs = ps.executeQuery()) { assertThat(rs.next()).isTrue(); assertThat(rs.getString(1)).isEqualTo("p7"); }
                }
                int n = 0;
                try (ResultSet rs = st.executeQuery("SELECT * FROM players")) { while (rs.next()) n++; }
                assertThat(n).isEqualTo(23);
            }
            for (String s : ds.shardNames()) assertThat(ds.activeConnections(s)).isZero();
        }
    }
}
