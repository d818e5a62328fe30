package io.shardkit;

import java.nio.file.Path;
import java.sql.*;
import io.shardkit.strategy.Strategies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeSmokeTest {
    @TempDir Path dir;

    @Test
    void smoke() throws Exception {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) b.shard("s" + i, "jdbc:sqlite:" + dir.resolve("s" + i + ".db"));
        try (ShardedDataSource ds = b.sharded("players", "player_id", Strategies.mod("s0", "s1", "s2", "s3")).build();
             Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, level INTEGER, score INTEGER)");
            for (int i = 0; i < 40; i++) st.executeUpdate("INSERT INTO players (player_id, name, level, score) VALUES (" + i + ", 'p" + i + "', " + (i % 5) + ", " + (i * 7 % 23) + ")");
            for (String sql : new String[] {
                    "SELECT player_id, score FROM players ORDER BY score DESC, player_id LIMIT 5",
                    "SELECT name FROM players ORDER BY score DESC, player_id LIMIT 3 OFFSET 2",
                    "SELECT COUNT(*), SUM(score), AVG(score), MIN(score), MAX(score) - MIN(score) FROM players",
                    "SELECT level, COUNT(*) AS n, AVG(score) FROM players GROUP BY level HAVING COUNT(*) > 7 ORDER BY level DESC",
                    "SELECT COUNT(DISTINCT level), COUNT(DISTINCT score) FROM players",
                    "SELECT DISTINCT level FROM players ORDER BY level",
                    "SELECT level, SUM(score) FROM players GROUP BY level ORDER BY SUM(score) DESC LIMIT 2"}) {
                System.out.println(ds.explain(sql));
                try (ResultSet rs = st.executeQuery(sql)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder sb = new StringBuilder("  ");
                        for (int i = 1; i <= n; i++) { Object o = rs.getObject(i); sb.append(rs.getMetaData().getColumnLabel(i)).append('=').append(o).append(o == null ? "" : "(" + o.getClass().getSimpleName() + ")").append(' '); }
                        System.out.println(sb);
                    }
                }
            }
        }
    }
}
