package io.shardkit.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.route.SplitCatalog;
import io.shardkit.testing.ShardSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code create: {ahead: 2}} and {@code split.template} (issue 14) on real servers: {@code invoices}
 * mod 2 over s0, s1 and by month by name, made from a template written for the logical table (beside
 * the map file) on shards that hold none of its tables, with the data source's clock set by the test.
 * Tables and indexes are checked on the shards, behind shardkit's back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SplitAheadContract {
    static final String TEMPLATE = """
            -- invoices, as written for the logical table
            CREATE TABLE invoices (invoice_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at DATE NOT NULL,
                amount INTEGER DEFAULT 9);
            CREATE INDEX invoices_by_day ON invoices (created_at);
            """;

    ShardSet shards;
    @TempDir Path dir;

    /** SQL answering the names of the indexes of {@code table} (one row each), not its primary key. */
    abstract String indexesOf(String table);

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

    @BeforeAll
    void open(ShardSet shards) {
        this.shards = shards;
    }

    @BeforeEach
    void setUp() throws Exception {
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (int y = 2026; y <= 2027; y++) {
                    for (int m = 1; m <= 12; m++) {
                        st.execute("DROP TABLE IF EXISTS invoices_" + y + String.format("%02d", m));
                    }
                }
            }
        }
        Files.writeString(dir.resolve("invoices.sql"), TEMPLATE);
        Files.writeString(dir.resolve("map.yaml"), shards.yamlShards() + """
                tables:
                  invoices:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "invoices_{yyyyMM}", create: {ahead: 2},
                            template: invoices.sql}
                """);
    }

    ShardedDataSource open(Clock clock) throws Exception {
        ShardedDataSource ds = ShardedDataSource.fromYaml(dir.resolve("map.yaml"));
        ds.tables().clock(clock);
        return ds;
    }

    List<String> tablesOn(ShardedDataSource ds, int s) throws SQLException {
        try (Connection c = shards.open(s)) {
            return SplitCatalog.read(c, ds.shardMap().tables().get("invoices").split());
        }
    }

    List<String> indexesOn(int s, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = shards.open(s); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(indexesOf(table))) {
            while (rs.next()) {
                out.add(rs.getString(1).toLowerCase());
            }
        }
        Collections.sort(out);
        return out;
    }

    static int count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void i14_100_theWindowIsMadeFromTheTemplateOnEveryShardAtFirstUse() throws Exception {
        try (ShardedDataSource ds = open(new MovableClock("2026-12-15T10:00:00Z"))) {
            assertThat(tablesOn(ds, 0)).isEmpty();
            try (Connection c = ds.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM invoices")).isZero();
            }
            for (int s = 0; s < 2; s++) {
                assertThat(tablesOn(ds, s)).containsExactly("invoices_202612", "invoices_202701", "invoices_202702");
                for (String m : List.of("202612", "202701", "202702")) {
                    assertThat(indexesOn(s, "invoices_" + m)).containsExactly("invoices_by_day_invoices_" + m);
                }
            }
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO invoices (invoice_id, customer_id, created_at) VALUES (?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setInt(2, 3);
                ps.setObject(3, LocalDate.parse("2027-02-28"));
                assertThat(ps.executeUpdate()).isEqualTo(1);
                assertThat(count(c, "SELECT amount FROM invoices WHERE customer_id = 3")).as("the template's default")
                        .isEqualTo(9);
            }
        }
    }

    @Test
    void i14_101_theTurnOfTheMonthMakesTheNextAndAWriteOutsideTheWindowIsRefused() throws Exception {
        MovableClock clock = new MovableClock("2026-12-31T23:59:59Z");
        try (ShardedDataSource ds = open(clock); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            assertThat(count(c, "SELECT COUNT(*) FROM invoices")).isZero();
            assertThat(tablesOn(ds, 1)).doesNotContain("invoices_202703");
            SQLException e = catchThrowableOfType(SQLException.class, () -> st.executeUpdate(
                    "INSERT INTO invoices (invoice_id, customer_id, created_at) VALUES (2, 5, '2027-03-01')"));
            assertThat(e.getSQLState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
            assertThat(e.getMessage()).startsWith("physical table invoices_202703 of split table invoices does not exist"
                    + " on shard s1, and create: {ahead: 2} (invoices_{yyyyMM} by created_at: month (UTC)) creates only"
                    + " the current period and the 2 after it (invoices_202612 to invoices_202702)");
            clock.now = Instant.parse("2027-01-01T00:00:01Z");
            assertThat(st.executeUpdate("INSERT INTO invoices (invoice_id, customer_id, created_at) VALUES (2, 5,"
                    + " '2027-03-01')")).isEqualTo(1);
            assertThat(tablesOn(ds, 1)).contains("invoices_202703");
            assertThat(indexesOn(1, "invoices_202703")).containsExactly("invoices_by_day_invoices_202703");
            assertThat(count(c, "SELECT COUNT(*) FROM invoices WHERE customer_id = 5")).isEqualTo(1);
        }
    }

    @Test
    void i14_102_createAheadListsWhatItMade() throws Exception {
        MovableClock clock = new MovableClock("2026-12-15T10:00:00Z");
        try (ShardedDataSource ds = open(clock)) {
            assertThat(ds.tables().createAhead("invoices")).containsExactly("s0.invoices_202612", "s0.invoices_202701",
                    "s0.invoices_202702", "s1.invoices_202612", "s1.invoices_202701", "s1.invoices_202702");
            assertThat(ds.tables().createAhead("invoices")).isEmpty();
            clock.now = Instant.parse("2027-01-02T00:00:00Z");
            assertThat(ds.tables().createAhead("invoices")).containsExactly("s0.invoices_202703", "s1.invoices_202703");
        }
    }

    @Test
    void i14_103_eightThreadsInTwoDataSourcesWritingIntoAMissingPeriodMakeItOnceAndLoseNoWrite() throws Exception {
        int threads = 8;
        int perThread = 20;
        Clock clock = Clock.fixed(Instant.parse("2027-01-20T00:00:00Z"), ZoneOffset.UTC);
        try (ShardedDataSource a = open(clock); ShardedDataSource b = open(clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ShardedDataSource ds = t % 2 == 0 ? a : b;
                int first = 1000 + t * perThread;
                done.add(pool.submit(() -> {
                    start.await();
                    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO invoices (invoice_id, customer_id, created_at) VALUES (?, ?, ?)")) {
                        for (int i = 0; i < perThread; i++) {
                            ps.setInt(1, first + i);
                            ps.setInt(2, first + i);
                            ps.setObject(3, LocalDate.of(2027, 3, 1 + i % 28));
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
            try (Connection c = b.getConnection()) {
                assertThat(count(c, "SELECT COUNT(*) FROM invoices")).isEqualTo(threads * perThread);
            }
            for (int s = 0; s < 2; s++) {
                assertThat(tablesOn(a, s)).containsExactly("invoices_202701", "invoices_202702", "invoices_202703");
                assertThat(indexesOn(s, "invoices_202703")).containsExactly("invoices_by_day_invoices_202703");
                try (Connection c = shards.open(s)) {
                    assertThat(count(c, "SELECT COUNT(*) FROM invoices_202703 WHERE MOD(customer_id, 2) <> " + s)).isZero();
                    assertThat(count(c, "SELECT COUNT(*) FROM invoices_202703")).isEqualTo(threads * perThread / 2);
                }
            }
        }
    }

    @Test
    void i14_104_createAheadFromTwoDataSourcesAtOnceMakesEachTableExactlyOnce() throws Exception {
        int threads = 8;
        List<String> made = Collections.synchronizedList(new ArrayList<>());
        Clock clock = Clock.fixed(Instant.parse("2026-12-15T10:00:00Z"), ZoneOffset.UTC);
        try (ShardedDataSource a = open(clock); ShardedDataSource b = open(clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ShardedDataSource ds = t % 2 == 0 ? a : b;
                done.add(pool.submit(() -> {
                    start.await();
                    made.addAll(ds.tables().createAhead("invoices"));
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(made).containsExactlyInAnyOrder("s0.invoices_202612", "s0.invoices_202701", "s0.invoices_202702",
                "s1.invoices_202612", "s1.invoices_202701", "s1.invoices_202702");
    }
}
