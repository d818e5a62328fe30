package io.shardkit.subquery;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.testing.PostgresShards;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The contract on PostgreSQL, plus g3: {@code key = ANY(?)} with an array bound (Hibernate 6/7 batch
 * loading) narrows like IN, compared with the reference database.
 */
@PostgresShards
class PostgresI12AnalysisTest extends I12AnalysisContract {

    @Test
    void i12_g3_01_anyWithABoundArrayRoutesToTheShardsOfItsElements() throws SQLException {
        String sql = "SELECT id, player_id, amount FROM t_order WHERE player_id = any (?) ORDER BY id";
        Long[] keys = {5L, 1L, 6L}; // 5 and 1 on s1, 6 on s2
        assertThat(anyRows(sql, keys, "sqlArray")).isEqualTo(referenceAnyRows(sql, keys));
        assertThat(anyRows(sql, keys, "objectArray")).isEqualTo(referenceAnyRows(sql, keys));
        assertThat(anyRows(sql, keys, "primitiveArray")).isEqualTo(referenceAnyRows(sql, keys));
        assertThat(ds.explain(sql, (Object) keys).shards()).containsExactlyInAnyOrder("s1", "s2");
        assertThat(ds.explain(sql, (Object) new long[] {5L, 1L}).shards()).containsExactly("s1");
        assertThat(ds.explain(sql, (Object) new Long[] {5L, null}).shards()).containsExactly("s1");
    }

    @Test
    void i12_g3_02_anyOfAnArrayLiteral() throws SQLException {
        String sql = "SELECT id, note FROM t_order WHERE player_id = ANY(ARRAY[2, 3]) ORDER BY id";
        sameRows(sql);
        assertThat(ds.explain(sql).shards()).containsExactlyInAnyOrder("s2", "s3");
        sameRows("SELECT id FROM t_order WHERE player_id = ANY(ARRAY[7]) ORDER BY id");
        assertThat(ds.explain("SELECT id FROM t_order WHERE player_id = ANY(ARRAY[7]) ORDER BY id").shards())
                .containsExactly("s3");
    }

    @Test
    void i12_g3_03_anEmptyOrNullArrayMatchesNoRowOnOneShard() throws SQLException {
        String sql = "SELECT id FROM t_order WHERE player_id = any (?) ORDER BY id";
        assertThat(anyRows(sql, new Long[0], "sqlArray")).isEqualTo(referenceAnyRows(sql, new Long[0])).hasSize(1);
        assertThat(ds.explain(sql, (Object) new Long[0]).shards()).hasSize(1);
        assertThat(ds.explain(sql, (Object) null).shards()).hasSize(1);
    }

    @Test
    void i12_g3_04_parameterPositionsAroundTheArray() throws SQLException {
        String sql = "SELECT id FROM t_order WHERE amount > ? AND player_id = any (?) AND note <> ? ORDER BY id";
        List<String> want;
        try (Connection r = shards.openReference(); PreparedStatement ps = r.prepareStatement(sql)) {
            ps.setInt(1, 3);
            ps.setArray(2, r.createArrayOf("bigint", new Object[] {2L, 3L, 4L}));
            ps.setString(3, "n0");
            want = read(ps);
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, 3);
            ps.setArray(2, c.createArrayOf("bigint", new Object[] {2L, 3L, 4L}));
            ps.setString(3, "n0");
            assertThat(read(ps)).isEqualTo(want).hasSizeGreaterThan(2);
        }
        assertThat(ds.explain(sql, 3, new Long[] {2L, 3L}, "n0").shards()).containsExactlyInAnyOrder("s2", "s3");
        // an update by a batch of keys, routed the same way
        String update = "UPDATE t_order SET note = ? WHERE player_id = any (?) AND amount > ?";
        sameWriteWithArray(update);
    }

    private void sameWriteWithArray(String update) throws SQLException {
        int want;
        try (Connection r = shards.openReference(); PreparedStatement ps = r.prepareStatement(update)) {
            ps.setString(1, "batch");
            ps.setArray(2, r.createArrayOf("bigint", new Object[] {5L, 6L}));
            ps.setInt(3, 10);
            want = ps.executeUpdate();
        }
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(update)) {
            ps.setString(1, "batch");
            ps.setArray(2, c.createArrayOf("bigint", new Object[] {5L, 6L}));
            ps.setInt(3, 10);
            assertThat(ps.executeUpdate()).isEqualTo(want).isPositive();
        }
        sameRows("SELECT id, note FROM t_order WHERE note = 'batch' ORDER BY id");
    }

    private List<String> referenceAnyRows(String sql, Long[] keys) throws SQLException {
        try (Connection r = shards.openReference(); PreparedStatement ps = r.prepareStatement(sql)) {
            ps.setArray(1, r.createArrayOf("bigint", keys));
            return read(ps);
        }
    }

    private List<String> anyRows(String sql, Long[] keys, String how) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            switch (how) {
                case "sqlArray" -> {
                    Array a = c.createArrayOf("bigint", keys);
                    ps.setArray(1, a);
                }
                case "objectArray" -> ps.setObject(1, keys);
                default -> {
                    long[] primitive = new long[keys.length];
                    for (int i = 0; i < keys.length; i++) {
                        primitive[i] = keys[i];
                    }
                    ps.setObject(1, primitive);
                }
            }
            return read(ps);
        }
    }

    private static List<String> read(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            out.add("columns: " + n);
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                out.add(sb.toString());
            }
        }
        return out;
    }
}
