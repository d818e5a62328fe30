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
}
