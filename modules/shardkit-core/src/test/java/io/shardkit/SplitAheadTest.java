package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create: {ahead: 2}} on two SQLite shards, with the data source's clock set by the test: the
 * current month's table and the next two exist on every shard once the table is first used, the
 * next month's appears when the month turns, a write outside that window is refused naming the
 * table and the rule, and {@code ds.tables().createAhead} makes the same tables on demand.
 */
class SplitAheadTest {
    @TempDir Path dir;

    /** A clock the test moves. */
    static final class MovableClock extends Clock {
        volatile Instant now;

        MovableClock(String iso) {
            now = Instant.parse(iso);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private ShardedDataSource open(MovableClock clock) throws SQLException {
        ShardedDataSource ds = ShardedDataSource.fromYaml(dir.resolve("map.yaml"));
        ds.tables().clock(clock);
        return ds;
    }

    private Connection raw(int shard) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
    }

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("map.yaml"), "shards:\n"
                + "  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("s0.db") + "\", create: true}\n"
                + "  - {name: s1, url: \"jdbc:sqlite:" + dir.resolve("s1.db") + "\", create: true}\n"
                + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: {ahead: 2}}
                  refunds:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "refunds_{yyyyMM}", create: onFirstWrite}
                """);
        for (int s = 0; s < 2; s++) {
            try (Connection c = raw(s); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders_202611 (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
                        + " created_at TEXT NOT NULL, amount INTEGER DEFAULT 7)");
                st.execute("CREATE INDEX idx_amount_orders_202611 ON orders_202611 (amount)");
                st.execute("CREATE TABLE refunds_202611 (customer_id INTEGER, created_at TEXT)");
            }
        }
    }

    private List<String> tablesOn(int shard) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = raw(shard); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'orders%' ORDER BY name")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void i14_80_theCurrentAndNextTwoMonthsExistOnEveryShardOnceTheTableIsFirstUsed() throws Exception {
        MovableClock clock = new MovableClock("2026-12-15T10:00:00Z");
        try (ShardedDataSource ds = open(clock)) {
            assertThat(tablesOn(0)).as("nothing before the first use").containsExactly("orders_202611");
            try (Connection c = ds.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM orders")).isZero();
            }
            for (int s = 0; s < 2; s++) {
                assertThat(tablesOn(s)).containsExactly("orders_202611", "orders_202612", "orders_202701", "orders_202702");
                try (Connection c = raw(s)) {
                    assertThat(count(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                            + " AND name = 'idx_amount_orders_202702' AND tbl_name = 'orders_202702'"))
                            .as("made like the newest table, its index too").isEqualTo(1);
                }
            }
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("INSERT INTO orders (order_id, customer_id, created_at) VALUES (1, 3,"
                        + " '2027-02-28')")).isEqualTo(1);
                assertThat(count(c, "SELECT amount FROM orders WHERE customer_id = 3")).isEqualTo(7);
            }
        }
    }

    @Test
    void i14_81_whenTheMonthTurnsTheNextMonthIsMade() throws Exception {
        MovableClock clock = new MovableClock("2026-12-31T23:59:59Z");
        try (ShardedDataSource ds = open(clock); Connection c = ds.getConnection()) {
            assertThat(count(c, "SELECT COUNT(*) FROM orders")).isZero();
            assertThat(tablesOn(1)).containsExactly("orders_202611", "orders_202612", "orders_202701", "orders_202702");
            clock.now = Instant.parse("2027-01-01T00:00:01Z");
            try (Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("INSERT INTO orders (order_id, customer_id, created_at) VALUES (2, 4,"
                        + " '2027-01-01')")).as("a keyed write sees the turn too").isEqualTo(1);
            }
            assertThat(tablesOn(0)).containsExactly("orders_202611", "orders_202612", "orders_202701", "orders_202702",
                    "orders_202703");
            assertThat(count(c, "SELECT COUNT(*) FROM orders")).isEqualTo(1);
            assertThat(tablesOn(1)).containsExactly("orders_202611", "orders_202612", "orders_202701", "orders_202702",
                    "orders_202703");
        }
    }

    @Test
    void i14_82_aWriteOutsideTheWindowIsRefusedNamingTheTableAndTheRule() throws Exception {
        MovableClock clock = new MovableClock("2026-12-15T10:00:00Z");
        try (ShardedDataSource ds = open(clock); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO orders (order_id, customer_id, created_at) VALUES (3, 5, '2027-05-01')"));
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
            assertThat(e.getMessage()).startsWith("physical table orders_202705 of split table orders does not exist on"
                    + " shard s1, and create: {ahead: 2} (orders_{yyyyMM} by created_at: month (UTC)) creates only the"
                    + " current period and the 2 after it (orders_202612 to orders_202702); create orders_202705 first");
            SQLException past = catchThrowableOfType(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO orders (order_id, customer_id, created_at) VALUES (4, 5, '2026-10-31')"));
            assertThat(past.getSQLState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
            assertThat(past.getMessage()).contains("physical table orders_202610 of split table orders");
        }
        assertThat(tablesOn(1)).doesNotContain("orders_202705", "orders_202610");
    }

    @Test
    void i14_83_explainSaysWhichTablesItWouldMakeAheadAndMakesNone() throws Exception {
        try (ShardedDataSource ds = open(new MovableClock("2026-12-15T10:00:00Z"))) {
            String text = ds.explain("SELECT COUNT(*) FROM orders").toString();
            assertThat(text).contains("would create orders_202612 like orders_202611 on s0",
                    "would create orders_202702 like orders_202611 on s1");
            assertThat(tablesOn(0)).containsExactly("orders_202611");
            try (Connection c = ds.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM orders")).as("a statement after it still makes them").isZero();
            }
            assertThat(tablesOn(0)).contains("orders_202702");
        }
    }

    @Test
    void i14_84_createAheadMakesTheMissingTablesAndListsThem() throws Exception {
        MovableClock clock = new MovableClock("2026-12-15T10:00:00Z");
        try (ShardedDataSource ds = open(clock)) {
            assertThat(ds.tables().createAhead("orders")).containsExactly("s0.orders_202612", "s0.orders_202701",
                    "s0.orders_202702", "s1.orders_202612", "s1.orders_202701", "s1.orders_202702");
            assertThat(ds.tables().createAhead("ORDERS")).as("all exist").isEmpty();
            clock.now = Instant.parse("2027-01-10T00:00:00Z");
            assertThat(ds.tables().createAhead("orders")).containsExactly("s0.orders_202703", "s1.orders_202703");
            assertThat(tablesOn(1)).containsExactly("orders_202611", "orders_202612", "orders_202701", "orders_202702",
                    "orders_202703");
            ShardException e = catchThrowableOfType(ShardException.class, () -> ds.tables().createAhead("refunds"));
            assertThat(e.getSQLState()).isEqualTo(ShardException.ROUTING);
            assertThat(e.getMessage()).isEqualTo("split table refunds is not created ahead (create: onFirstWrite); set"
                    + " split.create to {ahead: N}");
        }
    }

    @Test
    void i14_85_aShardWithNoTableToCopyAndNoTemplateGetsNoneAndAWriteSaysWhy() throws Exception {
        try (Connection c = raw(1); Statement st = c.createStatement()) {
            st.execute("DROP TABLE orders_202611");
        }
        try (ShardedDataSource ds = open(new MovableClock("2026-12-15T10:00:00Z")); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            assertThat(count(c, "SELECT COUNT(*) FROM orders")).isZero();
            assertThat(tablesOn(1)).isEmpty();
            assertThat(tablesOn(0)).hasSize(4);
            SQLException e = catchThrowableOfType(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO orders (order_id, customer_id, created_at) VALUES (5, 1, '2026-12-01')"));
            assertThat(e.getSQLState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
            assertThat(e.getMessage()).startsWith("split table orders has no physical table on shard s1 to create"
                    + " orders_202612 like; create one first, or give the split a template");
        }
    }
}
