package io.shardkit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import io.shardkit.testing.SqliteShards;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, hold-and-wait: 64 threads each running top-10 scatter reads over four shards whose
 * pools hold 8 connections. A scatter that borrowed some shards' connections and waited for the
 * others let the threads starve each other (5 reads/s and 90 pool timeouts); taking scatter
 * permits in shard order before borrowing lets every read through.
 */
@SqliteShards
class HoldAndWaitTest {

    @Test
    void i11_12_manyThreadsOnSmallPoolsGetTheirScatterReadsWithoutTimeouts(ShardSet shards) throws Exception {
        String yaml = shards.yamlShards() + """
                pool: {maximumPoolSize: 8, connectionTimeout: 2000}
                tables:
                  events:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                """;
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            for (int s = 0; s < shards.size(); s++) {
                try (Connection c = ds.connectionTo("s" + s); Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, score INTEGER)");
                    st.executeUpdate("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999)"
                            + " INSERT INTO events SELECT i * 4 + " + s + ", (i * 37) % 1000 FROM n");
                }
            }
            AtomicInteger reads = new AtomicInteger();
            AtomicInteger timeouts = new AtomicInteger();
            AtomicInteger otherErrors = new AtomicInteger();
            List<String> samples = new ArrayList<>();
            long runMs = 4000;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMs);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 64; t++) {
                Thread th = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                                ResultSet rs = st.executeQuery("SELECT id, score FROM events ORDER BY score DESC, id LIMIT 10")) {
                            int n = 0;
                            while (rs.next()) {
                                n++;
                            }
                            if (n != 10) {
                                throw new SQLException("top-10 returned " + n + " rows");
                            }
                            reads.incrementAndGet();
                        } catch (SQLException e) {
                            boolean timeout = e.getSQLState() != null && e.getSQLState().startsWith("08");
                            for (Throwable c = e; c != null; c = c.getCause()) {
                                timeout |= c instanceof SQLTransientConnectionException;
                            }
                            (timeout ? timeouts : otherErrors).incrementAndGet();
                            synchronized (samples) {
                                if (samples.size() < 3) {
                                    samples.add(e.toString());
                                }
                            }
                        }
                    }
                });
                th.start();
                threads.add(th);
            }
            for (Thread th : threads) {
                th.join(60_000);
            }
            double perSecond = reads.get() * 1000.0 / runMs;
            System.out.printf("hold-and-wait: 64 threads, pools of 8, 4 SQLite shards: %d top-10 reads in %d ms"
                    + " (%.0f/s), %d pool timeouts, %d other errors %s%n", reads.get(), runMs, perSecond, timeouts.get(),
                    otherErrors.get(), samples);
            assertThat(timeouts.get()).as("scatter reads that timed out waiting for connections").isZero();
            assertThat(otherErrors.get()).as("other failures: " + samples).isZero();
            assertThat(perSecond).as("top-10 reads per second").isGreaterThan(50);
            for (String s : ds.shardNames()) {
                assertThat(ds.activeConnections(s)).as("connections of " + s + " still borrowed").isZero();
            }
        }
    }
}
