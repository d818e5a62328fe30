package io.shardkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Writes one row per shard over plain JDBC and reads every shard back: proves the databases are real and separate. */
final class RoundTrip {

    private RoundTrip() {
    }

    static void check(ShardSet shards) throws SQLException {
        for (int i = 0; i < shards.size(); i++) {
            try (Connection c = shards.open(i); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE players (player_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
                String sql = "INSERT INTO players (player_id, name) VALUES (?, ?)";
                try (PreparedStatement insert = c.prepareStatement(sql)) {
                    insert.setInt(1, 100 + i);
                    insert.setString(2, "player on " + shards.name(i) + " ü");
                    assertThat(insert.executeUpdate()).isEqualTo(1);
                }
            }
        }
        try (Connection c = shards.openReference(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE players (player_id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)");
            s.execute("INSERT INTO players (player_id, name) VALUES (1, 'reference')");
        }
        for (int i = 0; i < shards.size(); i++) {
            assertThat(rows(shards.open(i))).as("rows of %s", shards.name(i))
                    .containsExactly((100 + i) + " player on " + shards.name(i) + " ü");
        }
        assertThat(rows(shards.openReference())).containsExactly("1 reference");
    }

    private static List<String> rows(Connection connection) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connection; Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT player_id, name FROM players ORDER BY player_id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1) + " " + rs.getString(2));
            }
        }
        return rows;
    }
}
