package io.shardkit.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Merged comparisons on PostgreSQL (database collation C): column and clause collations (issue 10
 * case 6), enums (7), uuids (8), -0.0 (9), NaN and the infinities (10), char(n), ROUND (15).
 */
@PostgresShards
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresValuesTest {
    private Fixture f;
    private String icu;
    private boolean nondeterministic;

    @BeforeAll
    void load(ShardSet shards) throws Exception {
        f = new Fixture(shards);
        try (Connection c = shards.openReference(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT collname FROM pg_collation WHERE collname IN ('en-x-icu', 'und-x-icu',"
                        + " 'en_US.utf8', 'en_US') ORDER BY collprovider DESC, collname LIMIT 1")) {
            icu = rs.next() ? rs.getString(1) : null;
        }
        String textCollated = icu == null ? "text" : "text COLLATE \"" + icu + "\"";
        nondeterministic = icu != null && icu.endsWith("-x-icu");
        if (nondeterministic) {
            f.ddl("CREATE COLLATION nd (provider = icu, locale = 'und-u-ks-level2', deterministic = false)");
        }
        f.ddl("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
                "CREATE TABLE t_item (id int PRIMARY KEY, grp int, name text, fancy " + textCollated + ", m mood, u uuid,"
                        + " ratio float8, r4 float4, amount numeric(10,2), code char(4), half float8, dhalf numeric(6,2),"
                        + " ci text" + (nondeterministic ? " COLLATE nd" : "") + ")");
        String[] names = {"alice", "Alice", "bob", "Bob", "_x", "éclair", "zed", "Zed"};
        String[] moods = {"sad", "ok", "happy"};
        String[] uuids = {"00000000-0000-0000-0000-000000000001", "7fffffff-ffff-ffff-ffff-ffffffffffff",
            "80000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "00000000-0000-0000-8000-000000000000", "00000000-0000-0000-7fff-ffffffffffff"};
        String[] ratios = {"0.0", "-0.0", "'NaN'", "'Infinity'", "'-Infinity'", "1.5", "-2.25", "0.0"};
        String[] codes = {"a", "a ", "b", "a\t", "ab", ""};
        for (int i = 1; i <= 48; i++) {
            f.everywhere("INSERT INTO t_item (id, grp, name, fancy, m, u, ratio, r4, amount, code, half, dhalf, ci) VALUES ("
                    + i + ", " + (i % 5) + ", '" + names[i % names.length] + "', '" + names[(i * 3) % names.length]
                    + "', '" + moods[i % 3] + "', '" + uuids[i % uuids.length] + "', " + ratios[i % ratios.length]
                    + ", " + ratios[(i + 1) % ratios.length] + ", " + (i % 7) * 1.25 + ", '" + codes[i % codes.length]
                    + "', " + (i == 1 ? 2.5 : 0) + ", " + (i == 1 ? 2.5 : 0) + ", '" + names[i % names.length] + "')");
        }
    }

    @AfterAll
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void case06_postgresColumnCollationRefusesOrderingButNotCounting() throws Exception {
        Assumptions.assumeTrue(icu != null, "the server has a non-C collation");
        f.refused("SELECT id FROM t_item ORDER BY fancy, id", icu);
        f.refused("SELECT MIN(fancy) FROM t_item", icu);
        f.refused("SELECT fancy, COUNT(*) FROM t_item GROUP BY fancy HAVING fancy > 'b'", icu);
        // grouping only tells values apart, which a deterministic collation does as bytes do
        f.sameRows("SELECT fancy, COUNT(*) FROM t_item GROUP BY fancy");
        f.same("SELECT COUNT(DISTINCT fancy) FROM t_item");
        f.sameRows("SELECT DISTINCT fancy FROM t_item");
        // a COLLATE "C" clause makes it code point order again
        f.same("SELECT id FROM t_item ORDER BY fancy COLLATE \"C\", id");
        f.same("SELECT MAX(fancy COLLATE \"C\") FROM t_item");
    }

    @Test
    void case06_postgresNondeterministicCollationRefusesEvenEquality() throws Exception {
        Assumptions.assumeTrue(nondeterministic, "the server has ICU");
        f.refused("SELECT COUNT(DISTINCT ci) FROM t_item", "nd");
        f.refused("SELECT ci, COUNT(*) FROM t_item GROUP BY ci", "nd");
        f.refused("SELECT DISTINCT ci FROM t_item", "nd");
        f.same("SELECT COUNT(DISTINCT ci COLLATE \"C\") FROM t_item");
    }

    @Test
    void case06_postgresCollateClauseRefuses() throws Exception {
        Assumptions.assumeTrue(icu != null, "the server has a non-C collation");
        f.refused("SELECT id FROM t_item ORDER BY name COLLATE \"" + icu + "\", id", icu);
        f.refused("SELECT MIN(name COLLATE \"" + icu + "\") FROM t_item", icu);
        f.refused("SELECT lower(name COLLATE \"" + icu + "\") AS l FROM t_item ORDER BY l", icu);
    }

    @Test
    void case06_postgresCodePointTextIsExact() throws Exception {
        f.same("SELECT id, name FROM t_item ORDER BY name, id");
        f.same("SELECT MIN(name), MAX(name) FROM t_item");
        f.same("SELECT name, COUNT(*) FROM t_item GROUP BY name ORDER BY name");
        f.same("SELECT lower(name) AS l, COUNT(*) FROM t_item GROUP BY 1 ORDER BY 1");
    }

    @Test
    void case07_postgresEnumsAreOrderedByTheirSortOrder() throws Exception {
        // 'sad' < 'ok' < 'happy' as declared, not as text
        f.same("SELECT id, m FROM t_item ORDER BY m, id");
        f.same("SELECT id FROM t_item ORDER BY m DESC, id LIMIT 5");
        f.same("SELECT MIN(m), MAX(m), COUNT(DISTINCT m) FROM t_item");
        f.same("SELECT m, COUNT(*) FROM t_item GROUP BY m ORDER BY m");
        f.same("SELECT grp, MAX(m) FROM t_item GROUP BY grp HAVING MAX(m) > 'sad' ORDER BY grp");
        f.same("SELECT m::text AS t, COUNT(*) FROM t_item GROUP BY 1 ORDER BY 1");
    }

    @Test
    void case07_postgresOtherTypesRefuse() throws Exception {
        f.refused("SELECT id FROM t_item ORDER BY ARRAY[grp], id", "PostgreSQL type _int4");
        f.refused("SELECT DISTINCT grp * INTERVAL '1 day' FROM t_item", "PostgreSQL type interval");
    }

    @Test
    void case08_postgresUuidOrderIsUnsigned() throws Exception {
        f.same("SELECT id, u FROM t_item ORDER BY u, id");
        f.same("SELECT u, COUNT(*) FROM t_item GROUP BY u ORDER BY u DESC");
    }

    @Test
    void case09_postgresNegativeZeroEqualsZero() throws Exception {
        f.same("SELECT id FROM t_item WHERE ratio = 0 ORDER BY ratio, id");
        f.same("SELECT id FROM t_item WHERE ratio = 0 ORDER BY ratio * -1, id");
        f.same("SELECT ratio, COUNT(*) FROM t_item WHERE ratio = 0 GROUP BY ratio");
        f.same("SELECT COUNT(DISTINCT ratio), COUNT(DISTINCT r4) FROM t_item WHERE ratio = 0");
    }

    @Test
    void case10_postgresNaNAndInfinities() throws Exception {
        f.same("SELECT id, ratio FROM t_item ORDER BY ratio, id");
        f.same("SELECT id, ratio FROM t_item ORDER BY ratio DESC, id LIMIT 9");
        f.same("SELECT ratio, COUNT(*) FROM t_item GROUP BY ratio ORDER BY ratio");
        f.sameRows("SELECT DISTINCT ratio FROM t_item");
        f.same("SELECT COUNT(DISTINCT ratio), MIN(ratio), MAX(ratio), MIN(r4), MAX(r4) FROM t_item");
        f.same("SELECT grp, MAX(ratio) FROM t_item GROUP BY grp HAVING MAX(ratio) > 1000 ORDER BY grp");
    }

    @Test
    void postgresCharNIgnoresTrailingSpaces() throws Exception {
        f.same("SELECT id FROM t_item ORDER BY code, id");
        f.same("SELECT COUNT(DISTINCT code) FROM t_item");
        f.same("SELECT code, COUNT(*) FROM t_item GROUP BY code ORDER BY code");
    }

    @Test
    void case15_postgresRoundOfDoublesIsHalfEvenOfDecimalsHalfAwayFromZero() throws Exception {
        f.same("SELECT ROUND(SUM(half)), ROUND(SUM(dhalf)), ROUND(SUM(dhalf), 1), ROUND(-SUM(dhalf)) FROM t_item");
        assertThat(f.rows(true, "SELECT ROUND(SUM(half)) FROM t_item", false)).containsExactly("2.0");
    }
}
