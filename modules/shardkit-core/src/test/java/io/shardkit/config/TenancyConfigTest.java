package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardMapException;
import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.Strategies;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code tenancy:} section: read from YAML and built in Java alike, every mistake named by its YAML path. */
class TenancyConfigTest {
    private static final String PG = """
            shards:
              - {name: s0, url: "jdbc:postgresql://127.0.0.1:1/app"}
            """;

    private static ShardMap load(String yaml) throws ShardMapException {
        return YamlShardMap.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml",
                Map.<String, String>of()::get);
    }

    private static List<String> problems(String yaml) {
        try {
            load(yaml);
        } catch (ShardMapException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems in:\n" + yaml);
    }

    @Test
    void readsEverySetting() throws Exception {
        ShardMap map = load(PG + """
                tenancy:
                  mode: search_path
                  schema: tenant_{tenant}
                  shared: [public.users]
                  tenants: [client1, client2]
                """);
        Tenancy t = map.tenancy();
        assertThat(t.mode()).isEqualTo(Tenancy.Mode.SEARCH_PATH);
        assertThat(t.schemaOf("client1")).isEqualTo("tenant_client1");
        assertThat(t.shared()).containsExactly("public.users");
        assertThat(t.tenants()).containsExactly("client1", "client2");
        assertThat(t.tenantOf("tenant_client9")).isEqualTo("client9");
        assertThat(t.tenantOf("public")).isNull();
    }

    @Test
    void defaultsToRewriteAndJavaBuildsTheSameSection() throws Exception {
        ShardMap yaml = load(PG + """
                tenancy:
                  schema: "{tenant}"
                  logicalSchemas: [app]
                  shared: [public.users, plans]
                """);
        ShardMap java = ShardedDataSource.builder().shard("s0", "jdbc:postgresql://127.0.0.1:1/app")
                .tenancy(Tenancy.rewrite("{tenant}").withLogicalSchemas("app").withShared("public.users", "plans"))
                .map();
        assertThat(yaml.tenancy()).isEqualTo(java.tenancy());
        assertThat(yaml.tenancy().mode()).isEqualTo(Tenancy.Mode.REWRITE);
        assertThat(yaml.tenancy().problem("public")).contains("reserved");
        assertThat(yaml.tenancy().problem("app")).contains("reserved");
    }

    @Test
    void namesEveryMistakeByItsPath() {
        List<String> problems = problems(PG + """
                tenancy:
                  mode: schema_per_tenant
                  schema: Tenant-{tenant}
                  colour: blue
                """);
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith("tenancy.mode: unknown mode 'schema_per_tenant' (known: rewrite, search_path, role)"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith("tenancy.schema: 'Tenant-{tenant}': around {tenant} only lower-case letters, digits and _"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.colour: unknown key 'colour'"));

        assertThat(problems(PG + "tenancy:\n  schema: {tenant}\n"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.schema: put the pattern in quotes (schema: '{tenant}')"));
        assertThat(problems(PG + "tenancy: {mode: rewrite}\n"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.schema: missing: the tenant's schema name"));
        assertThat(problems(PG + "tenancy: {schema: tenants}\n"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.schema: 'tenants' must contain {tenant} exactly once"));
        assertThat(problems(PG + "tenancy: {schema: 'tenant_{tenant}', tenants: [client1, 'a.b', client1]}\n"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.tenants[1]: tenant name 'a.b' is not a plain identifier"))
                .anySatisfy(p -> assertThat(p).startsWith("tenancy.tenants[2]: duplicate tenant 'client1'"));
    }

    @Test
    void searchPathModeNeedsQualifiedSharedTablesAndNoLogicalSchemas() {
        List<String> problems = problems(PG + """
                tenancy:
                  mode: search_path
                  schema: tenant_{tenant}
                  logicalSchemas: [app]
                  shared: [plans]
                """);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("tenancy.logicalSchemas[0]: logical schemas need mode rewrite"));
        assertThat(problems).anySatisfy(p -> assertThat(p)
                .startsWith("tenancy.shared[0]: in search_path mode a shared table must name its schema (for example public.plans)"));
    }

    @Test
    void refusesSqliteShardsAndArchiveTiers() {
        assertThat(problems("""
                shards:
                  - {name: s0, url: "jdbc:sqlite:target/t/s0.db"}
                tenancy: {schema: 'tenant_{tenant}'}
                """)).anySatisfy(p -> assertThat(p).startsWith(
                "tenancy: schema-per-tenant needs PostgreSQL or MySQL/MariaDB shards; shard s0 is sqlite"));
        assertThatThrownBy(() -> ShardedDataSource.builder()
                .shard("hot", "jdbc:postgresql://127.0.0.1:1/hot")
                .shard(new ShardSpec("old", "jdbc:postgresql://127.0.0.1:1/old", null, null, Map.of(), Map.of(), true,
                        ShardSpec.ARCHIVE))
                .table(TableRule.sharded("orders", "id", Strategies.mod("hot"))
                        .withArchive(new Archive(List.of("old"), "id", false, null, null, null)))
                .tenancy(Tenancy.rewrite("tenant_{tenant}"))
                .build())
                .isInstanceOf(ShardMapException.class)
                .hasMessageContaining("tenancy: schema-per-tenant is not supported together with an archive tier"
                        + " (tables.orders.archive)");
    }

    /** Issue 11, item 4: role mode reads its role pattern (default: the schema pattern) and checks both. */
    @Test
    void i11_04_roleModeReadsItsRolePattern() throws Exception {
        Tenancy t = load(PG + """
                tenancy:
                  mode: role
                  schema: tenant_{tenant}
                  role: "r_{tenant}_app"
                  shared: [public.users]
                """).tenancy();
        assertThat(t.mode()).isEqualTo(Tenancy.Mode.ROLE);
        assertThat(t.roleOf("client1")).isEqualTo("r_client1_app");
        assertThat(Tenancy.role("tenant_{tenant}").roleOf("client1")).isEqualTo("tenant_client1");
        assertThat(Tenancy.rewrite("tenant_{tenant}").roleOf("client1")).isNull();
        assertThat(Tenancy.role("{tenant}").problem("none")).contains("its role none is a PostgreSQL system role");
        assertThat(Tenancy.role("s_{tenant}").withRole("pg_{tenant}").problem("x")).contains("role pg_x");
        assertThat(problems(PG + """
                tenancy:
                  mode: role
                  schema: tenant_{tenant}
                  role: "Role-{tenant}"
                """)).anySatisfy(p -> assertThat(p).startsWith("tenancy.role: 'Role-{tenant}': around {tenant}")
                        .endsWith("(line 6)"));
        assertThat(problems(PG + """
                tenancy:
                  mode: rewrite
                  schema: tenant_{tenant}
                  role: "r_{tenant}"
                """)).anySatisfy(p -> assertThat(p).startsWith("tenancy.role: a role pattern needs mode: role")
                        .endsWith("(line 6)"));
    }

    /** Issue 11, item 5: role mode on MariaDB/MySQL or SQLite is a map error naming the path and line. */
    @Test
    void i11_05_roleModeNeedsPostgresql() {
        for (String url : List.of("jdbc:mariadb://127.0.0.1:1/app", "jdbc:mysql://127.0.0.1:1/app", "jdbc:sqlite:x.db")) {
            List<String> problems = problems("""
                    shards:
                      - {name: s0, url: "%s"}
                    tenancy:
                      mode: role
                      schema: tenant_{tenant}
                    """.formatted(url));
            assertThat(problems).as(url).anySatisfy(p -> assertThat(p).startsWith("tenancy.mode: mode role needs"
                    + " PostgreSQL shards; shard s0 is ").contains("tenant isolation there is by rewriting")
                    .endsWith("(line 4)"));
        }
    }
}
