package io.shardkit.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveReport;
import io.shardkit.archive.Archiver;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11, "archive read-only must hold at the database": hostile SQL against a hot + archive
 * table, on every database. s0 is hot, s1 and s2 are read-only archives. {@link #ds} connects to the
 * archives as the servers' superuser (as the reproduction did), so only shardkit's own guards
 * stand between the SQL and the archived rows; {@link #reader} connects to them with a user that
 * holds SELECT only (the grants README documents), so the database refuses too. Every case ends by
 * counting the archived rows behind shardkit's back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchiveHostileSqlContract {
    static final String READER = "sk_archive_reader";
    static final String READER_PASSWORD = "reader-pw";

    ShardSet shards;
    /** Archives reached as the superuser. */
    ShardedDataSource ds;
    /** Archives reached as {@value #READER}, or the same map as {@link #ds} on SQLite. */
    ShardedDataSource reader;

    abstract String createOrders();

    /** Statements that would make a pinned archive connection writable or write through it. */
    abstract List<String> hostileStatements();

    /** Creates {@value #READER} with SELECT only on the archive databases; false when the database has no users. */
    abstract boolean createReader() throws SQLException;

    /** An upsert of one row with {@code order_id = id} in this dialect. */
    abstract String upsert(long id);

    /** The SQLState of a duplicate key in this dialect. */
    abstract String duplicateState();

    /** A statement changing the type of {@code amount} (int → bigint), or {@code null} where types are not compared. */
    abstract String widenAmount();

    /** The SQLState the database gives {@value #READER} for a write it may not do. */
    abstract String permissionDenied();

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        boolean users = createReader();
        ds = ShardedDataSource.fromYaml(stream(map(false)));
        reader = users ? ShardedDataSource.fromYaml(stream(map(true))) : ds;
    }

    private static ByteArrayInputStream stream(String yaml) {
        return new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
    }

    private String map(boolean asReader) {
        return map(asReader, false) + """
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [s0]}
                    archive:
                      shards: [s1, s2]
                """;
    }

    /** The shards; with {@code admin}, the archives name the superuser as their admin (the archiver's writes). */
    String map(boolean asReader, boolean admin) {
        StringBuilder yaml = new StringBuilder("shards:\n");
        for (int i = 0; i < 3; i++) {
            boolean archive = i > 0;
            yaml.append("  - name: s").append(i).append('\n');
            yaml.append("    url: \"").append(shards.url(i)).append("\"\n");
            String user = archive && asReader ? READER : shards.user();
            String password = archive && asReader ? READER_PASSWORD : shards.password();
            if (user != null) {
                yaml.append("    user: \"").append(user).append("\"\n");
            }
            if (password != null) {
                yaml.append("    password: \"").append(password).append("\"\n");
            }
            if (archive) {
                yaml.append("    readOnly: true\n    tier: archive\n");
            }
            if (archive && admin) {
                yaml.append("    admin: {user: \"").append(shards.user()).append('"')
                        .append(shards.password() == null ? "" : ", password: \"" + shards.password() + "\"").append("}\n");
            }
        }
        return yaml.toString();
    }

    @AfterAll
    void close() {
        if (reader != null && reader != ds) {
            reader.close();
        }
        if (ds != null) {
            ds.close();
        }
    }

    @BeforeEach
    void seed() throws SQLException {
        for (int i = 0; i < 3; i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS orders");
                st.execute(createOrders());
            }
        }
        direct(2, "INSERT INTO orders (order_id, amount, note) VALUES (1, 10, 'a2'), (2, 20, 'a2')");
        direct(1, "INSERT INTO orders (order_id, amount, note) VALUES (3, 30, 'a1'), (4, 40, 'a1, moving')");
        direct(0, "INSERT INTO orders (order_id, amount, note) VALUES (4, 44, 'hot copy'), (10, 100, 'hot')");
        afterSeed();
    }

    /** Grants what a fresh table needs, where default privileges do not. */
    void afterSeed() throws SQLException {
    }

    @AfterEach
    void archiveUntouched() throws SQLException {
        for (ShardedDataSource d : List.of(ds, reader)) {
            for (String s : d.shardNames()) {
                assertThat(d.activeConnections(s)).as("active connections of " + s).isZero();
            }
        }
        assertThat(count(1)).as("rows of archive s1").isEqualTo(2);
        assertThat(count(2)).as("rows of archive s2").isEqualTo(2);
    }

    void direct(int shard, String sql) throws SQLException {
        try (Connection c = shards.open(shard); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    long count(int shard) throws SQLException {
        try (Connection c = shards.open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<String> rows(ShardedDataSource d, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = d.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1) + ":" + rs.getString("note"));
            }
        }
        return out;
    }

    /** The driver's own connection interface, which unwrap hands out on a pinned connection. */
    Class<?> driverConnection() throws ClassNotFoundException {
        return Class.forName(switch (shards.dialect()) {
            case "sqlite" -> "org.sqlite.SQLiteConnection";
            case "postgresql" -> "org.postgresql.PGConnection";
            default -> "com.mysql.cj.jdbc.JdbcConnection";
        });
    }

    private static String state(Throwable e) {
        return ((SQLException) e).getSQLState();
    }

    @Test
    void i11_a01_pinnedArchiveRefusesTransactionModeSessionAndWriteStatements() throws SQLException {
        for (String sql : hostileStatements()) {
            for (ShardedDataSource d : List.of(ds, reader)) {
                try (Connection c = d.connectionTo("s1"); Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.execute(sql)).as(sql)
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("shard s1 is read-only: a connection pinned to it runs only SELECT")
                            .satisfies(e -> assertThat(state(e)).as(sql).isEqualTo("25006"));
                    // the same connection afterwards: still no write
                    assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders")).as("DELETE after " + sql)
                            .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
                        rs.next();
                        assertThat(rs.getLong(1)).isEqualTo(2);
                    }
                }
                try (Connection c = d.connectionTo("s1"); PreparedStatement ps = c.prepareStatement(sql)) {
                    assertThatThrownBy(ps::execute).as("prepared " + sql)
                            .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
                }
            }
        }
    }

    @Test
    void i11_a02_pinnedArchiveRefusesBatchesCallsAndTheDriversConnection() throws Exception {
        try (Connection c = ds.connectionTo("s2"); Statement st = c.createStatement()) {
            st.addBatch("DELETE FROM orders");
            st.addBatch("UPDATE orders SET amount = 0");
            assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                    .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
            assertThatThrownBy(() -> c.prepareCall("CALL anything()"))
                    .hasMessageContaining("shard s2 is read-only: a stored procedure call on it is refused")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
            assertThatThrownBy(() -> c.unwrap(driverConnection()))
                    .hasMessageContaining("on a connection pinned to read-only shard s2")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
            try (ResultSet rs = st.executeQuery("SELECT order_id, note FROM orders ORDER BY order_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void i11_a03_archivePoolConnectionsStayReadOnlyAfterRefusalsAndFailures() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            // the probe bypass: the archive probe ran the WHERE, set_config included
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders WHERE set_config('default_transaction_read_only',"
                    + " 'off', false) IS NOT NULL AND order_id = 1"))
                    .hasMessageContaining("set_config")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
            // a probe that fails on the archive (no such column there): the pooled connection is evicted, not reused
            assertThatThrownBy(() -> st.executeUpdate("UPDATE orders SET amount = 1 WHERE nonexistent = 1"))
                    .isInstanceOf(SQLException.class);
        }
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection c = ds.connectionTo("s1");
                held.add(c);
                try (Statement st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders WHERE order_id = 3"))
                            .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
                    assertSessionReadOnly(st);
                }
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    /** Where the database can tell, the pooled session itself is still read-only. */
    void assertSessionReadOnly(Statement pinned) throws SQLException {
    }

    @Test
    void i11_a04_sqliteAttachIsRefusedOnEveryPath() throws Exception {
        assumeTrue(shards.dialect().equals("sqlite"), "ATTACH is SQLite's");
        String file = shards.url(1).substring("jdbc:sqlite:".length());
        String attach = "ATTACH DATABASE '" + file + "' AS a";
        try (Connection c = ds.connectionTo("s0"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(attach))
                    .hasMessageContaining("ATTACH on SQLite shard s0: it opens or writes another database file")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
            assertThatThrownBy(() -> st.execute("/* hidden */ attach '" + file + "' as a"))
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
            assertThatThrownBy(() -> st.execute("DETACH DATABASE a")).satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
            assertThatThrownBy(() -> st.execute("VACUUM INTO '" + file + ".copy'"))
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
            // past shardkit, on the pool's own connection: SQLite itself refuses (limit_attached = 0)
            Connection physical = (Connection) c.unwrap(driverConnection());
            try (Statement raw = physical.createStatement()) {
                assertThatThrownBy(() -> raw.execute(attach)).hasMessageContaining("too many attached databases");
            }
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(attach)).satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
        }
    }

    @Test
    void i11_a05_anInsertGivingAnArchivedIdIsRefused() throws SQLException {
        for (ShardedDataSource d : List.of(ds, reader)) {
            try (Connection c = d.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("INSERT INTO orders (order_id, amount, note) VALUES (1, 1, 'x')"))
                        .hasMessageContaining("INSERT into orders gives order_id = 1, which read-only archive shard s2"
                                + " already holds; a hot row would shadow the archived row")
                        .satisfies(e -> assertThat(state(e)).isEqualTo(duplicateState()));
                assertThatThrownBy(() -> st.executeUpdate(
                        "INSERT INTO orders (order_id, amount, note) VALUES (50, 1, 'new'), (3, 1, 'x')"))
                        .hasMessageContaining("order_id = 3, which read-only archive shard s1 already holds")
                        .satisfies(e -> assertThat(state(e)).isEqualTo(duplicateState()));
                assertThatThrownBy(() -> st.executeUpdate(upsert(2)))
                        .hasMessageContaining("INSERT would change rows of orders held by read-only archive shard s2")
                        .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
                st.addBatch("INSERT INTO orders (order_id, amount, note) VALUES (51, 1, 'new')");
                st.addBatch("INSERT INTO orders (order_id, amount, note) VALUES (2, 1, 'x')");
                assertThatThrownBy(st::executeBatch).isInstanceOf(BatchUpdateException.class)
                        .satisfies(e -> assertThat(state(e)).isEqualTo(duplicateState()));
            }
            try (Connection c = d.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO orders (order_id, amount, note) VALUES (?, ?, ?)")) {
                ps.setLong(1, 3);
                ps.setInt(2, 1);
                ps.setString(3, "x");
                assertThatThrownBy(ps::executeUpdate).hasMessageContaining("order_id = 3, which read-only archive shard s1")
                        .satisfies(e -> assertThat(state(e)).isEqualTo(duplicateState()));
            }
        }
        assertThat(count(0)).as("hot rows: nothing was written (the batch failed before it was sent)").isEqualTo(2);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO orders (order_id, amount, note) VALUES (60, 6, 'new')")).isEqualTo(1);
        }
        assertThat(rows(ds, "SELECT order_id, note FROM orders WHERE order_id = 1")).containsExactly("1:a2");
    }

    @Test
    void i11_a06_deletingAHotRowThatShadowsAnArchivedRowIsRefusedWithTheReason() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders WHERE order_id = 4"))
                    .hasMessageContaining("DELETE would change rows of orders held by read-only archive shard s1;"
                            + " archived rows cannot be deleted, and a hot row with the same order_id only shadows the"
                            + " archived one: deleting it would bring the archived row back")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("25006"));
            assertThat(st.executeUpdate("DELETE FROM orders WHERE order_id = 10")).isEqualTo(1);
        }
        assertThat(rows(ds, "SELECT order_id, note FROM orders WHERE order_id = 4")).containsExactly("4:hot copy");
    }

    @Test
    void i11_a07_aMergeOverTiersWithDifferentColumnsIsRefused() throws SQLException {
        direct(0, "ALTER TABLE orders ADD COLUMN extra INTEGER");
        for (String sql : List.of("SELECT * FROM orders", "SELECT * FROM orders ORDER BY order_id",
                "SELECT * FROM orders WHERE order_id = 1")) {
            assertThatThrownBy(() -> rows(ds, sql)).as(sql)
                    .hasMessageContaining("a merge of shards whose results have different columns: shard s0 returns")
                    .hasMessageContaining("is extra")
                    .hasMessageContaining("(a schema change that reached some shards only")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
        }
        // the hot tier answers a lookup it holds by itself; named columns exist on every tier
        assertThat(rows(ds, "SELECT * FROM orders WHERE order_id = 4")).containsExactly("4:hot copy");
        assertThat(rows(ds, "SELECT order_id, note FROM orders ORDER BY order_id"))
                .containsExactly("1:a2", "2:a2", "3:a1", "4:hot copy", "10:hot");
        direct(1, "ALTER TABLE orders ADD COLUMN extra INTEGER");
        direct(2, "ALTER TABLE orders ADD COLUMN extra INTEGER");
        assertThat(rows(ds, "SELECT * FROM orders ORDER BY order_id")).hasSize(5);
        String widen = widenAmount();
        if (widen != null) {
            direct(0, widen);
            assertThatThrownBy(() -> rows(ds, "SELECT order_id, amount, note FROM orders ORDER BY order_id"))
                    .hasMessageContaining("column 2 is amount (BIGINT) on s0 but amount (INTEGER) on s1")
                    .satisfies(e -> assertThat(state(e)).isEqualTo("0A000"));
        }
    }

    @Test
    void i11_a08_theDatabaseItselfRefusesTheReadersWrites() throws SQLException {
        List<String> asSuperuser = ds.readOnlyProblems("s1");
        List<String> asReader = reader.readOnlyProblems("s1");
        assertThat(asReader).as("problems of s1 as the reader").isEmpty();
        assertThat(reader.readOnlyProblems("s2")).isEmpty();
        if (reader == ds) {
            List<String> hot = ds.readOnlyProblems("s0");
            assertThat(hot).as("the hot file").hasSize(1);
            assertThat(hot.get(0)).contains("the database file is open for writing");
            return;
        }
        assertThat(asSuperuser).as("problems of s1 as the superuser").isNotEmpty();
        try (Connection c = DriverManager.getConnection(shards.url(1), READER, READER_PASSWORD);
                Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM orders"))
                    .satisfies(e -> assertThat(state(e)).isEqualTo(permissionDenied()));
        }
        // the reader still serves every tier read and the archive probes
        assertThat(rows(reader, "SELECT order_id, note FROM orders ORDER BY order_id"))
                .containsExactly("1:a2", "2:a2", "3:a1", "4:hot copy", "10:hot");
        assertThat(rows(reader, "SELECT order_id, note FROM orders WHERE order_id = 2")).containsExactly("2:a2");
    }

    @Test
    void i11_a09_theArchiverWritesAsTheArchivesAdminWhileTheirPoolsOnlyRead() throws Exception {
        assumeTrue(reader != ds, "SQLite has no users: the archiver opens the file writable itself");
        String tables = """
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [s0]}
                    archive:
                      shards: [s1, s2]
                      cutoff: {column: order_id, below: 100}
                """;
        direct(0, "INSERT INTO orders (order_id, amount, note) VALUES (5, 50, 'old'), (6, 60, 'old')");
        try (ShardedDataSource noAdmin = ShardedDataSource.fromYaml(stream(map(true, false) + tables))) {
            assertThatThrownBy(() -> Archiver.of(noAdmin, "orders").run())
                    .satisfies(e -> assertThat(state(e)).as("the reader may not write the archive")
                            .isEqualTo(permissionDenied()));
        }
        try (ShardedDataSource withAdmin = ShardedDataSource.fromYaml(stream(map(true, true) + tables))) {
            assertThat(withAdmin.readOnlyProblems("s1")).as("the pool still connects as the reader").isEmpty();
            ArchiveReport report = Archiver.of(withAdmin, "orders").run();
            assertThat(report.rowsMoved()).as(report.toString()).isEqualTo(4);
        }
        assertThat(count(0)).as("hot after the move").isZero();
        assertThat(count(1)).as("s1 after the move").isEqualTo(5);
        direct(1, "DELETE FROM orders WHERE order_id >= 5"); // leaves the archive as seeded for the @AfterEach check
        direct(1, "UPDATE orders SET amount = 40, note = 'a1, moving' WHERE order_id = 4");
    }
}
