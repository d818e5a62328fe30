package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.flywaydb.core.Flyway;

/**
 * Flyway 13 and Liquibase 4.33: migrations run once per shard (a DataSource over {@code
 * connectionTo(shard)}), then the schema is used through shardkit with plain JDBC.
 */
final class MigrationClients {
    private MigrationClients() {
    }

    static void flyway(DataSource ds, Matrix m) {
        // the other clients' tables share the databases: baseline at 0, so V1 and later run
        Flyway.configure().dataSource(ds).locations("classpath:db/flyway").table("fw_history")
                .baselineOnMigrate(true).baselineVersion("0")
                .placeholders(Map.of("identity", m.identity("match_id"))).load().migrate();
    }

    static void liquibase(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            Database db = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            db.setDatabaseChangeLogTableName("lb_changelog");
            db.setDatabaseChangeLogLockTableName("lb_changelog_lock");
            try (Liquibase lb = new Liquibase("db/liquibase/changelog.xml", new ClassLoaderResourceAccessor(), db)) {
                lb.update("");
            }
        }
    }

    static void drop(DataSource ds, String prefix, String history) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of(prefix + "_matches", prefix + "_players", prefix + "_items")) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
            for (String h : history.split(",")) {
                st.execute("DROP TABLE IF EXISTS " + h);
            }
        }
    }

    /** The same operations through shardkit and on one database, with plain JDBC over the migrated schema. */
    static Map<String, Object> use(DataSource ds, String p) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + p + "_players (player_id, name, score, bonus) "
                    + "VALUES (?, ?, ?, ?)")) {
                for (long id = 1; id <= 10; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, "p" + id);
                    ps.setInt(3, Matrix.score(id));
                    ps.setInt(4, (int) id % 3);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + p + "_matches (player_id, points) VALUES (?, ?)")) {
                for (long id = 1; id <= 10; id++) {
                    ps.setLong(1, id);
                    ps.setInt(2, (int) id * 5);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            out.put("page", query(c, "SELECT player_id, name, score + bonus FROM " + p + "_players "
                    + "ORDER BY score + bonus DESC, player_id LIMIT 3 OFFSET 2"));
            out.put("count", query(c, "SELECT COUNT(*) FROM " + p + "_players"));
            out.put("report", query(c, "SELECT bonus, COUNT(*), SUM(score) FROM " + p + "_players GROUP BY bonus ORDER BY bonus"));
            out.put("join", query(c, "SELECT p.name, m.points FROM " + p + "_players p JOIN " + p + "_matches m "
                    + "ON m.player_id = p.player_id WHERE p.player_id = 7"));
            out.put("items", query(c, "SELECT item_id, label FROM " + p + "_items ORDER BY item_id"));
        }
        return out;
    }

    static List<String> query(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder r = new StringBuilder();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    r.append(i > 1 ? "," : "").append(rs.getString(i));
                }
                rows.add(r.toString());
            }
        }
        return rows;
    }

    /** Each shard holds the migration's history table and the new column. */
    static void assertMigratedEverywhere(Matrix m, String prefix, String history) throws SQLException {
        for (int i = 0; i < m.shards.size(); i++) {
            try (Connection c = m.shards.open(i); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + history)) {
                    rs.next();
                    assertThat(rs.getInt(1)).as("history rows on shard %s", i).isGreaterThanOrEqualTo(3);
                }
                st.executeQuery("SELECT bonus FROM " + prefix + "_players").close();
            }
        }
    }
}
