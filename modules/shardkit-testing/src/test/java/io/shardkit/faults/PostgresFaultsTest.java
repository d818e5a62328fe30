package io.shardkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.shardkit.ShardedDataSource;
import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import io.shardkit.testing.TcpProxy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11's faults, with a {@link TcpProxy} in front of shard s1 of four PostgreSQL shards: a
 * blackholed shard (accepts, never answers) stops a streaming scatter at its query timeout; a
 * connection closed mid-stream fails the read naming the shard; a shard that is down fails
 * scatters fast while point reads on the healthy shards keep their latency; a logical connection
 * whose shard connection died gets a fresh one on its next statement outside a transaction, and
 * after rollback inside one; server shards get default socket timeouts, and a map's own win.
 */
@PostgresShards
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFaultsTest {
    static final int PER_SHARD = 20_000;

    ShardSet shards;
    TcpProxy proxy;
    ShardedDataSource ds;

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        proxy = TcpProxy.inFrontOf(shards.url(1));
        List<String> urls = new ArrayList<>(shards.urls());
        urls.set(1, proxy.url(shards.url(1)));
        ShardSet proxied = new ShardSet(shards.dialect(), shards.names(), urls, shards.user(), shards.password());
        String yaml = proxied.yamlShards() + """
                pool: {maximumPoolSize: 8, connectionTimeout: 2000}
                tables:
                  events:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        for (int s = 0; s < shards.size(); s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS events");
                st.execute("CREATE TABLE events (id INT PRIMARY KEY, kind INT)");
                st.executeUpdate("INSERT INTO events SELECT g * 4 + " + s + ", g % 7 FROM generate_series(0, "
                        + (PER_SHARD - 1) + ") g");
            }
        }
    }

    @AfterEach
    void heal() throws Exception {
        proxy.pass();
        // a scatter answers again once the shard is back (the fast fail gives way after its back-off)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                assertThat(count()).isEqualTo(4L * PER_SHARD);
                break;
            } catch (SQLException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
        assertNothingBorrowed();
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private long count() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
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

    @Test
    void i11_06_aBlackholedShardStopsAStreamingScatterAtItsQueryTimeout() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout(2);
            st.setFetchSize(50);
            long t0 = 0;
            int rows = 0;
            try (ResultSet rs = st.executeQuery("SELECT id, kind FROM events ORDER BY id")) {
                for (; rows < 200; rows++) {
                    assertThat(rs.next()).isTrue();
                }
                proxy.blackhole();
                t0 = System.nanoTime();
                while (rs.next()) {
                    rows++;
                }
                fail("the read ended although shard s1 is blackholed, after " + rows + " rows");
            } catch (SQLException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("blackholed s1: the streaming scatter failed after " + ms + " ms (timeout 2 s): " + e);
                assertThat(e.getSQLState()).isEqualTo("57014");
                assertThat(e.getMessage()).contains("query timeout").contains("shard s1");
                assertThat(ms).isBetween(1500L, 15_000L);
            }
        }
    }

    @Test
    void i11_07_aConnectionClosedMidStreamFailsTheReadNamingTheShard() throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.setFetchSize(50);
            int rows = 0;
            try (ResultSet rs = st.executeQuery("SELECT id, kind FROM events ORDER BY id")) {
                for (; rows < 200; rows++) {
                    assertThat(rs.next()).isTrue();
                }
                proxy.dropConnections();
                while (rs.next()) {
                    rows++;
                }
                fail("the read ended although shard s1 closed mid-stream, after " + rows + " rows");
            } catch (SQLException e) {
                assertThat(e.getSQLState()).as(e.toString()).startsWith("08");
                assertThat(e.getMessage()).contains("shard s1");
            }
        }
    }

    @Test
    void i11_08_aDownShardFailsScattersFastAndHealthyPointReadsKeepTheirLatency() throws Exception {
        Latencies baseline = pointReads(Collections.emptyList(), 2000);
        proxy.down();
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> scatterFailures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger fastFails = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        count();
                    } catch (SQLException e) {
                        scatterFailures.add((System.nanoTime() - t0) / 1_000_000);
                        if ("08001".equals(e.getSQLState()) && e.getMessage().contains("shard s1 is down")) {
                            fastFails.incrementAndGet();
                        }
                        CancelContract.sleep(5);
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            load.add(t);
        }
        Latencies during;
        try {
            CancelContract.sleep(300);
            during = pointReads(load, 3000);
        } finally {
            stop.set(true);
            for (Thread t : load) {
                t.join(10_000);
            }
        }
        List<Long> fails = new ArrayList<>(scatterFailures);
        Collections.sort(fails);
        long medianFail = fails.isEmpty() ? -1 : fails.get(fails.size() / 2);
        System.out.printf("point reads on s0/s2/s3: baseline %d ops in 2 s, median %.3f ms, p99 %.3f ms;"
                + " s1 down under 16 scatter threads: %d ops in 3 s (%d failed), median %.3f ms, p99 %.3f ms;"
                + " scatters failed %d times (%d fast), median %d ms%n", baseline.ops, baseline.median(),
                baseline.p99(), during.ops, during.errors.get(), during.median(), during.p99(), fails.size(), fastFails.get(), medianFail);
        assertThat(during.errors.get()).as("point reads on healthy shards that failed").isZero();
        assertThat(during.ops).as("point reads in 3 s while s1 is down (no starvation)")
                .isGreaterThan(Math.max(100, baseline.ops / 5));
        assertThat(during.median()).as("median point-read latency while s1 is down, ms")
                .isLessThanOrEqualTo(3 * baseline.median() + 2.0);
        assertThat(fastFails.get()).as("scatters failed fast naming the down shard").isPositive();
        assertThat(medianFail).as("median time a scatter took to fail, ms").isLessThan(1000L);
    }

    static final class Latencies {
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        volatile int ops;
        final AtomicInteger errors = new AtomicInteger();

        double median() {
            return at(0.5);
        }

        double p99() {
            return at(0.99);
        }

        private double at(double q) {
            List<Long> sorted = new ArrayList<>(nanos);
            Collections.sort(sorted);
            return sorted.isEmpty() ? Double.NaN : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
        }
    }

    /** Four threads reading single rows of s0, s2 and s3 for {@code ms}, each on a fresh logical connection. */
    private Latencies pointReads(List<Thread> load, long ms) throws InterruptedException {
        Latencies out = new Latencies();
        AtomicInteger ops = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            int seed = r;
            Thread t = new Thread(() -> {
                int i = seed;
                while (System.nanoTime() < end) {
                    int shard = new int[] {0, 2, 3}[i % 3];
                    int id = ((i * 7919) % PER_SHARD) * 4 + shard;
                    i++;
                    long t0 = System.nanoTime();
                    try (Connection c = ds.getConnection();
                            PreparedStatement ps = c.prepareStatement("SELECT kind FROM events WHERE id = ?")) {
                        ps.setInt(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new SQLException("row " + id + " missing");
                            }
                        }
                        out.nanos.add(System.nanoTime() - t0);
                        ops.incrementAndGet();
                    } catch (SQLException e) {
                        out.errors.incrementAndGet();
                    }
                }
            });
            t.start();
            readers.add(t);
        }
        for (Thread t : readers) {
            t.join();
        }
        out.ops = ops.get();
        return out;
    }

    @Test
    void i11_09_aDeadShardConnectionIsReplacedOnTheNextStatementOutsideATransaction() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT kind FROM events WHERE id = ?")) {
            ps.setInt(1, 5); // 5 mod 4 = s1
            assertThat(kind(ps)).isEqualTo(1);
            proxy.dropConnections();
            assertThatThrownBy(() -> kind(ps)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).startsWith("08");
                assertThat(e.getMessage()).contains("shard s1");
            });
            assertThat(kind(ps)).as("the next statement borrows a fresh connection").isEqualTo(1);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT kind FROM events WHERE id = 9")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void i11_10_inATransactionTheDeadConnectionStaysFailedUntilRollback() throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT kind FROM events WHERE id = ?")) {
            c.setAutoCommit(false);
            ps.setInt(1, 5);
            assertThat(kind(ps)).isEqualTo(1);
            proxy.dropConnections();
            for (int attempt = 0; attempt < 2; attempt++) {
                assertThatThrownBy(() -> kind(ps)).as("attempt " + attempt).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as(e.toString()).startsWith("08"));
            }
            c.rollback();
            assertThat(kind(ps)).as("after rollback the transaction starts on a fresh connection").isEqualTo(1);
            c.rollback();
        }
    }

    private static int kind(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    @Test
    void i11_11_serverShardsGetADefaultSocketTimeoutAndTheMapsOwnWins() throws Exception {
        assertThat(networkTimeoutMs(ds, "s0")).isEqualTo(300_000);
        String yaml = "shards:\n"
                + "  - {name: a, url: '" + shards.url(0) + "', user: " + shards.user() + ", properties: {socketTimeout: '7'}}\n"
                + "  - {name: b, url: '" + shards.url(2) + (shards.url(2).contains("?") ? "&" : "?") + "socketTimeout=9', user: "
                + shards.user() + "}\n"
                + "tables:\n  events: {key: id, strategy: {type: mod, shards: [a, b]}}\n";
        try (ShardedDataSource own = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(networkTimeoutMs(own, "a")).as("set in properties").isEqualTo(7_000);
            assertThat(networkTimeoutMs(own, "b")).as("set in the URL").isEqualTo(9_000);
        }
    }

    private static int networkTimeoutMs(ShardedDataSource source, String shard) throws Exception {
        try (Connection c = source.connectionTo(shard)) {
            Class<?> pg = Class.forName("org.postgresql.PGConnection");
            return ((Connection) c.unwrap(pg)).getNetworkTimeout();
        }
    }
}
