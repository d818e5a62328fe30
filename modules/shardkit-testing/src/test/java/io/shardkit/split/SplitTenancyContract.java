package io.shardkit.split;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.Tenants;
import io.shardkit.split.SplitAheadContract.MovableClock;
import io.shardkit.testing.ShardSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Split tables in a map with schema-per-tenant tenancy (issue 14: "every reference to the logical
 * table in every statement that reaches a data node ... tenant templates"): each tenant's schema
 * holds its own physical tables, read from its own catalog, created there by {@code create: {ahead}},
 * changed there by DDL on the logical table; reads merge the tenant's tables only. Checked in
 * rewrite and search_path modes (and on PostgreSQL role mode, where the tenant's own role runs the
 * statements, the creations and the DDL fan-out, logged in as an ordinary role) against the
 * databases directly.
 *
 * <p>Map: {@code matches} mod N over the shards and by {@code player_id mod 4} by name
 * ({@code matches_0..3}); {@code orders} by month by name, made a month ahead like the newest one;
 * {@code visits} by month by name, made on the first write of its month.
 * Tenant {@code client1} has all four match tables on every shard; {@code client2} lacks
 * {@code matches_3}, so a catalog shared between tenants would send client2's reads to a table
 * its schema does not have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SplitTenancyContract {
    ShardSet shards;
    final Map<String, ShardedDataSource> byMode = new HashMap<>();
    /** The mode whose data source made each tenant: only it drops the tenant wholly (role mode: its role too). */
    final Map<String, String> createdBy = new HashMap<>();
    final MovableClock clock = new MovableClock("2026-11-15T10:00:00Z");

    /** How many of the shards the map uses (MariaDB: one; a tenant's database is server-wide). */
    abstract int shardCount();

    /** The tenant schema (database) pattern. */
    abstract String pattern();

    abstract String quote(String name);

    /** The tenancy modes this database runs. */
    List<String> modes() {
        return List.of("rewrite", "search_path");
    }

    /** The shards as the data source of {@code mode} logs in to them. */
    ShardSet loginFor(String mode) throws SQLException {
        return shards;
    }

    /** Undoes {@link #loginFor}, after the tenants are dropped. */
    void dropLogins() throws SQLException {
    }

    String schemaOf(String tenant) {
        return pattern().replace("{tenant}", tenant);
    }

    @BeforeAll
    void open(ShardSet all) throws Exception {
        shards = new ShardSet(all.dialect(), all.names().subList(0, shardCount()), all.urls().subList(0, shardCount()),
                all.user(), all.password());
        String list = String.join(", ", shards.names());
        Path dir = Files.createTempDirectory("split-tenancy");
        for (String mode : modes()) {
            Path map = dir.resolve(mode + ".yaml");
            Files.writeString(map, loginFor(mode).yamlShards() + """
                    pool:
                      maximumPoolSize: 4
                    tables:
                      matches:
                        key: player_id
                        strategy: {type: mod, shards: [%s]}
                        split: {by: player_id, as: {type: mod, count: 4}, name: "matches_{n}"}
                      orders:
                        key: customer_id
                        strategy: {type: mod, shards: [%s]}
                        split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: {ahead: 1}}
                      visits:
                        key: visitor_id
                        strategy: {type: mod, shards: [%s]}
                        split: {by: day, as: {type: month}, name: "visits_{yyyyMM}", create: onFirstWrite}
                    tenancy:
                      mode: %s
                      schema: "%s"
                    """.formatted(list, list, list, mode, pattern()));
            ShardedDataSource ds = ShardedDataSource.fromYaml(map);
            ds.tables().clock(clock);
            byMode.put(mode, ds);
        }
    }

    @AfterAll
    void close() throws SQLException {
        for (String t : List.of("client1", "client2")) {
            dropTenant(t);
        }
        for (ShardedDataSource ds : byMode.values()) {
            ds.close();
        }
        dropLogins();
    }

    /** Drops {@code tenant} through the data source that made it (any, when none did). */
    void dropTenant(String tenant) throws SQLException {
        ShardedDataSource owner = byMode.get(createdBy.getOrDefault(tenant, "rewrite"));
        if (owner != null && owner.tenants().exists(tenant)) {
            owner.tenants().drop(tenant, tenant);
        }
        createdBy.remove(tenant);
    }

    @AfterEach
    void noConnectionLeaked() {
        for (ShardedDataSource ds : byMode.values()) {
            assertThat(ds.tenants().connectionsEvicted()).as("connections evicted: reset failed").isZero();
            for (String s : ds.shardNames()) {
                assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
            }
        }
    }

    /** The data source of {@code mode} with both tenants made afresh: client2 without matches_3. */
    ShardedDataSource fresh(String mode) throws SQLException {
        ShardedDataSource ds = byMode.get(mode);
        Tenants tenants = ds.tenants();
        for (String t : List.of("client1", "client2")) {
            dropTenant(t);
            createdBy.put(t, mode);
            int tables = t.equals("client1") ? 4 : 3;
            tenants.create(t, c -> {
                try (Statement st = c.createStatement()) {
                    for (int n = 0; n < tables; n++) {
                        st.execute("CREATE TABLE matches_" + n + " (match_id BIGINT PRIMARY KEY, player_id BIGINT NOT NULL,"
                                + " score INT)");
                    }
                    st.execute("CREATE TABLE orders_202610 (order_id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                            + " created_at DATE NOT NULL)");
                    st.execute("CREATE TABLE visits_202610 (visit_id BIGINT PRIMARY KEY, visitor_id BIGINT NOT NULL,"
                            + " day DATE NOT NULL)");
                }
            });
        }
        return ds;
    }

    static List<String> column(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int k = 1; k <= rs.getMetaData().getColumnCount(); k++) {
                        row.append(k == 1 ? "" : ",").append(rs.getString(k));
                    }
                    out.add(row.toString());
                }
            }
        }
        return out;
    }

    /** A column read on shard {@code s} behind shardkit's back. */
    List<String> direct(int s, String sql) throws SQLException {
        try (Connection c = shards.open(s)) {
            return column(c, sql);
        }
    }

    boolean exists(int s, String schema, String table) throws SQLException {
        return !direct(s, "SELECT 1 FROM information_schema.tables WHERE table_schema = '" + schema
                + "' AND table_name = '" + table + "'").isEmpty();
    }

    /** The schemas of shard {@code s} other than the tenants' that hold {@code table}. */
    List<String> outsideTenants(int s, String table) throws SQLException {
        return direct(s, "SELECT table_schema FROM information_schema.tables WHERE table_name = '" + table + "'"
                + " AND table_schema NOT IN ('" + schemaOf("client1") + "', '" + schemaOf("client2") + "')");
    }

    /** Matches of players 0..7 for client1 and 0..2 for client2, through shardkit (a batch and a multi-row INSERT). */
    void insertMatches(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.forTenant("client1").getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO matches (match_id, player_id, score) VALUES (?, ?, ?)")) {
            for (int p = 0; p < 8; p++) {
                ps.setLong(1, 100 + p);
                ps.setLong(2, p);
                ps.setInt(3, 10 * p);
                ps.addBatch();
            }
            assertThat(ps.executeBatch()).containsOnly(1).hasSize(8);
        }
        try (Connection c = ds.forTenant("client2").getConnection(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO matches (match_id, player_id, score) VALUES (200, 0, 1), (201, 1, 2),"
                    + " (202, 2, 3)")).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void eachTenantsRowsLandInItsOwnPhysicalTablesAndReadsMergeOnlyThose(String mode) throws SQLException {
        ShardedDataSource ds = fresh(mode);
        insertMatches(ds);
        int n = shardCount();
        for (int p = 0; p < 8; p++) {
            assertThat(direct(p % n, "SELECT match_id FROM " + quote(schemaOf("client1")) + ".matches_" + (p % 4)
                    + " WHERE player_id = " + p)).as("client1's player " + p).containsExactly(String.valueOf(100 + p));
        }
        for (int p = 0; p < 3; p++) {
            assertThat(direct(p % n, "SELECT match_id FROM " + quote(schemaOf("client2")) + ".matches_" + (p % 4)
                    + " WHERE player_id = " + p)).as("client2's player " + p).containsExactly(String.valueOf(200 + p));
        }
        for (int s = 0; s < n; s++) {
            for (int t = 0; t < 4; t++) {
                assertThat(exists(s, schemaOf("client2"), "matches_3")).isFalse();
                assertThat(outsideTenants(s, "matches_" + t)).as("schemas outside the tenants' with matches_" + t).isEmpty();
            }
        }
        try (Connection c1 = ds.forTenant("client1").getConnection();
                Connection c2 = ds.forTenant("client2").getConnection()) {
            assertThat(column(c1, "SELECT COUNT(*), SUM(score) FROM matches")).containsExactly("8,280");
            assertThat(column(c2, "SELECT COUNT(*), SUM(score) FROM matches")).containsExactly("3,6");
            assertThat(column(c1, "SELECT match_id FROM matches ORDER BY score DESC LIMIT 3"))
                    .containsExactly("107", "106", "105");
            assertThat(column(c2, "SELECT player_id % 2, COUNT(*) FROM matches GROUP BY player_id % 2 ORDER BY 1"))
                    .containsExactly("0,2", "1,1");
            assertThat(column(c1, "SELECT match_id FROM matches WHERE player_id = ?", 6)).containsExactly("106");
            assertThat(column(c2, "SELECT match_id FROM matches WHERE player_id = ?", 1)).containsExactly("201");
            assertThat(column(c2, "SELECT match_id FROM matches WHERE player_id IN (?, ?, ?) ORDER BY match_id", 0, 2, 6))
                    .containsExactly("200", "202");
            // a physical table named directly: the tenant's own
            assertThat(column(c1, "SELECT match_id FROM matches_1 ORDER BY match_id")).containsExactly("101", "105");
            assertThat(column(c2, "SELECT match_id FROM matches_1")).containsExactly("201");
            assertThat(c2.createStatement().executeUpdate("UPDATE matches SET score = score + 1")).isEqualTo(3);
            assertThat(c2.createStatement().executeUpdate("DELETE FROM matches WHERE player_id = 2")).isEqualTo(1);
            assertThat(column(c2, "SELECT SUM(score) FROM matches")).containsExactly("5");
            assertThat(column(c1, "SELECT SUM(score) FROM matches")).containsExactly("280");
            c1.setAutoCommit(false);
            assertThat(c1.createStatement().executeUpdate("DELETE FROM matches WHERE player_id IN (0, 4)")).isEqualTo(2);
            assertThat(column(c1, "SELECT COUNT(*) FROM matches")).containsExactly("6");
            c1.rollback();
            c1.setAutoCommit(true);
            assertThat(column(c1, "SELECT COUNT(*) FROM matches")).containsExactly("8");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void createAheadMakesTheTablesInEachTenantsOwnSchema(String mode) throws SQLException {
        ShardedDataSource ds = fresh(mode);
        for (String t : List.of("client1", "client2")) {
            try (Connection c = ds.forTenant(t).getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO orders (order_id, customer_id, created_at)"
                            + " VALUES (?, ?, ?)")) {
                for (int i = 0; i < 4; i++) {
                    ps.setLong(1, i);
                    ps.setLong(2, i);
                    ps.setDate(3, Date.valueOf(i % 2 == 0 ? "2026-11-20" : "2026-12-03"));
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                assertThat(column(c, "SELECT COUNT(*) FROM orders WHERE created_at >= ?", Date.valueOf("2026-12-01")))
                        .containsExactly("2");
            }
        }
        for (int s = 0; s < shardCount(); s++) {
            for (String t : List.of("client1", "client2")) {
                for (String table : List.of("orders_202611", "orders_202612")) {
                    assertThat(exists(s, schemaOf(t), table)).as(table + " of " + t + " on shard " + s).isTrue();
                    assertOwnedByTheTenantsRole(mode, s, t, table);
                }
            }
            assertThat(outsideTenants(s, "orders_202611")).isEmpty();
        }
        int n = shardCount();
        assertThat(direct(1 % n, "SELECT order_id FROM " + quote(schemaOf("client2")) + ".orders_202612 ORDER BY 1"))
                .containsExactly("1", "3");
    }

    /** Role mode: physical table {@code table} of tenant {@code t} on shard {@code s} is owned by the tenant's role, made as it. */
    void assertOwnedByTheTenantsRole(String mode, int s, String t, String table) throws SQLException {
        if (mode.equals("role")) {
            assertThat(byMode.get(mode).tenants().roleWarnings()).as("the login role is an ordinary one").isEmpty();
            assertThat(direct(s, "SELECT tableowner FROM pg_tables WHERE schemaname = '" + schemaOf(t)
                    + "' AND tablename = '" + table + "'")).as("owner of " + table + " of " + t + " on shard " + s)
                    .containsExactly(schemaOf(t));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void onFirstWriteMakesTheTableInEachTenantsOwnSchema(String mode) throws SQLException {
        ShardedDataSource ds = fresh(mode);
        for (String t : List.of("client1", "client2")) {
            int visits = t.equals("client1") ? 4 : 2;
            try (Connection c = ds.forTenant(t).getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO visits (visit_id, visitor_id, day) VALUES (?, ?, ?)")) {
                for (int i = 0; i < visits; i++) {
                    ps.setLong(1, 10 + i);
                    ps.setLong(2, i);
                    ps.setDate(3, Date.valueOf("2026-12-0" + (1 + i)));
                    assertThat(ps.executeUpdate()).isEqualTo(1);
                }
                assertThat(column(c, "SELECT COUNT(*) FROM visits WHERE day >= ?", Date.valueOf("2026-12-01")))
                        .containsExactly(String.valueOf(visits));
            }
        }
        int n = shardCount();
        for (int s = 0; s < n; s++) {
            for (String t : List.of("client1", "client2")) {
                assertThat(exists(s, schemaOf(t), "visits_202612")).as("visits_202612 of " + t + " on shard " + s).isTrue();
                assertOwnedByTheTenantsRole(mode, s, t, "visits_202612");
                assertThat(exists(s, schemaOf(t), "visits_202611")).isFalse();
            }
            assertThat(outsideTenants(s, "visits_202612")).isEmpty();
        }
        assertThat(direct(1 % n, "SELECT visit_id FROM " + quote(schemaOf("client2")) + ".visits_202612 ORDER BY 1"))
                .containsExactly(n == 1 ? new String[] {"10", "11"} : new String[] {"11"});
    }

    @ParameterizedTest
    @MethodSource("modes")
    void ddlOnTheLogicalTableChangesOnlyTheTenantsPhysicalTables(String mode) throws SQLException {
        ShardedDataSource ds = fresh(mode);
        insertMatches(ds);
        try (Connection c1 = ds.forTenant("client1").getConnection(); Statement st = c1.createStatement()) {
            st.execute("ALTER TABLE matches ADD COLUMN note VARCHAR(20)");
            st.executeUpdate("UPDATE matches SET note = 'x' WHERE player_id = 3");
            assertThat(column(c1, "SELECT match_id, note FROM matches WHERE note IS NOT NULL")).containsExactly("103,x");
        }
        for (int s = 0; s < shardCount(); s++) {
            for (int t = 0; t < 4; t++) {
                assertThat(direct(s, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '"
                        + schemaOf("client1") + "' AND table_name = 'matches_" + t + "' AND column_name = 'note'"))
                        .as("client1 matches_" + t + " on shard " + s).containsExactly("1");
                assertThat(direct(s, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = '"
                        + schemaOf("client2") + "' AND column_name = 'note'")).containsExactly("0");
            }
        }
        try (Connection c2 = ds.forTenant("client2").getConnection()) {
            assertThat(column(c2, "SELECT COUNT(*) FROM matches")).containsExactly("3");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void droppingATenantForgetsItsPhysicalTablesAndExplainReadsItsOwnCatalog(String mode) throws SQLException {
        ShardedDataSource ds = fresh(mode);
        insertMatches(ds);
        try (Connection c1 = ds.forTenant("client1").getConnection()) {
            assertThat(column(c1, "SELECT COUNT(*) FROM matches")).containsExactly("8");
        }
        ds.tenants().drop("client1", "client1");
        ds.tenants().create("client1", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE matches_0 (match_id BIGINT PRIMARY KEY, player_id BIGINT NOT NULL, score INT)");
            }
        });
        try (Connection c1 = ds.forTenant("client1").getConnection(); Statement st = c1.createStatement()) {
            assertThat(column(c1, "SELECT COUNT(*) FROM matches")).containsExactly("0");
            st.executeUpdate("INSERT INTO matches (match_id, player_id, score) VALUES (1, 4, 1)");
            assertThat(column(c1, "SELECT player_id FROM matches")).containsExactly("4");
            List<String> plan = column(c1, "EXPLAIN SELECT COUNT(*) FROM matches");
            assertThat(String.join("\n", plan)).contains("matches_0").doesNotContain("matches_1");
        }
        try (Connection c2 = ds.forTenant("client2").getConnection()) {
            List<String> plan = column(c2, "EXPLAIN SELECT COUNT(*) FROM matches");
            assertThat(String.join("\n", plan)).contains("matches_2").doesNotContain("matches_3");
        }
    }
}
