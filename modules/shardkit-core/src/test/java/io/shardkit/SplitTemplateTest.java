package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code split.template} on two SQLite shards that hold no physical table of orders: the first
 * table of a shard is made from the template (written for the logical table, beside the map file),
 * with its indexes named per physical table; a template failing at the database leaves no half
 * table; two data sources racing make each table once and lose no write.
 */
class SplitTemplateTest {
    static final String TEMPLATE = """
            -- orders, as written for the logical table
            CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at TEXT NOT NULL,
                amount INTEGER DEFAULT 9, note TEXT DEFAULT 'a;b');
            CREATE INDEX orders_by_day ON orders (created_at);
            CREATE UNIQUE INDEX orders_by_customer ON orders (customer_id, order_id);
            """;

    @TempDir Path dir;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        Files.writeString(dir.resolve("db/orders.sql"), TEMPLATE);
    }

    private ShardedDataSource open(String create, String template) throws Exception {
        Path map = dir.resolve("map-" + Math.abs((create + template).hashCode()) + ".yaml");
        Files.writeString(map, "shards:\n"
                + "  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("s0.db") + "\", create: true}\n"
                + "  - {name: s1, url: \"jdbc:sqlite:" + dir.resolve("s1.db") + "\", create: true}\n"
                + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: %s, template: %s}
                """.formatted(create, template));
        ShardedDataSource ds = ShardedDataSource.fromYaml(map);
        ds.tables().clock(Clock.fixed(Instant.parse("2026-12-15T10:00:00Z"), ZoneOffset.UTC));
        return ds;
    }

    private Connection raw(int shard) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The names of the objects of {@code type} on shard {@code s} whose table is {@code table}. */
    private List<String> objects(int s, String type, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = raw(s); PreparedStatement ps = c.prepareStatement(
                "SELECT name FROM sqlite_master WHERE type = ? AND tbl_name = ? AND sql IS NOT NULL ORDER BY name")) {
            ps.setString(1, type);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void i14_90_theFirstTableOfAnEmptyShardIsMadeFromTheTemplateWithItsIndexes() throws Exception {
        try (ShardedDataSource ds = open("onFirstWrite", "db/orders.sql"); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO orders (order_id, customer_id, created_at) VALUES (1, 3, '2027-02-10')"))
                    .isEqualTo(1);
            assertThat(count(c, "SELECT amount FROM orders WHERE customer_id = 3")).as("the template's default").isEqualTo(9);
        }
        assertThat(objects(1, "table", "orders_202702")).containsExactly("orders_202702");
        assertThat(objects(1, "index", "orders_202702")).containsExactly("orders_by_customer_orders_202702",
                "orders_by_day_orders_202702");
        assertThat(objects(0, "table", "orders_202702")).as("only the shard the row went to").isEmpty();
        try (Connection c = raw(1); Statement st = c.createStatement()) {
            st.execute("INSERT INTO orders_202702 (order_id, customer_id, created_at) VALUES (2, 3, '2027-02-11')");
            assertThat(count(c, "SELECT COUNT(*) FROM orders_202702 WHERE note = 'a;b'")).as("the ';' stayed in its string")
                    .isEqualTo(2);
        }
    }

    @Test
    void i14_91_aheadWithATemplateMakesEveryShardsWindowFromIt() throws Exception {
        try (ShardedDataSource ds = open("{ahead: 2}", "db/orders.sql"); Connection c = ds.getConnection()) {
            assertThat(count(c, "SELECT COUNT(*) FROM orders")).isZero();
        }
        for (int s = 0; s < 2; s++) {
            for (String m : List.of("202612", "202701", "202702")) {
                assertThat(objects(s, "index", "orders_" + m)).containsExactly("orders_by_customer_orders_" + m,
                        "orders_by_day_orders_" + m);
            }
            assertThat(objects(s, "table", "orders_202703")).isEmpty();
        }
    }

    @Test
    void i14_92_explainNamesTheTemplate() throws Exception {
        try (ShardedDataSource ds = open("onFirstWrite", "db/orders.sql")) {
            assertThat(ds.explain("INSERT INTO orders (order_id, customer_id, created_at) VALUES (1, 3, '2027-02-10')")
                    .toString()).contains("would create orders_202702 from template db/orders.sql on s1");
        }
        assertThat(objects(1, "table", "orders_202702")).isEmpty();
    }

    @Test
    void i14_93_aTemplateFailingAtTheDatabaseLeavesNoHalfTable() throws Exception {
        Files.writeString(dir.resolve("db/bad.sql"), "CREATE TABLE orders (order_id INTEGER, customer_id INTEGER,"
                + " created_at TEXT);\nCREATE INDEX orders_by_amount ON orders (amount);\n");
        try (ShardedDataSource ds = open("onFirstWrite", "db/bad.sql"); Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO orders (order_id, customer_id, created_at) VALUES (1, 3, '2027-02-10')"));
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getMessage()).contains("s1").contains("amount");
        }
        assertThat(objects(1, "table", "orders_202702")).as("rolled back with the failed index").isEmpty();
    }

    @Test
    void i14_94_aTemplatePathThatIsNotThereIsAMapErrorNamingTheYamlPath() throws Exception {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> open("onFirstWrite", "db/missing.sql"));
        assertThat((Throwable) e).isNotNull();
        assertThat(e.getSQLState()).isEqualTo(SqlStates.CONFIG_FILE_ERROR);
        assertThat(e.problems()).containsExactly("tables.orders.split.template: template 'db/missing.sql' not found:"
                + " neither a file in " + dir.toAbsolutePath() + " (the map file's folder) nor a class path resource"
                + " (line 8)");
    }

    @Test
    void i14_95_twoDataSourcesRacingIntoANewPeriodMakeItOnceFromTheTemplate() throws Exception {
        int threads = 8;
        int perThread = 20;
        try (ShardedDataSource a = open("onFirstWrite", "db/orders.sql");
                ShardedDataSource b = open("onFirstWrite", "db/orders.sql")) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ShardedDataSource ds = t % 2 == 0 ? a : b;
                int first = 1000 + t * perThread;
                done.add(pool.submit(() -> {
                    start.await();
                    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO orders (order_id, customer_id, created_at) VALUES (?, ?, ?)")) {
                        for (int i = 0; i < perThread; i++) {
                            ps.setInt(1, first + i);
                            ps.setInt(2, first + i);
                            ps.setString(3, "2027-03-" + String.format("%02d", 1 + i % 28));
                            assertThat(ps.executeUpdate()).isEqualTo(1);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            try (Connection c = b.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM orders")).isEqualTo(threads * perThread);
            }
        }
        for (int s = 0; s < 2; s++) {
            assertThat(objects(s, "index", "orders_202703")).containsExactly("orders_by_customer_orders_202703",
                    "orders_by_day_orders_202703");
            try (Connection c = raw(s)) {
                assertThat(count(c, "SELECT COUNT(*) FROM orders_202703 WHERE customer_id % 2 <> " + s)).isZero();
            }
        }
    }

    @Test
    void i14_96_createAheadFromTwoDataSourcesAtOnceMakesEachTableOnce() throws Exception {
        int threads = 8;
        List<String> made = Collections.synchronizedList(new ArrayList<>());
        try (ShardedDataSource a = open("{ahead: 2}", "db/orders.sql");
                ShardedDataSource b = open("{ahead: 2}", "db/orders.sql")) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ShardedDataSource ds = t % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    start.await();
                    made.addAll(ds.tables().createAhead("orders"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(made).as("each data node made by exactly one call").containsExactlyInAnyOrder("s0.orders_202612",
                "s0.orders_202701", "s0.orders_202702", "s1.orders_202612", "s1.orders_202701", "s1.orders_202702");
    }
}
