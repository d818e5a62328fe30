package io.shardkit.values;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.testing.MariaDbShards;
import io.shardkit.testing.ShardSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Merged comparisons and arithmetic on MariaDB: ROUND (issue 10 case 15), numbers, case-insensitive text. */
@MariaDbShards
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbValuesTest {
    private Fixture f;

    @BeforeAll
    void load(ShardSet shards) throws Exception {
        f = new Fixture(shards);
        f.ddl("CREATE TABLE t_item (id INT PRIMARY KEY, grp INT, name VARCHAR(20), ratio DOUBLE, amount DECIMAL(8,3),"
                + " b VARBINARY(4), bin VARCHAR(20) COLLATE utf8mb4_bin, e ENUM('zz', 'aa', 'mm'), tabbed VARCHAR(8))");
        String[] names = {"alice", "Alice", "bob", "Bob", "_x", "zed", "Émile", "emile", "ZED", "bob"};
        String[] enums = {"zz", "aa", "mm"};
        for (int i = 1; i <= 40; i++) {
            f.everywhere("INSERT INTO t_item (id, grp, name, ratio, amount, b, bin, e, tabbed) VALUES (" + i + ", "
                    + (i % 4) + ", '" + names[i % names.length] + "', " + (i <= 4 ? "0.625" : i % 2 == 0 ? "-0.0" : "0.0")
                    + ", " + (i <= 4 ? "0.625" : "0") + ", x'" + (i % 3 == 0 ? "ff" : i % 3 == 1 ? "00" : "7f01") + "', '"
                    + names[(i * 3) % names.length] + "', '" + enums[i % 3] + "', '" + (i % 2 == 0 ? "a\t" : "a") + "')");
        }
    }

    @AfterAll
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void case15_mariadbRoundOfDoublesIsHalfEven() throws Exception {
        // SUM(ratio) = 2.5 (four rows of 0.625): ROUND gives 2, and ROUND(0.625e0, 2) gives 0.62
        f.same("SELECT ROUND(SUM(ratio)), ROUND(SUM(ratio), 1), ROUND(MAX(ratio), 2), ROUND(SUM(ratio) * 10, -1) FROM t_item");
        assertThat(f.rows(true, "SELECT ROUND(SUM(ratio)) FROM t_item", false)).containsExactly("2.0");
        // decimals round half away from zero
        f.same("SELECT ROUND(SUM(amount)), ROUND(MAX(amount), 2), ROUND(-SUM(amount)) FROM t_item");
        f.same("SELECT grp, ROUND(SUM(ratio) * 4) FROM t_item GROUP BY grp ORDER BY grp");
    }

    @Test
    void mariadbNumbersAndBinaryStringsMerge() throws Exception {
        f.same("SELECT id FROM t_item ORDER BY ratio, id");
        f.same("SELECT ratio, COUNT(*) FROM t_item GROUP BY ratio ORDER BY ratio");
        f.same("SELECT id, b FROM t_item ORDER BY b, id");
        f.same("SELECT MIN(b), MAX(b), COUNT(DISTINCT b) FROM t_item");
    }

    @Test
    void mariadbCaseInsensitiveTextIsComparedByWeightStrings() throws Exception {
        f.same("SELECT id FROM t_item ORDER BY name, id");
        f.same("SELECT id FROM t_item ORDER BY name DESC, id LIMIT 11");
        f.sameIgnoringCase("SELECT name, COUNT(*) FROM t_item GROUP BY name");
        f.sameIgnoringCase("SELECT DISTINCT name FROM t_item");
        f.same("SELECT COUNT(DISTINCT name), COUNT(DISTINCT bin) FROM t_item");
        f.sameIgnoringCase("SELECT MIN(name), MAX(name) FROM t_item");
        f.sameIgnoringCase("SELECT grp, MIN(name), MAX(name), COUNT(DISTINCT name) FROM t_item GROUP BY grp");
        f.same("SELECT grp, COUNT(*) FROM t_item GROUP BY grp, name ORDER BY grp, COUNT(*)");
        f.same("SELECT id, bin FROM t_item ORDER BY bin, id");
        f.same("SELECT id FROM t_item ORDER BY name COLLATE utf8mb4_bin, id");
        f.sameIgnoringCase("SELECT UPPER(name) AS u, COUNT(*) FROM t_item GROUP BY 1 ORDER BY 1");
    }

    @Test
    void mariadbTextWeightsRefuseWhatTheyDoNotReproduce() throws Exception {
        // an ENUM sorts by its index, not its text
        f.refused("SELECT id FROM t_item ORDER BY e, id", "ENUM");
        // a tab weighs less than the padding space of a PAD SPACE collation
        f.refused("SELECT id FROM t_item ORDER BY tabbed, id", "U+0009");
        // the weights keep a trailing space that a PAD SPACE collation ignores
        f.refused("SELECT DISTINCT CONCAT(name, ' ') FROM t_item", "trailing", "U+0020");
        // GROUP BY and DISTINCT of an ENUM only tell values apart: exact by weights
        f.same("SELECT e, COUNT(*) FROM t_item GROUP BY e ORDER BY COUNT(*), MIN(id)");
        // a merged MIN has no weight on any shard
        f.refused("SELECT grp, MIN(name) AS m FROM t_item GROUP BY grp ORDER BY m", "MySQL");
        f.refused("SELECT name, COUNT(*) FROM t_item GROUP BY name HAVING name = 'ALICE'", "MYSQL collations");
    }
}
