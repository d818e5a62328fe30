package io.shardkit.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import io.shardkit.TenantDataSource;
import io.shardkit.Tenants;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.sql.SqlLexer;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schema-per-tenant on a real server, in both modes over the same databases: the seed scenario
 * ({@code SELECT * FROM users} for client1 reads client1's users; the shared users table keeps its
 * schema), the multi-shard paths (split INSERT, merged read) staying in the tenant's schema, pooled
 * connections going back clean, and the lifecycle (create with DDL, list, migrate, drop with
 * confirmation). Every check of where rows landed reads the database directly.
 *
 * <p>Map: {@code orders} split by {@code id mod N} over the shards, everything else on s0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenantContract {
    ShardSet shards;
    ShardedDataSource rewrite;
    ShardedDataSource searchPath;

    /** How many of the four databases the map uses. */
    abstract int shardCount();

    /** The tenant schema pattern. */
    abstract String pattern();

    /** The schema (database) of the shared users table: the shard's own. */
    abstract String sharedSchema();

    /** An identifier quoted for the dialect. */
    abstract String quote(String name);

    /** SQL answering the schema (database) the connection is in. */
    abstract String currentSchemaSql();

    /** SQL answering the server's id of the connection. */
    abstract String connectionIdSql();

    /** The schema (database) as JDBC reports it: {@code getSchema} or {@code getCatalog}. */
    abstract String jdbcSchema(Connection c) throws SQLException;

    /** Switches a raw connection's schema the way search_path mode does. */
    abstract void switchTo(Connection c, String schema) throws SQLException;

    String schemaOf(String tenant) {
        return pattern().replace("{tenant}", tenant);
    }

    ShardedDataSource ds(String mode) {
        return mode.equals("rewrite") ? rewrite : searchPath;
    }

    private ShardedDataSource open(String mode) throws SQLException {
        ShardSet used = new ShardSet(shards.dialect(), shards.names().subList(0, shardCount()),
                shards.urls().subList(0, shardCount()), shards.user(), shards.password());
        String list = String.join(", ", used.names());
        String yaml = used.yamlShards() + """
                pool:
                  maximumPoolSize: 4
                tables:
                  orders:
                    key: id
                    strategy: {type: mod, shards: [%s]}
                defaultShard: s0
                tenancy:
                  mode: %s
                  schema: "%s"
                  shared: [%s.users]
                """.formatted(list, mode, pattern(), sharedSchema());
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeAll
    void setUp(ShardSet shards) throws Exception {
        this.shards = shards;
        rewrite = open("rewrite");
        searchPath = open("search_path");
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + sharedSchema() + ".users (login VARCHAR(40), tenant VARCHAR(40))");
            st.execute("INSERT INTO " + sharedSchema() + ".users VALUES ('alice@a', 'client1'), ('bob@b', 'client2')");
        }
        for (String t : List.of("client1", "client2")) {
            if (rewrite.tenants().exists(t)) {
                rewrite.tenants().drop(t, t);
            }
            rewrite.tenants().create(t, "tenant/schema.sql");
        }
    }

    @AfterAll
    void tearDown() throws SQLException {
        if (rewrite != null) {
            for (String t : rewrite.tenants().list()) {
                rewrite.tenants().drop(t, t);
            }
            rewrite.close();
        }
        if (searchPath != null) {
            searchPath.close();
        }
    }

    @BeforeEach
    void emptyTenantTables() throws SQLException {
        for (String t : List.of("client1", "client2")) {
            try (Connection c = rewrite.forTenant(t).getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("DELETE FROM users");
                st.executeUpdate("DELETE FROM orders");
            }
        }
    }

    @AfterEach
    void noConnectionLeakedNorEvicted() {
        for (ShardedDataSource ds : List.of(rewrite, searchPath)) {
            assertThat(ds.tenants().connectionsEvicted()).as("connections evicted: reset failed").isZero();
            for (String s : ds.shardNames()) {
                assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
            }
        }
    }

    // ---- helpers reading the databases directly ----

    List<String> column(int shard, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = shards.open(shard); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    static List<String> column(Connection c, String sql, Object... params) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static String state(Throwable e) {
        return ((SQLException) e).getSQLState();
    }

    // ---- the seed scenario ----

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void usersOfClient1AreClient1sUsersAndTheSharedTableKeepsItsSchema(String mode) throws SQLException {
        ShardedDataSource ds = ds(mode);
        try (Connection c1 = ds.forTenant("client1").getConnection();
                Connection c2 = ds.forTenant("client2").getConnection()) {
            try (Statement st = c1.createStatement()) {
                st.executeUpdate("INSERT INTO users (id, name) VALUES (1, 'alice')");
            }
            try (PreparedStatement ps = c2.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
                ps.setLong(1, 1);
                ps.setString(2, "bob");
                ps.executeUpdate();
            }
            assertThat(column(c1, "SELECT name FROM users")).containsExactly("alice");
            assertThat(column(c2, "SELECT name FROM users")).containsExactly("bob");
            try (Statement st = c2.createStatement();
                    PreparedStatement ps = c2.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
                st.addBatch("INSERT INTO users (id, name) VALUES (2, 'bea')");
                st.addBatch("UPDATE users SET name = 'bo' WHERE id = 1");
                assertThat(st.executeBatch()).containsExactly(1, 1);
                ps.setLong(1, 3);
                ps.setString(2, "bert");
                ps.addBatch();
                assertThat(ps.executeBatch()).containsExactly(1);
            }
            assertThat(column(c2, "SELECT name FROM users ORDER BY id")).containsExactly("bo", "bea", "bert");
            assertThat(column(c1, "SELECT login FROM " + sharedSchema() + ".users ORDER BY login"))
                    .containsExactly("alice@a", "bob@b");
            assertThat(column(c1, "SELECT u.name FROM users u JOIN " + sharedSchema() + ".users l ON l.tenant = ?"
                    + " WHERE u.id = 1", "client1")).containsExactly("alice");
            assertThat(c1.getSchema()).isEqualTo(schemaOf("client1"));
        }
        assertThat(column(0, "SELECT name FROM " + quote(schemaOf("client1")) + ".users")).containsExactly("alice");
        assertThat(column(0, "SELECT name FROM " + quote(schemaOf("client2")) + ".users ORDER BY id"))
                .containsExactly("bo", "bea", "bert");
        assertThat(column(0, "SELECT COUNT(*) FROM " + sharedSchema() + ".users")).containsExactly("2");
    }

    /** Issue 10, case 24: a tenant's text of two statements could reach another tenant's schema with its tail. */
    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void case24_twoStatementsThroughATenantAreRefused(String mode) throws SQLException {
        ShardedDataSource ds = ds(mode);
        try (Connection c2 = ds.forTenant("client2").getConnection(); Statement st = c2.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, name) VALUES (1, 'bob')");
        }
        String other = quote(schemaOf("client2")) + ".users";
        try (Connection c1 = ds.forTenant("client1").getConnection(); Statement st = c1.createStatement()) {
            for (String sql : List.of("SELECT 1; UPDATE " + other + " SET name = 'x'",
                    "SELECT id FROM users; DELETE FROM " + other)) {
                assertThatThrownBy(() -> st.execute(sql))
                        .isInstanceOf(RefusedException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"))
                        .hasMessageContaining(SqlLexer.SEVERAL_STATEMENTS);
            }
            try (PreparedStatement ps = c1.prepareStatement("SELECT name FROM users WHERE id = ?; UPDATE " + other
                    + " SET name = 'x'")) {
                ps.setLong(1, 1);
                assertThatThrownBy(ps::executeQuery).isInstanceOf(RefusedException.class)
                        .hasMessageContaining(SqlLexer.SEVERAL_STATEMENTS);
            }
        }
        assertThat(column(0, "SELECT name FROM " + other)).containsExactly("bob");
    }

    /** For maps with several shards (PostgreSQL here: on MySQL a database, so a tenant, is server-wide). */
    void splitInsertsMergedReadsAndTransactionsStayInTheTenantsSchema(String mode) throws SQLException {
        ShardedDataSource ds = ds(mode);
        try (Connection c1 = ds.forTenant("client1").getConnection();
                Connection c2 = ds.forTenant("client2").getConnection();
                Statement s1 = c1.createStatement(); Statement s2 = c2.createStatement()) {
            assertThat(s1.executeUpdate("INSERT INTO orders (id, user_id, total) VALUES (1, 1, 10), (2, 1, 20), (3, 1, 30),"
                    + " (4, 1, 40)")).isEqualTo(4);
            assertThat(s2.executeUpdate("INSERT INTO orders (id, user_id, total) VALUES (101, 1, 1), (102, 1, 2)"))
                    .isEqualTo(2);
            assertThat(column(c1, "SELECT id FROM orders ORDER BY id DESC LIMIT 3")).containsExactly("4", "3", "2");
            assertThat(column(c2, "SELECT id FROM orders ORDER BY id")).containsExactly("101", "102");
            assertThat(column(c1, "SELECT SUM(total) FROM orders")).containsExactly("100");
            assertThat(s2.executeUpdate("UPDATE orders SET total = total + 1")).isEqualTo(2);

            c1.setAutoCommit(false);
            s1.executeUpdate("INSERT INTO orders (id, user_id, total) VALUES (5, 1, 50)");
            assertThat(column(c1, "SELECT COUNT(*) FROM orders")).containsExactly("5");
            c1.rollback();
            assertThat(column(c1, "SELECT COUNT(*) FROM orders")).containsExactly("4");
            c1.setAutoCommit(true);
        }
        assertThat(column(1, "SELECT id FROM " + quote(schemaOf("client1")) + ".orders ORDER BY id"))
                .containsExactly("1", "3");
        assertThat(column(1, "SELECT id FROM " + quote(schemaOf("client2")) + ".orders ORDER BY id"))
                .containsExactly("101");
        assertThat(column(0, "SELECT total FROM " + quote(schemaOf("client1")) + ".orders ORDER BY id"))
                .containsExactly("20", "40");
    }

    @Test
    void switchingTenantsNeverParsesAgain() throws SQLException {
        String sql = "SELECT name FROM users WHERE id = ?";
        try (Connection c = rewrite.forTenant("client1").getConnection()) {
            column(c, sql, 1);
        }
        long parsed = rewrite.tenants().templatesParsed();
        for (int i = 0; i < 5; i++) {
            for (String t : List.of("client1", "client2")) {
                try (Connection c = rewrite.forTenant(t).getConnection()) {
                    column(c, sql, 1);
                }
            }
        }
        assertThat(rewrite.tenants().templatesParsed()).isEqualTo(parsed);
    }

    // ---- refusals ----

    /**
     * A tenant's logical connection switches each shard connection once and keeps it until it closes
     * (switch and return check cost a round trip each), unlike a routed connection, which gives shard
     * connections back between statements in autocommit (issue 12, bug 7).
     */
    @Test
    void aTenantConnectionKeepsItsSwitchedShardConnectionsUntilItCloses() throws SQLException {
        String shard = shards.name(0);
        int before = searchPath.activeConnections(shard);
        try (Connection c = searchPath.forTenant("client1").getConnection()) {
            column(c, "SELECT name FROM users");
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            assertThat(sc.holds(shard)).isTrue();
            column(c, "SELECT name FROM users");
            assertThat(searchPath.activeConnections(shard)).isEqualTo(before + 1);
        }
        assertThat(searchPath.activeConnections(shard)).isEqualTo(before);
    }

    @Test
    void anUnknownTenantIsAnError() {
        assertThatThrownBy(() -> rewrite.forTenant("nobody"))
                .hasMessage("unknown tenant 'nobody': shard s0 has no schema " + schemaOf("nobody")
                        + " (create the tenant with ds.tenants().create(\"nobody\", ...))")
                .extracting(TenantContract::state).isEqualTo(Tenants.UNKNOWN_TENANT);
    }

    @Test
    void rewriteModeRefusesAnotherTenantsSchemaAndWhatItCannotConfine() throws SQLException {
        try (Connection c = rewrite.forTenant("client1").getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM " + schemaOf("client2") + ".users"))
                    .hasMessageStartingWith("the statement names schema " + schemaOf("client2") + ", which belongs to"
                            + " another tenant; a connection of tenant client1 reaches only " + schemaOf("client1"))
                    .extracting(TenantContract::state).isEqualTo("42501");
            assertThatThrownBy(() -> st.execute("GRANT SELECT ON users TO somebody"))
                    .hasMessageContaining("the statement Grant (GRANT SELECT ON users TO somebody) through shardkit")
                    .extracting(TenantContract::state).isEqualTo("0A000");
        }
    }

    // ---- pooled connections ----

    @Test
    void searchPathModeReturnsEveryConnectionInTheDefaultSchema() throws Exception {
        String tenantConnection;
        try (Connection c = searchPath.forTenant("client1").getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, name) VALUES (7, 'carol')");
            assertThat(column(c, currentSchemaSql())).containsExactly(schemaOf("client1"));
            tenantConnection = column(c, connectionIdSql()).get(0);
        }
        String fresh = column(0, currentSchemaSql()).get(0);
        List<Connection> held = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Connection pinned = searchPath.connectionTo("s0");
                held.add(pinned);
                assertThat(column(pinned, currentSchemaSql())).as("pooled connection " + i).containsExactly(fresh);
                assertThat(jdbcSchema(pinned)).isEqualTo(fresh);
                ids.add(column(pinned, connectionIdSql()).get(0));
            }
            assertThat(ids).as("the tenant's connection went back to the pool (reset, not evicted)")
                    .contains(tenantConnection);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    /** Why shardkit resets the schema itself: HikariCP restores it only when the pool configures one. */
    @Test
    void hikariKeepsASchemaChangedThroughItsProxy() throws SQLException {
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(shards.url(0));
            pool.setUsername(shards.user());
            pool.setPassword(shards.password());
            pool.setMaximumPoolSize(1);
            String fresh;
            try (Connection c = pool.getConnection()) {
                fresh = column(c, currentSchemaSql()).get(0);
                switchTo(c, schemaOf("client1"));
            }
            try (Connection c = pool.getConnection()) {
                assertThat(column(c, currentSchemaSql())).as("HikariCP %s left the schema changed", "6.3")
                        .containsExactly(schemaOf("client1")).doesNotContain(fresh);
            }
        }
    }

    // ---- lifecycle ----

    @Test
    void createRunsTheDdlListMigrateAndDropWithConfirmation() throws SQLException {
        Tenants tenants = rewrite.tenants();
        TenantDataSource client3 = tenants.create("client3", "tenant/schema.sql");
        assertThat(tenants.list()).contains("client1", "client2", "client3");
        for (int s = 0; s < shardCount(); s++) {
            assertThat(column(s, "SELECT COUNT(*) FROM " + quote(schemaOf("client3")) + ".orders")).containsExactly("0");
        }
        tenants.migrate("client3", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE users ADD COLUMN email VARCHAR(80)");
            }
        });
        try (Connection c = client3.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (id, name, email) VALUES (1, 'dan', 'dan@c')");
            assertThat(column(c, "SELECT email FROM users")).containsExactly("dan@c");
        }
        TenantDataSource client4 = tenants.create("client4", c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(20))");
            }
        });
        try (Connection c = client4.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (id, body) VALUES (1, 'hi')");
        }
        assertThat(column(0, "SELECT body FROM " + quote(schemaOf("client4")) + ".notes")).containsExactly("hi");

        assertThatThrownBy(() -> tenants.drop("client3", "yes"))
                .extracting(TenantContract::state).isEqualTo(Tenants.NOT_CONFIRMED);
        assertThat(tenants.exists("client3")).isTrue();
        tenants.drop("client3", "client3");
        tenants.drop("client4", "client4");
        assertThat(tenants.list()).doesNotContain("client3", "client4").contains("client1", "client2");
        assertThatThrownBy(client3::getConnection).hasMessage("tenant client3 was dropped")
                .extracting(TenantContract::state).isEqualTo(Tenants.UNKNOWN_TENANT);
        assertThatThrownBy(() -> rewrite.forTenant("client3")).extracting(TenantContract::state)
                .isEqualTo(Tenants.UNKNOWN_TENANT);
        assertThatThrownBy(() -> tenants.drop("client3", "client3")).extracting(TenantContract::state)
                .isEqualTo(Tenants.UNKNOWN_TENANT);
    }

    @Test
    void aFailedCreateLeavesNothingBehind() throws SQLException {
        assertThatThrownBy(() -> rewrite.tenants().create("client5", "tenant/broken.sql"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("tenant/broken.sql, statement 2:");
        assertThat(rewrite.tenants().exists("client5")).isFalse();
        assertThat(rewrite.tenants().list()).doesNotContain("client5");
        assertThatThrownBy(() -> rewrite.tenants().create("client6", "tenant/missing.sql"))
                .hasMessage("tenant DDL resource 'tenant/missing.sql' is not on the class path");
        assertThat(rewrite.tenants().exists("client6")).isFalse();
    }

    @Test
    void creatingAnExistingTenantIsRefused() {
        assertThatThrownBy(() -> rewrite.tenants().create("client1"))
                .hasMessage("tenant client1 exists already: shard s0 has schema " + schemaOf("client1"))
                .extracting(TenantContract::state).isEqualTo(Tenants.EXISTS);
    }
}
