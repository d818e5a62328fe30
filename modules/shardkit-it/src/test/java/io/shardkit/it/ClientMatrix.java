package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The client matrix on one database: each client runs the same operations (schema, CRUD by key, a
 * per-player transaction with a nested savepoint, batch insert with generated keys, a cross-shard
 * paged list and count, an aggregate report, a co-located join, a refused statement) once through
 * shardkit over four shards, under a {@link JdbcTap}, and once on the reference database; the
 * answers must be equal. The tap's counts go to {@code target/jdbc-tap/<client>-<db>.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClientMatrix {
    Matrix m;

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        m = new Matrix(shards);
    }

    @AfterAll
    void close() {
        if (m != null) {
            m.close();
        }
    }

    @AfterEach
    void noConnectionLeaked() {
        for (String s : m.ds.shardNames()) {
            assertThat(m.ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }

    /** Runs a client's operations through the tap and on the reference, compares, writes the tap's report. */
    void compare(String client, Scenario scenario) throws Exception {
        JdbcTap tap = new JdbcTap();
        Map<String, Object> sharded;
        try {
            sharded = scenario.run(tap.wrap(m.ds), true);
        } finally {
            System.out.println(tap.report(client + "-" + m.db));
        }
        Map<String, Object> reference = scenario.run(m.reference, false);
        assertThat(sharded).as(client + " on " + m.db + ": sharded vs one database").isEqualTo(reference);
    }

    interface Scenario {
        Map<String, Object> run(DataSource ds, boolean sharded) throws Exception;
    }

    /** Issue 12, bug 7: an outer pool bigger than the shards' pools, used from as many threads, does not starve. */
    @Test
    void i12_07_outerPoolOverShardkit() throws Exception {
        long started = System.nanoTime();
        assertThat(OuterPoolCheck.run(m.ds)).isEqualTo((long) OuterPoolCheck.THREADS * OuterPoolCheck.ROWS_PER_THREAD);
        System.out.printf("outer pool over shardkit on %s: %d threads x %d rows in %d ms%n", m.db, OuterPoolCheck.THREADS,
                OuterPoolCheck.ROWS_PER_THREAD, (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void springJdbc() throws Exception {
        compare("spring", (ds, sharded) -> SpringJdbcClient.run(ds, m, sharded));
    }

    @Test
    void jooq() throws Exception {
        compare("jooq", (ds, sharded) -> JooqClient.run(ds, m, sharded));
    }

    @Test
    void myBatis() throws Exception {
        compare("mybatis", (ds, sharded) -> MyBatisClient.run(ds, m, sharded));
    }

    @Test
    void hibernate() throws Exception {
        compare("hibernate", (ds, sharded) -> HibernateClient.run(ds, m, sharded));
    }

    // issue 12: Hibernate's update hb_notes set body=?,player_id=? where note_id=? and player_id=? (the key set to
    // the value its WHERE pins) used to be refused as "UPDATE changes the shard key"
    @Test
    void hibernateUpdateSettingSameShardKey() throws Exception {
        assertThat(HibernateClient.updateNote(m.ds, m)).isEqualTo("second");
    }

    // issue 12: key = ANY(?) narrows like IN (Hibernate's findMultiple / batch loading on PostgreSQL)
    @Test
    void hibernateFindMultiple() throws Exception {
        assertThat(HibernateClient.findMultiple(m.ds, m)).containsExactly("1,p1,37", "3,p3,11", "4,p4,48");
    }

    @Test
    void flyway() throws Exception {
        JdbcTap tap = new JdbcTap();
        MigrationClients.drop(m.ds, "fw", "fw_history");
        MigrationClients.drop(m.reference, "fw", "fw_history");
        // through the routed data source: refused (0A000)
        Throwable routed = catchThrowable(() -> MigrationClients.flyway(m.ds, m));
        assertThat((Throwable) Matrix.refusal(routed)).as("a refusal in %s", routed).isNotNull();
        assertThat(Matrix.refusal(routed).getSQLState()).isEqualTo("0A000");
        System.out.println("flyway over the routed data source on " + m.db + ": refused: " + Matrix.refusal(routed).getMessage());
        MigrationClients.drop(m.ds, "fw", "fw_history");
        try {
            for (String shard : m.ds.shardNames()) {
                MigrationClients.flyway(tap.wrap(m.shardDataSource(shard)), m);
            }
        } finally {
            System.out.println(tap.report("flyway-" + m.db));
        }
        MigrationClients.flyway(m.reference, m);
        MigrationClients.assertMigratedEverywhere(m, "fw", "fw_history");
        assertThat(MigrationClients.use(m.ds, "fw")).isEqualTo(MigrationClients.use(m.reference, "fw"));
    }

    @Test
    void liquibase() throws Exception {
        JdbcTap tap = new JdbcTap();
        MigrationClients.drop(m.ds, "lb", "lb_changelog,lb_changelog_lock");
        MigrationClients.drop(m.reference, "lb", "lb_changelog,lb_changelog_lock");
        Throwable routed = catchThrowable(() -> MigrationClients.liquibase(m.ds));
        assertThat((Throwable) Matrix.refusal(routed)).as("a refusal in %s", routed).isNotNull();
        assertThat(Matrix.refusal(routed).getSQLState()).isEqualTo("0A000");
        System.out.println("liquibase over the routed data source on " + m.db + ": refused: " + Matrix.refusal(routed).getMessage());
        MigrationClients.drop(m.ds, "lb", "lb_changelog,lb_changelog_lock");
        try {
            for (String shard : m.ds.shardNames()) {
                MigrationClients.liquibase(tap.wrap(m.shardDataSource(shard)));
            }
        } finally {
            System.out.println(tap.report("liquibase-" + m.db));
        }
        MigrationClients.liquibase(m.reference);
        MigrationClients.assertMigratedEverywhere(m, "lb", "lb_changelog");
        assertThat(MigrationClients.use(m.ds, "lb")).isEqualTo(MigrationClients.use(m.reference, "lb"));
    }

    // issue 12: subqueries pinned by the key route to one shard (fetchExists, fetchCount(select))
    @Test
    void jooqPinnedSubqueries() throws Exception {
        JooqClient.run(m.ds, m, true);
        JooqClient.run(m.reference, m, false);
        assertThat(JooqClient.pinnedSubqueries(m.ds, m)).isEqualTo(JooqClient.pinnedSubqueries(m.reference, m));
    }

    /** Plain JDBC: keys of a batch of single-row inserts, as the driver and as shardkit return them. */
    @Test
    void plainBatchGeneratedKeys() throws Exception {
        String ddl = "CREATE TABLE sp_notes (" + m.identity("note_id") + ", player_id BIGINT, body VARCHAR(20))";
        List<List<Long>> got = new ArrayList<>();
        for (DataSource ds : new DataSource[] {m.ds, m.reference}) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS sp_notes");
                st.execute(ddl);
                List<Long> keys = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO sp_notes (player_id, body) VALUES (?, ?)", new String[] {"note_id"})) {
                    for (long p = 1; p <= 22; p++) {
                        ps.setLong(1, (p + 1) / 2);
                        ps.setString(2, "n" + p);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    try (ResultSet rs = ps.getGeneratedKeys()) {
                        while (rs.next()) {
                            keys.add(rs.getLong(1));
                        }
                    }
                }
                got.add(keys);
            }
        }
        System.out.println("batch keys on " + m.db + ": shardkit " + got.get(0) + ", one database " + got.get(1));
        // shard by shard the keys count from 1: ids are unique per shard only
        assertThat(got.get(0)).containsExactly(1L, 2L, 1L, 2L, 1L, 2L, 1L, 2L, 3L, 4L, 3L, 4L, 3L, 4L, 3L, 4L,
                5L, 6L, 5L, 6L, 5L, 6L);
        if (!m.db.equals("sqlite")) { // sqlite-jdbc returns no keys after executeBatch
            assertThat(got.get(1)).hasSameSizeAs(got.get(0));
        }
    }

    /**
     * A multi-row INSERT ... RETURNING split over shards answers its rows in VALUES order, through
     * executeQuery (jOOQ's multi-row {@code returningResult} on PostgreSQL) and execute; it was
     * refused, and before that failed with 07000 "use executeUpdate". A part that returns fewer rows
     * than it inserted (a conflict clause skipped one) rolls back every shard and is refused, and a
     * RETURNING write that reaches several shards otherwise (a key-less UPDATE) stays refused.
     */
    @Test
    void i12_m01_splitInsertReturning() throws Exception {
        List<List<String>> got = new ArrayList<>();
        for (DataSource ds : new DataSource[] {m.ds, m.reference}) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS sp_notes");
                st.execute("CREATE TABLE sp_notes (note_id BIGINT PRIMARY KEY, player_id BIGINT, body VARCHAR(20))");
                List<String> rows = new ArrayList<>();
                // execute + getResultSet: MySQL Connector/J's executeQuery refuses INSERT ... RETURNING (one database too)
                assertThat(st.execute("INSERT INTO sp_notes (note_id, player_id, body) VALUES "
                        + "(10, 1, 'a'), (20, 2, 'b'), (11, 1, 'c'), (33, 3, 'd') RETURNING note_id, body")).isTrue();
                try (ResultSet rs = st.getResultSet()) {
                    assertThat(rs.getMetaData().getColumnCount()).isEqualTo(2);
                    while (rs.next()) {
                        rows.add(rs.getLong(1) + ":" + rs.getString(2));
                    }
                }
                if (!m.db.equals("mysql")) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO sp_notes (note_id, player_id, body)"
                            + " VALUES (?, ?, 'e'), (?, ?, 'f') RETURNING body, note_id")) {
                        ps.setLong(1, 42);
                        ps.setLong(2, 2);
                        ps.setLong(3, 41);
                        ps.setLong(4, 1);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                rows.add(rs.getString(1) + ":" + rs.getLong(2));
                            }
                        }
                    }
                }
                got.add(rows);
            }
        }
        assertThat(got.get(0)).startsWith("10:a", "20:b", "11:c", "33:d").isEqualTo(got.get(1));
        if (!m.db.equals("mysql")) {
            assertThat(got.get(0)).endsWith("e:42", "f:41");
        }
        try (Connection c = m.ds.getConnection(); Statement st = c.createStatement()) {
            // a conflict clause may skip a row only where every unique key holds the shard key
            st.execute("DROP TABLE IF EXISTS fw_notes");
            st.execute("CREATE TABLE fw_notes (player_id BIGINT, match_id BIGINT, points INT, PRIMARY KEY (player_id, match_id))");
            st.execute("INSERT INTO fw_notes (player_id, match_id, points) VALUES (2, 20, 1)");
            String skip = m.db.equals("mysql")
                    ? "INSERT IGNORE INTO fw_notes (player_id, match_id, points) VALUES (1, 50, 5), (2, 20, 9) RETURNING match_id"
                    : "INSERT INTO fw_notes (player_id, match_id, points) VALUES (1, 50, 5), (2, 20, 9)"
                            + " ON CONFLICT (player_id, match_id) DO NOTHING RETURNING match_id";
            assertThatThrownBy(() -> st.execute(skip))
                    .satisfies(e -> Matrix.assertRefused(e, "shard s2 returned 0 rows for the 1 it was given"));
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM fw_notes WHERE player_id = 1")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the row on the other shard was rolled back").isZero();
            }
            assertThatThrownBy(() -> st.executeQuery(
                    "UPDATE sp_notes SET body = 'x' RETURNING note_id"))
                    .satisfies(e -> Matrix.assertRefused(e, "a write with RETURNING that reaches 4 shards"));
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sp_notes WHERE body = 'x'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("nothing updated").isZero();
            }
            assertThatThrownBy(() -> st.executeQuery(
                    "INSERT INTO sp_notes (note_id, player_id, body) VALUES (60, 1, 'a'), (70, 2, 'b')"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07000"));
        }
    }

    /** Plain JDBC: keys of one multi-row INSERT split over shards, in VALUES order (MyBatis foreach + useGeneratedKeys). */
    @Test
    void plainSplitInsertGeneratedKeys() throws Exception {
        String ddl = "CREATE TABLE sp_notes (" + m.identity("note_id") + ", player_id BIGINT, body VARCHAR(20))";
        List<List<String>> got = new ArrayList<>();
        for (DataSource ds : new DataSource[] {m.ds, m.reference}) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS sp_notes");
                st.execute(ddl);
                st.executeUpdate("INSERT INTO sp_notes (player_id, body) VALUES (1, 'x')");
                List<String> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sp_notes (player_id, body) VALUES "
                        + "(?, 'a'), (?, 'b'), (?, 'c'), (?, 'd')", new String[] {"note_id"})) {
                    ps.setLong(1, 1);
                    ps.setLong(2, 2);
                    ps.setLong(3, 1);
                    ps.setLong(4, 3);
                    assertThat(ps.executeUpdate()).isEqualTo(4);
                    try (ResultSet rs = ps.getGeneratedKeys()) {
                        while (rs.next()) {
                            long key = rs.getLong(1);
                            try (ResultSet b = st.executeQuery("SELECT player_id, body FROM sp_notes WHERE note_id = "
                                    + key + " AND player_id IN (1, 2, 3) ORDER BY player_id")) {
                                StringBuilder r = new StringBuilder(key + ":");
                                while (b.next()) {
                                    r.append(b.getLong(1)).append(b.getString(2)).append(' ');
                                }
                                rows.add(r.toString().trim());
                            }
                        }
                    }
                }
                got.add(rows);
            }
        }
        System.out.println("split insert keys on " + m.db + ": shardkit " + got.get(0) + ", one database " + got.get(1));
        if (m.db.equals("sqlite")) { // sqlite-jdbc answers one key (the last rowid) for a multi-row INSERT
            assertThat(got.get(0)).hasSameSizeAs(got.get(1)).hasSize(1);
        } else { // VALUES order; ids count per shard (s1 already held player 1's 'x')
            assertThat(got.get(0)).containsExactly("2:1a", "1:1x 2b 3d", "3:1c", "1:1x 2b 3d");
            assertThat(got.get(1)).containsExactly("2:1a", "3:2b", "4:1c", "5:3d");
        }
    }

    /** Plain JDBC: DatabaseMetaData.getSQLKeywords(), which Hibernate reads to pick its dialect. */
    @Test
    void plainMetaDataKeywords() throws Exception {
        String[] got = new String[2];
        int i = 0;
        for (DataSource ds : new DataSource[] {m.ds, m.reference}) {
            try (Connection c = ds.getConnection()) {
                try {
                    got[i] = "ok " + c.getMetaData().getSQLKeywords().length();
                } catch (SQLException e) {
                    got[i] = e.getSQLState() + " " + e.getMessage();
                }
            }
            i++;
        }
        System.out.println("getSQLKeywords on " + m.db + ": shardkit " + got[0] + "; one database " + got[1]);
        // MySQL Connector/J reads INFORMATION_SCHEMA.KEYWORDS.RESERVED, which MariaDB lacks: one database fails too
        assertThat(got[0].replace("shard s0: ", "")).isEqualTo(got[1]);
    }

    /**
     * DatabaseMetaData questions naming the catalog shardkit itself reported (Spring's
     * SimpleJdbcInsert passes getTables' TABLE_CAT to getColumns) describe every shard's own
     * database: on PostgreSQL the other shards answered nothing (so SimpleJdbcInsert sent
     * "INSERT INTO t () VALUES()"), on MariaDB they described shard s0's database instead of theirs.
     */
    @Test
    void i12_m02_metadataCatalogNamesEveryShardsOwnDatabase() throws Exception {
        try (Connection c = m.ds.getConnection(); Statement st = c.createStatement()) {
            for (String t : List.of("jq_notes", "mb_notes")) {
                st.execute("DROP TABLE IF EXISTS " + t);
                st.execute("CREATE TABLE " + t + " (a INT, b INT)");
            }
        }
        try (Connection direct = m.shards.open(2); Statement st = direct.createStatement()) {
            st.execute("ALTER TABLE mb_notes DROP COLUMN b");
        }
        try (Connection c = m.ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String catalog;
            try (ResultSet rs = md.getTables(null, null, "jq_notes", new String[] {"TABLE"})) {
                assertThat(rs.next()).isTrue();
                catalog = rs.getString("TABLE_CAT");
            }
            assertThat(columns(md, catalog, "jq_notes")).containsExactly("a", "b");
            assertThat(columns(md, catalog, "mb_notes")).as("s2 lacks b").containsExactly("a");
            assertThat(columns(md, c.getCatalog(), "jq_notes")).containsExactly("a", "b");
        }
    }

    private static List<String> columns(DatabaseMetaData md, String catalog, String table)
            throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getColumns(catalog, null, table, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }
}
