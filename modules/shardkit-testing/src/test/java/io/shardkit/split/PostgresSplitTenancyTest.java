package io.shardkit.split;

import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Split tables with schema-per-tenant on PostgreSQL: two shards, a schema per tenant; role mode
 * logs in as {@value #LOGIN}, an ordinary role with CREATEROLE and CREATE on the shard databases
 * (the setup docs/TENANCY.md asks for), so the tenant's role, not a superuser, runs its statements.
 */
@PostgresShards
class PostgresSplitTenancyTest extends SplitTenancyContract {
    static final String LOGIN = "sk_split_app";

    @Override
    int shardCount() {
        return 2;
    }

    @Override
    String pattern() {
        return "t_{tenant}";
    }

    @Override
    String quote(String name) {
        return '"' + name + '"';
    }

    @Override
    List<String> modes() {
        return List.of("rewrite", "search_path", "role");
    }

    @Override
    ShardSet loginFor(String mode) throws SQLException {
        if (!mode.equals("role")) {
            return shards;
        }
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            if (column(c, "SELECT 1 FROM pg_roles WHERE rolname = '" + LOGIN + "'").isEmpty()) {
                st.execute("CREATE ROLE " + LOGIN + " LOGIN NOSUPERUSER CREATEROLE NOBYPASSRLS");
            }
        }
        for (int s = 0; s < shards.size(); s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                st.execute("GRANT CREATE ON DATABASE \"" + column(c, "SELECT current_database()").get(0) + "\" TO " + LOGIN);
            }
        }
        return new ShardSet(shards.dialect(), shards.names(), shards.urls(), LOGIN, null);
    }

    @Override
    void dropLogins() throws SQLException {
        for (int s = 0; s < shards.size(); s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                st.execute("DROP OWNED BY " + LOGIN);
            }
        }
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("DROP ROLE " + LOGIN);
        }
    }
}
