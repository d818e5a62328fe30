package io.shardkit.memory;

import io.shardkit.ShardedDataSource;
import io.shardkit.config.Settings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * The JVM {@link HeapBoundTest} starts with a small heap: 4 SQLite shards of {@code rows/4} rows,
 * each row its own group, then merges that should not fit, then ordinary queries on the same data
 * source. Prints one {@code key=value} line per fact; exits 0 when every step behaved, 1 otherwise
 * (an OutOfMemoryError included).
 *
 * <p>Arguments: the directory for the shard files, the number of rows, and the YAML
 * {@code settings:} body (for example {@code "{}"} for the defaults).
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(Path.of(args[0]), Long.parseLong(args[1]), args[2]);
            System.out.println("probe=ok");
            System.exit(0);
        } catch (Throwable t) {
            System.out.println("probe=failed " + t);
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void run(Path dir, long rows, String settings) throws Exception {
        long per = rows / 4;
        StringBuilder yaml = new StringBuilder("shards:\n");
        long t0 = System.nanoTime();
        for (int s = 0; s < 4; s++) {
            Path file = dir.resolve("s" + s + ".db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, v INTEGER NOT NULL)");
                // ids of shard s are s, s+4, s+8, ...: the mod strategy's placement; every id is its own group
                st.execute("WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " + (per - 1) + ")"
                        + " INSERT INTO events (id, grp, v) SELECT i * 4 + " + s + ", i * 4 + " + s + ", i % 100 FROM n");
            }
            yaml.append("  - name: s").append(s).append("\n    url: jdbc:sqlite:").append(file).append('\n');
        }
        yaml.append("pool:\n  maximumPoolSize: 4\ntables:\n  events:\n    key: id\n    strategy: {type: mod}\n");
        yaml.append("settings: ").append(settings).append('\n');
        System.out.println("rows=" + rows + " generated_ms=" + (System.nanoTime() - t0) / 1_000_000);
        System.out.println("max_heap_mb=" + Runtime.getRuntime().maxMemory() / (1 << 20));
        System.out.println("merge_memory_mb=" + Settings.defaultMergeMemory() / (1 << 20));
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)))) {
            // on SQLite the shards sort their groups and the merge streams them (one group held); ordering by an
            // aggregate sorts every merged group in memory
            refused(ds, "group_by", "SELECT grp, COUNT(*), SUM(v) FROM events GROUP BY grp ORDER BY SUM(v) DESC, grp");
            refused(ds, "top_10", "SELECT grp, COUNT(*), SUM(v) FROM events GROUP BY grp ORDER BY SUM(v) DESC, grp LIMIT 10");
            refused(ds, "count_distinct", "SELECT COUNT(DISTINCT grp) FROM events");
            refused(ds, "distinct", "SELECT DISTINCT grp FROM events");
            concurrently(ds, "SELECT grp, COUNT(*), SUM(v) FROM events GROUP BY grp ORDER BY SUM(v) DESC, grp");
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                System.out.println("after_count=" + one(st, "SELECT COUNT(*) FROM events"));
                System.out.println("after_point=" + one(st, "SELECT grp FROM events WHERE id = 4001"));
                System.out.println("after_small_groups=" + count(st, "SELECT grp, COUNT(*) FROM events WHERE grp < 20000 GROUP BY grp"));
                System.out.println("after_distinct_small=" + one(st, "SELECT COUNT(DISTINCT v) FROM events"));
            }
            long active = 0;
            for (String s : ds.shardNames()) {
                active += ds.activeConnections(s);
            }
            System.out.println("active_connections=" + active);
        }
    }

    /** Runs a merge expected to pass the bound; prints its SQLState, message, time and the heap in use. */
    private static void refused(ShardedDataSource ds, String name, String sql) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            long n = 0;
            while (rs.next()) {
                n++;
            }
            System.out.println(name + "_state=none rows=" + n);
        } catch (SQLException e) {
            Runtime r = Runtime.getRuntime();
            long used = r.totalMemory() - r.freeMemory();
            System.out.println(name + "_state=" + e.getSQLState());
            System.out.println(name + "_message=" + e.getMessage());
            System.out.println(name + "_ms=" + (System.nanoTime() - t0) / 1_000_000 + " heap_used_mb=" + used / (1 << 20));
        }
    }

    /**
     * Four threads run the same too-large merge at once: each is refused (54000) by its own bound or
     * by the data source's, which the four share, so together they never hold more than one bound.
     */
    private static void concurrently(ShardedDataSource ds, String sql) throws Exception {
        int n = 4;
        String[] states = new String[n];
        Thread[] threads = new Thread[n];
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int t = i;
            threads[i] = new Thread(() -> {
                try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        // read to the end
                    }
                    states[t] = "none";
                } catch (SQLException e) {
                    states[t] = e.getSQLState() + (e.getMessage().contains("all statements of the data source") ? "-shared" : "");
                } catch (Throwable e) {
                    states[t] = e.toString();
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        Runtime r = Runtime.getRuntime();
        System.out.println("concurrent_states=" + String.join(",", Arrays.asList(states)));
        System.out.println("concurrent_ms=" + (System.nanoTime() - t0) / 1_000_000 + " heap_used_mb="
                + (r.totalMemory() - r.freeMemory()) / (1 << 20));
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(Statement st, String sql) throws SQLException {
        long n = 0;
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }
}
