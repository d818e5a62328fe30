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
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Split tables on SQLite shards against one unsplit reference database: the same rows written
 * through shardkit and into the reference, the same SQL on both, results compared; every row
 * checked in the physical table its rules name. {@code matches} and {@code players}: mod 4 over
 * shards and mod 16 by name; {@code photos}: md5 by name on one shard; {@code orders}: hash over
 * two shards, by month by name.
 */
class SplitTableTest {
    @TempDir Path dir;
    private ShardedDataSource ds;
    private Connection ref;

    private String yaml() {
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 4; i++) {
            y.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\", create: true}\n");
        }
        return y + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                    split: {by: player_id, as: {type: mod, count: 16}, name: "matches_{n:02}"}
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                    split: {by: player_id, as: {type: mod, count: 16}, name: "players_{n:02}"}
                  photos:
                    key: album_key
                    shard: s0
                    split: {by: album_key, as: {type: md5, chars: 1}, name: "photos_{hex}"}
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                """;
    }

    @BeforeEach
    void setUp() throws Exception {
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml().getBytes(StandardCharsets.UTF_8)));
        ref = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ref.db"));
        String[] ddl = {
            "CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL, score INTEGER, arena TEXT)",
            "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT)",
            "CREATE TABLE photos (photo_id INTEGER PRIMARY KEY, album_key TEXT NOT NULL, title TEXT)",
        };
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String d : ddl) {
                st.execute(d);
                r.execute(d);
            }
            r.execute("CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
                    + " created_at TEXT NOT NULL, amount INTEGER)");
        }
        // a period split's tables are made by their physical names (creation by rule comes later)
        for (int s = 0; s < 2; s++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + s + ".db"));
                    Statement st = c.createStatement()) {
                for (String month : List.of("202607", "202608", "202609", "202610", "202611", "202612")) {
                    st.execute("CREATE TABLE orders_" + month + " (order_id INTEGER PRIMARY KEY, customer_id INTEGER"
                            + " NOT NULL, created_at TEXT NOT NULL, amount INTEGER)");
                }
            }
        }
        load();
    }

    @AfterEach
    void tearDown() throws Exception {
        ref.close();
        ds.close();
    }

    private void load() throws SQLException {
        Random random = new Random(14);
        try (Connection c = ds.getConnection()) {
            String insert = "INSERT INTO matches (match_id, player_id, score, arena) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(insert); PreparedStatement rp = ref.prepareStatement(insert)) {
                for (int i = 1; i <= 300; i++) {
                    Object[] row = {i, random.nextInt(40) - 5, random.nextInt(100), "m" + random.nextInt(4)};
                    for (PreparedStatement p : List.of(ps, rp)) {
                        for (int k = 0; k < row.length; k++) {
                            p.setObject(k + 1, row[k]);
                        }
                    }
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                    rp.executeUpdate();
                }
            }
            // a multi-row INSERT spanning shards and tables, and a batch
            String multi = "INSERT INTO players (player_id, name) VALUES (1, 'one'), (17, 'seventeen'), (2, 'two'), (33, 'x')";
            try (Statement st = c.createStatement(); Statement r = ref.createStatement()) {
                assertThat(st.executeUpdate(multi)).isEqualTo(4);
                r.executeUpdate(multi);
            }
            String player = "INSERT INTO players (player_id, name) VALUES (?, ?)";
            try (PreparedStatement ps = c.prepareStatement(player); PreparedStatement rp = ref.prepareStatement(player)) {
                for (int id = -5; id < 35; id++) {
                    if (id == 1 || id == 17 || id == 2 || id == 33) {
                        continue;
                    }
                    for (PreparedStatement p : List.of(ps, rp)) {
                        p.setInt(1, id);
                        p.setString(2, "p" + id);
                        p.addBatch();
                    }
                }
                int[] counts = ps.executeBatch();
                rp.executeBatch();
                assertThat(counts).hasSize(36).containsOnly(1);
            }
            String photo = "INSERT INTO photos (photo_id, album_key, title) VALUES (?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(photo); PreparedStatement rp = ref.prepareStatement(photo)) {
                for (int i = 1; i <= 80; i++) {
                    for (PreparedStatement p : List.of(ps, rp)) {
                        p.setInt(1, i);
                        p.setString(2, "album" + (i % 23));
                        p.setString(3, "t" + i);
                        p.executeUpdate();
                    }
                }
            }
            String order = "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(order); PreparedStatement rp = ref.prepareStatement(order)) {
                for (int i = 1; i <= 90; i++) {
                    String day = "2026-" + (10 + i % 3) + "-" + String.format("%02d", 1 + i % 28);
                    for (PreparedStatement p : List.of(ps, rp)) {
                        p.setInt(1, i);
                        p.setInt(2, i % 7);
                        p.setString(3, day);
                        p.setInt(4, i * 3);
                        p.executeUpdate();
                    }
                }
            }
        }
    }

    @Test
    void i14_01_everyRowSitsInThePhysicalTableItsRulesName() throws Exception {
        int total = 0;
        for (int s = 0; s < 4; s++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + s + ".db"));
                    Statement st = c.createStatement()) {
                for (int n = 0; n < 16; n++) {
                    try (ResultSet rs = st.executeQuery("SELECT player_id FROM " + String.format("matches_%02d", n))) {
                        while (rs.next()) {
                            int pid = rs.getInt(1);
                            assertThat(Math.floorMod(pid, 4)).as("shard of player %d", pid).isEqualTo(s);
                            assertThat(Math.floorMod(pid, 16)).as("table of player %d", pid).isEqualTo(n);
                            total++;
                        }
                    }
                }
            }
        }
        assertThat(total).isEqualTo(300);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s0.db"));
                Statement st = c.createStatement()) {
            int photos = 0;
            for (String hex : "0123456789abcdef".split("")) {
                try (ResultSet rs = st.executeQuery("SELECT album_key FROM photos_" + hex)) {
                    while (rs.next()) {
                        String md5 = md5(rs.getString(1));
                        assertThat(md5.substring(0, 1)).as(rs.getString(1)).isEqualTo(hex);
                        photos++;
                    }
                }
            }
            assertThat(photos).isEqualTo(80);
        }
        for (int s = 0; s < 2; s++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + s + ".db"));
                    Statement st = c.createStatement()) {
                for (String month : List.of("202610", "202611", "202612")) {
                    try (ResultSet rs = st.executeQuery("SELECT customer_id, created_at FROM orders_" + month)) {
                        while (rs.next()) {
                            assertThat(Math.floorMod(rs.getInt(1), 2)).isEqualTo(s);
                            assertThat(rs.getString(2).replace("-", "").substring(0, 6)).isEqualTo(month);
                        }
                    }
                }
            }
        }
    }

    private static String md5(String s) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    static final List<String> QUERIES = List.of(
            "SELECT * FROM matches WHERE player_id = 7 ORDER BY match_id",
            "SELECT * FROM matches WHERE player_id = -3 ORDER BY match_id",
            "SELECT COUNT(*) FROM matches",
            "SELECT player_id, SUM(score), COUNT(*) FROM matches GROUP BY player_id ORDER BY player_id",
            "SELECT * FROM matches ORDER BY score DESC, match_id LIMIT 10",
            "SELECT * FROM matches WHERE score > 50 ORDER BY match_id LIMIT 5 OFFSET 3",
            "SELECT m.match_id, p.name FROM matches m JOIN players p ON m.player_id = p.player_id WHERE p.player_id = 7"
                    + " ORDER BY m.match_id",
            "SELECT matches.score, matches.match_id FROM matches WHERE matches.player_id IN (1, 2, 3, 17)"
                    + " ORDER BY matches.score, matches.match_id",
            "SELECT COUNT(*) FROM matches m JOIN players p ON m.player_id = p.player_id",
            "SELECT p.name, COUNT(*) FROM matches m JOIN players p ON m.player_id = p.player_id GROUP BY p.name"
                    + " ORDER BY p.name",
            "SELECT COUNT(DISTINCT arena) FROM matches",
            "SELECT DISTINCT arena FROM matches ORDER BY arena",
            "SELECT arena, MIN(score), MAX(score), AVG(score) FROM matches GROUP BY arena HAVING COUNT(*) > 10 ORDER BY arena",
            "SELECT COUNT(*), SUM(amount) FROM orders",
            "SELECT * FROM orders WHERE customer_id = 5 ORDER BY order_id",
            "SELECT created_at, amount FROM orders ORDER BY amount DESC LIMIT 7",
            "SELECT * FROM photos WHERE album_key = 'album3' ORDER BY photo_id",
            "SELECT COUNT(*), MIN(title) FROM photos",
            "SELECT album_key, COUNT(*) FROM photos GROUP BY album_key ORDER BY album_key",
            "SELECT * FROM players WHERE player_id IN (1, 17, 33, 34) ORDER BY player_id");

    @Test
    void i14_02_readsAnswerAsOneUnsplitTable() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String q : QUERIES) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q)).isNotEmpty();
            }
        }
    }

    @Test
    void i14_03_preparedKeyReadsReuseTheirNodeStatement() throws Exception {
        String q = "SELECT match_id, score FROM matches WHERE player_id = ? ORDER BY match_id";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(q);
                PreparedStatement rp = ref.prepareStatement(q)) {
            for (int id = -5; id < 40; id++) {
                ps.setInt(1, id);
                rp.setInt(1, id);
                assertThat(rows(ps)).as("player %d", id).isEqualTo(rows(rp));
            }
        }
    }

    @Test
    void i14_04_writesOverSeveralPhysicalTablesCountAndChangeAsOneTable() throws Exception {
        String[] writes = {
            "UPDATE matches SET score = score + 1 WHERE player_id = 3",
            "UPDATE matches SET score = 0 WHERE score < 10",
            "DELETE FROM matches WHERE arena = 'm2' AND score > 80",
            "UPDATE orders SET amount = amount + 1 WHERE amount > 200",
            "DELETE FROM photos WHERE title LIKE 't1%'",
        };
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String w : writes) {
                assertThat(st.executeUpdate(w)).as(w).isEqualTo(r.executeUpdate(w));
            }
            for (String q : QUERIES) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
        }
    }

    @Test
    void i14_05_ddlOnTheLogicalTableReachesEveryPhysicalTable() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE matches ADD COLUMN note TEXT");
            st.execute("CREATE INDEX idx_score ON matches (score)");
            st.executeUpdate("UPDATE matches SET note = 'n' WHERE player_id = 9");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM matches WHERE note = 'n'")) {
                rs.next();
                assertThat(rs.getInt(1)).isPositive();
            }
        }
        for (int s = 0; s < 4; s++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + s + ".db"));
                    Statement st = c.createStatement()) {
                for (int n = 0; n < 16; n++) {
                    String t = String.format("matches_%02d", n);
                    boolean note = false;
                    try (ResultSet rs = st.executeQuery("PRAGMA table_info(" + t + ")")) {
                        while (rs.next()) {
                            note |= rs.getString("name").equals("note");
                        }
                    }
                    assertThat(note).as(t + " on s" + s).isTrue();
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '"
                            + t + "'")) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("index on " + t).isEqualTo(1);
                    }
                }
            }
        }
    }

    @Test
    void i14_06_explainNamesThePhysicalTable() throws Exception {
        String text = ds.explain("SELECT * FROM matches WHERE player_id = ?", 1042).toString();
        assertThat(text).contains("matches_02").contains("s2").contains("1042 mod 16");
    }

    @Test
    void i14_07_aWriteThatWouldMoveARowBetweenPhysicalTablesIsRefused() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE orders SET created_at = '2026-12-01' WHERE order_id = 4"))
                    .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("created_at")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            assertThatThrownBy(() -> st.executeUpdate(
                    "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (999, 1, '2027-05-02', 1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("orders_202705");
        }
    }

    @Test
    void i14_08_theCatalogIsReadAgainAfterRefresh() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(rows(st, "SELECT COUNT(*) FROM orders")).containsExactly("90");
            // another program creates next month's table: known after a refresh (or any DDL through shardkit)
            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s1.db"));
                    Statement rst = raw.createStatement()) {
                rst.execute("CREATE TABLE orders_202701 (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
                        + " created_at TEXT NOT NULL, amount INTEGER)");
                rst.execute("INSERT INTO orders_202701 VALUES (5000, 1, '2027-01-05', 7)");
            }
            assertThat(rows(st, "SELECT COUNT(*) FROM orders")).containsExactly("90");
            ds.tables().refresh("orders");
            assertThat(rows(st, "SELECT COUNT(*) FROM orders")).containsExactly("91");
        }
        assertThat(ds.tables().physical("orders").get("s1")).contains("orders_202701");
        assertThatThrownBy(() -> ds.tables().refresh("nope")).isInstanceOf(ShardException.class)
                .hasMessageContaining("not a split table");
    }

    @Test
    void i14_09_aPhysicalNameWrittenDirectlyAnswersThatTableOfEveryShard() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            assertThat(rows(st, "SELECT match_id, player_id FROM matches_05 ORDER BY match_id")).isEqualTo(rows(r,
                    "SELECT match_id, player_id FROM matches WHERE player_id % 16 IN (5, -11) ORDER BY match_id"))
                    .isNotEmpty();
            assertThat(rows(st, "SELECT COUNT(*) FROM matches_05 WHERE player_id = 21")).isEqualTo(rows(r,
                    "SELECT COUNT(*) FROM matches WHERE player_id = 21"));
            assertThat(rows(st, "SELECT COUNT(*) FROM orders_202611")).isEqualTo(rows(r,
                    "SELECT COUNT(*) FROM orders WHERE created_at >= '2026-11-01' AND created_at < '2026-12-01'"));
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM matches_05")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("write through the logical table")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
        }
    }

    @Test
    void i14_10_aRangeOnAPeriodSplitReadsOnlyThePeriodsItCanReach() throws Exception {
        String[] ranges = {
            "SELECT COUNT(*), SUM(amount) FROM orders WHERE created_at >= '2026-11-01' AND created_at < '2026-12-01'",
            "SELECT order_id FROM orders WHERE created_at BETWEEN '2026-10-05' AND '2026-10-20' ORDER BY order_id",
            "SELECT order_id FROM orders WHERE '2026-12-10' <= created_at ORDER BY order_id",
            "SELECT order_id FROM orders o WHERE o.created_at < '2026-10-03' ORDER BY order_id",
            "SELECT COUNT(*) FROM orders WHERE created_at = '2026-11-05'",
            "SELECT COUNT(*) FROM orders WHERE created_at >= '2027-03-01'",
            "SELECT COUNT(*) FROM orders WHERE created_at < '2026-01-01'",
        };
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String q : ranges) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
            String q = "SELECT COUNT(*) FROM orders WHERE created_at >= ? AND created_at < ?";
            try (PreparedStatement ps = c.prepareStatement(q); PreparedStatement rp = ref.prepareStatement(q)) {
                for (PreparedStatement p : List.of(ps, rp)) {
                    p.setString(1, "2026-10-15");
                    p.setString(2, "2026-11-15");
                }
                assertThat(rows(ps)).isEqualTo(rows(rp));
            }
        }
        String explain = ds.explain(ranges[0]).toString();
        // November and December by the bounds, October as the table more on the low side; not July to September
        assertThat(explain).contains("3 of 6 tables: [orders_202610, orders_202611, orders_202612]")
                .doesNotContain("orders_202609");
        // a self-join names orders twice: no bound prunes the list both references share
        assertThat(ds.explain("SELECT COUNT(*) FROM orders a JOIN orders b ON a.customer_id = b.customer_id"
                + " WHERE a.created_at >= '2026-12-01'").toString()).contains("orders_202607").contains("orders_202612");
    }

    @Test
    void i14_11_retentionDropsOnePeriodOnEveryShardAfterConfirmation() throws Exception {
        assertThatThrownBy(() -> ds.tables().drop("orders", "orders_202610", "orders"))
                .isInstanceOf(ShardException.class).hasMessageContaining("to confirm, pass its name again")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(Tenants.NOT_CONFIRMED);
        assertThatThrownBy(() -> ds.tables().drop("orders", "players_01", "players_01"))
                .isInstanceOf(ShardException.class).hasMessageContaining("is not a physical table of split table orders");
        assertThat(ds.tables().physical("orders").get("s0")).contains("orders_202610");
        assertThat(ds.tables().drop("orders", "orders_202610", "orders_202610")).containsExactly("s0", "s1");
        assertThat(ds.tables().physical("orders").get("s0")).doesNotContain("orders_202610").contains("orders_202611");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            r.executeUpdate("DELETE FROM orders WHERE created_at < '2026-11-01'");
            for (String q : List.of("SELECT COUNT(*), SUM(amount) FROM orders",
                    "SELECT order_id FROM orders WHERE customer_id = 3 ORDER BY order_id")) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
        }
        assertThat(ds.tables().drop("orders", "orders_202610", "orders_202610")).as("dropped already").isEmpty();
    }

    @Test
    void i14_12_statementsThatWouldPutARowInTheWrongTableAreRefused() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertRefused(st, "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (1, 1, '2026-11-02', 1)"
                    + " ON CONFLICT (customer_id, order_id) DO UPDATE SET created_at = excluded.created_at", "0A000",
                    "an upsert that changes orders.created_at, which picks the row's physical table");
            assertRefused(st, "INSERT INTO orders (order_id, customer_id, amount) VALUES (2, 1, 1)", "42000",
                    "INSERT into split table orders does not set created_at, the column that picks its physical table");
            assertRefused(st, "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (3, 1, date('now'), 1)",
                    "0A000", "the column created_at that picks the physical table of split table orders is an expression");
            assertRefused(st, "CREATE TABLE orders (order_id INTEGER PRIMARY KEY)", "0A000",
                    "CREATE TABLE of orders, which is split by period");
        }
        assertThatThrownBy(() -> ds.tables().refresh("players_01")).isInstanceOf(ShardException.class)
                .hasMessageContaining("is not a split table").extracting(e -> ((SQLException) e).getSQLState())
                .isEqualTo("HY000");
        for (String month : List.of("202607", "202608", "202609", "202610", "202611", "202612")) {
            ds.tables().drop("orders", "orders_" + month, "orders_" + month);
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertRefused(st, "SELECT COUNT(*) FROM orders", "42P01",
                    "no physical table of split table orders exists on the shards this statement needs (s0, s1)");
        }
    }

    private static void assertRefused(Statement st, String sql, String state, String message) {
        assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class).hasMessageContaining(message)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(state);
    }

    private static List<String> rows(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rows(rs, sql);
        }
    }

    private static List<String> rows(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rows(rs, "prepared");
        }
    }

    private static List<String> rows(ResultSet rs, String sql) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                if (v instanceof Number n && !(v instanceof Double)) {
                    v = n.longValue();
                }
                sb.append(i > 1 ? "|" : "").append(v);
            }
            out.add(sb.toString());
        }
        if (!sql.toUpperCase().contains("ORDER BY")) {
            Collections.sort(out);
        }
        return out;
    }
}
