package io.shardkit.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardMapException;
import io.shardkit.ShardedDataSource;
import io.shardkit.testing.MariaDbShards;
import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11's hostile SQL on MariaDB, in rewrite and search_path modes (a database per tenant, one
 * shard: tenant databases are server-wide). There is no role mode on MariaDB: a role there only
 * adds privileges to the login user's, so isolation is by shardkit's checks, and the map says so
 * (case 07). What the server cannot refuse, shardkit must: every case asserts the refusal and that
 * tenant {@code hb}'s rows are untouched.
 */
@MariaDbShards
class TenantHostileSqlMariaDbTest extends TenantHostileSql {
    static final int POOL = 2;

    @Override
    String pattern() {
        return database() + "_{tenant}";
    }

    @Override
    String quote(String name) {
        return '`' + name + '`';
    }

    private String database() {
        String url = shards.url(0);
        int q = url.indexOf('?');
        String head = q < 0 ? url : url.substring(0, q);
        return head.substring(head.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    ShardSet one() {
        return new ShardSet(shards.dialect(), shards.names().subList(0, 1), shards.urls().subList(0, 1), shards.user(),
                shards.password());
    }

    @BeforeAll
    void setUp(ShardSet shards) throws Exception {
        this.shards = shards;
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE plans (id INT PRIMARY KEY, name VARCHAR(20))");
            st.execute("INSERT INTO plans VALUES (1, 'gold')");
            st.execute("CREATE DATABASE IF NOT EXISTS " + database() + "secret");
            st.execute("CREATE TABLE " + database() + "secret.secrets (id INT PRIMARY KEY, name VARCHAR(20))");
        }
        String shared = database() + ".plans";
        sources.put("rewrite", open(one(), "rewrite", shared, POOL, pattern()));
        sources.put("search_path", open(one(), "search_path", shared, POOL, pattern()));
        for (String t : List.of(A, B)) {
            ds("rewrite").tenants().create(t, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))");
                    st.execute("CREATE FUNCTION leak() RETURNS VARCHAR(20) READS SQL DATA RETURN (SELECT MIN(name)"
                            + " FROM users)");
                }
            });
            try (Connection c = ds("rewrite").forTenant(t).getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO users (id, name) VALUES (1, '" + t + "-1'), (2, '" + t + "-2')");
            }
        }
    }

    @AfterAll
    void tearDown() throws SQLException {
        ShardedDataSource rewrite = ds("rewrite");
        if (rewrite != null) {
            for (String t : rewrite.tenants().list()) {
                rewrite.tenants().drop(t, t);
            }
        }
        for (ShardedDataSource ds : sources.values()) {
            ds.close();
        }
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("DROP TABLE plans");
            st.execute("DROP DATABASE " + database() + "secret");
        }
    }

    void bUntouched() throws SQLException {
        assertThat(namesOfB(0)).as("hb's rows").containsExactly("hb-1", "hb-2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_01_threePartNames(String mode) throws SQLException {
        String other = "def." + schemaOf(B) + ".users";
        refused(mode, "SELECT name FROM " + other, "0A000", "the three-part table name " + other);
        refused(mode, "DELETE FROM " + other, "0A000", "the three-part table name " + other);
        bUntouched();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_02_anotherTenantsFunction(String mode) throws SQLException {
        try (Connection c = shards.open(0)) {
            assertThat(column(c, "SELECT " + schemaOf(B) + ".leak()")).as("the function exists").containsExactly("hb-1");
        }
        refused(mode, "SELECT " + schemaOf(B) + ".leak()", "0A000", "the schema-qualified function " + schemaOf(B) + ".leak");
        refused(mode, "SELECT name FROM users WHERE name = " + schemaOf(B) + ".leak()", "0A000", "leak");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_04_sessionChangesInSql(String mode) throws SQLException {
        for (String sql : List.of("USE " + schemaOf(B), "SET ROLE somebody", "SET @@session.sql_mode = ''",
                "SET NAMES latin1", "BEGIN", "SAVEPOINT x")) {
            try (Connection c = ds(mode).forTenant(A).getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(mode + ": " + sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(state(e)).as(sql).isEqualTo("0A000"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_05_catalogsAreRefused(String mode) throws SQLException {
        for (String table : List.of("information_schema.schemata", "information_schema.tables", "mysql.user",
                "performance_schema.threads")) {
            refused(mode, "SELECT * FROM " + table, "0A000", "the statement reads the catalog " + table
                    + ", which lists every tenant's schemas and tables");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_06_anotherTenantsDatabase(String mode) throws SQLException {
        String msg = "the statement names schema " + schemaOf(B) + ", which belongs to another tenant; a connection of"
                + " tenant ha reaches only " + schemaOf(A);
        refused(mode, "SELECT name FROM " + schemaOf(B) + ".users", "42501", msg);
        refused(mode, "SELECT name FROM `" + schemaOf(B) + "`.users", "42501", msg);
        refused(mode, "DELETE FROM " + schemaOf(B) + ".users", "42501", msg);
        refused(mode, "INSERT INTO " + schemaOf(B) + ".users (id, name) VALUES (9, 'planted')", "42501", msg);
        bUntouched();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_07_otherDatabasesRefusedSharedAndOwnAllowed(String mode) throws SQLException {
        String secret = database() + "secret.secrets";
        refused(mode, "SELECT name FROM " + secret, "0A000", "the statement names schema " + database() + "secret ("
                + secret + "), which is neither the tenant's nor that of a shared table (tenancy.shared)");
        refused(mode, "CREATE TEMPORARY TABLE users (id INT)", "0A000", "temporary table");
        try (Connection c = ds(mode).forTenant(A).getConnection()) {
            assertThat(column(c, "SELECT name FROM " + database() + ".plans")).containsExactly("gold");
            assertThat(column(c, "SELECT name FROM users ORDER BY id")).containsExactly("ha-1", "ha-2");
        }
    }

    /** A session change that reaches a tenant's pooled connection never reaches a later borrower. */
    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void i11_09_noSessionChangeLeaksIntoLaterBorrowers(String mode) throws SQLException {
        ShardedDataSource ds = ds(mode);
        long evicted = ds.tenants().connectionsEvicted();
        try (Connection raw = rawFor(ds, A, 0); Statement st = raw.createStatement()) {
            st.execute("USE " + schemaOf(B));
        }
        // rewrite mode switched nothing, so it resets nothing: the connection is evicted; search_path mode resets it
        assertThat(ds.tenants().connectionsEvicted() - evicted).isEqualTo(mode.equals("rewrite") ? 1 : 0);
        assertThat(everyPooledConnection(ds, POOL, "SELECT DATABASE()")).containsOnly(database()).hasSize(POOL);
        try (Connection plain = ds.getConnection()) {
            assertThat(column(plain, "SELECT name FROM plans")).containsExactly("gold");
        }
    }

    /** Item 5: role mode is PostgreSQL's; on MariaDB the map says so, with its path and line. */
    @Test
    void i11_10_roleModeIsAMapErrorOnMariaDb() {
        assertThatThrownBy(() -> open(one(), "role", database() + ".plans", 1, pattern()))
                .isInstanceOf(ShardMapException.class)
                .hasMessageContaining("tenancy.mode: mode role needs PostgreSQL shards; shard s0 is mysql. On"
                        + " MySQL/MariaDB a role only adds privileges to the login user's, so tenant isolation there is by"
                        + " rewriting (mode rewrite or search_path) only")
                .hasMessageContaining("(line 13)");
    }
}
