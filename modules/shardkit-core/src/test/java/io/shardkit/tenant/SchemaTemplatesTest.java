package io.shardkit.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.config.Tenancy;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rewrite mode's templates: which table references go to the tenant's schema and which keep
 * theirs, what is refused, and that a tenant switch costs a string replace, not a parse.
 */
class SchemaTemplatesTest {
    private static final String T = "\"tenant_client1\"";

    private final SchemaTemplates templates = new SchemaTemplates(
            Tenancy.rewrite("tenant_{tenant}").withShared("public.users", "plans").withLogicalSchemas("app"), 100);

    private String forClient1(String sql) {
        SchemaTemplates.Template t = templates.get(sql);
        assertThat(t.refusal()).as("refusal of " + sql).isNull();
        return t.apply(T);
    }

    private String refusal(String sql) {
        return templates.get(sql).refusal();
    }

    @Test
    void seedScenarioReadsTheTenantsTable() {
        assertThat(forClient1("SELECT * FROM users")).isEqualTo("SELECT * FROM \"tenant_client1\".users");
    }

    @Test
    void sharedTablesKeepTheirSchema() {
        assertThat(forClient1("SELECT u.login, o.total FROM public.users u JOIN orders o ON o.uid = u.id"))
                .isEqualTo("SELECT u.login, o.total FROM public.users u JOIN \"tenant_client1\".orders o ON o.uid = u.id");
        assertThat(forClient1("SELECT name FROM plans")).isEqualTo("SELECT name FROM plans");
        assertThat(forClient1("SELECT name FROM app.plans")).isEqualTo("SELECT name FROM plans");
    }

    @Test
    void logicalSchemaMeansTheTenantsSchema() {
        assertThat(forClient1("SELECT app.orders.total FROM app.orders WHERE app.orders.id = ?"))
                .isEqualTo("SELECT \"tenant_client1\".orders.total FROM \"tenant_client1\".orders"
                        + " WHERE \"tenant_client1\".orders.id = ?");
    }

    @Test
    void cteNamesAliasesAndDualAreNotQualified() {
        assertThat(forClient1("WITH recent AS (SELECT * FROM orders WHERE ts > ?) SELECT r.id FROM recent r"))
                .isEqualTo("WITH recent AS (SELECT * FROM \"tenant_client1\".orders WHERE ts > ?) SELECT r.id FROM recent r");
        assertThat(forClient1("SELECT users.name, u2.name FROM users JOIN users AS u2 ON u2.boss = users.id"))
                .isEqualTo("SELECT users.name, u2.name FROM \"tenant_client1\".users JOIN \"tenant_client1\".users AS u2"
                        + " ON u2.boss = users.id");
        assertThat(forClient1("SELECT 1 FROM dual")).isEqualTo("SELECT 1 FROM dual");
        assertThat(forClient1("SELECT 1")).isEqualTo("SELECT 1");
    }

    @Test
    void everyKindOfTableReferenceIsFound() {
        assertThat(forClient1("INSERT INTO orders (id, uid) VALUES (?, ?), (3, 4)"))
                .isEqualTo("INSERT INTO \"tenant_client1\".orders (id, uid) VALUES (?, ?), (3, 4)");
        assertThat(forClient1("UPDATE orders SET total = 0 WHERE uid IN (SELECT id FROM users WHERE id > ?)"))
                .isEqualTo("UPDATE \"tenant_client1\".orders SET total = 0 WHERE uid IN (SELECT id FROM"
                        + " \"tenant_client1\".users WHERE id > ?)");
        assertThat(forClient1("DELETE FROM orders WHERE EXISTS (SELECT 1 FROM users WHERE users.id = orders.uid)"))
                .isEqualTo("DELETE FROM \"tenant_client1\".orders WHERE EXISTS (SELECT 1 FROM \"tenant_client1\".users"
                        + " WHERE users.id = orders.uid)");
        assertThat(forClient1("CREATE TABLE orders (id BIGINT PRIMARY KEY, uid BIGINT REFERENCES users (id))"))
                .contains("CREATE TABLE \"tenant_client1\".orders").contains("REFERENCES \"tenant_client1\".users");
        assertThat(forClient1("CREATE INDEX orders_uid ON orders (uid)"))
                .isEqualTo("CREATE INDEX orders_uid ON \"tenant_client1\".orders (uid)");
        assertThat(forClient1("DROP TABLE IF EXISTS orders")).isEqualTo("DROP TABLE IF EXISTS \"tenant_client1\".orders");
        assertThat(forClient1("TRUNCATE orders, users")).isEqualTo("TRUNCATE \"tenant_client1\".orders, \"tenant_client1\".users");
        assertThat(forClient1("ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (uid) REFERENCES users (id)"))
                .isEqualTo("ALTER TABLE \"tenant_client1\".orders ADD CONSTRAINT fk FOREIGN KEY (uid) REFERENCES"
                        + " \"tenant_client1\".users(id)");
        assertThat(forClient1("EXPLAIN SELECT * FROM users")).isEqualTo("EXPLAIN SELECT * FROM \"tenant_client1\".users");
        assertThat(forClient1("SELECT name FROM users UNION ALL SELECT name FROM admins"))
                .isEqualTo("SELECT name FROM \"tenant_client1\".users UNION ALL SELECT name FROM \"tenant_client1\".admins");
    }

    @Test
    void mysqlQuotingIsTheDialectsOwn() {
        assertThat(templates.get("SELECT * FROM users").apply("`tenant_client1`"))
                .isEqualTo("SELECT * FROM `tenant_client1`.users");
    }

    @Test
    void statementsThatCannotBeConfinedAreRefused() {
        assertThat(refusal("USE other")).contains("USE would switch");
        assertThat(refusal("SET search_path = other")).contains("search path");
        assertThat(refusal("GRANT SELECT ON users TO bob")).contains("Grant statements cannot be confined");
        assertThat(refusal("CREATE SEQUENCE s1")).contains("ds.tenants().migrate");
        assertThat(refusal("DROP SCHEMA public")).contains("DROP SCHEMA");
        assertThat(refusal("SELECT * FROM users WHERE note = '__shardkit_tenant__'")).contains("reserves");
        assertThat(templates.get("SET statement_timeout = 1000").refusal()).isNull();
    }

    @Test
    void anotherTenantsSchemaIsRecordedForTheExecutionToRefuse() {
        assertThat(templates.get("SELECT * FROM tenant_client2.users").tenantSchemas()).containsExactly("tenant_client2");
    }

    /** Issue 11, item 1: catalogs list every tenant's schemas; they are refused, never qualified. */
    @Test
    void i11_01_catalogsAreRefusedNotQualified() {
        for (String sql : List.of("SELECT * FROM pg_catalog.pg_tables", "SELECT nspname FROM pg_namespace",
                "SELECT table_name FROM information_schema.tables", "SELECT * FROM pg_toast.x",
                "SELECT * FROM mysql.user", "SELECT * FROM users u JOIN pg_class c ON c.relname = u.name")) {
            assertThat(refusal(sql)).as(sql).contains("reads the catalog").contains("lists every tenant's schemas");
        }
        assertThat(refusal("SELECT nspname FROM pg_namespace")).startsWith("the statement reads the catalog pg_namespace,");
    }

    /** Issue 11, item 2: a schema that is neither a tenant's nor a shared table's refuses, naming it. */
    @Test
    void i11_02_otherSchemasAreRefused() {
        assertThat(refusal("SELECT * FROM public.orders")).startsWith("the statement names schema public (public.orders),"
                + " which is neither the tenant's nor that of a shared table (tenancy.shared)");
        assertThat(refusal("SELECT * FROM users WHERE id IN (SELECT uid FROM billing.invoices)")).contains("schema billing");
        assertThat(refusal("CREATE TEMPORARY TABLE users (id INT)")).contains("temporary table");
        assertThat(refusal("CREATE TEMP TABLE users (id INT)")).contains("temporary table");
    }

    /** Issue 11, item 2: search_path mode sends SQL unchanged but checks it the same way. */
    @Test
    void i11_02_searchPathModeChecksWithoutRewriting() {
        SchemaTemplates sp = new SchemaTemplates(Tenancy.searchPath("tenant_{tenant}").withShared("public.users"), 100);
        SchemaTemplates.Template t = sp.get("SELECT * FROM users JOIN public.users p ON p.id = users.id");
        assertThat(t.refusal()).isNull();
        assertThat(t.apply(T)).isEqualTo("SELECT * FROM users JOIN public.users p ON p.id = users.id");
        assertThat(sp.get("SELECT * FROM tenant_b.users").tenantSchemas()).containsExactly("tenant_b");
        assertThat(sp.get("SELECT * FROM public.orders").refusal()).contains("schema public");
        assertThat(sp.get("SELECT * FROM pg_namespace").refusal()).contains("catalog pg_namespace");
        assertThat(sp.get("SET search_path = tenant_b").refusal()).contains("search path");
    }

    @Test
    void aTenantSwitchParsesNothing() {
        String sql = "SELECT id FROM orders WHERE uid = ?";
        long before = templates.parses();
        List<String> tenants = List.of("\"tenant_a\"", "\"tenant_b\"", "\"tenant_c\"");
        for (int round = 0; round < 3; round++) {
            for (String q : tenants) {
                assertThat(templates.get(sql).apply(q)).isEqualTo("SELECT id FROM " + q + ".orders WHERE uid = ?");
            }
        }
        assertThat(templates.parses() - before).isEqualTo(1);
        SchemaTemplates.Template t = templates.get(sql);
        assertThat(t.apply("\"tenant_a\"")).isSameAs(t.apply("\"tenant_a\"")).as("same tenant again: no new string");
    }

    @Test
    void splitsScripts() {
        assertThat(SqlScript.split("""
                -- tenant DDL
                CREATE TABLE a (id INT, note TEXT DEFAULT 'x;y');
                /* a ; comment */
                CREATE FUNCTION f() RETURNS INT AS $$ SELECT 1; $$ LANGUAGE sql;
                CREATE TABLE "b;c" (id INT)
                """)).containsExactly("-- tenant DDL\nCREATE TABLE a (id INT, note TEXT DEFAULT 'x;y')",
                "/* a ; comment */\nCREATE FUNCTION f() RETURNS INT AS $$ SELECT 1; $$ LANGUAGE sql",
                "CREATE TABLE \"b;c\" (id INT)");
        assertThat(SqlScript.split(" -- nothing\n ; ;")).isEmpty();
    }

    /** Issue 11: expressions inside DDL (defaults, checks, index expressions) are not walked by the analysis. */
    @Test
    void i11_12_callsInDdlMustBeKnownFunctions() {
        assertThat(forClient1("CREATE TABLE notes (id BIGINT PRIMARY KEY, body VARCHAR(20) DEFAULT 'a(b)', at TIMESTAMP"
                + " DEFAULT now(), n NUMERIC(10, 2) CHECK (n > 0 AND lower(body) <> ''), uid BIGINT REFERENCES users (id))"))
                .contains("\"tenant_client1\".notes");
        assertThat(forClient1("CREATE INDEX notes_body ON notes (lower(body))")).contains("\"tenant_client1\".notes");
        assertThat(forClient1("ALTER TABLE notes ADD COLUMN extra VARCHAR(5) DEFAULT 'x'")).contains("extra");
        assertThat(refusal("CREATE TABLE t (x TEXT DEFAULT query_to_xml('select 1', true, false, '')::text)"))
                .startsWith("the call query_to_xml(...) in DDL through a tenant's connection");
        assertThat(refusal("CREATE TABLE t (x TEXT DEFAULT set_config('search_path', 'tenant_b', false))"))
                .startsWith("the call set_config(...)");
        assertThat(refusal("ALTER TABLE users ADD COLUMN x TEXT DEFAULT tenant_b.leak()"))
                .startsWith("the call tenant_b.leak(...)");
        assertThat(refusal("CREATE TABLE leak (x TEXT DEFAULT tenant_b.leak())")).startsWith("the call tenant_b.leak(...)");
        assertThat(refusal("CREATE INDEX i ON users ((pg_read_file('x')))")).startsWith("the call pg_read_file(...)");
        assertThat(refusal("CREATE TABLE t (x TEXT /*!DEFAULT (load_file('x'))*/)")).startsWith("the call load_file(...)");
        assertThat(refusal("CREATE TABLE t (x TEXT DEFAULT 'a\\b', y TEXT)"))
                .startsWith("a string literal with a backslash in DDL");
    }

    /** Issue 11: nextval('tenant_b.seq') would advance another tenant's sequence. */
    @Test
    void i11_13_sequencesNamedInStringsAreChecked() {
        assertThat(templates.get("SELECT nextval('tenant_client2.orders_id_seq')").tenantSchemas())
                .containsExactly("tenant_client2");
        assertThat(templates.get("INSERT INTO orders (id) VALUES (nextval('tenant_client2.s'))").tenantSchemas())
                .containsExactly("tenant_client2");
        assertThat(refusal("SELECT setval('public.s', 1)")).contains("schema public");
        assertThat(refusal("SELECT currval(?)")).startsWith("a sequence function whose sequence is not a string literal");
        assertThat(refusal("SELECT nextval('pg_catalog.x')")).contains("reads the catalog");
        assertThat(templates.get("SELECT nextval('orders_id_seq')").refusal()).isNull();
        assertThat(templates.get("SELECT CAST('x' AS tenant_client2.mood)").tenantSchemas()).containsExactly("tenant_client2");
        assertThat(templates.get("SELECT 'x'::tenant_client2.mood").tenantSchemas()).containsExactly("tenant_client2");
        assertThat(refusal("SELECT 'x'::public.mood")).contains("schema public");
        assertThat(templates.get("SELECT CAST(1 AS pg_catalog.int8), CAST(2 AS BIGINT)").refusal()).isNull();
    }
}
