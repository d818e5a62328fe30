package io.shardkit.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.TenantDataSource;
import io.shardkit.Tenants;
import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11's hostile SQL on PostgreSQL in rewrite, search_path and role modes, over two shards.
 * The tenants are created by the role-mode data source, whose login role {@value #LOGIN} is an
 * ordinary role with CREATEROLE (the setup docs/TENANCY.md asks for): each tenant's schema is owned
 * by the tenant's own role. The rewrite and search_path data sources log in as the embedded
 * server's superuser, as most deployments of those modes do.
 *
 * <p>Cases 01-07: SQL through a tenant's connection, refused by shardkit in every mode. Cases
 * 08-10: what reaches the database anyway (the raw path a statement takes once past the analysis,
 * {@code TenantScope.borrow}): in role mode the database refuses it; in every mode the connection
 * goes back to its pool as a fresh one, or is evicted.
 */
@PostgresShards
class TenantHostileSqlPostgresTest extends TenantHostileSql {
    static final String LOGIN = "sk_hostile_app";
    static final int POOL = 2;
    static final List<String> MODES = List.of("rewrite", "search_path", "role");

    String database;
    String freshState;

    @Override
    String pattern() {
        return "hostile_{tenant}";
    }

    @Override
    String quote(String name) {
        return '"' + name + '"';
    }

    ShardSet two(String user) {
        return new ShardSet("postgresql", shards.names().subList(0, 2), shards.urls().subList(0, 2), user,
                user.equals(shards.user()) ? shards.password() : null);
    }

    @BeforeAll
    void setUp(ShardSet shards) throws Exception {
        this.shards = shards;
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            if (column(c, "SELECT 1 FROM pg_roles WHERE rolname = '" + LOGIN + "'").isEmpty()) {
                st.execute("CREATE ROLE " + LOGIN + " LOGIN NOSUPERUSER CREATEROLE NOBYPASSRLS");
            }
            database = column(c, "SELECT current_database()").get(0);
        }
        for (int i = 0; i < 2; i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                String db = column(c, "SELECT current_database()").get(0);
                st.execute("GRANT CREATE ON DATABASE \"" + db + "\" TO " + LOGIN);
                st.execute("CREATE TABLE public.plans (id INT PRIMARY KEY, name TEXT)");
                st.execute("INSERT INTO public.plans VALUES (1, 'gold')");
                st.execute("GRANT SELECT ON public.plans TO PUBLIC");
                st.execute("CREATE TABLE public.secrets (id INT PRIMARY KEY, name TEXT)");
                st.execute("INSERT INTO public.secrets VALUES (1, 'root-secret')");
            }
        }
        sources.put("role", open(two(LOGIN), "role", "public.plans", POOL, pattern()));
        sources.put("rewrite", open(two(shards.user()), "rewrite", "public.plans", POOL, pattern()));
        sources.put("search_path", open(two(shards.user()), "search_path", "public.plans", POOL, pattern()));
        for (String t : List.of(A, B)) {
            String schema = schemaOf(t);
            ds("role").tenants().create(t, c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE users (id INT PRIMARY KEY, name TEXT)");
                    st.execute("CREATE SEQUENCE ids");
                    st.execute("CREATE FUNCTION leak() RETURNS SETOF text LANGUAGE sql SECURITY DEFINER AS $$ SELECT name"
                            + " FROM " + schema + ".users $$");
                }
            });
            try (Connection c = ds("role").forTenant(t).getConnection(); Statement st = c.createStatement()) {
                st.executeUpdate("INSERT INTO users (id, name) VALUES (1, '" + t + "-1'), (2, '" + t + "-2')");
            }
        }
        try (Connection c = ds("rewrite").connectionTo("s0")) {
            freshState = String.join(" | ", row(c, STATE));
        }
    }

    static final String STATE = "SELECT current_schema(), current_setting('search_path'), current_user, session_user";

    @AfterAll
    void tearDown() throws SQLException {
        ShardedDataSource role = ds("role");
        if (role != null) {
            for (String t : role.tenants().list()) {
                role.tenants().drop(t, t);
            }
        }
        for (ShardedDataSource ds : sources.values()) {
            ds.close();
        }
        for (int i = 0; i < 2; i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                st.execute("DROP TABLE public.plans, public.secrets");
                st.execute("DROP OWNED BY " + LOGIN);
            }
        }
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("DROP ROLE " + LOGIN);
        }
    }

    void bUntouched() throws SQLException {
        assertThat(namesOfB(0)).as("hb's rows on s0").containsExactly("hb-2");
        assertThat(namesOfB(1)).as("hb's rows on s1").containsExactly("hb-1");
    }

    // ---- 01-07: refused by shardkit in every mode ----

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_01_threePartNames(String mode) throws SQLException {
        String other = database + "." + schemaOf(B) + ".users";
        refused(mode, "SELECT name FROM " + other, "0A000", "the three-part table name " + other);
        refused(mode, "DELETE FROM " + other, "0A000", "the three-part table name " + other);
        bUntouched();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_02_anotherTenantsFunction(String mode) throws SQLException {
        refused(mode, "SELECT " + schemaOf(B) + ".leak()", "0A000", "the schema-qualified function " + schemaOf(B) + ".leak");
        refused(mode, "SELECT * FROM " + schemaOf(B) + ".leak()", "0A000", "leak");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_03_sqlEvaluatingFunctions(String mode) throws SQLException {
        refused(mode, "SELECT query_to_xml('select name from " + schemaOf(B) + ".users', true, false, '')", "0A000",
                "query_to_xml");
        refused(mode, "SELECT name FROM users WHERE id = (SELECT length(query_to_xml('delete from " + schemaOf(B)
                + ".users', true, false, '')::text))", "0A000", "query_to_xml");
        bUntouched();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_04_sessionChangesInSql(String mode) throws SQLException {
        refused(mode, "SELECT set_config('search_path', '" + schemaOf(B) + "', false)", "0A000", "set_config");
        refused(mode, "SELECT name FROM users WHERE name <> set_config('role', '" + schemaOf(B) + "', false)", "0A000",
                "set_config");
        for (String sql : List.of("SET search_path TO " + schemaOf(B), "SET ROLE " + schemaOf(B), "RESET ROLE",
                "SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "BEGIN", "SAVEPOINT x")) {
            try (Connection c = ds(mode).forTenant(A).getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.execute(sql)).as(mode + ": " + sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(state(e)).as(sql).isEqualTo("0A000"));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_05_catalogsAreRefused(String mode) throws SQLException {
        for (String table : List.of("pg_namespace", "pg_catalog.pg_namespace", "information_schema.schemata",
                "pg_catalog.pg_tables", "pg_roles")) {
            refused(mode, "SELECT * FROM " + table, "0A000", "the statement reads the catalog " + table
                    + ", which lists every tenant's schemas and tables");
        }
    }

    /** Item 2 of the issue: search_path mode had no schema check at all. */
    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_06_anotherTenantsSchema(String mode) throws SQLException {
        String msg = "the statement names schema " + schemaOf(B) + ", which belongs to another tenant; a connection of"
                + " tenant ha reaches only " + schemaOf(A);
        refused(mode, "SELECT name FROM " + schemaOf(B) + ".users", "42501", msg);
        refused(mode, "SELECT name FROM " + quote(schemaOf(B)) + ".users", "42501", msg);
        refused(mode, "DELETE FROM " + schemaOf(B) + ".users", "42501", msg);
        refused(mode, "INSERT INTO " + schemaOf(B) + ".users (id, name) VALUES (9, 'planted')", "42501", msg);
        refused(mode, "SELECT nextval('" + schemaOf(B) + ".ids')", "42501", msg);
        bUntouched();
        try (Connection c = shards.open(0)) {
            assertThat(column(c, "SELECT last_value FROM " + schemaOf(B) + ".ids")).as("hb's sequence").containsExactly("1");
            assertThat(column(c, "SELECT is_called FROM " + schemaOf(B) + ".ids")).as("hb's sequence").containsExactly("f");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_07_otherSchemasRefusedSharedAndOwnAllowed(String mode) throws SQLException {
        refused(mode, "SELECT name FROM public.secrets", "0A000", "the statement names schema public (public.secrets),"
                + " which is neither the tenant's nor that of a shared table (tenancy.shared)");
        refused(mode, "CREATE TEMPORARY TABLE users (id INT)", "0A000", "temporary table");
        TenantDataSource a = ds(mode).forTenant(A);
        try (Connection c = a.getConnection()) {
            assertThat(column(c, "SELECT name FROM public.plans")).containsExactly("gold");
            assertThat(column(c, "SELECT name FROM users ORDER BY id")).containsExactly("ha-1", "ha-2");
            assertThat(column(c, "SELECT name FROM " + schemaOf(A) + ".users ORDER BY id")).containsExactly("ha-1", "ha-2");
        }
    }

    /** Expressions inside DDL are not walked by the analysis: a default could read another tenant's rows. */
    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_12_callsInsideDdl(String mode) throws SQLException {
        refused(mode, "CREATE TABLE loot (id INT PRIMARY KEY, x TEXT DEFAULT query_to_xml('select name from " + schemaOf(B)
                + ".users', true, false, '')::text)", "0A000", "the call query_to_xml(...) in DDL through a tenant's"
                + " connection");
        refused(mode, "ALTER TABLE users ADD COLUMN x TEXT DEFAULT " + schemaOf(B) + ".leak()", "0A000", "the call "
                + schemaOf(B) + ".leak(...) in DDL");
        try (Connection c = shards.open(0)) {
            assertThat(column(c, "SELECT 1 FROM pg_tables WHERE tablename = 'loot'")).isEmpty();
        }
    }

    // ---- 08-10: what reaches the database ----

    /** Role mode: whatever SQL reaches the database on a tenant's connection, the database refuses the other tenant. */
    @Test
    void i11_08_roleModeTheDatabaseRefusesTheOtherTenant() throws SQLException {
        String b = schemaOf(B);
        for (int shard = 0; shard < 2; shard++) {
            String db = shards.url(shard).substring(shards.url(shard).lastIndexOf('/') + 1).replaceAll("\\?.*", "");
            try (Connection raw = rawFor(ds("role"), A, shard); Statement st = raw.createStatement()) {
                assertThat(row(raw, "SELECT current_user, session_user, current_schema()"))
                        .containsExactly(schemaOf(A), LOGIN, schemaOf(A));
                for (String sql : List.of("SELECT name FROM " + b + ".users", "DELETE FROM " + b + ".users",
                        "UPDATE " + b + ".users SET name = 'x'", "SELECT " + b + ".leak()",
                        "SELECT query_to_xml('select name from " + b + ".users', true, false, '')",
                        "SELECT name FROM " + db + "." + b + ".users", "SELECT name FROM public.secrets",
                        "CREATE TABLE " + b + ".planted (id INT)", "SELECT nextval('" + b + ".ids')")) {
                    assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                            .hasMessageContaining("permission denied")
                            .satisfies(e -> assertThat(state(e)).as(sql).isEqualTo("42501"));
                }
                st.execute("SELECT set_config('search_path', '" + b + "', false)");
                assertThatThrownBy(() -> st.executeQuery("SELECT name FROM users"))
                        .hasMessageContaining("relation \"users\" does not exist")
                        .satisfies(e -> assertThat(state(e)).isEqualTo("42P01"));
                assertThat(column(raw, "SELECT name FROM public.plans")).containsExactly("gold");
            }
        }
        bUntouched();
        assertThat(ds("role").tenants().connectionsEvicted()).as("search path reset on return, not evicted").isZero();
    }

    /**
     * Leaks into later borrowers: a session change that reaches a tenant's pooled connection (set
     * here on the raw path) never reaches the next borrower without a tenant: reset, or evicted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path", "role"})
    void i11_09_noSessionChangeLeaksIntoLaterBorrowers(String mode) throws SQLException {
        ShardedDataSource ds = ds(mode);
        String expected = mode.equals("role") ? freshState.replace(shards.user(), LOGIN) : freshState;
        long evicted = ds.tenants().connectionsEvicted();
        try (Connection raw = rawFor(ds, A, 0); Statement st = raw.createStatement()) {
            st.execute("SELECT set_config('search_path', '" + schemaOf(B) + "', false)");
        }
        // rewrite mode switched nothing, so it resets nothing: the connection is evicted
        assertThat(ds.tenants().connectionsEvicted() - evicted).isEqualTo(mode.equals("rewrite") ? 1 : 0);
        try (Connection raw = rawFor(ds, A, 0); Statement st = raw.createStatement()) {
            st.execute("SET ROLE " + schemaOf(B));
        }
        // role mode resets the role (RESET ROLE); the other modes never set one, so they evict
        assertThat(ds.tenants().connectionsEvicted() - evicted).isEqualTo(mode.equals("role") ? 0
                : mode.equals("rewrite") ? 2 : 1);
        try (Connection c = ds.forTenant(A).getConnection()) {
            assertThat(column(c, "SELECT name FROM users ORDER BY id")).containsExactly("ha-1", "ha-2");
        }
        assertThat(everyPooledConnection(ds, POOL, STATE)).as("every pooled connection of s0")
                .containsOnly(expected).hasSize(POOL);
        try (Connection plain = ds.getConnection()) {
            assertThat(column(plain, "SELECT name FROM plans")).containsExactly("gold");
        }
    }

    /** Role mode: the roles and grants tenants().create makes, and that dropping a tenant drops its role. */
    @Test
    void i11_10_createMakesARoleWithItsOwnSchemaOnlyAndDropDropsIt() throws SQLException {
        Tenants t = ds("role").tenants();
        assertThat(t.roleWarnings()).isEmpty();
        assertThat(ds("rewrite").tenants().roleWarnings()).as("not role mode").isEmpty();
        try (Connection c = shards.open(0)) {
            assertThat(row(c, "SELECT rolcanlogin, rolsuper, rolcreaterole, rolbypassrls FROM pg_roles WHERE rolname = '"
                    + schemaOf(A) + "'")).containsExactly("f", "f", "f", "f");
            assertThat(column(c, "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = '" + schemaOf(A)
                    + "'")).containsExactly(schemaOf(A));
            assertThat(column(c, "SELECT tableowner FROM pg_tables WHERE schemaname = '" + schemaOf(A) + "'"))
                    .containsExactly(schemaOf(A));
            assertThat(column(c, "SELECT has_schema_privilege('" + schemaOf(A) + "', '" + schemaOf(B) + "', 'USAGE')"))
                    .containsExactly("f");
            assertThat(column(c, "SELECT nspname FROM pg_namespace WHERE has_schema_privilege('" + schemaOf(A)
                    + "', oid, 'USAGE') AND nspname NOT IN ('pg_catalog', 'information_schema', 'public')"
                    + " AND nspname NOT LIKE 'pg_%'")).containsExactly(schemaOf(A));
            assertThat(column(c, "SELECT pg_has_role('" + LOGIN + "', '" + schemaOf(A) + "', 'MEMBER')"))
                    .containsExactly("t");
        }
        t.create("hc");
        try (Connection c = shards.open(1)) {
            assertThat(column(c, "SELECT rolname FROM pg_roles WHERE rolname = 'hostile_hc'")).containsExactly("hostile_hc");
        }
        assertThatThrownBy(() -> t.create("hc")).extracting(TenantHostileSql::state).isEqualTo(Tenants.EXISTS);
        t.drop("hc", "hc");
        try (Connection c = shards.open(0)) {
            assertThat(column(c, "SELECT rolname FROM pg_roles WHERE rolname = 'hostile_hc'")).isEmpty();
        }
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE hostile_hd NOLOGIN");
        }
        try {
            assertThatThrownBy(() -> t.create("hd"))
                    .hasMessage("role hostile_hd exists already on the server of shard s0; tenant hd is created with a"
                            + " new role of its own (drop that role, or choose another tenancy.role pattern)")
                    .extracting(TenantHostileSql::state).isEqualTo(Tenants.EXISTS);
            assertThat(t.exists("hd")).isFalse();
        } finally {
            try (Connection c = shards.open(0); Statement st = c.createStatement()) {
                st.execute("DROP ROLE hostile_hd");
            }
        }
    }

    /** A superuser login defeats role mode; shardkit says so. */
    @Test
    void i11_11_aSuperuserLoginIsWarnedAbout() throws SQLException {
        try (ShardedDataSource su = open(two(shards.user()), "role", "public.plans", 1, pattern())) {
            assertThat(su.tenants().roleWarnings()).hasSize(2).first().asString()
                    .startsWith("shard s0: the login role " + shards.user() + " is a superuser: role mode's isolation"
                            + " assumes an ordinary login role");
        }
    }
}
