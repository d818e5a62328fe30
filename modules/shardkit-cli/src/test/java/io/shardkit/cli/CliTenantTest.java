package io.shardkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code \tenant NAME} in the SQL shell, on embedded PostgreSQL with a schema per tenant. */
@PostgresShards
class CliTenantTest {

    @Test
    void theShellSwitchesTenants(ShardSet shards, @TempDir Path dir) throws Exception {
        Path map = dir.resolve("tenants.yaml");
        Files.writeString(map, shards.yamlShards() + """
                tables:
                  users:
                    shard: s0
                tenancy:
                  mode: rewrite
                  schema: tenant_{tenant}
                """);
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(map)) {
            for (String tenant : new String[] {"acme", "globex"}) {
                ds.tenants().create(tenant, c -> {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(20))");
                        st.execute("INSERT INTO users VALUES (1, '" + tenant + "-admin')");
                    }
                });
            }
        }
        CliTest.Result r = CliTest.run("\\tenant acme\nSELECT name FROM users;\n\\tenant globex\nSELECT name FROM users;\n",
                "sql", "-c", map.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("tenant acme", "acme-admin", "tenant globex", "globex-admin");
        assertThat(r.out().indexOf("acme-admin")).isLessThan(r.out().indexOf("globex-admin"));
    }

    /** Issue 11, item 4: {@code shardkit check} warns when role mode's login role is a superuser. */
    @Test
    void i11_04_checkWarnsAboutASuperuserLoginInRoleMode(ShardSet shards, @TempDir Path dir) throws Exception {
        Path map = dir.resolve("roles.yaml");
        Files.writeString(map, shards.yamlShards() + """
                tenancy:
                  mode: role
                  schema: tenant_{tenant}
                """);
        CliTest.Result r = CliTest.run("", "check", "-c", map.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning: tenancy mode role: shard s0: the login role " + shards.user()
                + " is a superuser: role mode's isolation assumes an ordinary login role");
    }
}
