package io.shardkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10's write-path and statement-level cases in each server dialect's own syntax, against one
 * unsharded reference database holding the same rows: a write is answered with the reference's
 * update count and leaves the same contents, each row on its key's shard and every broadcast copy
 * equal; or it is refused (0A000) with nothing written. {@code t_item} is sharded by
 * {@code id mod 4}, {@code t_event} co-located by {@code item_id}, {@code t_ref} broadcast.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WriteCasesContract {
    private static final String[] TABLES = {"t_item", "t_event", "t_ref"};

    ShardSet shards;
    ShardedDataSource ds;

    /** UPDATE of t_ref joined with t_item, in the dialect's syntax. */
    abstract String joinedBroadcastUpdate();

    /** DELETE from t_ref joined with t_item, in the dialect's syntax. */
    abstract String joinedBroadcastDelete();

    /** An upsert of t_item row 1 that sets its id to 99. */
    abstract String upsertChangingKey();

    /** An upsert of t_item row 1 that changes its name only. */
    abstract String upsertKeepingKey();

    /** A broadcast write using the dialect's random uuid function. */
    abstract String volatileUuidWrite();

    /** The column definition of an auto-generated BIGINT primary key named id. */
    abstract String autoIdColumn();

    /** The dialect's function answering the id the connection's last INSERT generated. */
    abstract String lastIdFunction();

    /** Transaction and session control the dialect accepts as SQL text. */
    abstract List<String> sessionStatements();

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                pool:
                  maximumPoolSize: 4
                tables:
                  t_item:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  t_event:
                    key: item_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  t_ref:
                    broadcast: true
                  t_auto:
                    key: owner
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    @BeforeEach
    void load() throws SQLException {
        String[] ddl = {
            "CREATE TABLE t_item (id BIGINT PRIMARY KEY, grp INT, name VARCHAR(40), weight DOUBLE PRECISION)",
            "CREATE TABLE t_event (event_id BIGINT PRIMARY KEY, item_id BIGINT, kind VARCHAR(10))",
            "CREATE TABLE t_ref (code INT PRIMARY KEY, name VARCHAR(40), w INT)",
        };
        StringBuilder items = new StringBuilder("INSERT INTO t_item (id, grp, name, weight) VALUES ");
        for (int i = 1; i <= 24; i++) {
            items.append(i == 1 ? "" : ", ").append("(" + i + ", " + (i % 5) + ", 'n" + i + "', " + (i * 0.5) + ")");
        }
        StringBuilder events = new StringBuilder("INSERT INTO t_event (event_id, item_id, kind) VALUES ");
        for (int e = 1; e <= 30; e++) {
            events.append(e == 1 ? "" : ", ").append("(" + e + ", " + (e % 26 + 1) + ", 'k" + (e % 3) + "')");
        }
        String refs = "INSERT INTO t_ref (code, name, w) VALUES (0, 'zero', 0), (1, 'one', 1), (2, 'two', 2), (3, 'three', 3)";
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                Connection r = shards.openReference(); Statement ref = r.createStatement()) {
            for (String t : TABLES) {
                st.execute("DROP TABLE IF EXISTS " + t);
                ref.execute("DROP TABLE IF EXISTS " + t);
            }
            for (String sql : ddl) {
                st.execute(sql);
                ref.execute(sql);
            }
            for (String sql : new String[] {items.toString(), events.toString(), refs}) {
                st.executeUpdate(sql);
                ref.executeUpdate(sql);
            }
        }
    }

    @Test
    void case18_broadcastWritesCountOneCopy() throws SQLException {
        sameWrite("INSERT INTO t_ref (code, name, w) VALUES (100, 'hundred', 100)");
        sameWrite("UPDATE t_ref SET w = w + 1 WHERE code < 3");
    }

    @Test
    void case19_insertIntoBroadcastFromShardedIsRefused() throws SQLException {
        refusedWrite("INSERT INTO t_ref (code, name, w) SELECT id + 1000, name, 0 FROM t_item",
                "a write to broadcast table t_ref that reads or writes t_item");
    }

    @Test
    void case20_broadcastWritesJoinedWithShardedAreRefused() throws SQLException {
        refusedWrite(joinedBroadcastUpdate(), "a write to broadcast table t_ref that reads or writes t_item");
        refusedWrite(joinedBroadcastDelete(), "a write to broadcast table t_ref that reads or writes t_item");
    }

    @Test
    void case21_upsertChangingTheShardKeyIsRefused() throws SQLException {
        refusedWrite(upsertChangingKey(), "an upsert that changes the shard key t_item.id");
        sameWrite(upsertKeepingKey());
    }

    /** An upsert of t_event (sharded by item_id, primary key event_id) reacting to any unique key. */
    abstract String upsertOfAnyUniqueKey();

    @Test
    void case26_upsertsWhoseConflictMaySitOnAnotherShardAreRefused() throws SQLException {
        refusedWrite(upsertOfAnyUniqueKey(), "an upsert into sharded table t_event that reacts to any unique key,"
                + " while its primary key (event_id) does not include the shard key item_id");
    }

    @Test
    void case23_volatileBroadcastWritesAreRefused() throws SQLException {
        refusedWrite("UPDATE t_ref SET name = NOW()", "a write to broadcast table t_ref using NOW()",
                "bind it as a ? parameter");
        refusedWrite(volatileUuidWrite(), "a write to broadcast table t_ref using");
        refusedWrite("UPDATE t_ref SET name = CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP");
    }

    @Test
    void case25_transactionAndSessionControlInSqlTextIsRefused() throws SQLException {
        for (String sql : sessionStatements()) {
            refusedWrite(sql, "shardkit");
        }
        // nothing was left open on a pooled connection: an autocommit INSERT is there for everyone
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO t_item (id, grp, name) VALUES (77, 1, 'kept')");
        }
        try (Connection c = shards.open(1); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name FROM t_item WHERE id = 77")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("kept");
        }
    }

    /** Issue 12, bug 2: the last generated id is the last write's shard's, not the first shard held's. */
    @Test
    void lastGeneratedIdAnswersForTheShardLastWritten() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS t_auto");
            st.execute("CREATE TABLE t_auto (" + autoIdColumn() + ", owner BIGINT, body VARCHAR(10))");
        }
        try (Connection direct = shards.open(2); Statement st = direct.createStatement()) {
            st.executeUpdate("INSERT INTO t_auto (owner, body) VALUES (2, 'a'), (6, 'b'), (10, 'c'), (14, 'd'), (18, 'e')");
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO t_auto (owner, body) VALUES (0, 'on s0')");
            st.executeUpdate("INSERT INTO t_auto (owner, body) VALUES (22, 'on s2')");
            long id;
            try (ResultSet rs = st.executeQuery("SELECT " + lastIdFunction())) {
                assertThat(rs.next()).isTrue();
                id = rs.getLong(1);
            }
            assertThat(id).isEqualTo(6L);
            try (ResultSet rs = st.executeQuery("SELECT owner FROM t_auto WHERE owner = 22 AND id = " + id)) {
                assertThat(rs.next()).as("the row the id names").isTrue();
            }
        } finally {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE t_auto");
            }
        }
    }

    /**
     * Issue 12, bug 4: generated keys of a batch come back for every entry in the caller's order,
     * and those of a multi-row INSERT split over shards in the order of its rows, each the id of
     * the row it names.
     */
    @Test
    void i12_04_generatedKeysOfBatchesAndSplitInsertsAreInTheCallersOrder() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS t_auto");
            st.execute("CREATE TABLE t_auto (" + autoIdColumn() + ", owner BIGINT, body VARCHAR(10))");
        }
        try (Connection direct = shards.open(2); Statement st = direct.createStatement()) {
            st.executeUpdate("INSERT INTO t_auto (owner, body) VALUES (2, 'a'), (6, 'b'), (10, 'c'), (14, 'd'), (18, 'e')");
        }
        try (Connection c = ds.getConnection()) {
            long[] owners = {0, 2, 1, 6, 4, 10, 3};
            List<Long> keys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t_auto (owner, body) VALUES (?, ?)",
                    new String[] {"id"})) {
                for (long owner : owners) {
                    ps.setLong(1, owner);
                    ps.setString(2, "b" + owner);
                    ps.addBatch();
                }
                assertThat(ps.executeBatch()).hasSize(owners.length);
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    while (rs.next()) {
                        keys.add(rs.getLong(1));
                    }
                }
            }
            assertThat(keys).containsExactly(1L, 6L, 1L, 7L, 2L, 8L, 1L);
            assertIdsName(c, owners, "b", keys);
            long[] more = {22, 8, 26, 5};
            List<Long> split = new ArrayList<>();
            try (Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO t_auto (owner, body) VALUES (22, 'm22'), (8, 'm8'), (26, 'm26'), (5, 'm5')",
                        new String[] {"id"});
                try (ResultSet rs = st.getGeneratedKeys()) {
                    while (rs.next()) {
                        split.add(rs.getLong(1));
                    }
                }
            }
            assertThat(split).containsExactly(9L, 3L, 10L, 2L);
            assertIdsName(c, more, "m", split);
        } finally {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP TABLE t_auto");
            }
        }
    }

    /**
     * Issue 12, bug 3: catalog metadata answers with what every shard holding the table has (each
     * shard's own database name aside), so a column one shard lacks is missing from the answer.
     */
    @Test
    void i12_03_catalogMetadataIsTheShardsCommonSchema() throws SQLException {
        assertThat(columnsOf("t_item")).containsExactly("id", "grp", "name", "weight");
        try (Connection direct = shards.open(2); Statement st = direct.createStatement()) {
            st.execute("ALTER TABLE t_item DROP COLUMN weight");
        }
        assertThat(columnsOf("t_item")).containsExactly("id", "grp", "name");
        try (Connection c = ds.getConnection()) {
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
        }
    }

    /** Issue 12, bug 6: a savepoint set before any statement chose a shard is rolled back on the shard written. */
    @Test
    void i12_06_savepointBeforeTheFirstStatementRollsBackTheShardWritten() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            c.getMetaData().getDatabaseProductVersion();
            Savepoint sp = c.setSavepoint();
            st.executeUpdate("INSERT INTO t_item (id, grp, name) VALUES (102, 1, 'undone')");
            Savepoint inner = c.setSavepoint("inner");
            st.executeUpdate("INSERT INTO t_item (id, grp, name) VALUES (106, 1, 'undone too')");
            c.rollback(inner);
            c.rollback(sp);
            st.executeUpdate("INSERT INTO t_item (id, grp, name) VALUES (110, 1, 'kept')");
            c.commit();
            c.setAutoCommit(true);
            try (ResultSet rs = st.executeQuery("SELECT name FROM t_item WHERE id IN (102, 106, 110)")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    private List<String> columnsOf(String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getColumns(null, null, table, null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static void assertIdsName(Connection c, long[] owners, String prefix, List<Long> keys) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < owners.length; i++) {
                try (ResultSet rs = st.executeQuery("SELECT id FROM t_auto WHERE owner = " + owners[i] + " AND body = '"
                        + prefix + owners[i] + "'")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("entry " + i).isEqualTo(keys.get(i));
                }
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A refused write leaves every shard as it was. */
    void refusedWrite(String sql, String... fragments) throws SQLException {
        List<List<String>> before = contents();
        assertThatThrownBy(() -> {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute(sql);
            }
        }).as(sql).isInstanceOf(SQLException.class).hasMessageContainingAll(fragments)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("0A000"));
        assertThat(contents()).as("contents after refused " + sql).isEqualTo(before);
    }

    /** The write gives the reference's update count, and afterwards every table and every row's shard agree. */
    void sameWrite(String sql) throws SQLException {
        int want;
        try (Connection r = shards.openReference(); Statement st = r.createStatement()) {
            want = st.executeUpdate(sql);
        }
        int got;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            got = st.executeUpdate(sql);
        }
        assertThat(got).as("update count of " + sql).isEqualTo(want);
        List<List<String>> shardRows = contents();
        try (Connection r = shards.openReference()) {
            for (int t = 0; t < TABLES.length; t++) {
                List<String> expected = rows(r, TABLES[t]);
                List<String> union = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    List<String> rows = shardRows.get(s * TABLES.length + t);
                    if (TABLES[t].equals("t_ref")) {
                        assertThat(rows).as("copy of t_ref on s" + s + " after " + sql).isEqualTo(expected);
                        continue;
                    }
                    for (String row : rows) {
                        long key = Long.parseLong(row.split("\\|")[TABLES[t].equals("t_item") ? 0 : 1]);
                        assertThat(Math.floorMod(key, 4)).as("shard of " + TABLES[t] + " row " + row).isEqualTo(s);
                    }
                    union.addAll(rows);
                }
                if (!TABLES[t].equals("t_ref")) {
                    assertThat(union).as(TABLES[t] + " after " + sql).containsExactlyInAnyOrderElementsOf(expected);
                }
            }
        }
    }

    /** Each shard's rows of each table, read directly: s0 t_item, s0 t_event, s0 t_ref, s1 t_item, ... */
    private List<List<String>> contents() throws SQLException {
        List<List<String>> out = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            try (Connection c = shards.open(s)) {
                for (String table : TABLES) {
                    out.add(rows(c, table));
                }
            }
        }
        return out;
    }

    private static List<String> rows(Connection c, String table) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY 1")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
