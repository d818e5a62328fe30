package io.shardkit.values;

import io.shardkit.testing.ShardSet;
import io.shardkit.testing.SqliteShards;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Merged comparisons on SQLite: collations (issue 10 case 5), storage classes, and {@code %} on reals (case 14). */
@SqliteShards
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteValuesTest {
    private Fixture f;

    @BeforeAll
    void load(ShardSet shards) throws Exception {
        f = new Fixture(shards);
        f.ddl("CREATE TABLE t_item (id INTEGER PRIMARY KEY, grp INT, name TEXT COLLATE NOCASE, label TEXT,"
                + " tag TEXT COLLATE RTRIM, ratio REAL, mixed)");
        String[] names = {"alice", "Alice", "ALICE", "bob", "Bob", "_under", "carol", "CAROL", "dave", "Eve", "eve", "zed"};
        String[] tags = {"x", "x ", "x  ", "y", "y ", "z"};
        Object[] mixed = {"1", "10", "9", "2.5", "'b'", "'A'", "x'00ff'", "x'7f'", "NULL", "3", "'a'", "1.5"};
        for (int i = 1; i <= 48; i++) {
            f.everywhere("INSERT INTO t_item (id, grp, name, label, tag, ratio, mixed) VALUES (" + i + ", " + (i % 5) + ", '" + names[i % names.length] + "', '"
                    + names[(i * 7) % names.length] + "', '" + tags[i % tags.length] + "', " + (i % 8) * 0.25 + ", "
                    + mixed[i % mixed.length] + ")");
        }
    }

    @AfterAll
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void case05_sqliteNocaseColumnGroupByDistinctCountDistinct() throws Exception {
        f.sameIgnoringCase("SELECT name, COUNT(*) FROM t_item GROUP BY name");
        f.sameIgnoringCase("SELECT DISTINCT name FROM t_item");
        f.same("SELECT COUNT(DISTINCT name) FROM t_item");
        f.same("SELECT grp, COUNT(DISTINCT name) FROM t_item GROUP BY grp ORDER BY grp");
        f.sameIgnoringCase("SELECT name, COUNT(*) FROM t_item GROUP BY name HAVING name = 'ALICE'");
        f.sameIgnoringCase("SELECT name, COUNT(*) FROM t_item GROUP BY 1 HAVING name > 'BOB'");
    }

    @Test
    void case05_sqliteNocaseMinMaxAndOrder() throws Exception {
        f.sameIgnoringCase("SELECT MIN(name), MAX(name) FROM t_item");
        f.sameIgnoringCase("SELECT grp, MIN(name), MAX(name) FROM t_item GROUP BY grp");
        f.same("SELECT id, name FROM t_item ORDER BY name, id");
        f.same("SELECT id, name FROM t_item ORDER BY name DESC, id LIMIT 7");
        // a function of the column is BINARY again, and so is ORDER BY an aggregate
        f.same("SELECT id FROM t_item ORDER BY name || '', id");
        f.same("SELECT grp, MIN(label) AS m FROM t_item GROUP BY grp ORDER BY m, grp");
        f.same("SELECT id FROM t_item ORDER BY +name, id");
        f.same("SELECT id FROM t_item ORDER BY CAST(name AS TEXT) DESC, id");
    }

    @Test
    void case05_sqliteCollateClauses() throws Exception {
        f.same("SELECT id, label FROM t_item ORDER BY label COLLATE NOCASE, id");
        f.sameIgnoringCase("SELECT label COLLATE NOCASE, COUNT(*) FROM t_item GROUP BY 1");
        f.same("SELECT COUNT(DISTINCT label COLLATE NOCASE), COUNT(DISTINCT label) FROM t_item");
        // the parser reads COLLATE BINARY inside an aggregate as a keyword argument: refused, not dropped
        f.refused("SELECT COUNT(DISTINCT name COLLATE BINARY) FROM t_item", "the call COUNT(DISTINCT name COLLATE BINARY)");
        f.same("SELECT id FROM t_item ORDER BY tag COLLATE NOCASE DESC, id");
        f.sameIgnoringCase("SELECT MIN(label COLLATE NOCASE) FROM t_item");
        f.same("SELECT t.id FROM t_item t ORDER BY t.name, t.id");
    }

    @Test
    void case05_sqliteRtrimColumn() throws Exception {
        f.same("SELECT COUNT(DISTINCT tag) FROM t_item");
        f.same("SELECT TRIM(tag), COUNT(*) FROM t_item GROUP BY tag ORDER BY 1");
        f.same("SELECT id FROM t_item ORDER BY tag, id");
        f.same("SELECT grp, COUNT(DISTINCT tag) FROM t_item GROUP BY grp ORDER BY grp");
    }

    @Test
    void case05_sqliteUnknownCollationsRefuse() throws Exception {
        f.refused("SELECT id FROM t_item ORDER BY (name COLLATE NOCASE) || label, id", "COLLATE inside");
        f.refused("SELECT id FROM t_item WHERE id < 40 ORDER BY (SELECT name) , id", "subquery");
    }

    @Test
    void sqliteStorageClassesAndIntegerRealOrder() throws Exception {
        f.same("SELECT id, mixed FROM t_item ORDER BY mixed, id");
        f.same("SELECT COUNT(*), MIN(id) FROM t_item GROUP BY mixed ORDER BY 2");
        f.same("SELECT MIN(mixed), MAX(mixed) FROM t_item");
        f.same("SELECT COUNT(DISTINCT mixed) FROM t_item");
    }

    @Test
    void case14_sqliteRemainderOfRealsCastsToIntegers() throws Exception {
        f.same("SELECT SUM(ratio) % 2 FROM t_item");
        f.same("SELECT grp, SUM(ratio) % 2, SUM(ratio) % 0.5, MAX(ratio) % -1, SUM(grp) % 3 FROM t_item GROUP BY grp ORDER BY grp");
        f.same("SELECT ROUND(SUM(ratio) / 7, 2), ROUND(AVG(ratio)) FROM t_item");
    }

    @Test
    void case15_sqliteRoundIsHalfAwayFromZero() throws Exception {
        f.same("SELECT ROUND(MIN(ratio) + 2.5), ROUND(MIN(ratio) - 2.5), ROUND(MAX(ratio) + 0.125, 2) FROM t_item");
        f.same("SELECT grp, ROUND(SUM(ratio) * 2 + 0.5) FROM t_item GROUP BY grp ORDER BY grp");
    }
}
