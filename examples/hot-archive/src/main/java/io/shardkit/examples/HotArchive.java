package io.shardkit.examples;

import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveListener;
import io.shardkit.archive.ArchiveProgress;
import io.shardkit.archive.ArchiveReport;
import io.shardkit.archive.Archiver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A hot SQLite database and a read-only archive behind it for an {@code orders} table. Orders
 * created over the last year go into hot; the archiver moves those older than 90 days to the
 * archive (copy, verify, delete from hot); then a lookup by id finds an archived order (the plan
 * tries hot first, then the archive), a range read sees both tiers merged, and an UPDATE of an
 * archived order is refused with SQLState 25006 while one of a hot order goes through.
 *
 * <p>Run from the repository root: {@code mvn -q -B -f examples/hot-archive exec:java}, sized with
 * {@code -Dexec.args="--orders 5000 --batch 1000"}. The files go to {@code --dir} (default: the
 * system property {@code example.dir}, else {@code target/hot-archive}); every run starts afresh.
 * The seed is fixed; dates are relative to now, so the 90-day cutoff always splits them alike.
 */
public final class HotArchive {
    static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    static final String ORDERS = "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer TEXT NOT NULL,"
            + " amount_cents INTEGER NOT NULL, created_at TEXT NOT NULL)";
    static final int RANGE = 20;

    public record Options(Path dir, int orders, int batch, long seed) {
        public static Options parse(String... args) {
            Path dir = Path.of(System.getProperty("example.dir", "target/hot-archive"));
            int orders = 2_000;
            int batch = 500;
            long seed = 42;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(v);
                    case "--orders" -> orders = Integer.parseInt(v);
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (known: --dir, --orders, --batch, --seed)");
                }
            }
            return new Options(dir, orders, batch, seed);
        }
    }

    /**
     * What a run did; the row counts per tier are read from each shard directly.
     *
     * @param lookupRow the archived order read back by id, as {@code id|customer|amount|created_at}
     * @param rangeIds the ids a range read over {@code 1..}{@value #RANGE} returned, in order
     * @param rangeArchived how many of those only the archive holds
     */
    public record Summary(int inserted, ArchiveReport report, long hotRows, long archiveRows, long lookupId,
            String lookupRow, String lookupPlan, List<Long> rangeIds, int rangeArchived, int hotUpdated,
            String refusedState, String refusedMessage) {
    }

    private HotArchive() {
    }

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), System.out);
    }

    public static Summary run(Options o, PrintStream out) throws SQLException, IOException {
        for (String file : new String[] {"hot.db", "archive.db"}) {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(o.dir().resolve(file + suffix));
            }
        }
        Files.createDirectories(o.dir());
        // The archive is read-only to applications: its table is made directly, as an operator would.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + o.dir().resolve("archive.db"));
                Statement st = c.createStatement()) {
            st.execute(ORDERS);
        }
        String yaml = """
                shards:
                  - {name: hot, url: "jdbc:sqlite:%1$s/hot.db", create: true}
                  - {name: archive, url: "jdbc:sqlite:%1$s/archive.db", readOnly: true, tier: archive}
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [hot]}
                    archive:
                      shards: [archive]
                      id: order_id
                      cutoff: {column: created_at, age: 90d}
                """.formatted(o.dir().toAbsolutePath());
        out.println("hot-archive: shard map\n" + yaml.indent(2));
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute(ORDERS);                                  // DDL goes to the hot tier only
                st.execute("CREATE INDEX orders_created ON orders (created_at)");
            }
            insert(ds, o);
            out.printf("inserted %d orders created over the last 365 days into hot%n", o.orders());

            out.println("\narchiving orders older than 90 days:");
            ArchiveReport report = Archiver.of(ds, "orders").batchSize(o.batch()).listener(new ArchiveListener() {
                @Override
                public void progress(ArchiveProgress p) {
                    out.printf("  batch %d: %d of %d rows moved (%.0f rows/s)%n", p.batches(), p.rowsMoved(),
                            p.rowsFound(), p.rowsPerSecond());
                }
            }).run();
            long hot = count(ds, "hot");
            long archived = count(ds, "archive");
            out.printf("moved %d rows in %d batches (copied, verified, deleted from hot); hot %d, archive %d%n",
                    report.rowsMoved(), report.batches(), hot, archived);

            String byId = "SELECT order_id, customer, amount_cents, created_at FROM orders WHERE order_id = ?";
            long archivedId = first(ds, "archive");
            String row = lookup(ds, byId, archivedId);
            String plan = ds.explain(byId, archivedId).toString();
            out.println("\nlookup by id " + archivedId + " (an archived order): " + row);
            out.print(plan.indent(2));

            Set<Long> inArchive = idsUpTo(ds, "archive", RANGE);
            String range = "SELECT order_id, created_at FROM orders WHERE order_id <= ? ORDER BY order_id";
            List<Long> ids = new ArrayList<>();
            out.println("\nrange read, orders 1.." + RANGE + " from both tiers, merged by order_id:");
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(range)) {
                ps.setLong(1, RANGE);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getLong(1));
                        out.printf("  %3d  %s  %s%n", rs.getLong(1), rs.getString(2),
                                inArchive.contains(rs.getLong(1)) ? "archive" : "hot");
                    }
                }
            }
            out.print(ds.explain(range, RANGE).toString().indent(2));

            String update = "UPDATE orders SET amount_cents = amount_cents + 100 WHERE order_id = ?";
            long hotId = first(ds, "hot");
            int updated;
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(update)) {
                ps.setLong(1, hotId);
                updated = ps.executeUpdate();
            }
            out.printf("%nUPDATE of hot order %d: %d row updated%n", hotId, updated);
            String state = null;
            String message = null;
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(update)) {
                ps.setLong(1, archivedId);
                ps.executeUpdate();
                out.println("UPDATE of archived order " + archivedId + ": not refused?");
            } catch (SQLException e) {
                state = e.getSQLState();
                message = e.getMessage();
                out.println("UPDATE of archived order " + archivedId + " refused, SQLState " + state + ": " + message);
            }
            return new Summary(o.orders(), report, hot, archived, archivedId, row, plan, ids,
                    (int) ids.stream().filter(inArchive::contains).count(), updated, state, message);
        }
    }

    /** One transaction on hot; {@code created_at} as SQLite writes dates, spread over the last year. */
    private static void insert(ShardedDataSource ds, Options o) throws SQLException {
        Random random = new Random(o.seed());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO orders (order_id, customer, amount_cents, created_at) VALUES (?, ?, ?, ?)")) {
            c.setAutoCommit(false);
            for (int id = 1; id <= o.orders(); id++) {
                ps.setLong(1, id);
                ps.setString(2, "customer-" + (1 + random.nextInt(100)));
                ps.setInt(3, 100 + random.nextInt(50_000));
                ps.setString(4, SQLITE_TIME.format(now.minusSeconds(random.nextInt(365 * 24 * 3600))));
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        }
    }

    /** Rows on one shard, read there as written (aggregates over both tiers are refused). */
    private static long count(ShardedDataSource ds, String shard) throws SQLException {
        try (Connection c = ds.connectionTo(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long first(ShardedDataSource ds, String shard) throws SQLException {
        try (Connection c = ds.connectionTo(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MIN(order_id) FROM orders")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Set<Long> idsUpTo(ShardedDataSource ds, String shard, long max) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = ds.connectionTo(shard);
                PreparedStatement ps = c.prepareStatement("SELECT order_id FROM orders WHERE order_id <= ?")) {
            ps.setLong(1, max);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static String lookup(ShardedDataSource ds, String sql, long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "(not found)";
                }
                return rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getString(4);
            }
        }
    }
}
