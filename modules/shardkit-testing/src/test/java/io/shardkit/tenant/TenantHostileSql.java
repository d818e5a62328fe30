package io.shardkit.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.jdbc.ShardedConnection;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 11's hostile SQL against tenancy, shared by the dialects' suites
 * ({@link TenantHostileSqlPostgresTest}, {@link TenantHostileSqlMariaDbTest}): two tenants,
 * {@code ha} and {@code hb}, each with a {@code users} table holding one row of its own; tenant
 * {@code ha} tries every bypass the issue found on tenant {@code hb}'s rows. Every case asserts the
 * SQLState and message of the refusal and reads {@code hb}'s rows directly afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TenantHostileSql {
    static final String A = "ha";
    static final String B = "hb";

    ShardSet shards;
    /** Mode name → data source over the same tenants. */
    final Map<String, ShardedDataSource> sources = new TreeMap<>();

    /** The tenant schema (database) pattern. */
    abstract String pattern();

    /** An identifier quoted for the dialect. */
    abstract String quote(String name);

    String schemaOf(String tenant) {
        return pattern().replace("{tenant}", tenant);
    }

    /** A data source over {@code used} in a mode, sharing a table {@code shared} (schema.table). */
    static ShardedDataSource open(ShardSet used, String mode, String shared, int pool, String pattern)
            throws SQLException {
        String list = String.join(", ", used.names());
        String yaml = used.yamlShards() + """
                pool:
                  maximumPoolSize: %d
                tables:
                  users:
                    key: id
                    strategy: {type: mod, shards: [%s]}
                defaultShard: s0
                tenancy:
                  mode: %s
                  schema: "%s"
                  shared: [%s]
                """.formatted(pool, list, mode, pattern, shared);
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    ShardedDataSource ds(String mode) {
        return sources.get(mode);
    }

    static String state(Throwable e) {
        return ((SQLException) e).getSQLState();
    }

    /** Runs {@code sql} as tenant {@code ha} in a mode and expects a refusal with the SQLState and message part. */
    void refused(String mode, String sql, String sqlState, String message) throws SQLException {
        try (Connection c = ds(mode).forTenant(A).getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute(sql)).as(mode + ": " + sql)
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(message)
                    .satisfies(e -> assertThat(state(e)).as(mode + ": " + sql).isEqualTo(sqlState));
        }
    }

    /** The first column of every row, as strings. */
    static List<String> column(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Tenant {@code hb}'s names, read directly (behind shardkit's back) from shard {@code i}. */
    List<String> namesOfB(int i) throws SQLException {
        try (Connection c = shards.open(i)) {
            return column(c, "SELECT name FROM " + quote(schemaOf(B)) + ".users ORDER BY id");
        }
    }

    /**
     * A shard's pooled connection borrowed for a tenant exactly as shardkit's statements borrow it
     * (switched, checked on return): the raw path SQL takes once it is past the analysis.
     */
    static Connection rawFor(ShardedDataSource ds, String tenant, int shard) throws SQLException {
        Connection logical = ds.forTenant(tenant).getConnection();
        try {
            return logical.unwrap(ShardedConnection.class).session().borrow(shard);
        } finally {
            logical.close();
        }
    }

    /** Borrows every connection of the pool of shard s0 without a tenant and returns what {@code sql} answers on each. */
    static List<String> everyPooledConnection(ShardedDataSource ds, int pool, String sql) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            for (int i = 0; i < pool; i++) {
                Connection c = ds.connectionTo("s0");
                held.add(c);
                out.add(String.join(" | ", row(c, sql)));
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        return out;
    }

    static List<String> row(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getString(i));
            }
        }
        return out;
    }
}
