package io.shardkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The routing contract: every statement kind lands exactly where the chooser says, checked by
 * reading each shard directly, behind shardkit's back. Runs unchanged on SQLite, PostgreSQL and
 * MariaDB (one subclass each supplies the databases and the few dialect differences).
 *
 * <p>Map: players and matches split by {@code player_id mod 4} over s0..s3 (co-located), items
 * broadcast, audit_log pinned to s0, and anything else on the default shard s1.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RoutingContract {
    static final int SHARDS = 4;

    ShardSet shards;
    ShardedDataSource ds;

    /** The column definition of an auto-generated BIGINT primary key named id. */
    abstract String autoIdColumn();

    /** SQL answering the current transaction isolation as text, or null where the database has none to ask. */
    abstract String isolationQuery();

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                pool:
                  maximumPoolSize: 6
                  connectionTimeout: 20000
                tables:
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  items:
                    broadcast: true
                  audit_log:
                    shard: s0
                defaultShard: s1
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    @BeforeEach
    void schema() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("players", "matches", "items", "audit_log", "notes")) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
            st.execute("CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), score INT)");
            st.execute("CREATE TABLE matches (match_id BIGINT, player_id BIGINT, points INT, PRIMARY KEY (match_id, player_id))");
            st.execute("CREATE TABLE items (item_id INT PRIMARY KEY, name VARCHAR(40))");
            st.execute("CREATE TABLE audit_log (" + autoIdColumn() + ", msg VARCHAR(100))");
            st.execute("CREATE TABLE notes (note_id INT PRIMARY KEY, body VARCHAR(40))");
        }
    }

    @AfterEach
    void noConnectionLeaked() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }

    // ---- helpers reading shards directly ----

    /** The player ids of the rows stored on shard i, ascending, read straight from that database. */
    List<Long> idsOn(int shard, String table) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = shards.open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT player_id FROM " + table + " ORDER BY player_id")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    long countOn(int shard, String table) throws SQLException {
        try (Connection c = shards.open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    boolean tableOn(int shard, String table) throws SQLException {
        try (Connection c = shards.open(shard); Statement st = c.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM " + table).close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    void insertPlayers(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO players (player_id, name, score) VALUES (?, ?, ?)")) {
            for (long id = from; id < to; id++) {
                ps.setLong(1, id);
                ps.setString(2, "p" + id);
                ps.setInt(3, (int) (id * 10));
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }
        }
    }

    void assertEveryRowOnItsShard(String table, long expectedTotal) throws SQLException {
        long total = 0;
        for (int s = 0; s < SHARDS; s++) {
            List<Long> ids = idsOn(s, table);
            for (long id : ids) {
                assertThat(Math.floorMod(id, SHARDS)).as(table + " row " + id + " on s" + s).isEqualTo(s);
            }
            total += ids.size();
        }
        assertThat(total).isEqualTo(expectedTotal);
    }

    // ---- the contract ----

    @Test
    void ddlRunsOnEveryShardThatHoldsTheTable() throws SQLException {
        for (int s = 0; s < SHARDS; s++) {
            assertThat(tableOn(s, "players")).as("players on s" + s).isTrue();
            assertThat(tableOn(s, "items")).as("items on s" + s).isTrue();
            assertThat(tableOn(s, "audit_log")).as("audit_log on s" + s).isEqualTo(s == 0);
            assertThat(tableOn(s, "notes")).as("notes (default shard s1) on s" + s).isEqualTo(s == 1);
        }
    }

    @Test
    void singleRowInsertsLandOnTheChoosersShard() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, -5, 35);
        }
        assertEveryRowOnItsShard("players", 40);
    }

    @Test
    void multiRowInsertIsSplitIntoOneStatementPerShard() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO players (player_id, name, score) VALUES (?, ?, 1), (?, 'b', ?), (10, 'c', 3), (?, ?, 4)")) {
            ps.setLong(1, 4);
            ps.setString(2, "a");
            ps.setLong(3, 5);
            ps.setInt(4, 2);
            ps.setLong(5, 8);
            ps.setString(6, "d");
            assertThat(ps.executeUpdate()).isEqualTo(4);
        }
        assertThat(idsOn(0, "players")).containsExactly(4L, 8L);
        assertThat(idsOn(1, "players")).containsExactly(5L);
        assertThat(idsOn(2, "players")).containsExactly(10L);
        assertThat(idsOn(3, "players")).isEmpty();
        try (Connection c = shards.open(1); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name, score FROM players WHERE player_id = 5")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("b");
            assertThat(rs.getInt(2)).isEqualTo(2);
        }
    }

    @Test
    void keyedReadsTouchOnlyTheKeysShard() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, 0, 20);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps =
                c.prepareStatement("SELECT name, score FROM players WHERE player_id = ?")) {
            ps.setLong(1, 13);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("name")).isEqualTo("p13");
                assertThat(rs.getInt("score")).isEqualTo(130);
                assertThat(rs.next()).isFalse();
            }
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            assertThat(sc.holds("s1")).isTrue();
            assertThat(sc.holds("s0") || sc.holds("s2") || sc.holds("s3")).isFalse();
        }
        assertThat(ds.explain("SELECT name FROM players WHERE player_id = ?", 13L).shards()).containsExactly("s1");
        assertThat(ds.explain("SELECT name FROM players WHERE player_id = 14").shards()).containsExactly("s2");
    }

    @Test
    void inListReadsTheUnionOfTheKeysShards() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, 0, 20);
        }
        assertThat(ds.explain("SELECT name FROM players WHERE player_id IN (?, ?, 9)", 1L, 5L).shards())
                .containsExactly("s1");
        try (Connection c = ds.getConnection(); PreparedStatement ps =
                c.prepareStatement("SELECT player_id FROM players WHERE player_id IN (?, ?, 7)")) {
            ps.setLong(1, 2);
            ps.setLong(2, 4);
            Set<Long> found = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getLong(1));
                }
            }
            assertThat(found).containsExactlyInAnyOrder(2L, 4L, 7L);
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            assertThat(sc.holds("s1")).isFalse();
        }
    }

    @Test
    void keyedUpdateAndDeleteChangeOnlyThatRow() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, 0, 12);
            try (PreparedStatement up = c.prepareStatement("UPDATE players SET score = score + ? WHERE player_id = ?")) {
                up.setInt(1, 5);
                up.setLong(2, 6);
                assertThat(up.executeUpdate()).isEqualTo(1);
            }
            try (Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("DELETE FROM players WHERE player_id = 7")).isEqualTo(1);
            }
        }
        try (Connection c = shards.open(2); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT score FROM players WHERE player_id = 6")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(65);
        }
        assertThat(idsOn(3, "players")).containsExactly(3L, 11L);
        assertEveryRowOnItsShard("players", 11);
    }

    @Test
    void keylessWritesRunOnEveryShardAndSumTheirCounts() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            insertPlayers(c, 0, 10);
            assertThat(st.executeUpdate("UPDATE players SET score = 0")).isEqualTo(10);
            assertThat(st.execute("DELETE FROM players WHERE score = 0")).isFalse();
            assertThat(st.getUpdateCount()).isEqualTo(10);
        }
        for (int s = 0; s < SHARDS; s++) {
            assertThat(countOn(s, "players")).isZero();
        }
    }

    @Test
    void keylessReadsConcatenateEveryShard() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            insertPlayers(c, 0, 10);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT player_id, name FROM players WHERE score >= 30")) {
                while (rs.next()) {
                    ids.add(rs.getLong("player_id"));
                    assertThat(rs.getString(2)).isEqualTo("p" + rs.getLong(1));
                }
            }
            assertThat(ids).containsExactlyInAnyOrder(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            st.setMaxRows(4);
            int n = 0;
            try (ResultSet rs = st.executeQuery("SELECT player_id FROM players")) {
                while (rs.next()) {
                    n++;
                }
            }
            assertThat(n).isEqualTo(4);
        }
    }

    @Test
    void broadcastWritesReachEveryShardAndReadsOne() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // one database would report 2 rows: every copy takes the same write, and the count is one copy's
            assertThat(st.executeUpdate("INSERT INTO items (item_id, name) VALUES (1, 'sword'), (2, 'shield')"))
                    .isEqualTo(2);
            int rows = 0;
            try (ResultSet rs = st.executeQuery("SELECT name FROM items")) {
                while (rs.next()) {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(2);
        }
        for (int s = 0; s < SHARDS; s++) {
            assertThat(countOn(s, "items")).isEqualTo(2);
        }
    }

    @Test
    void pinnedAndDefaultShardTablesStayOnTheirShard() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO audit_log (msg) VALUES ('hello')");
            st.executeUpdate("INSERT INTO notes (note_id, body) VALUES (1, 'x')");
        }
        assertThat(countOn(0, "audit_log")).isEqualTo(1);
        assertThat(countOn(1, "notes")).isEqualTo(1);
    }

    @Test
    void generatedKeysComeBackFromTheShard() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps =
                c.prepareStatement("INSERT INTO audit_log (msg) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            long last = 0;
            for (int i = 0; i < 3; i++) {
                ps.setString(1, "m" + i);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    long id = keys.getLong(1);
                    assertThat(id).isGreaterThan(last);
                    last = id;
                }
            }
        }
    }

    @Test
    void coLocatedJoinsRouteTogether() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            insertPlayers(c, 0, 8);
            st.executeUpdate("INSERT INTO matches (match_id, player_id, points) VALUES (1, 1, 10), (1, 2, 20), (2, 1, 5), (2, 6, 7)");
            assertEveryRowOnItsShard("matches", 4);
            String join = "SELECT p.name, m.points FROM players p JOIN matches m ON p.player_id = m.player_id";
            assertThat(ds.explain(join + " WHERE p.player_id = ?", 1L).shards()).containsExactly("s1");
            int sum = 0;
            try (PreparedStatement ps = c.prepareStatement(join + " WHERE p.player_id = ?")) {
                ps.setLong(1, 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        assertThat(rs.getString(1)).isEqualTo("p1");
                        sum += rs.getInt(2);
                    }
                }
            }
            assertThat(sum).isEqualTo(15);
            int rows = 0;
            try (ResultSet rs = st.executeQuery(join)) {
                while (rs.next()) {
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(4);
        }
    }

    @Test
    void batchesAreRoutedPerRow() throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps =
                c.prepareStatement("INSERT INTO players (player_id, name, score) VALUES (?, ?, ?)")) {
            for (long id = 0; id < 25; id++) {
                ps.setLong(1, id);
                ps.setString(2, "b" + id);
                ps.setInt(3, 1);
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            assertThat(counts).hasSize(25);
            for (int n : counts) {
                assertThat(n == 1 || n == Statement.SUCCESS_NO_INFO).isTrue();
            }
        }
        assertEveryRowOnItsShard("players", 25);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.addBatch("UPDATE players SET score = 2 WHERE player_id = 3");
            st.addBatch("INSERT INTO players (player_id, name, score) VALUES (100, 'x', 1)");
            st.addBatch("UPDATE players SET score = score + 1");
            int[] counts = st.executeBatch();
            assertThat(counts).containsExactly(1, 1, 26);
        }
        try (Connection c = shards.open(3); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT score FROM players WHERE player_id = 3")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }

    @Test
    void transactionsCommitAndRollBackOnTheirShard() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insertPlayers(c, 1, 2);
            insertPlayers(c, 5, 6);
            c.rollback();
            assertThat(idsOn(1, "players")).isEmpty();
            insertPlayers(c, 9, 10);
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM players WHERE player_id = 9");
                    ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a transaction sees its own write").isTrue();
            }
            c.commit();
            assertThat(idsOn(1, "players")).containsExactly(9L);
        }
    }

    @Test
    void aTransactionWritesToOneShardOnly() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            insertPlayers(c, 1, 2);
            assertThatThrownBy(() -> insertPlayers(c, 2, 3))
                    .isInstanceOf(RefusedException.class)
                    .hasMessageContaining("already wrote to shard s1")
                    .hasMessageContaining("write to shard s2")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("UPDATE players SET score = 1"))
                        .isInstanceOf(RefusedException.class);
            }
            c.commit();
            insertPlayers(c, 2, 3);
            c.commit();
        }
        assertThat(idsOn(1, "players")).containsExactly(1L);
        assertThat(idsOn(2, "players")).containsExactly(2L);
    }

    @Test
    void isolationReachesEveryPhysicalConnection() throws SQLException {
        String query = isolationQuery();
        try (Connection c = ds.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            if (query != null) {
                for (String s : ds.shardNames()) {
                    try (Connection pinned = ds.connectionTo(s)) {
                        pinned.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                        try (Statement st = pinned.createStatement(); ResultSet rs = st.executeQuery(query)) {
                            rs.next();
                            assertThat(rs.getString(1).toLowerCase().replace('-', ' ').replace('_', ' '))
                                    .contains("serializable");
                        }
                    }
                }
            }
        }
    }

    @Test
    void readOnlyConnectionsRefuseWritesAndStillRead() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, 1, 3);
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
            assertThatThrownBy(() -> insertPlayers(c, 5, 6))
                    .isInstanceOf(ShardException.class)
                    .hasMessageContaining("the connection is read-only: INSERT refused before it reached a shard")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            c.setReadOnly(false);
            insertPlayers(c, 5, 6);
        }
        assertEveryRowOnItsShard("players", 3);
    }

    @Test
    void aShardingKeyPinsTheConnectionToTheKeysShard() throws SQLException {
        var key = ds.createShardingKeyBuilder().subkey(7L, JDBCType.BIGINT).build();
        try (Connection c = ds.createConnectionBuilder().shardingKey(key).build(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO players (player_id, name, score) VALUES (7, 'k', 1)");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            assertThat(c.unwrap(ShardedConnection.class).holds("s3")).isTrue();
        }
        try (Connection c = ds.connectionTo("s2"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
        assertThat(idsOn(3, "players")).containsExactly(7L);
    }

    @Test
    void driverErrorsNameTheShardAndKeepTheirSqlState() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, 3, 4);
            assertThatThrownBy(() -> insertPlayers(c, 3, 4))
                    .hasMessageStartingWith("shard s3: ")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isNotEqualTo("0A000"));
        }
    }

    @Test
    void thirtyTwoThreadsOfPointReadsAndWrites() throws Exception {
        int threads = 32;
        int ops = 150;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Map<Long, Integer>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = t * 100_000L;
            long seed = 7919L * t;
            results.add(pool.submit(() -> {
                Random random = new Random(seed);
                Map<Long, Integer> expected = new HashMap<>();
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < ops; i++) {
                    int op = mine.isEmpty() ? 0 : random.nextInt(3);
                    try (Connection c = ds.getConnection()) {
                        if (op == 0) {
                            long id = base + i;
                            try (PreparedStatement ps = c.prepareStatement(
                                    "INSERT INTO players (player_id, name, score) VALUES (?, ?, ?)")) {
                                ps.setLong(1, id);
                                ps.setString(2, "t" + id);
                                ps.setInt(3, 0);
                                ps.executeUpdate();
                            }
                            mine.add(id);
                            expected.put(id, 0);
                        } else if (op == 1) {
                            long id = mine.get(random.nextInt(mine.size()));
                            try (PreparedStatement ps = c.prepareStatement(
                                    "UPDATE players SET score = score + 1 WHERE player_id = ?")) {
                                ps.setLong(1, id);
                                assertThat(ps.executeUpdate()).isEqualTo(1);
                            }
                            expected.merge(id, 1, Integer::sum);
                        } else {
                            long id = mine.get(random.nextInt(mine.size()));
                            try (PreparedStatement ps = c.prepareStatement(
                                    "SELECT name, score FROM players WHERE player_id = ?")) {
                                ps.setLong(1, id);
                                try (ResultSet rs = ps.executeQuery()) {
                                    assertThat(rs.next()).isTrue();
                                    assertThat(rs.getString(1)).isEqualTo("t" + id);
                                    assertThat(rs.getInt(2)).isEqualTo(expected.get(id));
                                }
                            }
                        }
                    }
                }
                return expected;
            }));
        }
        pool.shutdown();
        Map<Long, Integer> all = new HashMap<>();
        for (var f : results) {
            all.putAll(f.get(5, TimeUnit.MINUTES));
        }
        assertEveryRowOnItsShard("players", all.size());
        for (int s = 0; s < SHARDS; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT player_id, score FROM players")) {
                while (rs.next()) {
                    assertThat(rs.getInt(2)).as("score of " + rs.getLong(1)).isEqualTo(all.get(rs.getLong(1)));
                }
            }
        }
    }

    /**
     * Issue 12: {@code EXPLAIN <statement>} typed as SQL answers shardkit's plan and, under it, each
     * routed shard's own plan, executing nothing; it ran on every shard as written before.
     */
    @Test
    void i12_explainTypedAsSqlShowsShardkitsPlanAndEachRoutedShardsPlan() throws SQLException {
        try (Connection c = ds.getConnection()) {
            insertPlayers(c, 0, 8);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps =
                c.prepareStatement("EXPLAIN SELECT name FROM players WHERE player_id = ?")) {
            ps.setLong(1, 13);
            List<String[]> rows = explainRows(ps.executeQuery());
            assertThat(rows.get(0)).containsExactly("shardkit", "SQL:    SELECT name FROM players WHERE player_id = ?");
            assertThat(rows).anySatisfy(r -> assertThat(r).containsExactly("shardkit", "Shards: s1"));
            assertThat(sources(rows)).containsExactly("shardkit", "s1");
            assertThat(rows).filteredOn(r -> r[0].equals("s1") && !r[1].startsWith("-- ")).isNotEmpty();
            assertThat(rows).filteredOn(r -> r[0].equals("s1")).first()
                    .satisfies(r -> assertThat(r[1]).startsWith("-- EXPLAIN ").contains("FROM players WHERE player_id = ?"));
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "EXPLAIN SELECT player_id FROM players WHERE score > ? ORDER BY score DESC, player_id LIMIT ?")) {
            // the shard queries take the statement's parameters as the merge rewrote them
            ps.setInt(1, 10);
            ps.setInt(2, 3);
            List<String[]> rows = explainRows(ps.executeQuery());
            assertThat(sources(rows)).containsExactly("shardkit", "s0", "s1", "s2", "s3");
            assertThat(rows).filteredOn(r -> r[0].equals("s3") && !r[1].startsWith("-- ")).isNotEmpty();
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(sources(explainRows(st.executeQuery("EXPLAIN SELECT COUNT(*) FROM players"))))
                    .containsExactly("shardkit", "s0", "s1", "s2", "s3");
            // a write is only explained: nothing changes
            List<String[]> update = explainRows(st.executeQuery("explain UPDATE players SET name = 'gone' WHERE player_id = 2"));
            assertThat(sources(update)).containsExactly("shardkit", "s2");
            assertThatThrownBy(() -> st.executeQuery("EXPLAIN ANALYZE DELETE FROM players"))
                    .isInstanceOf(RefusedException.class).hasMessageContaining("EXPLAIN with options (ANALYZE)");
            assertThatThrownBy(() -> st.executeQuery("EXPLAIN VERBOSE SELECT * FROM players"))
                    .isInstanceOf(RefusedException.class).hasMessageContaining("EXPLAIN with options (VERBOSE)");
            // what shardkit refuses to run, it refuses to explain, for the same reason
            assertThatThrownBy(() -> st.executeQuery("EXPLAIN SELECT name, RANK() OVER (ORDER BY score) FROM players"))
                    .isInstanceOf(RefusedException.class).hasMessageContaining("window function RANK across shards");
            assertThatThrownBy(() -> st.executeQuery("EXPLAIN SELECT * FROM players; DELETE FROM players"))
                    .isInstanceOf(RefusedException.class).hasMessageContaining("EXPLAIN of a statement shardkit refuses");
            assertThatThrownBy(() -> st.executeUpdate("EXPLAIN SELECT * FROM players"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("07000"));
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players WHERE name = 'gone'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(8);
            }
        }
    }

    private static List<String[]> explainRows(ResultSet rs) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (rs) {
            assertThat(rs.getMetaData().getColumnLabel(1)).isEqualTo("source");
            assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("plan");
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return out;
    }

    private static List<String> sources(List<String[]> rows) {
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            if (!out.contains(r[0])) {
                out.add(r[0]);
            }
        }
        return out;
    }
}
