package io.shardkit.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.archive.ArchiveListener;
import io.shardkit.archive.ArchiveReport;
import io.shardkit.archive.Archiver;
import io.shardkit.route.SplitCatalog;
import io.shardkit.testing.ShardSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split table whose archive takes whole period tables (issue 14): {@code orders} mod 2 over s0,
 * s1 and by month by name, archive s2 (read-only), cutoff before 2026-11-01, so September and
 * October move. Every read is compared with one unsharded {@code orders} table on the reference
 * database holding the same rows, before the move, after it, and after a crash at each step of it;
 * where rows sit is checked on the shards directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PeriodArchiveContract {
    static final List<String> MONTHS = List.of("202609", "202610", "202611", "202612");
    static final List<String> READS = List.of(
            "SELECT COUNT(*) FROM orders",
            "SELECT SUM(amount), MIN(amount), MAX(amount) FROM orders",
            "SELECT customer_id, COUNT(*), SUM(amount) FROM orders GROUP BY customer_id ORDER BY customer_id",
            "SELECT order_id, customer_id, amount FROM orders ORDER BY amount DESC, order_id LIMIT 7",
            "SELECT order_id, amount FROM orders WHERE customer_id = 3 ORDER BY order_id",
            "SELECT COUNT(*) FROM orders WHERE created_at >= '2026-10-15' AND created_at < '2026-11-15'",
            "SELECT DISTINCT customer_id FROM orders WHERE amount > 50 ORDER BY customer_id",
            "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE created_at < '2026-10-01'");

    ShardSet shards;
    @TempDir Path dir;

    /** The physical table's DDL in the shards' dialect. */
    abstract String create(String table);

    /** A date value as the dialect binds it. */
    abstract Object day(String iso);

    /** DDL of a physical table whose {@code amount} column does not keep the integer 16777217 (2^24 + 1) as it is. */
    abstract String lossy(String table);

    @BeforeAll
    void open(ShardSet shards) {
        this.shards = shards;
    }

    @BeforeEach
    void setUp() throws Exception {
        for (int s = 0; s < 3; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + SplitCatalog.ARCHIVED);
                for (String m : MONTHS) {
                    st.execute("DROP TABLE IF EXISTS orders_" + m);
                    if (s < 2) {
                        st.execute(create("orders_" + m));
                    }
                }
            }
        }
        try (Connection c = shards.openReference(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS orders");
            st.execute(create("orders"));
        }
        Files.writeString(dir.resolve("map.yaml"), shards.yamlShards(Set.of("s2")) + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                    archive: {shards: [s2], id: order_id, cutoff: {column: created_at, before: "2026-11-01"}}
                """);
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection(); Connection ref = shards.openReference()) {
            String sql = "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql); PreparedStatement pr = ref.prepareStatement(sql)) {
                for (int id = 1; id <= 240; id++) {
                    String d = "2026-" + (9 + id % 4) + "-" + String.format("%02d", 1 + id % 28);
                    d = d.length() == 9 ? d.substring(0, 5) + "0" + d.substring(5) : d;
                    for (PreparedStatement p : List.of(ps, pr)) {
                        p.setInt(1, id);
                        p.setInt(2, id % 7);
                        p.setObject(3, day(d));
                        p.setInt(4, id * 37 % 101);
                        p.executeUpdate();
                    }
                }
            }
        }
    }

    ShardedDataSource open() throws Exception {
        return ShardedDataSource.fromYaml(dir.resolve("map.yaml"));
    }

    static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    sb.append(i == 1 ? "" : "|").append(v instanceof Number x ? Long.toString(x.longValue()) : v);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** Every read gives what the reference gives. */
    void readsMatch(ShardedDataSource ds, String when) throws Exception {
        try (Connection c = ds.getConnection(); Connection ref = shards.openReference()) {
            for (String sql : READS) {
                assertThat(rows(c, sql)).as(when + ": " + sql).isEqualTo(rows(ref, sql)).isNotEmpty();
            }
        }
    }

    List<String> tablesOn(ShardedDataSource ds, int s) throws SQLException {
        try (Connection c = shards.open(s)) {
            return SplitCatalog.read(c, ds.shardMap().tables().get("orders").split());
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The archive's tables hold exactly the reference's rows of September and October. */
    void archiveHoldsTheOldPeriods(ShardedDataSource ds) throws Exception {
        assertThat(tablesOn(ds, 0)).containsExactly("orders_202611", "orders_202612");
        assertThat(tablesOn(ds, 1)).containsExactly("orders_202611", "orders_202612");
        try (Connection a = shards.open(2); Connection ref = shards.openReference()) {
            assertThat(SplitCatalog.readArchived(a, "orders", ds.shardMap().tables().get("orders").split()))
                    .containsExactly("orders_202609", "orders_202610");
            for (String m : List.of("202609", "202610")) {
                String month = m.substring(0, 4) + "-" + m.substring(4);
                assertThat(rows(a, "SELECT order_id, customer_id, amount FROM orders_" + m + " ORDER BY order_id"))
                        .isEqualTo(rows(ref, "SELECT order_id, customer_id, amount FROM orders WHERE created_at >= '"
                                + month + "-01' AND created_at < '" + (m.equals("202609") ? "2026-10" : "2026-11")
                                + "-01' ORDER BY order_id"))
                        .hasSize(60);
            }
        }
    }

    @Test
    void i14_120_theArchiverMovesWholePeriodTablesAndReadsStayExact() throws Exception {
        try (ShardedDataSource ds = open()) {
            readsMatch(ds, "before");
            ArchiveReport dry = Archiver.of(ds, "orders").dryRun(true).run();
            assertThat(dry.rowsFound()).isEqualTo(120);
            assertThat(dry.rowsMoved()).isZero();
            List<Long> progress = new ArrayList<>();
            ArchiveReport report = Archiver.of(ds, "orders").batchSize(25).listener(new ArchiveListener() {
                @Override
                public void progress(io.shardkit.archive.ArchiveProgress p) {
                    progress.add(p.rowsMoved());
                }
            }).run();
            assertThat(progress).as("rows moved after each period").containsExactly(60L, 120L);
            assertThat(report.rowsFound()).isEqualTo(120);
            assertThat(report.rowsMoved()).isEqualTo(120);
            assertThat(report.batches()).as("periods moved").isEqualTo(2);
            archiveHoldsTheOldPeriods(ds);
            readsMatch(ds, "after");
            assertThat(ds.explain("SELECT COUNT(*) FROM orders").toString()).contains("archive [s2] holds periods");
            ArchiveReport again = Archiver.of(ds, "orders").run();
            assertThat(again.rowsFound()).as("nothing left to move").isZero();
        }
    }

    @Test
    void i14_121_writesThatCouldReachAnArchivedPeriodAreRefused() throws Exception {
        try (ShardedDataSource ds = open()) {
            Archiver.of(ds, "orders").run();
            try (Connection c = ds.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)")) {
                    ps.setInt(1, 1000);
                    ps.setInt(2, 1);
                    ps.setObject(3, day("2026-09-30"));
                    ps.setInt(4, 1);
                    SQLException e = catchThrowableOfType(ps::executeUpdate, SQLException.class);
                    assertThat(e.getSQLState()).isEqualTo(SqlStates.READ_ONLY_SQL_TRANSACTION);
                    assertThat(e.getMessage()).contains("orders_202609 is archived on read-only [s2]");
                }
                for (String sql : List.of("UPDATE orders SET amount = 1", "DELETE FROM orders WHERE order_id = 5",
                        "DELETE FROM orders WHERE created_at < '2026-10-05'")) {
                    SQLException e = catchThrowableOfType(() -> c.createStatement().executeUpdate(sql), SQLException.class);
                    assertThat((Throwable) e).as(sql).isNotNull();
                    assertThat(e.getSQLState()).as(sql).isEqualTo(SqlStates.READ_ONLY_SQL_TRANSACTION);
                    assertThat(e.getMessage()).contains("may reach periods archived on read-only [s2]");
                }
                int n = c.createStatement().executeUpdate("UPDATE orders SET amount = amount + 1 WHERE created_at >= '2026-12-01'");
                assertThat(n).as("hot periods stay writable").isEqualTo(60);
            }
        }
    }

    @Test
    void i14_122_aCrashAtAnyStepLosesNothingAndTheNextRunFinishes() throws Exception {
        for (ArchiveListener.Step step : ArchiveListener.Step.values()) {
            setUp();
            try (ShardedDataSource ds = open()) {
                ArchiveListener crash = new ArchiveListener() {
                    @Override
                    public void afterStep(Step s, String hotShard, List<Object> ids) {
                        if (s == step && ids.equals(List.of("orders_202610"))) {
                            throw new IllegalStateException("crash after " + s);
                        }
                    }
                };
                Throwable t = catchThrowableOfType(() -> Archiver.of(ds, "orders").listener(crash).run(),
                        IllegalStateException.class);
                assertThat(t).as(step.name()).hasMessage("crash after " + step);
                readsMatch(ds, "after a crash after " + step);
                try (ShardedDataSource other = open()) {
                    readsMatch(other, "a new data source after a crash after " + step);
                }
                Archiver.of(ds, "orders").run();
                archiveHoldsTheOldPeriods(ds);
                readsMatch(ds, "after the run that followed a crash after " + step);
            }
        }
    }

    @Test
    void i14_123_aDataSourceThatReadTheCatalogBeforeTheMoveStaysExact() throws Exception {
        try (ShardedDataSource stale = open(); ShardedDataSource mover = open()) {
            readsMatch(stale, "before");
            Archiver.of(mover, "orders").run();
            readsMatch(stale, "a data source whose catalog predates the move");
            try (Connection c = stale.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)")) {
                ps.setInt(1, 1001);
                ps.setInt(2, 2);
                ps.setObject(3, day("2026-10-30"));
                ps.setInt(4, 1);
                SQLException e = catchThrowableOfType(ps::executeUpdate, SQLException.class);
                assertThat((Throwable) e).as("never a write into a period reads no longer see").isNotNull();
            }
        }
    }

    @Test
    void i14_124_aWriteDuringTheCopyIsKept() throws Exception {
        try (ShardedDataSource ds = open()) {
            ArchiveListener write = new ArchiveListener() {
                @Override
                public void afterStep(Step s, String hotShard, List<Object> ids) throws SQLException {
                    if (s == Step.COPIED && ids.equals(List.of("orders_202609")) && hotShard.equals("s1")) {
                        try (Connection c = ds.getConnection(); Connection ref = shards.openReference()) {
                            for (Connection x : List.of(c, ref)) {
                                x.createStatement().executeUpdate("UPDATE orders SET amount = 500 WHERE order_id IN (4, 8)"
                                        + " AND created_at < '2026-10-01'");
                            }
                        }
                    }
                }
            };
            Archiver.of(ds, "orders").listener(write).run();
            readsMatch(ds, "after a write between copy and switch");
            try (Connection c = ds.getConnection()) {
                assertThat(rows(c, "SELECT COUNT(*) FROM orders WHERE amount = 500")).containsExactly("2");
            }
        }
    }

    @Test
    void i14_125_retentionDropsAnArchivedPeriodAndARangeReadSkipsTheArchive() throws Exception {
        try (ShardedDataSource ds = open()) {
            Archiver.of(ds, "orders").run();
            assertThat(ds.explain("SELECT COUNT(*) FROM orders WHERE created_at >= '2026-12-01'").toString())
                    .contains("no archived period of orders can match → hot only");
            Archiver archiver = Archiver.of(ds, "orders");
            SQLException e = catchThrowableOfType(() -> archiver.dropArchived("orders_202609", "orders_202610"),
                    SQLException.class);
            assertThat(e.getMessage()).contains("to confirm, pass its name again");
            assertThat(archiver.dropArchived("orders_202609", "orders_202609")).containsExactly("s2");
            try (Connection ref = shards.openReference(); Statement st = ref.createStatement()) {
                st.executeUpdate("DELETE FROM orders WHERE created_at < '2026-10-01'");
            }
            readsMatch(ds, "after dropping September");
            try (Connection a = shards.open(2)) {
                assertThat(SplitCatalog.read(a, ds.shardMap().tables().get("orders").split()))
                        .containsExactly("orders_202610");
            }
        }
    }

    @Test
    void i14_126_aReadPairingRowsAcrossTiersIsRefused() throws Exception {
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection()) {
            Archiver.of(ds, "orders").run();
            String sql = "SELECT COUNT(*) FROM orders a JOIN orders b ON a.customer_id = b.customer_id"
                    + " WHERE a.customer_id = 3 AND b.customer_id = 3";
            SQLException e = catchThrowableOfType(() -> rows(c, sql), SQLException.class);
            assertThat(e.getSQLState()).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED);
            assertThat(e.getMessage()).contains("a read of orders over archived periods [orders_202609, orders_202610]"
                    + " that names orders more than once");
            SQLException drop = catchThrowableOfType(() -> Archiver.of(ds, "orders").dropArchived("orders_202609",
                    "orders_202609 "), SQLException.class);
            assertThat(drop.getSQLState()).isEqualTo(io.shardkit.Tenants.NOT_CONFIRMED);
        }
    }

    /** Rows of each hot shard's {@code orders_<month>}, read on the shards directly. */
    List<Long> hotCounts(String month) throws SQLException {
        List<Long> out = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s)) {
                out.add(count(c, "SELECT COUNT(*) FROM orders_" + month));
            }
        }
        return out;
    }

    List<String> archivedOn(ShardedDataSource ds) throws SQLException {
        try (Connection a = shards.open(2)) {
            return SplitCatalog.readArchived(a, "orders", ds.shardMap().tables().get("orders").split());
        }
    }

    @Test
    void i14_127_aCopyThatDoesNotReadBackStopsTheMoveAndDropsNothing() throws Exception {
        try (ShardedDataSource ds = open()) {
            String big = "UPDATE orders SET amount = 16777217 WHERE order_id = 4 AND created_at < '2026-10-01'";
            try (Connection c = ds.getConnection(); Connection ref = shards.openReference()) {
                assertThat(c.createStatement().executeUpdate(big)).isEqualTo(1);
                assertThat(ref.createStatement().executeUpdate(big)).isEqualTo(1);
            }
            try (Connection a = shards.open(2); Statement st = a.createStatement()) {
                st.execute(lossy("orders_202609")); // made by hand on the archive, with a type that loses the value
            }
            List<Long> before = hotCounts("202609");
            SQLException e = catchThrowableOfType(() -> Archiver.of(ds, "orders").run(), SQLException.class);
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(Archiver.VERIFY_FAILED);
            assertThat(e.getMessage()).contains("archiving orders_202609 of orders: the copy on s2 does not read back as s")
                    .contains("nothing was dropped");
            assertThat(archivedOn(ds)).as("never listed").isEmpty();
            for (int s = 0; s < 2; s++) {
                assertThat(tablesOn(ds, s)).as("no period dropped on s" + s).containsExactly("orders_202609",
                        "orders_202610", "orders_202611", "orders_202612");
            }
            assertThat(hotCounts("202609")).isEqualTo(before);
            assertThat(before.get(0) + before.get(1)).isEqualTo(60);
            readsMatch(ds, "after a copy that did not read back");
            try (Connection c = ds.getConnection()) {
                assertThat(rows(c, "SELECT amount FROM orders WHERE order_id = 4")).containsExactly("16777217");
            }
        }
    }

    @Test
    void i14_128_aPeriodTableWithoutTheKeyColumnIsNotArchivable() throws Exception {
        try (ShardedDataSource ds = open()) {
            try (Connection c = shards.open(0); Statement st = c.createStatement()) {
                st.execute("ALTER TABLE orders_202609 DROP COLUMN customer_id");
            }
            List<Long> before = hotCounts("202609");
            List<Long> october = hotCounts("202610");
            SQLException e = catchThrowableOfType(() -> Archiver.of(ds, "orders").run(), SQLException.class);
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(Archiver.NOT_ARCHIVABLE);
            assertThat(e.getMessage()).isEqualTo("archiving orders_202609: it has no column customer_id");
            assertThat(archivedOn(ds)).isEmpty();
            assertThat(tablesOn(ds, 2)).as("nothing made on the archive").isEmpty();
            for (int s = 0; s < 2; s++) {
                assertThat(tablesOn(ds, s)).containsExactly("orders_202609", "orders_202610", "orders_202611",
                        "orders_202612");
            }
            assertThat(hotCounts("202609")).isEqualTo(before);
            assertThat(before.get(0) + before.get(1)).isEqualTo(60);
            assertThat(hotCounts("202610")).isEqualTo(october);
        }
    }

    @Test
    void i14_129_aReadNamingAnArchivedPeriodTableReadsTheArchive() throws Exception {
        try (ShardedDataSource ds = open(); Connection c = ds.getConnection(); Connection ref = shards.openReference()) {
            Archiver.of(ds, "orders").run();
            String sept = "created_at >= '2026-09-01' AND created_at < '2026-10-01'";
            String oct = "created_at >= '2026-10-01' AND created_at < '2026-11-01'";
            assertThat(rows(c, "SELECT order_id, customer_id, amount FROM orders_202609 ORDER BY order_id"))
                    .isEqualTo(rows(ref, "SELECT order_id, customer_id, amount FROM orders WHERE " + sept
                            + " ORDER BY order_id")).hasSize(60);
            assertThat(rows(c, "SELECT COUNT(*), SUM(amount) FROM orders_202610 WHERE customer_id = 3"))
                    .isEqualTo(rows(ref, "SELECT COUNT(*), SUM(amount) FROM orders WHERE customer_id = 3 AND " + oct));
            assertThat(rows(c, "SELECT COUNT(*) FROM orders_202609 a JOIN orders_202610 b ON a.customer_id = b.customer_id"))
                    .isEqualTo(rows(ref, "SELECT COUNT(*) FROM (SELECT * FROM orders WHERE " + sept + ") a JOIN (SELECT *"
                            + " FROM orders WHERE " + oct + ") b ON a.customer_id = b.customer_id"));
            assertThat(ds.explain("SELECT COUNT(*) FROM orders_202609").toString())
                    .contains("archive s2 holds [orders_202609] of orders → read there");
            assertThat(rows(c, "SELECT COUNT(*) FROM orders_202611")).as("a hot period's table stays hot")
                    .containsExactly("60");
            for (String sql : List.of("SELECT COUNT(*) FROM orders_202609 a JOIN orders_202611 b"
                    + " ON a.customer_id = b.customer_id WHERE a.customer_id = 3 AND b.customer_id = 3",
                    "SELECT COUNT(*) FROM orders o JOIN orders_202609 p ON o.customer_id = p.customer_id"
                    + " WHERE o.customer_id = 3 AND p.customer_id = 3")) {
                SQLException e = catchThrowableOfType(() -> rows(c, sql), SQLException.class);
                assertThat((Throwable) e).as(sql).isNotNull();
                assertThat(e.getSQLState()).as(sql).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED);
                assertThat(e.getMessage()).as(sql).containsPattern("orders_202609.*archived on (read-only )?\\[s2\\]");
            }
            for (String sql : List.of("UPDATE orders_202609 SET amount = 1", "DELETE FROM orders_202609",
                    "INSERT INTO orders_202609 (order_id, customer_id, created_at, amount) VALUES (999, 1, '2026-09-02', 1)")) {
                SQLException e = catchThrowableOfType(() -> c.createStatement().executeUpdate(sql), SQLException.class);
                assertThat((Throwable) e).as(sql).isNotNull();
                assertThat(e.getSQLState()).as(sql).isEqualTo(SqlStates.FEATURE_NOT_SUPPORTED);
                assertThat(e.getMessage()).as(sql).contains("a statement other than a query that names orders_202609");
            }
            String locking = "SELECT * FROM orders_202609 WHERE customer_id = 3 FOR UPDATE";
            SQLException e = catchThrowableOfType(() -> rows(c, locking), SQLException.class);
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(SqlStates.READ_ONLY_SQL_TRANSACTION);
            assertThat(e.getMessage()).startsWith("SELECT ... FOR UPDATE/SHARE naming [orders_202609], archived on"
                    + " read-only [s2]; write through orders to its hot periods");
            archiveHoldsTheOldPeriods(ds);
            readsMatch(ds, "after reads and refused writes of archived period tables");
        }
    }
}
