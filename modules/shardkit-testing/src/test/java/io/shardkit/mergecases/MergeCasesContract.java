package io.shardkit.mergecases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Regression tests of issue 10's merge cases: each statement runs through shardkit over four
 * shards ({@code t_item} split by {@code id mod 4}) and directly on one reference database
 * holding the same rows; the answers (column labels, values, order) must be the same, or the
 * statement refused with 0A000. One subclass per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MergeCasesContract {
    static final int ROWS = 60;

    ShardSet shards;
    ShardedDataSource ds;

    /** The database's type for an exact decimal with two places. */
    String decimalType() {
        return "DECIMAL(10,2)";
    }

    @BeforeAll
    void load(ShardSet shards) throws Exception {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                pool:
                  maximumPoolSize: 6
                  connectionTimeout: 20000
                tables:
                  t_item:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                defaultShard: s0
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        try (Connection ref = shards.openReference(); Connection c = ds.getConnection()) {
            load(ref);
            load(c);
        }
    }

    private void load(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS t_item");
            st.execute("CREATE TABLE t_item (id BIGINT PRIMARY KEY, grp INT, score INT, name VARCHAR(20), price "
                    + decimalType() + ")");
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO t_item (id, grp, score, name, price) VALUES (?, ?, ?, ?, ?)")) {
            for (int id = 1; id <= ROWS; id++) {
                ps.setLong(1, id);
                ps.setInt(2, id % 7);
                ps.setInt(3, (id * 37) % 50);
                ps.setString(4, "n" + (id % 11));
                ps.setBigDecimal(5, BigDecimal.valueOf(id * 113 % 1000, 2));
                ps.executeUpdate();
            }
        }
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    /** A result as text: the labels, then one line per row. */
    static List<String> read(ResultSet rs) throws SQLException {
        List<String> out = new ArrayList<>();
        ResultSetMetaData md = rs.getMetaData();
        StringBuilder head = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            head.append(i > 1 ? " | " : "").append(md.getColumnLabel(i));
        }
        out.add(head.toString());
        while (rs.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
                    v = new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
                }
                row.append(i > 1 ? " | " : "").append(v);
            }
            out.add(row.toString());
        }
        return out;
    }

    static List<String> run(Connection c, String sql, Object... params) throws SQLException {
        if (params.length == 0) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                return read(rs);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return read(rs);
            }
        }
    }

    /** The sharded answer, which must be the reference's; returns it. */
    List<String> same(String sql, Object... params) throws SQLException {
        List<String> want;
        try (Connection ref = shards.openReference()) {
            want = run(ref, sql, params);
        }
        List<String> got;
        try (Connection c = ds.getConnection()) {
            got = run(c, sql, params);
        }
        assertThat(got).as("%s %s on %s", sql, Arrays.asList(params), shards.dialect()).isEqualTo(want);
        assertThat(want.size()).as("rows of %s", sql).isGreaterThan(1);
        return got;
    }

    /** Like {@link #same}, for an order that is not total: the same rows, in any order. */
    List<String> sameRows(String sql, Object... params) throws SQLException {
        List<String> want;
        try (Connection ref = shards.openReference()) {
            want = sorted(run(ref, sql, params));
        }
        List<String> got;
        try (Connection c = ds.getConnection()) {
            got = sorted(run(c, sql, params));
        }
        assertThat(got).as("%s %s on %s", sql, Arrays.asList(params), shards.dialect()).isEqualTo(want);
        assertThat(want.size()).as("rows of %s", sql).isGreaterThan(1);
        return got;
    }

    private static List<String> sorted(List<String> result) {
        List<String> rows = new ArrayList<>(result.subList(1, result.size()));
        Collections.sort(rows);
        rows.add(0, result.get(0));
        return rows;
    }

    /** Both fail: shardkit with the reference's SQLState. */
    void sameError(String sql, Object... params) throws SQLException {
        SQLException want = null;
        try (Connection ref = shards.openReference()) {
            run(ref, sql, params);
        } catch (SQLException e) {
            want = e;
        }
        assertThat((Object) want).as("the reference fails %s", sql).isNotNull();
        String state = want.getSQLState();
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> run(c, sql, params)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(state));
        }
    }

    // ---- decimal scale of merged AVG and division

    static List<String> decimals(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    BigDecimal d = rs.getBigDecimal(i);
                    row.append(i > 1 ? " | " : "").append(d == null ? "NULL" : d.toPlainString());
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    @Test
    void averageAndDivisionHaveTheDatabasesScale() throws SQLException {
        if (sqlite()) {
            return; // SQLite has no decimal type: AVG and division are doubles
        }
        for (String sql : List.of("SELECT grp, AVG(price), SUM(price) / COUNT(*), AVG(score), SUM(score) / COUNT(*)"
                + " FROM t_item GROUP BY grp ORDER BY grp", "SELECT AVG(price), AVG(score), SUM(grp) / COUNT(*) FROM t_item",
                "SELECT AVG(grp) FROM t_item WHERE grp = 1")) {
            List<String> want;
            try (Connection ref = shards.openReference()) {
                want = decimals(ref, sql);
            }
            try (Connection c = ds.getConnection()) {
                assertThat(decimals(c, sql)).as(sql).isEqualTo(want);
            }
        }
    }

    // ---- labels of merged columns: what the database would call them

    @Test
    void mergedColumnsAreLabelledAsTheDatabaseLabelsThem() throws SQLException {
        same("SELECT grp, COUNT(*)   +   1, SUM(score) * 2, ROUND(AVG(score), 1), CASE WHEN MAX(id) > 50 THEN 1 ELSE 0 END"
                + " FROM t_item GROUP BY grp ORDER BY grp");
        same("SELECT COUNT(*) + 1, MAX(score) - MIN(score) FROM t_item WHERE id > 3".replace("WHERE", "WHERE id <> 0 AND")
                + " GROUP BY grp ORDER BY 1, 2");
        same("SELECT id, score  *  -1, CAST(score AS VARCHAR(5)) FROM t_item ORDER BY id LIMIT 5");
    }

    void refused(String sql, String message, Object... params) throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> run(c, sql, params)).as(sql).isInstanceOf(RefusedException.class)
                    .hasMessageContaining(message)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
        }
    }

    // ---- case 4: ? in expressions the rewrite copies, moves or drops

    @Test
    void case04_parameterInGroupKeyNamedByPosition() throws SQLException {
        same("SELECT grp + ? AS g, COUNT(*) FROM t_item GROUP BY 1 HAVING COUNT(*) > ? ORDER BY 1", 10, 5);
        same("SELECT grp + ? AS g, COUNT(*) AS n FROM t_item WHERE score > ? GROUP BY 1 HAVING COUNT(*) > ?"
                + " ORDER BY 1", 10, 5, 2);
    }

    @Test
    void case04_parameterInGroupKeyNamedByAlias() throws SQLException {
        same("SELECT grp * ? AS g, SUM(score) AS s FROM t_item WHERE id > ? GROUP BY g ORDER BY g", 3, 4);
    }

    @Test
    void case04_parametersAroundDroppedHavingAndLimit() throws SQLException {
        same("SELECT grp, COUNT(*) + ? AS n FROM t_item WHERE score >= ? GROUP BY grp HAVING SUM(score) > ?"
                + " AND grp <> ? ORDER BY grp LIMIT ? OFFSET ?", 100, 5, 20, 3, 4, 1);
        same("SELECT id, score + ? AS s FROM t_item WHERE grp = ? ORDER BY score DESC, id LIMIT ? OFFSET ?",
                1000, 2, 3, 1);
    }

    @Test
    void case04_parametersInSortKeysTheRewriteCopies() throws SQLException {
        same("SELECT id, score FROM t_item WHERE grp = ? ORDER BY ABS(score - ?), id LIMIT ?", 2, 25, 4);
        same("SELECT grp, COUNT(*) AS n FROM t_item WHERE id > ? GROUP BY grp ORDER BY ABS(COUNT(*) - ?), grp", 2, 8);
        refused("SELECT id FROM t_item ORDER BY ?", "ORDER BY ? across shards", 1);
    }

    @Test
    void case04_parameterInGroupKeyOutsideTheSelectList() throws SQLException {
        same("SELECT COUNT(*) AS n, SUM(score) AS s FROM t_item WHERE id > ? GROUP BY grp % ? ORDER BY 2", 2, 3);
    }


    // ---- case 11: FETCH FIRST ... WITH TIES, and the other LIMIT / FETCH / OFFSET forms

    boolean sqlite() {
        return shards.dialect().equals("sqlite");
    }

    boolean postgres() {
        return shards.dialect().equals("postgresql");
    }

    boolean mysql() {
        return shards.dialect().equals("mysql");
    }

    @Test
    void case11_fetchFirstWithTiesKeepsTheRowsTiedWithTheLast() throws SQLException {
        if (sqlite()) {
            refused("SELECT id FROM t_item ORDER BY grp FETCH FIRST 3 ROWS WITH TIES", "FETCH on SQLITE");
            return;
        }
        List<String> rows = sameRows("SELECT id, grp FROM t_item ORDER BY grp FETCH FIRST 3 ROWS WITH TIES");
        assertThat(rows).hasSize(1 + ROWS / 7); // every row of the smallest group, not 3
        sameRows("SELECT id, grp, score FROM t_item ORDER BY grp DESC, score OFFSET 2 ROWS FETCH NEXT 4 ROWS WITH TIES");
        same("SELECT id, grp FROM t_item WHERE id > ? ORDER BY grp, id FETCH FIRST 5 ROWS WITH TIES", 3);
        sameRows("SELECT grp, COUNT(*) AS n FROM t_item GROUP BY grp ORDER BY COUNT(*) DESC FETCH FIRST 1 ROW WITH TIES");
        sameRows("SELECT id, grp FROM t_item ORDER BY grp DESC FETCH FIRST 1 ROWS WITH TIES");
        sameRows("SELECT id, grp FROM t_item ORDER BY grp OFFSET ? ROWS FETCH FIRST 3 ROWS WITH TIES", 8);
        refused("SELECT id FROM t_item ORDER BY grp FETCH FIRST ? ROWS WITH TIES", "write the row count", 3);
    }

    /** Found by the oracle (seed 99, PostgreSQL): LIMIT 0 evaluates nothing, so a group whose expression fails does not fail it. */
    @Test
    void limitZeroEvaluatesNoMergedValue() throws SQLException {
        for (String sql : new String[] {
            "SELECT grp, SUM(score) / (COUNT(*) - COUNT(*)) AS x FROM t_item GROUP BY grp ORDER BY COUNT(*), grp LIMIT 0",
            "SELECT grp, SUM(score) / (COUNT(*) - COUNT(*)) AS x FROM t_item GROUP BY grp ORDER BY grp LIMIT 0 OFFSET 2"}) {
            List<String> want;
            try (Connection ref = shards.openReference()) {
                want = run(ref, sql);
            }
            try (Connection c = ds.getConnection()) {
                assertThat(run(c, sql)).as(sql).isEqualTo(want).hasSize(1); // the labels, no row
            }
        }
    }

    @Test
    void case11_otherFetchFormsAreExactOrRefused() throws SQLException {
        if (sqlite()) {
            refused("SELECT id FROM t_item ORDER BY id LIMIT 3 OFFSET 2 ROWS", "on SQLITE");
            same("SELECT id FROM t_item ORDER BY id LIMIT 2, 3");
            same("SELECT id FROM t_item ORDER BY id LIMIT -1 OFFSET 55");
            refused("SELECT id FROM t_item ORDER BY id LIMIT NULL", "LIMIT NULL on SQLITE");
            return;
        }
        same("SELECT id FROM t_item ORDER BY score, id FETCH FIRST 4 ROWS ONLY");
        same("SELECT id FROM t_item ORDER BY score, id OFFSET 3 ROWS FETCH NEXT 2 ROW ONLY");
        same("SELECT id FROM t_item ORDER BY score DESC, id OFFSET ? ROWS FETCH FIRST ? ROWS ONLY", 2, 3);
        if (postgres()) {
            same("SELECT id FROM t_item ORDER BY score, id FETCH FIRST ROW ONLY".replace("ROW ONLY", "2 ROWS ONLY"));
            same("SELECT id FROM t_item ORDER BY id OFFSET 57");
            same("SELECT id FROM t_item ORDER BY id LIMIT ALL OFFSET 56");
            same("SELECT id FROM t_item ORDER BY id LIMIT NULL OFFSET 56");
            refused("SELECT id FROM t_item ORDER BY id FETCH FIRST 10 PERCENT ROWS ONLY", "PERCENT");
            sameError("SELECT id FROM t_item ORDER BY id LIMIT -1");
        } else {
            same("SELECT id FROM t_item ORDER BY id LIMIT 2, 3");
            refused("SELECT id FROM t_item ORDER BY id LIMIT ALL", "LIMIT ALL on MYSQL");
        }
    }

    // ---- LIMIT ? bound to -1 or NULL: what the database does

    @Test
    void limitParameterNegativeOrNullReadsAsTheDatabaseReadsIt() throws SQLException {
        String sql = "SELECT id, score FROM t_item ORDER BY score DESC, id LIMIT ? OFFSET ?";
        same(sql, 3, 2);
        if (sqlite()) {
            same(sql, -1, 50);
            same(sql, 2, -3);
            same(sql, "3", 2);
            assertThatThrownBy(() -> run(ds.getConnection(), sql, null, 2)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("SQLITE_MISMATCH");
        } else if (postgres()) {
            same(sql, null, 55);
            same(sql, 3, null);
            sameError(sql, -1, 2);
            sameError(sql, 2, -1);
            sameError(sql, "3", 2);
        } else {
            sameError(sql, -1, 2);
            sameError(sql, null, 2);
            sameError(sql, 2.0, 2);
            sameError(sql, "3", 2);
        }
    }


    // ---- case 17: the position of a merged result is the merged stream's

    /** isBeforeFirst, isFirst, isAfterLast and getRow, as one line, or "refused"/"error" per call. */
    static String position(ResultSet rs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            try {
                sb.append(switch (i) {
                    case 0 -> "before=" + rs.isBeforeFirst();
                    case 1 -> " first=" + rs.isFirst();
                    case 2 -> " after=" + rs.isAfterLast();
                    default -> " row=" + rs.getRow();
                });
            } catch (SQLException e) {
                sb.append(" ?");
            }
        }
        return sb.toString();
    }

    /** The position after every step of reading the whole result, with the ids read. */
    static List<String> walk(Connection c, String sql) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            steps.add(position(rs));
            while (rs.next()) {
                steps.add("on a row: " + position(rs));
            }
            // after the end JDBC says getRow is 0; the SQLite driver answers the last row's number
            steps.add("end: " + position(rs).replaceAll(" row=\\d+$", ""));
        }
        return steps;
    }

    @Test
    void case17_positionIsTheMergedStreamsNotTheShards() throws SQLException {
        for (String sql : List.of("SELECT id FROM t_item WHERE id < 9 ORDER BY id",
                "SELECT grp, COUNT(*) FROM t_item GROUP BY grp ORDER BY grp",
                "SELECT id FROM t_item WHERE id IN (1, 2, 3, 4, 5)",
                "SELECT id FROM t_item WHERE id < 0 ORDER BY id")) {
            List<String> want;
            try (Connection ref = shards.openReference()) {
                want = walk(ref, sql);
            }
            try (Connection c = ds.getConnection()) {
                List<String> got = walk(c, sql);
                assertThat(got).as(sql).hasSameSizeAs(want);
                for (int i = 0; i < got.size(); i++) {
                    // where the reference's driver cannot answer ("?"), shardkit's own answer is checked below
                    if (!want.get(i).contains("?")) {
                        assertThat(got.get(i)).as(sql + " step " + i).isEqualTo(want.get(i));
                    }
                }
            }
        }
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM t_item ORDER BY id")) {
            assertThat(rs.isBeforeFirst()).isTrue();
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(1); // read ahead by isBeforeFirst, returned by next
            assertThat(rs.isFirst()).isTrue();
            assertThat(rs.getRow()).isEqualTo(1);
            assertThat(rs.next()).isTrue();
            assertThat(rs.isFirst()).isFalse();
            assertThat(rs.getRow()).isEqualTo(2);
            assertThat(rs.getType()).isEqualTo(ResultSet.TYPE_FORWARD_ONLY);
            assertThat(rs.getConcurrency()).isEqualTo(ResultSet.CONCUR_READ_ONLY);
            refusedCall(() -> rs.isLast(), "isLast on rows merged from several shards");
            refusedCall(() -> rs.absolute(1), "absolute on rows merged from several shards: the result set is forward-only");
            refusedCall(() -> rs.previous(), "forward-only");
            refusedCall(() -> rs.relative(1), "forward-only");
            refusedCall(() -> {
                rs.afterLast();
                return null;
            }, "forward-only");
            refusedCall(() -> rs.getHoldability(), "getHoldability on rows merged from several shards");
            refusedCall(() -> rs.getCursorName(), "getCursorName on rows merged from several shards");
            refusedCall(() -> {
                rs.updateLong(1, 7);
                return null;
            }, "updateLong on rows merged from several shards: the result set is read-only");
            refusedCall(() -> rs.rowUpdated(), "read-only");
            refusedCall(() -> {
                rs.deleteRow();
                return null;
            }, "read-only");
            int rows = 2;
            while (rs.next()) {
                rows++;
            }
            assertThat(rows).isEqualTo(ROWS);
            assertThat(rs.isAfterLast()).isTrue();
            assertThat(rs.getRow()).isZero();
        }
    }

    interface Call {
        Object call() throws SQLException;
    }

    static void refusedCall(Call call, String message) {
        assertThatThrownBy(call::call).isInstanceOf(SQLFeatureNotSupportedException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("0A000"));
    }


    // ---- case 12: which output column a name in ORDER BY denotes, per database

    @Test
    void case12_orderByNameResolvesAsTheDatabaseDoes() throws SQLException {
        // PostgreSQL: "Score" is not score, so score is the column; SQLite and MySQL: the alias
        if (!mysql()) { // on MySQL "Score" is a string constant, refused by the lexical check
            same("SELECT id, -score AS \"Score\" FROM t_item ORDER BY score, id");
        }
        same("SELECT id, -score AS Score FROM t_item ORDER BY SCORE, id");
        // PostgreSQL names CAST(score AS ...) score, so ORDER BY score sorts the text
        same("SELECT id, CAST(score AS VARCHAR(5)) FROM t_item ORDER BY score DESC, id");
        same("SELECT id AS score, score AS id FROM t_item ORDER BY score");
        same("SELECT grp, COUNT(*) FROM t_item GROUP BY grp ORDER BY count DESC, grp".replace("count DESC",
                postgres() ? "count DESC" : "COUNT(*) DESC"));
        if (postgres()) {
            same("SELECT id, score::text FROM t_item ORDER BY score, id");
            same("SELECT id AS \"A\", -id AS \"a\" FROM t_item ORDER BY \"a\" LIMIT 5");
            same("SELECT id AS \"A\", -id AS \"a\" FROM t_item ORDER BY a LIMIT 5");
            // the database fails it as ambiguous (42702); shardkit refuses it
            refused("SELECT id AS x, -id AS x FROM t_item ORDER BY x", "names several output columns");
        } else if (sqlite()) {
            same("SELECT id AS x, -id AS x FROM t_item ORDER BY x LIMIT 5"); // the first alias
        } else {
            refused("SELECT id AS x, -id AS x FROM t_item ORDER BY x", "names several output columns");
        }
    }

    // ---- case 16: HAVING and GROUP BY on a name that is an alias and maybe a column

    @Test
    void case16_havingOnANameThatIsAlsoAColumn() throws SQLException {
        String both = "SELECT grp, COUNT(*) AS score FROM t_item GROUP BY grp HAVING score > 8 ORDER BY grp";
        String alias = "SELECT grp, COUNT(*) AS n FROM t_item GROUP BY grp HAVING n > 8 ORDER BY grp";
        if (sqlite()) {
            // SQLite reads score as the column (of some row of each group): no merge can reproduce that
            refused(both, "HAVING score is both the alias of COUNT(*) and a column of a table in FROM");
            same(alias);
        } else if (postgres()) {
            refused(both, "score is neither grouped nor aggregated");
            // PostgreSQL's HAVING sees no aliases: the database fails it (42703), shardkit refuses it
            refused(alias, "n is neither grouped nor aggregated");
        } else {
            same(both);
            same(alias);
        }
    }

    @Test
    void case16_groupByANameThatIsAlsoAColumn() throws SQLException {
        // every database groups by the column id, not by the alias
        String both = "SELECT score % 3 AS id, COUNT(*) FROM t_item GROUP BY id";
        // (PostgreSQL answers it too: score % 3 depends on the primary key id)
        refused(both, "GROUP BY id is both the alias of score % 3 and a column of a table in FROM");
        same("SELECT score % 3 AS g, COUNT(*) AS n FROM t_item GROUP BY g ORDER BY g");
        // the alias of another column: grouped by that column when no column has the alias's name
        same("SELECT grp AS g2, COUNT(*) AS n FROM t_item GROUP BY g2 ORDER BY g2");
        if (!postgres()) {
            // score is a column: the databases group by it (PostgreSQL fails: grp is not grouped)
            refused("SELECT grp AS score, COUNT(*) FROM t_item GROUP BY score",
                    "GROUP BY score is both the alias of grp and a column of a table in FROM");
        }
        same("SELECT score % ? AS g, COUNT(*) AS n FROM t_item WHERE id > ? GROUP BY g ORDER BY g", 4, 3);
    }

    // ---- ORDER BY an expression over a select alias

    @Test
    void orderByAnExpressionOverAnAlias() throws SQLException {
        String plain = "SELECT id, score AS s1 FROM t_item ORDER BY s1 * -1, id";
        String grouped = "SELECT grp, SUM(score) AS s FROM t_item GROUP BY grp ORDER BY s * -1";
        if (postgres()) {
            // PostgreSQL sees no aliases inside expressions (42703)
            sameError(plain);
            refused(grouped, "s is neither grouped nor aggregated");
            return;
        }
        same(plain);
        same(plain + " LIMIT 7");
        if (mysql()) {
            // the database fails it ("reference to group function"); shardkit refuses it
            refused(grouped, "the alias s of an aggregate inside an expression");
        } else {
            same(grouped);
        }
        // grp is also a column: SQLite reads the column inside the expression
        refused("SELECT id, score AS grp FROM t_item ORDER BY grp * -1, id", "ORDER BY grp is both the alias of score");
    }

}
