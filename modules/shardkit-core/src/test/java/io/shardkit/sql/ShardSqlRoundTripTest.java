package io.shardkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.strategy.Strategies;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SQL shardkit itself sends to the shards (the parsed statement printed back: merge rewrites,
 * split INSERT rows) must mean what the user's SQL means on that database. Each statement below
 * is accepted by {@link SqlLexer} for its dialect; what shardkit prints from it must be accepted
 * too (no {@code ||} or {@code "..."} appearing on MySQL, no {@code --} glued from two minus
 * signs, ...), keep the same {@code ?} markers, and print the same again when parsed again.
 */
class ShardSqlRoundTripTest {
    private static final List<String> COMMON = List.of(
            "SELECT a, b FROM t WHERE id = ? AND name = 'it''s' ORDER BY a DESC LIMIT 10",
            "SELECT a - -1, a - (-b), -a - -b, a * -b, a / -b, CAST(-1 AS INT) - -1 FROM t",
            "SELECT a - -? FROM t WHERE b = ?",
            "SELECT grp, COUNT(*), SUM(score), MIN(name), MAX(name), AVG(score) FROM t GROUP BY grp HAVING COUNT(*) > ?"
                    + " ORDER BY 2 DESC LIMIT 3 OFFSET 1",
            "SELECT DISTINCT name FROM t WHERE id IN (?, ?, 3) ORDER BY name",
            "SELECT COUNT(DISTINCT grp) FROM t",
            "SELECT a FROM t WHERE NOT a = 1 AND b <> 'x' OR c BETWEEN 1 AND 2",
            "SELECT CASE WHEN a > 1 THEN 'big' ELSE 'small' END AS size FROM t ORDER BY size",
            "SELECT a FROM t WHERE name LIKE 'a%' AND b IS NOT NULL",
            "SELECT t.a, u.b FROM t JOIN u ON u.id = t.id WHERE t.id = ?",
            "SELECT a FROM t -- a comment\n WHERE id = 1 /* another */",
            "INSERT INTO t (id, name) VALUES (?, ?), (2, 'b'), (3, ?)",
            "UPDATE t SET score = score - -1 WHERE id = ?",
            "DELETE FROM t WHERE id = ?");
    private static final List<String> SQLITE = List.of(
            "SELECT \"a\", `b`, a || b FROM \"t\" WHERE x = X'0A' ORDER BY \"a\"",
            "SELECT a FROM t WHERE name LIKE 'a!%' ESCAPE '!' ORDER BY name COLLATE NOCASE",
            "SELECT 'C:\\dir' FROM t",
            "SELECT 'a' 'b' FROM t");
    private static final List<String> POSTGRESQL = List.of(
            "SELECT \"Score\", a::int, a || b, E'xy' FROM \"T\"",
            "SELECT $$it's ? here$$, a ->> 'k', a @> b, a #> '{x}', ARRAY[1, 2] FROM t WHERE name ILIKE ?",
            "SELECT a FROM t /* outer /* inner */ still */ WHERE id = ?",
            "SELECT 'C:\\dir' FROM t",
            "SELECT grp, string_agg(name, ',') FROM t GROUP BY grp ORDER BY grp");
    private static final List<String> MYSQL = List.of(
            "SELECT `a`, CONCAT(a, b), a XOR b, a % 2 FROM `t` AS `x` WHERE a <=> b",
            "SELECT a FROM t WHERE a = 1 && b = 2 OR NOT c",
            "SELECT a FROM t -- comment\n WHERE id = ? /* c */ ORDER BY a LIMIT 2, 3",
            "SELECT grp, GROUP_CONCAT(name) FROM t GROUP BY grp",
            "SELECT a FROM t WHERE d > NOW() - INTERVAL 1 DAY");

    private static ShardMap map(String url) {
        return new ShardMap(List.of(ShardSpec.of("s0", url), ShardSpec.of("s1", url + "2")), Map.of(),
                Map.of("t", TableRule.sharded("t", "id", Strategies.mod("s0", "s1"))), null);
    }

    private static void roundTrips(Dialect dialect, String url, List<String> own) throws Exception {
        Analyzer analyzer = new Analyzer(map(url));
        int checked = 0;
        for (List<String> list : List.of(COMMON, own)) {
            for (String sql : list) {
                assertThat(SqlLexer.problem(sql, dialect)).as(dialect + " accepts " + sql).isNull();
                String printed = Analyzer.parse(sql).toString();
                shardSqlMeansTheSame(dialect, sql, printed);
                assertThat(Analyzer.parse(printed).toString().replaceAll("\\s+", " ")).as("printed twice")
                        .isEqualTo(printed.replaceAll("\\s+", " "));
                SqlAnalysis a = analyzer.analyze(sql);
                if (a.shape() == SqlAnalysis.Shape.REFUSED) {
                    continue; // refused for another reason: nothing is sent
                }
                if (a.kind() == StatementKind.SELECT && a.merge() != null && !a.merge().isRefused()) {
                    String merged = a.merge().shardSql().replace(MergeSpec.LIMIT_TOKEN, "10");
                    assertThat(SqlLexer.problem(merged, dialect)).as(dialect + " merge rewrite of " + sql + ": " + merged)
                            .isNull();
                    checked++;
                }
                InsertRows rows = a.insertRows();
                if (rows != null) {
                    String split = rows.sqlFor(new int[] {2, 0}, 2);
                    assertThat(SqlLexer.problem(split, dialect)).as(dialect + " split of " + sql + ": " + split).isNull();
                    assertThat(SqlLexer.countParameters(split, dialect)).isEqualTo(rows.parametersFor(new int[] {2, 0}, 2).length);
                    checked++;
                }
            }
        }
        assertThat(checked).as("merge rewrites and split INSERTs checked").isGreaterThanOrEqualTo(4);
    }

    private static void shardSqlMeansTheSame(Dialect dialect, String sql, String printed) {
        assertThat(SqlLexer.problem(printed, dialect)).as(dialect + " printed " + printed).isNull();
        assertThat(SqlLexer.countParameters(printed, dialect)).as(dialect + " markers of " + printed)
                .isEqualTo(SqlLexer.countParameters(sql, dialect));
    }

    @Test
    void sqlite() throws Exception {
        roundTrips(Dialect.SQLITE, "jdbc:sqlite:/tmp/x.db", SQLITE);
    }

    @Test
    void postgresql() throws Exception {
        roundTrips(Dialect.POSTGRESQL, "jdbc:postgresql://127.0.0.1:1/app", POSTGRESQL);
    }

    @Test
    void mysql() throws Exception {
        roundTrips(Dialect.MYSQL, "jdbc:mariadb://127.0.0.1:1/app", MYSQL);
    }
}
