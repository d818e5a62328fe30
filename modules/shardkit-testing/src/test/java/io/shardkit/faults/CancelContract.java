package io.shardkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11: {@code Statement.cancel()} from another thread and {@code setQueryTimeout} stop a
 * scatter read, whether it is blocked starting its shard queries or in {@code next()} waiting for
 * a shard's rows, with SQLState 57014, and every connection it borrowed goes back to its pool.
 *
 * <p>The slow query is a join of a broadcast table of 1,500 rows with itself three times inside an
 * IN subquery (3.4e9 combinations per shard: tens of seconds on any of the databases, so a bound
 * of 10 s means the cancel worked). Rows whose {@code kind} is -1 come first in each shard, so a
 * query that accepts them answers its first rows at once and blocks on the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CancelContract {
    static final String SLOW_IN_EXECUTE = "SELECT e.id FROM events e WHERE e.kind IN "
            + "(SELECT count(*) FROM nums a, nums b, nums c)";
    static final String SLOW_IN_NEXT = "SELECT e.id FROM events e WHERE e.kind = -1 OR e.kind IN "
            + "(SELECT count(*) FROM nums a, nums b, nums c)";
    /** Far below what the slow query takes uncancelled, far above what a cancel needs on a loaded machine. */
    static final long BOUND_MS = 10_000;

    ShardSet shards;
    ShardedDataSource ds;

    /** Whether the driver streams rows, so a read can block in next() (MySQL Connector/J reads all at execute). */
    abstract boolean streams();

    String nums() {
        return "CREATE TABLE nums (n INT)";
    }

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                tables:
                  events:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  nums: {broadcast: true}
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        for (int s = 0; s < shards.size(); s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS events");
                st.execute("DROP TABLE IF EXISTS nums");
                st.execute("CREATE TABLE events (id INT PRIMARY KEY, kind INT)");
                st.execute(nums());
                StringBuilder rows = new StringBuilder("INSERT INTO events VALUES ");
                for (int i = 0; i < 40; i++) {
                    int id = i * 4 + s;
                    rows.append(i == 0 ? "" : ", ").append('(').append(id).append(", ").append(i < 3 ? -1 : 5).append(')');
                }
                st.executeUpdate(rows.toString());
                StringBuilder n = new StringBuilder("INSERT INTO nums VALUES ");
                for (int i = 0; i < 1500; i++) {
                    n.append(i == 0 ? "(" : ", (").append(i).append(')');
                }
                st.executeUpdate(n.toString());
            }
        }
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    private void assertNothingBorrowed() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (String s : ds.shardNames()) {
            while (ds.activeConnections(s) > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(ds.activeConnections(s)).as("connections of " + s + " still borrowed").isZero();
        }
    }

    private static void assertCancelled(SQLException e) {
        assertThat(e.getSQLState()).as(e.toString()).isEqualTo("57014");
    }

    @Test
    void i11_01_cancelStopsAScatterStartingItsQueries() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                sleep(700);
                try {
                    st.cancel();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = System.nanoTime();
            try (ResultSet rs = st.executeQuery(SLOW_IN_EXECUTE)) {
                fail("the slow query ended without being cancelled: " + rs.next());
            } catch (SQLException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println(getClass().getSimpleName() + ": cancel during execute answered after " + ms + " ms");
                assertCancelled(e);
                assertThat(ms).isLessThan(BOUND_MS);
            }
            canceller.get(5, TimeUnit.SECONDS);
            assertThat(readAll(st, "SELECT count(*) FROM events")).isEqualTo(160);
        }
        assertNothingBorrowed();
    }

    @Test
    void i11_02_cancelStopsAScatterBlockedInNext() throws Exception {
        Assumptions.assumeTrue(streams(), "the driver reads the whole result at execute");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setFetchSize(1);
            CountDownLatch firstRow = new CountDownLatch(1);
            CompletableFuture<Void> canceller = CompletableFuture.runAsync(() -> {
                try {
                    firstRow.await();
                    sleep(500);
                    st.cancel();
                } catch (SQLException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long t0 = 0;
            int rows = 0;
            try (ResultSet rs = st.executeQuery(SLOW_IN_NEXT)) {
                assertThat(rs.next()).isTrue();
                rows++;
                t0 = System.nanoTime();
                firstRow.countDown();
                while (rs.next()) {
                    rows++;
                }
                fail("the slow query ended without being cancelled after " + rows + " rows");
            } catch (SQLException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println(getClass().getSimpleName() + ": cancel during next() answered after " + ms
                        + " ms, rows " + rows);
                assertCancelled(e);
                assertThat(rows).as("rows read before the cancel").isBetween(1, 12);
                assertThat(ms).isLessThan(BOUND_MS);
            }
            canceller.get(5, TimeUnit.SECONDS);
        }
        assertNothingBorrowed();
    }

    @Test
    void i11_03_queryTimeoutStopsAScatterStartingItsQueries() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            long t0 = System.nanoTime();
            try (ResultSet rs = st.executeQuery(SLOW_IN_EXECUTE)) {
                fail("the slow query ended before its timeout: " + rs.next());
            } catch (SQLException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println(getClass().getSimpleName() + ": 1 s timeout during execute answered after " + ms + " ms");
                assertCancelled(e);
                assertThat(e.getMessage()).contains("query timeout");
                assertThat(ms).isBetween(900L, BOUND_MS);
            }
            st.setQueryTimeout(0);
            assertThat(readAll(st, "SELECT count(*) FROM events")).isEqualTo(160);
        }
        assertNothingBorrowed();
    }

    @Test
    void i11_04_queryTimeoutCoversAWaitInNext() throws Exception {
        Assumptions.assumeTrue(streams(), "the driver reads the whole result at execute");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setFetchSize(1);
            st.setQueryTimeout(1);
            long t0 = 0;
            int rows = 0;
            try (ResultSet rs = st.executeQuery(SLOW_IN_NEXT)) {
                assertThat(rs.next()).isTrue();
                rows++;
                t0 = System.nanoTime();
                while (rs.next()) {
                    rows++;
                }
                fail("the slow query ended before its timeout after " + rows + " rows");
            } catch (SQLException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println(getClass().getSimpleName() + ": 1 s timeout during next() answered after " + ms + " ms");
                assertCancelled(e);
                assertThat(e.getMessage()).contains("query timeout");
                assertThat(ms).isLessThan(BOUND_MS);
            }
        }
        assertNothingBorrowed();
    }

    @Test
    void i11_05_anIdleReaderIsNotTimedOut() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(1);
            try (ResultSet rs = st.executeQuery("SELECT id FROM events ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                Thread.sleep(1600); // the application is slow, not the shards: the timeout bounds waits on the shards
                int n = 1;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(160);
            }
        }
        assertNothingBorrowed();
    }

    private static long readAll(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
