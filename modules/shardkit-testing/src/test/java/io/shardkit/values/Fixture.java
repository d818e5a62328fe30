package io.shardkit.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Four shards holding {@code t_item} split by {@code id mod 4}, and a reference database holding
 * the same rows: a merged answer must be the reference's answer, or a refusal. Each shard's pool
 * holds one connection, so the catalog lookups a merge makes while it reads (collations, enum
 * orders) are shown not to need a second one.
 */
final class Fixture implements AutoCloseable {
    final ShardSet shards;
    final ShardedDataSource ds;

    Fixture(ShardSet shards) throws SQLException {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                pool:
                  maximumPoolSize: 1
                  connectionTimeout: 3000
                tables:
                  t_item:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                defaultShard: s0
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** Runs DDL or DML on every shard (through shardkit, so inserts are routed) and on the reference. */
    void everywhere(String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                Connection ref = shards.openReference(); Statement rst = ref.createStatement()) {
            for (String s : sql) {
                st.execute(s);
                rst.execute(s);
            }
        }
    }

    /** DDL on each shard and the reference directly (statements shardkit would not route everywhere). */
    void ddl(String... sql) throws SQLException {
        for (int i = 0; i < shards.size(); i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                for (String s : sql) {
                    st.execute(s);
                }
            }
        }
        try (Connection ref = shards.openReference(); Statement st = ref.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    /** The merged answer equals the reference's, rows in order. */
    void same(String sql) throws SQLException {
        assertThat(rows(true, sql, false)).as(sql).containsExactlyElementsOf(rows(false, sql, false));
    }

    /** As {@link #same}, rows in any order. */
    void sameRows(String sql) throws SQLException {
        assertThat(rows(true, sql, false)).as(sql).containsExactlyInAnyOrderElementsOf(rows(false, sql, false));
    }

    /**
     * As {@link #sameRows}, with text compared ignoring case: under a case-insensitive collation the
     * database returns any one of the spellings of a group, so only the groups and their values are
     * the answer.
     */
    void sameIgnoringCase(String sql) throws SQLException {
        assertThat(rows(true, sql, true)).as(sql).containsExactlyInAnyOrderElementsOf(rows(false, sql, true));
    }

    void refused(String sql, String... message) {
        assertThatThrownBy(() -> rows(true, sql, false)).as(sql)
                .isInstanceOf(SQLException.class)
                .satisfies(e -> {
                    assertThat(((SQLException) e).getSQLState()).isEqualTo(RefusedException.SQL_STATE);
                    for (String m : message) {
                        assertThat(e.getMessage()).contains(m);
                    }
                });
    }

    List<String> rows(boolean sharded, String sql, boolean ignoreCase) throws SQLException {
        try (Connection c = sharded ? ds.getConnection() : shards.openReference(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            int width = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= width; i++) {
                    row.append(i == 1 ? "" : " | ").append(text(rs.getObject(i), ignoreCase));
                }
                out.add(row.toString());
            }
            return out;
        }
    }

    private static String text(Object v, boolean ignoreCase) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Double d) {
            return d == 0 ? "0.0" : d.toString(); // -0.0 and 0.0 are one value to SQL
        }
        if (v instanceof Float f) {
            return f == 0 ? "0.0" : f.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        String s = v.getClass().getSimpleName() + ":" + v;
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }

    @Override
    public void close() {
        ds.close();
    }
}
