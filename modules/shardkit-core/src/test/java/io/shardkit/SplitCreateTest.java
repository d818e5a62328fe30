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
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
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
 * {@code create: onFirstWrite} on SQLite shards: an INSERT into a period whose table a shard does
 * not hold creates it like the shard's newest physical table (columns and indexes), once, even when
 * two data sources race to do it.
 */
class SplitCreateTest {
    @TempDir Path dir;

    private String yaml() {
        return "shards:\n"
                + "  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("s0.db") + "\", create: true}\n"
                + "  - {name: s1, url: \"jdbc:sqlite:" + dir.resolve("s1.db") + "\", create: true}\n"
                + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: onFirstWrite}
                """;
    }

    private ShardedDataSource open() throws SQLException {
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml().getBytes(StandardCharsets.UTF_8)));
    }

    private Connection raw(int shard) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
    }

    @BeforeEach
    void setUp() throws SQLException {
        for (int s = 0; s < 2; s++) {
            try (Connection c = raw(s); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE orders_202611 (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
                        + " created_at TEXT NOT NULL, amount INTEGER DEFAULT 7)");
                st.execute("CREATE INDEX idx_amount_orders_202611 ON orders_202611 (amount)");
            }
        }
    }

    private static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void i14_40_aFirstWriteIntoANewPeriodCreatesItsTableLikeTheNewest() throws Exception {
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO orders (order_id, customer_id, created_at) VALUES (1, 3, '2027-02-10')"))
                    .isEqualTo(1);
            assertThat(count(c, "SELECT COUNT(*) FROM orders WHERE created_at >= '2027-01-01'")).isEqualTo(1);
            assertThat(count(c, "SELECT amount FROM orders WHERE customer_id = 3")).as("the default came along").isEqualTo(7);
        }
        try (Connection s1 = raw(1); Connection s0 = raw(0)) {
            assertThat(count(s1, "SELECT COUNT(*) FROM orders_202702")).isEqualTo(1);
            assertThat(count(s1, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
                    + " AND name = 'idx_amount_orders_202702' AND tbl_name = 'orders_202702'")).isEqualTo(1);
            assertThat(count(s0, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'orders_202702'"))
                    .as("only the shard the row went to").isZero();
        }
    }

    @Test
    void i14_41_twoDataSourcesRacingIntoANewPeriodCreateItOnceAndLoseNoWrite() throws Exception {
        int threads = 8;
        int perThread = 25;
        try (ShardedDataSource a = open(); ShardedDataSource b = open()) {
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
            try (Connection c = a.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM orders WHERE created_at >= '2027-03-01'"))
                        .isEqualTo(threads * perThread);
            }
        }
        for (int s = 0; s < 2; s++) {
            try (Connection c = raw(s)) {
                assertThat(count(c, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'orders_202703'"))
                        .isEqualTo(1);
                assertThat(count(c, "SELECT COUNT(*) FROM orders_202703 WHERE customer_id % 2 <> " + s)).isZero();
            }
        }
    }

    @Test
    void i14_42_explainSaysItWouldCreateAndCreatesNothing() throws Exception {
        try (ShardedDataSource ds = open()) {
            String text = ds.explain("INSERT INTO orders (order_id, customer_id, created_at) VALUES (5, 4, '2027-06-01')")
                    .toString();
            assertThat(text).contains("would create orders_202706 like orders_202611 on s0");
        }
        try (Connection c = raw(0)) {
            assertThat(count(c, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'orders_202706'")).isZero();
        }
    }

    @Test
    void i14_43_insideATransactionOnSqliteTheFirstWriteOfAPeriodIsRefused() throws Exception {
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate(
                        "INSERT INTO orders (order_id, customer_id, created_at) VALUES (6, 2, '2027-07-01')"))
                        .isInstanceOf(SQLFeatureNotSupportedException.class)
                        .hasMessageContaining("creating physical table orders_202707 inside a transaction on SQLite");
                // a period that exists is written as usual
                assertThat(st.executeUpdate(
                        "INSERT INTO orders (order_id, customer_id, created_at) VALUES (7, 2, '2026-11-03')")).isEqualTo(1);
            }
            c.commit();
        }
    }
}
