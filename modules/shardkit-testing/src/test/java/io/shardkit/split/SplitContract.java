package io.shardkit.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.route.SplitCatalog;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Split tables (issue 14) on real servers, against one unsplit reference database of the same kind:
 * {@code matches} and {@code players} mod 4 over four shards and mod 16 by name (64 physical tables
 * each), {@code photos} md5 (one hex char) by name on s0, {@code orders} mod 2 over s0, s1 and by
 * month by name. Every test starts from dropped tables (dropped directly on the shards), creates
 * the finite splits through shardkit and the month tables by their physical names, and loads the
 * same rows into shardkit and the reference. Placement is checked on the shards, behind shardkit's back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SplitContract {
    static final String[] MONTHS = {"202610", "202611", "202612"};
    static final String[] ARENAS = {"a", "B", "m0", "Zz", "\u00e9", null};

    ShardSet shards;
    ShardedDataSource ds;
    Connection ref;

    /** CREATE TABLE texts for matches, players, photos, orders (logical names) in this dialect. */
    abstract String[] ddl();

    /** The value bound for a day of orders.created_at: a String on SQLite, a LocalDate elsewhere. */
    abstract Object day(String iso);

    /** SQL answering one row per column name of {@code table} on a shard. */
    abstract String columnsOf(String table);

    /** SQL answering the number of indexes on {@code table} that cover column score. */
    abstract String scoreIndexesOf(String table);

    /** The identifier quote of this dialect. */
    String quote() {
        return "\"";
    }

    @BeforeAll
    void open(ShardSet shards) {
        this.shards = shards;
    }

    String yaml() {
        return shards.yamlShards() + """
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

    ShardedDataSource newDataSource() throws Exception {
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml().getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> physicalNames() {
        List<String> names = new ArrayList<>();
        for (int n = 0; n < 16; n++) {
            names.add(String.format("matches_%02d", n));
            names.add(String.format("players_%02d", n));
            names.add("photos_" + Integer.toHexString(n));
        }
        for (String m : MONTHS) {
            names.add("orders_" + m);
        }
        names.add("orders_202701");
        names.add("orders_202704"); // made by i14_13
        names.addAll(List.of("matches", "players", "photos", "orders"));
        return names;
    }

    @BeforeEach
    void setUp() throws Exception {
        for (int s = 0; s < shards.size(); s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (String t : physicalNames()) {
                    st.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
        ref = shards.openReference();
        try (Statement r = ref.createStatement()) {
            for (String t : List.of("matches", "players", "photos", "orders")) {
                r.execute("DROP TABLE IF EXISTS " + t);
            }
        }
        String[] ddl = ddl();
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (String m : MONTHS) {
                    st.execute(ddl[3].replace("orders", "orders_" + m));
                }
            }
        }
        ds = newDataSource();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (int i = 0; i < 3; i++) {
                st.execute(ddl[i]);
                r.execute(ddl[i]);
            }
            r.execute(ddl[3]);
        }
        load();
    }

    @AfterEach
    void tearDown() throws Exception {
        ref.close();
        ds.close();
    }

    void load() throws SQLException {
        Random random = new Random(14);
        try (Connection c = ds.getConnection()) {
            String insert = "INSERT INTO matches (match_id, player_id, score, arena) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(insert); PreparedStatement rp = ref.prepareStatement(insert)) {
                for (int i = 1; i <= 300; i++) {
                    Integer score = random.nextInt(10) == 0 ? null : random.nextInt(100);
                    Object[] row = {i, random.nextInt(40) - 5, score, ARENAS[random.nextInt(ARENAS.length)]};
                    assertThat(bindAndRun(ps, row)).isEqualTo(1);
                    bindAndRun(rp, row);
                }
            }
            String player = "INSERT INTO players (player_id, name) VALUES (?, ?)";
            try (PreparedStatement ps = c.prepareStatement(player); PreparedStatement rp = ref.prepareStatement(player)) {
                for (int id = -5; id < 35; id++) {
                    Object[] row = {id, id % 3 == 0 ? null : "p" + id};
                    assertThat(bindAndRun(ps, row)).isEqualTo(1);
                    bindAndRun(rp, row);
                }
            }
            String photo = "INSERT INTO photos (photo_id, album_key, title) VALUES (?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(photo); PreparedStatement rp = ref.prepareStatement(photo)) {
                for (int i = 1; i <= 80; i++) {
                    Object[] row = {i, "album" + (i % 23), "t" + i};
                    bindAndRun(ps, row);
                    bindAndRun(rp, row);
                }
            }
            String order = "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(order); PreparedStatement rp = ref.prepareStatement(order)) {
                for (int i = 1; i <= 90; i++) {
                    Object[] row = {i, i % 7, day("2026-" + (10 + i % 3) + "-" + String.format("%02d", 1 + i % 28)), i * 3};
                    bindAndRun(ps, row);
                    bindAndRun(rp, row);
                }
            }
        }
    }

    static int bindAndRun(PreparedStatement p, Object[] row) throws SQLException {
        for (int k = 0; k < row.length; k++) {
            if (row[k] == null) {
                p.setNull(k + 1, k == 2 && row.length == 4 ? java.sql.Types.INTEGER : java.sql.Types.VARCHAR);
            } else {
                p.setObject(k + 1, row[k]);
            }
        }
        return p.executeUpdate();
    }

    static final List<String> QUERIES = List.of(
            "SELECT * FROM matches WHERE player_id = 7 ORDER BY match_id",
            "SELECT * FROM matches WHERE player_id = -3 ORDER BY match_id",
            "SELECT COUNT(*) FROM matches",
            "SELECT player_id, SUM(score), COUNT(*), COUNT(score) FROM matches GROUP BY player_id ORDER BY player_id",
            "SELECT * FROM matches ORDER BY score DESC, match_id LIMIT 10",
            "SELECT * FROM matches WHERE score > 50 ORDER BY match_id LIMIT 5 OFFSET 3",
            "SELECT m.match_id, p.name FROM matches m JOIN players p ON m.player_id = p.player_id WHERE p.player_id = 7"
                    + " ORDER BY m.match_id",
            "SELECT matches.score, matches.match_id FROM matches WHERE matches.player_id IN (1, 2, 3, 17)"
                    + " ORDER BY matches.match_id",
            "SELECT COUNT(*) FROM matches m JOIN players p ON m.player_id = p.player_id",
            "SELECT p.name, COUNT(*) FROM matches m JOIN players p ON m.player_id = p.player_id GROUP BY p.name"
                    + " ORDER BY p.name",
            "SELECT COUNT(DISTINCT arena) FROM matches",
            "SELECT DISTINCT arena FROM matches ORDER BY arena",
            "SELECT arena, MIN(score), MAX(score), AVG(score) FROM matches GROUP BY arena HAVING COUNT(*) > 10 ORDER BY arena",
            "SELECT arena, match_id FROM matches ORDER BY arena, match_id LIMIT 20",
            "SELECT COUNT(*), SUM(amount) FROM orders",
            "SELECT * FROM orders WHERE customer_id = 5 ORDER BY order_id",
            "SELECT created_at, amount FROM orders ORDER BY amount DESC LIMIT 7",
            "SELECT COUNT(*), SUM(amount) FROM orders WHERE created_at >= '2026-11-01' AND created_at < '2026-12-01'",
            "SELECT * FROM photos WHERE album_key = 'album3' ORDER BY photo_id",
            "SELECT COUNT(*), MIN(title) FROM photos",
            "SELECT album_key, COUNT(*) FROM photos GROUP BY album_key ORDER BY album_key",
            "SELECT * FROM players WHERE player_id IN (1, 17, 33, 34) ORDER BY player_id");

    @Test
    void i14_01_everyRowSitsInThePhysicalTableItsRulesName() throws Exception {
        int matches = 0;
        int players = 0;
        for (int s = 0; s < 4; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (int n = 0; n < 16; n++) {
                    for (String t : List.of("matches", "players")) {
                        try (ResultSet rs = st.executeQuery("SELECT player_id FROM " + String.format(t + "_%02d", n))) {
                            while (rs.next()) {
                                int pid = rs.getInt(1);
                                assertThat(Math.floorMod(pid, 4)).as("shard of %s player %d", t, pid).isEqualTo(s);
                                assertThat(Math.floorMod(pid, 16)).as("table of %s player %d", t, pid).isEqualTo(n);
                                if (t.equals("matches")) {
                                    matches++;
                                } else {
                                    players++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(matches).isEqualTo(300);
        assertThat(players).isEqualTo(40);
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            int photos = 0;
            for (String hex : "0123456789abcdef".split("")) {
                try (ResultSet rs = st.executeQuery("SELECT album_key FROM photos_" + hex)) {
                    while (rs.next()) {
                        assertThat(md5(rs.getString(1)).substring(0, 1)).as(rs.getString(1)).isEqualTo(hex);
                        photos++;
                    }
                }
            }
            assertThat(photos).isEqualTo(80);
        }
        int orders = 0;
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (String month : MONTHS) {
                    try (ResultSet rs = st.executeQuery("SELECT customer_id, created_at FROM orders_" + month)) {
                        while (rs.next()) {
                            assertThat(Math.floorMod(rs.getInt(1), 2)).isEqualTo(s);
                            assertThat(rs.getString(2).replace("-", "").substring(0, 6)).isEqualTo(month);
                            orders++;
                        }
                    }
                }
            }
        }
        assertThat(orders).isEqualTo(90);
    }

    @Test
    void i14_02_readsAnswerAsOneUnsplitTable() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String q : QUERIES) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q)).isNotEmpty();
            }
        }
    }

    @Test
    void i14_03_writesOverOneAndManyPhysicalTablesCountAndChangeAsOneTable() throws Exception {
        String[] writes = {
            "UPDATE matches SET score = score + 1 WHERE player_id = 3",
            "UPDATE matches SET score = 0 WHERE score < 10",
            "UPDATE matches SET arena = 'z' WHERE player_id IN (1, 2, 17, 33)",
            "DELETE FROM matches WHERE arena = 'm0' AND score > 80",
            "DELETE FROM matches WHERE player_id = 21",
            "UPDATE players SET name = 'y' WHERE name IS NULL",
            "UPDATE orders SET amount = amount + 1 WHERE amount > 200",
            "DELETE FROM orders WHERE customer_id = 3",
            "DELETE FROM photos WHERE title LIKE 't1%'",
            "UPDATE photos SET title = 'u' WHERE album_key = 'album5'",
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
    void i14_04_ddlOnTheLogicalTableReachesAll64PhysicalTables() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER TABLE matches ADD COLUMN note VARCHAR(10)");
            st.execute("CREATE INDEX idx_score ON matches (score)");
            assertThat(st.executeUpdate("UPDATE matches SET note = 'n' WHERE player_id = 9"))
                    .isEqualTo(count(ref, "SELECT COUNT(*) FROM matches WHERE player_id = 9"));
            assertThat(count(st, "SELECT COUNT(*) FROM matches WHERE note = 'n'"))
                    .isEqualTo(count(ref, "SELECT COUNT(*) FROM matches WHERE player_id = 9")).isPositive();
        }
        int reached = 0;
        for (int s = 0; s < 4; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (int n = 0; n < 16; n++) {
                    String t = String.format("matches_%02d", n);
                    List<String> columns = new ArrayList<>();
                    try (ResultSet rs = st.executeQuery(columnsOf(t))) {
                        while (rs.next()) {
                            columns.add(rs.getString(1).toLowerCase());
                        }
                    }
                    assertThat(columns).as(t + " on s" + s).contains("note");
                    assertThat(count(st, scoreIndexesOf(t))).as("index on " + t + " on s" + s).isEqualTo(1);
                    reached++;
                }
            }
        }
        assertThat(reached).isEqualTo(64);
    }

    @Test
    void i14_05_aRefreshSeesATableAnotherDataSourceCreated() throws Exception {
        try (ShardedDataSource other = newDataSource(); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM orders")).isEqualTo(90);
            try (Connection raw = shards.open(1); Statement rst = raw.createStatement()) {
                rst.execute(ddl()[3].replace("orders", "orders_202701"));
            }
            other.tables().refresh("orders");
            try (Connection oc = other.getConnection(); PreparedStatement ps = oc.prepareStatement(
                    "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)")) {
                assertThat(bindAndRun(ps, new Object[] {5000, 1, day("2027-01-05"), 7})).isEqualTo(1);
            }
            assertThat(count(st, "SELECT COUNT(*) FROM orders")).isEqualTo(90);
            ds.tables().refresh("orders");
            assertThat(count(st, "SELECT COUNT(*) FROM orders")).isEqualTo(91);
            assertThat(count(st, "SELECT COUNT(*) FROM orders WHERE created_at >= '2027-01-01' AND customer_id = 1"))
                    .isEqualTo(1);
        }
        assertThat(ds.tables().physical("orders").get("s1")).contains("orders_202701");
    }

    @Test
    void i14_06_batchesAndMultiRowInsertsSplitByShardAndTable() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            String multi = "INSERT INTO matches (match_id, player_id, score, arena) VALUES"
                    + " (1001, 1, 5, 'a'), (1002, 17, 6, 'B'), (1003, 2, NULL, NULL), (1004, 33, 8, 'a'), (1005, 1, 9, 'Zz')";
            assertThat(st.executeUpdate(multi)).isEqualTo(r.executeUpdate(multi)).isEqualTo(5);
            String insert = "INSERT INTO matches (match_id, player_id, score, arena) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(insert); PreparedStatement rp = ref.prepareStatement(insert)) {
                for (int i = 0; i < 70; i++) {
                    for (PreparedStatement p : List.of(ps, rp)) {
                        p.setInt(1, 2000 + i);
                        p.setInt(2, (i * 7) % 45 - 4);
                        p.setInt(3, i);
                        p.setString(4, ARENAS[i % 5]);
                        p.addBatch();
                    }
                }
                int[] counts = ps.executeBatch();
                assertThat(counts).hasSize(70).containsOnly(1);
                rp.executeBatch();
            }
            String update = "UPDATE matches SET score = score + ? WHERE player_id = ?";
            try (PreparedStatement ps = c.prepareStatement(update); PreparedStatement rp = ref.prepareStatement(update)) {
                for (int id = -5; id < 40; id += 3) {
                    for (PreparedStatement p : List.of(ps, rp)) {
                        p.setInt(1, 100);
                        p.setInt(2, id);
                        p.addBatch();
                    }
                }
                assertThat(ps.executeBatch()).containsExactly(rp.executeBatch());
            }
            String read = "SELECT match_id, score, arena FROM matches WHERE player_id = ? ORDER BY match_id";
            try (PreparedStatement ps = c.prepareStatement(read); PreparedStatement rp = ref.prepareStatement(read)) {
                for (int id = -5; id < 45; id++) {
                    ps.setInt(1, id);
                    rp.setInt(1, id);
                    try (ResultSet a = ps.executeQuery(); ResultSet b = rp.executeQuery()) {
                        assertThat(rows(a, read)).as("player %d", id).isEqualTo(rows(b, read));
                    }
                }
            }
            for (String q : QUERIES) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
        }
        i14_01_placementAfterWrites();
    }

    private void i14_01_placementAfterWrites() throws Exception {
        for (int s = 0; s < 4; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (int n = 0; n < 16; n++) {
                    try (ResultSet rs = st.executeQuery("SELECT player_id FROM " + String.format("matches_%02d", n))) {
                        while (rs.next()) {
                            assertThat(Math.floorMod(rs.getInt(1), 4)).isEqualTo(s);
                            assertThat(Math.floorMod(rs.getInt(1), 16)).isEqualTo(n);
                        }
                    }
                }
            }
        }
    }

    /**
     * A column named like its split table: either refused (0A000, naming the table) or answered as
     * the reference; the physical tables must then carry the column under its own name.
     */
    @Test
    void i14_07_aColumnNamedLikeTheTableIsRefusedOrUntouched() throws Exception {
        String alter = "ALTER TABLE players ADD COLUMN players VARCHAR(20)";
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            try {
                st.execute(alter);
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo("0A000");
                assertThat(e.getMessage()).contains("players");
                System.out.println("split " + shards.dialect() + ": column named like its table refused: " + e.getMessage());
                return;
            }
            r.execute(alter);
            String[] writes = {"UPDATE players SET players = name WHERE player_id IN (1, 2, 17, 18)",
                "UPDATE players SET players = 'q' WHERE players.player_id = 5"};
            for (String w : writes) {
                assertThat(st.executeUpdate(w)).as(w).isEqualTo(r.executeUpdate(w));
            }
            for (String q : List.of(
                    "SELECT players.players, players.name FROM players WHERE players.player_id IN (1, 17, 5, 6)"
                            + " ORDER BY players.player_id",
                    "SELECT players, COUNT(*) FROM players GROUP BY players ORDER BY players",
                    "SELECT p.players FROM players p WHERE p.player_id = 2")) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
        }
    }

    /** INSERT ... RETURNING into a split table answers the inserted rows, which land where the rules say. */
    @Test
    void i14_08_insertReturningIntoASplitTable() throws Exception {
        String sql = "INSERT INTO matches (match_id, player_id, score, arena) VALUES (5001, 7, 1, 'a') RETURNING match_id, player_id";
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            // execute + getResultSet: MariaDB Connector/J refuses executeQuery on INSERT ... RETURNING
            List<String> want = returned(r, sql);
            assertThat(returned(st, sql)).as(sql).isEqualTo(want).containsExactly("5001|7");
            String ps = "INSERT INTO matches (match_id, player_id, score, arena) VALUES (?, ?, ?, ?) RETURNING match_id, score";
            try (PreparedStatement a = c.prepareStatement(ps); PreparedStatement b = ref.prepareStatement(ps)) {
                for (int i = 0; i < 20; i++) {
                    for (PreparedStatement p : List.of(a, b)) {
                        p.setInt(1, 5100 + i);
                        p.setInt(2, i * 5 - 3);
                        p.setInt(3, i);
                        p.setString(4, "r");
                    }
                    assertThat(b.execute()).isTrue();
                    List<String> expected;
                    try (ResultSet y = b.getResultSet()) {
                        expected = rows(y, ps);
                    }
                    assertThat(a.execute()).as("returning %d answers rows", i).isTrue();
                    try (ResultSet x = a.getResultSet()) {
                        assertThat(rows(x, ps)).as("returning %d", i).isEqualTo(expected).hasSize(1);
                    }
                }
            }
            for (String q : QUERIES) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
        }
        i14_01_placementAfterWrites();
    }

    /**
     * Rows without a partner for the outer joins of {@link SplitQueries#outer}: players 35, 36 and 52
     * and (after its matches are deleted) 13 have no matches; the matches of players -6 and 41 have
     * no player. Written through shardkit and to the reference alike.
     */
    static final String[] UNPARTNERED = {
        "INSERT INTO players (player_id, name) VALUES (35, 'p35'), (36, NULL), (52, 'p52')",
        "DELETE FROM matches WHERE player_id = 13",
        "INSERT INTO matches (match_id, player_id, score, arena) VALUES (901, -6, 10, 'a'), (902, -6, NULL, NULL),"
                + " (903, 41, 77, 'B'), (904, 41, 3, NULL)",
    };

    /**
     * Generated reads over the split tables against the reference: a refusal (0A000) is counted, a
     * different answer or any other error fails, with every differing query listed. The data has
     * players without matches and matches without a player ({@link #UNPARTNERED}).
     */
    @Test
    void i14_09_generatedQueriesAnswerAsTheReferenceOrRefuse() throws Exception {
        List<String> queries = SplitQueries.generate(new Random(1414), 400, quote(), shards.dialect());
        List<String> wrong = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String w : UNPARTNERED) {
                assertThat(st.executeUpdate(w)).as(w).isEqualTo(r.executeUpdate(w)).isPositive();
            }
            String lonely = "SELECT COUNT(*) FROM players p LEFT JOIN matches m ON m.player_id = p.player_id"
                    + " WHERE m.match_id IS NULL";
            String orphans = "SELECT COUNT(*) FROM matches m LEFT JOIN players p ON p.player_id = m.player_id"
                    + " WHERE p.player_id IS NULL";
            assertThat(count(r, lonely)).as(lonely).isGreaterThanOrEqualTo(4);
            assertThat(count(r, orphans)).as(orphans).isEqualTo(4);
            for (String text : queries) {
                int cut = text.indexOf(SplitQueries.REF);
                String q = cut < 0 ? text : text.substring(0, cut);
                List<String> want = rows(r, cut < 0 ? text : text.substring(cut + SplitQueries.REF.length()));
                List<String> got;
                try {
                    got = rows(st, q);
                } catch (SQLException e) {
                    if ("0A000".equals(e.getSQLState())) {
                        refused.add(q + " -> " + e.getMessage());
                        continue;
                    }
                    wrong.add(q + " -> error " + e.getSQLState() + " " + e.getMessage());
                    continue;
                }
                if (!got.equals(want)) {
                    wrong.add(q + "\n   expected " + head(want) + "\n   actual   " + head(got));
                }
            }
        }
        System.out.printf("split oracle %s: %d generated, %d compared, %d refused, %d wrong%n", shards.dialect(),
                queries.size(), queries.size() - refused.size(), refused.size(), wrong.size());
        java.util.TreeMap<String, Integer> kinds = new java.util.TreeMap<>();
        for (String q : refused) {
            kinds.merge(q.substring(0, Math.min(28, q.length())) + " .. " + q.substring(q.indexOf(" -> ") + 4,
                    Math.min(q.length(), q.indexOf(" -> ") + 60)), 1, Integer::sum);
        }
        kinds.forEach((k, n) -> System.out.println("  refused " + n + "x: " + k));
        assertThat(wrong).as("wrong answers").isEmpty();
        assertThat(refused.size()).as("refusals: %s", refused).isLessThan(queries.size() / 2);
    }

    /**
     * Physical tables named directly ({@code SELECT ... FROM photos_e}, as the seed recipes do) are
     * routed to the shard holding them and answer the rows of that table (and writes through them are refused: see i14_12).
     */
    @Test
    void i14_10_aPhysicalTableNamedDirectlyAnswersItsRows() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String hex : "0123456789abcdef".split("")) {
                String[] texts = SplitQueries.physical(hex).split(SplitQueries.REF);
                assertThat(rows(st, texts[0])).as(texts[0]).isEqualTo(rows(r, texts[1]));
            }
        }
    }

    /** An alias named like another split table: the logical table is still rewritten, the alias kept. */
    @Test
    void i14_11_anAliasNamedLikeAnotherSplitTable() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String q : List.of(
                    "SELECT players.match_id, players.arena FROM matches AS players WHERE players.player_id = 1 ORDER BY 1",
                    "SELECT players.match_id FROM matches players WHERE players.player_id IN (1, 2, 17) ORDER BY 1",
                    "SELECT matches.name FROM players matches WHERE matches.player_id = 6")) {
                List<String> want = rows(r, q);
                try {
                    assertThat(rows(st, q)).as(q).isEqualTo(want);
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).as(q + " -> " + e.getMessage()).isEqualTo("0A000");
                }
            }
        }
    }

    /** A write through a physical name would bypass the rule that picks each row's table: refused. */
    @Test
    void i14_12_aWriteThroughAPhysicalNameIsRefused() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String w : List.of("UPDATE matches_05 SET score = 0 WHERE player_id = 5",
                    "INSERT INTO matches_05 (match_id, player_id, score, arena) VALUES (9999, 6, 1, 'x')",
                    "DELETE FROM photos_0")) {
                assertThatThrownBy(() -> st.executeUpdate(w)).as(w).isInstanceOf(SQLException.class)
                        .hasMessageContaining("write through the logical table")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            }
        }
    }

    /**
     * {@code create: onFirstWrite}: 8 threads in 2 data sources write the first rows of a month no
     * shard holds yet; each shard gets the table once (like its newest one), no write fails or is lost.
     */
    @Test
    void i14_13_twoDataSourcesRacingIntoANewPeriodCreateItOnce() throws Exception {
        String creating = yaml().replace("name: \"orders_{yyyyMM}\"}", "name: \"orders_{yyyyMM}\", create: onFirstWrite}");
        assertThat(creating).contains("create: onFirstWrite");
        int threads = 8;
        int perThread = 10;
        try (ShardedDataSource a = ShardedDataSource.fromYaml(new ByteArrayInputStream(creating.getBytes(StandardCharsets.UTF_8)));
                ShardedDataSource b = ShardedDataSource.fromYaml(new ByteArrayInputStream(creating.getBytes(StandardCharsets.UTF_8)))) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ShardedDataSource ds2 = t % 2 == 0 ? a : b;
                int first = 7000 + t * perThread;
                done.add(pool.submit(() -> {
                    start.await();
                    try (Connection c = ds2.getConnection(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)")) {
                        for (int i = 0; i < perThread; i++) {
                            ps.setInt(1, first + i);
                            ps.setInt(2, first + i);
                            ps.setObject(3, day("2027-04-" + String.format("%02d", 1 + i)));
                            ps.setInt(4, 1);
                            assertThat(ps.executeUpdate()).isEqualTo(1);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            try (Connection c = b.getConnection(); Statement st = c.createStatement()) {
                assertThat(count(st, "SELECT COUNT(*) FROM orders WHERE amount = 1 AND order_id >= 7000"))
                        .isEqualTo(threads * perThread);
            }
        }
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                assertThat(count(st, "SELECT COUNT(*) FROM orders_202704")).isEqualTo(threads * perThread / 2);
                assertThat(count(st, "SELECT COUNT(*) FROM orders_202704 WHERE MOD(customer_id, 2) <> " + s)).isZero();
            }
        }
    }

    /** Retention: one period's table dropped on every shard after confirmation; the rest answers as the reference without it. */
    @Test
    void i14_14_retentionDropsOnePeriod() throws Exception {
        assertThatThrownBy(() -> ds.tables().drop("orders", "orders_202610", "no")).isInstanceOf(SQLException.class)
                .hasMessageContaining("to confirm");
        assertThat(ds.tables().drop("orders", "orders_202610", "orders_202610")).containsExactly("s0", "s1");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            r.executeUpdate("DELETE FROM orders WHERE created_at < '2026-11-01'");
            for (String q : List.of("SELECT COUNT(*), SUM(amount) FROM orders",
                    "SELECT order_id FROM orders WHERE customer_id = 3 ORDER BY order_id")) {
                assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
            }
        }
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s)) {
                assertThat(SplitCatalog.read(c, ds.shardMap().tables().get("orders").split())).doesNotContain("orders_202610");
            }
        }
    }

    /**
     * A read over every data node (64 physical tables on 4 shards) runs one query per physical table,
     * the queries of a shard one after the other on one connection: it works with pools of one
     * connection, streams with a tiny fetch size, gives every connection back whether read to the end
     * or closed early, and inside a transaction reads on the transaction's own connections.
     */
    @Test
    void i14_15_aReadOverEveryDataNodeSharesOneConnectionPerShard() throws Exception {
        String yaml = "pool: {maximumPoolSize: 1, connectionTimeout: 3000}\n" + yaml();
        String top = "SELECT match_id, score FROM matches ORDER BY score DESC, match_id LIMIT 10";
        String all = "SELECT match_id, player_id, score FROM matches ORDER BY match_id";
        String count = "SELECT arena, COUNT(*), SUM(score) FROM matches GROUP BY arena";
        try (ShardedDataSource one = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(one.explain(top).toString()).contains("16 physical tables, one shard query each");
            try (Connection c = one.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
                for (String q : List.of(top, count)) {
                    assertThat(rows(st, q)).as(q).isEqualTo(rows(r, q));
                }
                st.setFetchSize(3);
                assertThat(rows(st, all)).hasSize(300).isEqualTo(rows(r, all));
                try (ResultSet rs = st.executeQuery(all)) {
                    assertThat(rs.next() && rs.next()).isTrue(); // closed after two rows
                }
                for (String s : List.of("s0", "s1", "s2", "s3")) {
                    assertThat(one.activeConnections(s)).as("connections in use on %s", s).isZero();
                }
                c.setAutoCommit(false);
                ref.setAutoCommit(false);
                String write = "UPDATE matches SET score = 1000 + match_id WHERE player_id IN (7, 3, 11)"; // one shard (s3), three tables
                assertThat(st.executeUpdate(write)).isEqualTo(r.executeUpdate(write));
                assertThat(rows(st, top)).as("in a transaction").isEqualTo(rows(r, top));
                c.rollback();
                ref.rollback();
                ref.setAutoCommit(true);
                c.setAutoCommit(true);
                assertThat(rows(st, top)).as("after the rollback").isEqualTo(rows(r, top));
            }
        }
    }

    /**
     * Co-located split tables (mod 4 over shards, mod 16 by name, both by player_id) join node by
     * node: players_03 with matches_03, an outer join included (a player without matches is kept once).
     */
    @Test
    void i14_17_coLocatedSplitTablesJoinWithinOneDataNode() throws Exception {
        String outer = "SELECT p.player_id, COUNT(m.match_id), SUM(m.score) FROM players p LEFT JOIN matches m"
                + " ON m.player_id = p.player_id GROUP BY p.player_id ORDER BY p.player_id";
        String inner = "SELECT m.match_id, p.name FROM matches m JOIN players p ON p.player_id = m.player_id"
                + " ORDER BY m.match_id LIMIT 25";
        for (String q : List.of(outer, inner)) {
            assertThat(ds.explain(q).toString()).as(q).contains("16 physical tables, one shard query each")
                    .contains("players_03 p").contains("matches_03 m").doesNotContain("UNION ALL");
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            st.executeUpdate("INSERT INTO players (player_id, name) VALUES (101, 'no matches')");
            r.executeUpdate("INSERT INTO players (player_id, name) VALUES (101, 'no matches')");
            assertThat(rows(st, outer)).hasSize(41).isEqualTo(rows(r, outer));
            assertThat(rows(st, inner)).hasSize(25).isEqualTo(rows(r, inner));
        }
    }

    /**
     * Co-located split tables must hold the same physical tables on a shard: players_05 dropped on s1
     * (behind shardkit's back) while matches_05 stays, a read joining them node by node fails with
     * 42P01 naming the shard, the table and the suffix, rather than dropping or keeping rows the join
     * decides on; a read of matches alone still answers.
     */
    @Test
    void i14_18_coLocatedSplitTablesLackingASuffixFailNamingIt() throws Exception {
        try (Connection raw = shards.open(1); Statement rst = raw.createStatement()) {
            rst.execute("DROP TABLE players_05");
        }
        ds.tables().refresh("players");
        assertThat(ds.tables().physical("players").get("s1")).doesNotContain("players_05");
        assertThat(ds.tables().physical("matches").get("s1")).contains("matches_05");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String q : List.of("SELECT p.player_id, COUNT(m.match_id) FROM players p LEFT JOIN matches m"
                            + " ON m.player_id = p.player_id GROUP BY p.player_id ORDER BY p.player_id",
                    "SELECT COUNT(*) FROM matches m JOIN players p ON p.player_id = m.player_id")) {
                assertThatThrownBy(() -> rows(st, q)).as(q).isInstanceOf(SQLException.class)
                        .hasMessageContaining("co-located split tables must hold the same physical tables: shard s1")
                        .hasMessageContaining("[matches_05]").hasMessageContaining("no [players] table for suffix 05")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("42P01");
            }
            String alone = "SELECT COUNT(*), SUM(score) FROM matches";
            assertThat(rows(st, alone)).isEqualTo(rows(r, alone));
        }
    }

    /**
     * On the one shard of photos (16 tables): a read the merge answers runs per table; one it cannot
     * merge (a window function over the whole table) reads the shard's tables as one and is answered.
     */
    @Test
    void i14_16_aOneShardSplitTableKeepsReadsOnlyOneShardCanAnswer() throws Exception {
        String merged = "SELECT album_key, COUNT(*) FROM photos GROUP BY album_key ORDER BY album_key";
        String window = "SELECT photo_id, ROW_NUMBER() OVER (ORDER BY title DESC) FROM photos ORDER BY photo_id";
        assertThat(ds.explain(merged).toString()).contains("one shard query each");
        assertThat(ds.explain(window).toString()).contains("UNION ALL").doesNotContain("one shard query each");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); Statement r = ref.createStatement()) {
            for (String q : List.of(merged, window)) {
                assertThat(rows(st, q)).as(q).hasSizeGreaterThan(20).isEqualTo(rows(r, q));
            }
        }
    }

    static List<String> returned(Statement st, String sql) throws SQLException {
        assertThat(st.execute(sql)).as("%s answers rows", sql).isTrue();
        try (ResultSet rs = st.getResultSet()) {
            return rows(rs, sql);
        }
    }

    static String head(List<String> rows) {
        return rows.size() <= 6 ? rows.toString() : rows.subList(0, 6) + " ... (" + rows.size() + " rows)";
    }

    static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return count(st, sql);
        }
    }

    static String md5(String s) throws Exception {
        byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
        StringBuilder sb = new StringBuilder();
        for (byte b : d) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }

    static List<String> rows(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rows(rs, sql);
        }
    }

    /**
     * The rows as text; numbers by value (integers as longs, decimals and floating point rounded to
     * 12 significant digits, as an AVG merged from parts may differ in the last place); unordered
     * results sorted. Column labels are not compared.
     */
    static List<String> rows(ResultSet rs, String sql) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> out = new ArrayList<>();
        while (rs.next()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                sb.append(i > 1 ? "|" : "").append(canonical(rs.getObject(i)));
            }
            out.add(sb.toString());
        }
        if (!sql.toUpperCase().contains("ORDER BY")) {
            Collections.sort(out);
        }
        return out;
    }

    static String canonical(Object v) {
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            BigDecimal d = v instanceof BigDecimal b ? b : new BigDecimal(((Number) v).doubleValue());
            return d.round(new MathContext(12)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n) {
            return Long.toString(n.longValue());
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return String.valueOf(v);
    }
}
