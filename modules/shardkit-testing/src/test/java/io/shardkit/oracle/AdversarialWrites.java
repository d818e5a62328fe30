package io.shardkit.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The writes of the adversarial oracle, made one at a time from a seed and the reference's current
 * rows (so keys name rows that exist, or on purpose do not), in named classes: inserts of one and
 * several rows into sharded and broadcast tables (some failing on a duplicate key halfway), every
 * dialect's upserts, updates and deletes by key and without, MariaDB's ORDER BY ... LIMIT writes,
 * INSERT ... SELECT between every pair of table kinds, joined writes (UPDATE ... FROM, DELETE ...
 * USING, MySQL multi-table), volatile functions in broadcast writes, writes that change the shard
 * key, writes with parameters and texts of several statements, and writes with RETURNING (their
 * rows compared in order: a multi-row INSERT split over shards answers in VALUES order).
 */
final class AdversarialWrites {
    static final List<String> CLASSES = List.of("insert", "upsert", "update", "delete", "limitwrite", "insertselect",
            "joined", "volatile", "keychange", "paramwrite", "multiwrite", "returning");

    /**
     * One write.
     *
     * @param volatileTable the broadcast table a volatile function writes: its copies must agree
     *     with each other, and the reference takes the value the shards got
     * @param mustRefuse shardkit must refuse it; it is not run on the reference
     */
    record Write(int number, String cls, String sql, List<Object> params, String volatileTable, boolean mustRefuse) {
        String describe() {
            return "#" + number + " [" + cls + "] " + sql + (params.isEmpty() ? "" : "  params " + params);
        }
    }

    /** Keys that exist now, read from the reference before each write. */
    record State(List<Long> items, List<Long> events, List<String> codes) {
    }

    private final Random r;
    private final boolean pg;
    private final boolean my;
    private final boolean lite;
    private final List<String> active = new ArrayList<>();
    private long nextId = 100_000;
    private long nextEvent = 500_000;
    private int nextCode = 100;
    private int number;

    AdversarialWrites(long seed, String dialect, Set<String> only) {
        this.r = new Random(seed ^ 0xC0FFEEL);
        this.pg = dialect.equals("postgresql");
        this.my = dialect.equals("mysql");
        this.lite = dialect.equals("sqlite");
        for (String c : CLASSES) {
            if ((only.isEmpty() || only.contains(c)) && (!c.equals("limitwrite") || my)) {
                active.add(c);
            }
        }
    }

    boolean any() {
        return !active.isEmpty();
    }

    Write next(State s) {
        number++;
        String c = active.get(r.nextInt(active.size()));
        return switch (c) {
            case "insert" -> insert(s);
            case "upsert" -> upsert(s);
            case "update" -> update(s);
            case "delete" -> delete(s);
            case "limitwrite" -> limitWrite(s);
            case "insertselect" -> insertSelect(s);
            case "joined" -> joined(s);
            case "volatile" -> volatileWrite(s);
            case "keychange" -> keyChange(s);
            case "paramwrite" -> paramWrite(s);
            case "returning" -> returning(s);
            default -> multi(s);
        };
    }

    private Write w(String cls, String sql, Object... params) {
        return new Write(number, cls, sql, Arrays.asList(params), null, false);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    private long item(State s) {
        return s.items().isEmpty() || r.nextInt(12) == 0 ? 70_000 + r.nextInt(50) : s.items().get(r.nextInt(s.items().size()));
    }

    private long fresh() {
        return nextId += 1 + r.nextInt(3);
    }

    private long event(State s) {
        return s.events().isEmpty() ? 1 : s.events().get(r.nextInt(s.events().size()));
    }

    private String code(State s) {
        return s.codes().isEmpty() || r.nextInt(8) == 0 ? "q" + r.nextInt(50) : s.codes().get(r.nextInt(s.codes().size()));
    }

    private String text() {
        return "'" + AdversarialData.TEXTS[r.nextInt(AdversarialData.TEXTS.length)].replace("'", "''") + "'";
    }

    private String itemRow(long id) {
        return "(" + id + ", " + r.nextInt(8) + ", " + (r.nextInt(60) - 10) + ", " + pick("'eu'", "'us'", "NULL", "'zz'")
                + ", " + text() + ", " + pick("-0.0", "0.0", "1.5", "NULL", "-2.5") + ", " + pick("1.25", "-3.50", "NULL")
                + ")";
    }

    private static final String ITEM_COLS = "t_item (id, grp, n, code, name_ci, ratio, d2)";

    private String items(State s, int n, boolean dup) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(itemRow(dup && i == n - 1 && !s.items().isEmpty() ? s.items().get(r.nextInt(s.items().size())) : fresh()));
        }
        return String.join(", ", rows);
    }

    private String refRow(String code) {
        return "('" + code + "', " + text() + ", " + pick("1.5", "-0.0", "2.25", "NULL") + ", " + r.nextInt(5) + ")";
    }

    private String newCode() {
        return "c" + nextCode++;
    }

    private String concatCode(String prefix, String expr) {
        return my ? "CONCAT('" + prefix + "', " + expr + ")" : "'" + prefix + "' || CAST(" + expr + " AS " + (pg ? "TEXT"
                : "TEXT") + ")";
    }

    private Write insert(State s) {
        return switch (r.nextInt(6)) {
            case 0 -> w("insert", "INSERT INTO " + ITEM_COLS + " VALUES " + items(s, 1, false));
            case 1 -> w("insert", "INSERT INTO " + ITEM_COLS + " VALUES " + items(s, 2 + r.nextInt(4), false));
            case 2 -> w("insert", "INSERT INTO " + ITEM_COLS + " VALUES " + items(s, 2 + r.nextInt(3), true));
            case 3 -> w("insert", "INSERT INTO t_ref (code, label, weight, rnk) VALUES " + refRow(newCode())
                    + (r.nextBoolean() ? ", " + refRow(newCode()) : ""));
            case 4 -> w("insert", "INSERT INTO t_ref (code, label, weight, rnk) VALUES " + refRow(code(s)));
            default -> w("insert", "INSERT INTO t_event (id, item_id, kind, qty) VALUES (" + nextEvent++ + ", " + item(s)
                    + ", " + text() + ", " + r.nextInt(20) + ")" + (r.nextBoolean() ? ", (" + nextEvent++ + ", " + item(s)
                    + ", 'b', 1)" : ""));
        };
    }

    /** Key changes move by an odd amount: {@code + 1000} would land on the same shard under mod 4. */
    private Write upsert(State s) {
        long id = r.nextBoolean() ? item(s) : fresh();
        String row = "(" + id + ", " + r.nextInt(60) + ", " + text() + ")";
        String cols = "t_item (id, n, name_ci)";
        String code = code(s);
        String ref = "('" + code + "', " + text() + ", " + r.nextInt(5) + ")";
        String refCols = "t_ref (code, label, rnk)";
        long ev = event(s);
        if (my) {
            return switch (r.nextInt(8)) {
                case 0 -> w("upsert", "INSERT INTO " + cols + " VALUES " + row + " ON DUPLICATE KEY UPDATE n = VALUES(n)");
                case 1 -> w("upsert", "INSERT INTO " + cols + " VALUES " + row + " ON DUPLICATE KEY UPDATE id = id + 1001");
                case 2 -> w("upsert", "REPLACE INTO " + cols + " VALUES " + row);
                case 3 -> w("upsert", "INSERT IGNORE INTO " + cols + " VALUES " + row);
                case 4 -> w("upsert", "INSERT INTO " + refCols + " VALUES " + ref + " ON DUPLICATE KEY UPDATE rnk = rnk + 1");
                case 5 -> w("upsert", "REPLACE INTO " + refCols + " VALUES " + ref);
                case 6 -> w("upsert", "INSERT INTO t_event (id, item_id, qty) VALUES (" + ev + ", " + item(s) + ", 7)"
                        + " ON DUPLICATE KEY UPDATE qty = qty + 1");
                default -> w("upsert", "REPLACE INTO t_event (id, item_id, qty) VALUES (" + ev + ", " + item(s) + ", 8)");
            };
        }
        int k = r.nextInt(lite ? 10 : 7);
        return switch (k) {
            case 0 -> w("upsert", "INSERT INTO " + cols + " VALUES " + row + " ON CONFLICT (id) DO UPDATE SET n = excluded.n");
            case 1 -> w("upsert", "INSERT INTO " + cols + " VALUES " + row
                    + " ON CONFLICT (id) DO UPDATE SET id = excluded.id + 1001");
            case 2 -> w("upsert", "INSERT INTO " + cols + " VALUES " + row + " ON CONFLICT DO NOTHING");
            case 3 -> w("upsert", "INSERT INTO " + refCols + " VALUES " + ref
                    + " ON CONFLICT (code) DO UPDATE SET rnk = excluded.rnk + 1");
            case 4 -> w("upsert", "INSERT INTO t_event (id, item_id, qty) VALUES (" + ev + ", " + item(s) + ", 7)"
                    + " ON CONFLICT (id) DO UPDATE SET qty = excluded.qty");
            case 5 -> w("upsert", "INSERT INTO " + cols + " VALUES " + row
                    + " ON CONFLICT (id) DO UPDATE SET n = t_item.n + 1 WHERE t_item.grp = " + r.nextInt(8));
            case 6 -> w("upsert", "INSERT INTO " + refCols + " VALUES " + ref + " ON CONFLICT (code) DO NOTHING");
            case 7 -> w("upsert", "INSERT OR REPLACE INTO " + cols + " VALUES " + row);
            case 8 -> w("upsert", "REPLACE INTO " + refCols + " VALUES " + ref);
            default -> w("upsert", pick("INSERT OR IGNORE INTO ", "REPLACE INTO ") + cols + " VALUES " + row);
        };
    }

    private Write update(State s) {
        int g = r.nextInt(8);
        return switch (r.nextInt(8)) {
            case 0 -> w("update", "UPDATE t_item SET n = n + 1 WHERE id = " + item(s));
            case 1 -> w("update", "UPDATE t_item SET n = n - 1, name_ci = " + text() + " WHERE id IN (" + item(s) + ", "
                    + item(s) + ")");
            case 2 -> w("update", "UPDATE t_item SET n = n + 2 WHERE grp = " + g);
            case 3 -> w("update", "UPDATE t_item SET ratio = " + pick("-0.0", "0.0", "NULL", "ratio * -1") + " WHERE n > "
                    + (r.nextInt(50) - 10));
            case 4 -> w("update", "UPDATE t_event SET qty = qty + 1 WHERE item_id = " + item(s));
            case 5 -> w("update", "UPDATE t_event SET qty = 0 WHERE id = " + event(s));
            case 6 -> w("update", "UPDATE t_ref SET rnk = rnk + 1 WHERE code = '" + code(s) + "'");
            default -> w("update", "UPDATE t_ref SET weight = " + pick("1.5", "-0.0", "weight * 2") + " WHERE rnk = " + r.nextInt(5));
        };
    }

    private Write delete(State s) {
        return switch (r.nextInt(7)) {
            case 0 -> w("delete", "DELETE FROM t_item WHERE id = " + item(s));
            case 1 -> w("delete", "DELETE FROM t_item WHERE id IN (" + item(s) + ", " + item(s) + ", " + item(s) + ")");
            case 2 -> w("delete", "DELETE FROM t_item WHERE grp = " + r.nextInt(8) + " AND n > " + r.nextInt(40));
            case 3 -> w("delete", "DELETE FROM t_event WHERE item_id = " + item(s));
            case 4 -> w("delete", "DELETE FROM t_event WHERE qty " + pick("< 0", "> 20", "IS NULL"));
            case 5 -> w("delete", "DELETE FROM t_ref WHERE code = '" + code(s) + "'");
            default -> w("delete", "DELETE FROM t_ref WHERE rnk = " + r.nextInt(5));
        };
    }

    private Write limitWrite(State s) {
        int g = r.nextInt(8);
        return switch (r.nextInt(6)) {
            case 0 -> w("limitwrite", "DELETE FROM t_item WHERE grp = " + g + " ORDER BY id LIMIT " + (1 + r.nextInt(3)));
            case 1 -> w("limitwrite", "UPDATE t_item SET n = 0 ORDER BY id LIMIT " + (1 + r.nextInt(3)));
            case 2 -> w("limitwrite", "DELETE FROM t_item WHERE id = " + item(s) + " LIMIT 1");
            case 3 -> w("limitwrite", "UPDATE t_ref SET rnk = 0 ORDER BY code LIMIT 2");
            case 4 -> w("limitwrite", "DELETE FROM t_event ORDER BY id LIMIT " + (1 + r.nextInt(3)));
            default -> w("limitwrite", "UPDATE t_event SET qty = -1 WHERE item_id = " + item(s) + " ORDER BY id LIMIT 1");
        };
    }

    private Write insertSelect(State s) {
        int g = r.nextInt(8);
        return switch (r.nextInt(6)) {
            case 0 -> w("insertselect", "INSERT INTO t_ref (code, label, rnk) SELECT " + concatCode("i" + nextCode++, "id")
                    + ", name_ci, grp FROM t_item WHERE grp = " + g + " AND n > 30");
            case 1 -> w("insertselect", "INSERT INTO t_event (id, item_id, kind, qty) SELECT id + " + (nextEvent += 100_000)
                    + ", id, name_ci, n FROM t_item WHERE grp = " + g);
            case 2 -> w("insertselect", "INSERT INTO t_item (id, grp, n) SELECT id + " + (nextId += 100_001) + ", grp, n"
                    + " FROM t_item WHERE grp = " + g);
            case 3 -> w("insertselect", "INSERT INTO t_item (id, grp, n) SELECT rnk + " + (nextId += 1000) + ", rnk, 0"
                    + " FROM t_ref WHERE rnk IS NOT NULL AND code = '" + code(s) + "'");
            case 4 -> w("insertselect", "INSERT INTO t_ref (code, label, rnk) SELECT " + concatCode("r" + nextCode++, "rnk")
                    + ", label, rnk FROM t_ref WHERE code = '" + code(s) + "'");
            default -> w("insertselect", "INSERT INTO t_event (id, item_id, qty) SELECT id + " + (nextEvent += 100_000)
                    + ", item_id, qty FROM t_event WHERE item_id = " + item(s));
        };
    }

    private Write joined(State s) {
        long k = item(s);
        int g = r.nextInt(8);
        if (my) {
            return switch (r.nextInt(6)) {
                case 0 -> w("joined", "UPDATE t_ref r JOIN t_item a ON a.code = r.code SET r.rnk = r.rnk + 1 WHERE a.id = " + k);
                case 1 -> w("joined", "DELETE r FROM t_ref r JOIN t_item a ON a.code = r.code WHERE a.id = " + k);
                case 2 -> w("joined", "UPDATE t_item a JOIN t_ref r ON r.code = a.code SET a.n = r.rnk WHERE a.grp = " + g);
                case 3 -> w("joined", "DELETE a FROM t_item a JOIN t_event e ON e.item_id = a.id WHERE e.qty > 20");
                case 4 -> w("joined", "UPDATE t_event e JOIN t_item a ON a.id = e.id SET e.qty = a.n WHERE a.grp = " + g);
                default -> w("joined", "DELETE FROM t_ref WHERE code IN (SELECT code FROM t_item WHERE id = " + k + ")");
            };
        }
        return switch (r.nextInt(pg ? 7 : 5)) {
            case 0 -> w("joined", "UPDATE t_ref AS r SET rnk = r.rnk + 1 FROM t_item a WHERE a.code = r.code AND a.id = " + k);
            case 1 -> w("joined", "UPDATE t_item AS a SET n = r.rnk FROM t_ref r WHERE r.code = a.code AND a.grp = " + g);
            case 2 -> w("joined", "UPDATE t_event AS e SET qty = a.n FROM t_item a WHERE a.id = e.item_id AND a.grp = " + g);
            case 3 -> w("joined", "UPDATE t_event AS e SET qty = a.n FROM t_item a WHERE a.id = e.id AND a.grp = " + g);
            case 4 -> w("joined", "DELETE FROM t_ref WHERE code IN (SELECT code FROM t_item WHERE id = " + k + ")");
            case 5 -> w("joined", "DELETE FROM t_ref r USING t_item a WHERE a.code = r.code AND a.id = " + k);
            default -> w("joined", "DELETE FROM t_event e USING t_item a WHERE a.id = e.item_id AND a.grp = " + g
                    + " AND a.n > 30");
        };
    }

    private Write volatileWrite(State s) {
        String random = pg ? "random()" : my ? "RAND()" : "RANDOM()";
        String now = pg ? "CAST(clock_timestamp() AS TEXT)" : my ? "CAST(NOW(6) AS CHAR)" : "strftime('%f', 'now')";
        String uuid = pg ? "CAST(gen_random_uuid() AS TEXT)" : my ? "UUID()" : "hex(randomblob(8))";
        String sql = switch (r.nextInt(4)) {
            case 0 -> "UPDATE t_ref SET weight = " + random + " WHERE code = '" + code(s) + "'";
            case 1 -> "UPDATE t_ref SET note = " + now;
            case 2 -> "UPDATE t_ref SET note = " + uuid + " WHERE rnk = " + r.nextInt(5);
            default -> "INSERT INTO t_ref (code, label, weight) VALUES ('" + newCode() + "', 'v', " + random + ")";
        };
        return new Write(number, "volatile", sql, List.of(), "t_ref", false);
    }

    private Write keyChange(State s) {
        long k = item(s);
        return switch (r.nextInt(5)) {
            case 0 -> w("keychange", "UPDATE t_item SET id = id + 1 WHERE id = " + k);
            case 1 -> w("keychange", "UPDATE t_item SET id = " + fresh() + " WHERE id = " + k);
            case 2 -> w("keychange", "UPDATE t_event SET item_id = " + item(s) + " WHERE id = " + event(s));
            case 3 -> w("keychange", "UPDATE t_item SET id = id, n = n + 1 WHERE id = " + k);
            default -> w("keychange", "UPDATE t_item SET id = -id - " + fresh() + " WHERE grp = " + r.nextInt(8) + " AND n > 40");
        };
    }

    /**
     * Writes with RETURNING: multi-row INSERTs split over shards (some failing halfway on a duplicate
     * key, some skipping a row by a conflict clause, which shardkit must refuse with nothing written),
     * with parameters, and UPDATE / DELETE by key and without (MariaDB has no UPDATE ... RETURNING).
     */
    private Write returning(State s) {
        String back = pick(" RETURNING id, n, name_ci", " RETURNING name_ci, id", " RETURNING id");
        int k = r.nextInt(my ? 5 : 7);
        return switch (k) {
            case 0 -> w("returning", "INSERT INTO " + ITEM_COLS + " VALUES " + items(s, 2 + r.nextInt(5), false) + back);
            case 1 -> w("returning", "INSERT INTO " + ITEM_COLS + " VALUES " + items(s, 2 + r.nextInt(3), true) + back);
            case 2 -> w("returning", "INSERT INTO t_item (id, n, name_ci) VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?)" + back,
                    fresh(), r.nextInt(50), "Abc", fresh(), r.nextInt(50), "abc", fresh(), r.nextInt(50), null);
            case 3 -> w("returning", "DELETE FROM t_item WHERE id = " + item(s) + back);
            case 4 -> w("returning", my
                    ? "INSERT IGNORE INTO " + ITEM_COLS + " VALUES " + items(s, 2 + r.nextInt(3), true) + back
                    : "INSERT INTO " + ITEM_COLS + " VALUES " + items(s, 2 + r.nextInt(3), r.nextBoolean())
                            + " ON CONFLICT (id) DO NOTHING" + back);
            case 5 -> w("returning", "UPDATE t_item SET n = n + 1 WHERE id = " + item(s) + back);
            default -> w("returning", "UPDATE t_item SET n = n + 1 WHERE n > " + r.nextInt(40) + back);
        };
    }

    private Write paramWrite(State s) {
        return switch (r.nextInt(6)) {
            case 0 -> w("paramwrite", "UPDATE t_item SET n = ? WHERE id = ?", r.nextInt(50), item(s));
            case 1 -> w("paramwrite", "INSERT INTO t_item (id, n, name_ci) VALUES (?, ?, ?)", fresh(), r.nextInt(50), "Abc");
            case 2 -> w("paramwrite", "INSERT INTO t_item (id, n) VALUES (?, ?), (?, ?)", fresh(), 1, fresh(), 2);
            case 3 -> w("paramwrite", "DELETE FROM t_item WHERE id IN (?, ?)", item(s), item(s));
            case 4 -> w("paramwrite", "UPDATE t_ref SET weight = ? WHERE code = ?", pick(1.5, -0.0, 0.0), code(s));
            default -> w("paramwrite", "INSERT INTO t_ref (code, label, rnk) VALUES (?, ?, ?)", newCode(), "Zoë", 2);
        };
    }

    private Write multi(State s) {
        long k = item(s);
        String sql = pick("UPDATE t_item SET n = 1 WHERE id = " + k + "; UPDATE t_item SET n = 2",
                "DELETE FROM t_item WHERE id = " + k + "; DELETE FROM t_ref",
                "INSERT INTO t_ref (code, rnk) VALUES ('" + newCode() + "', 1); UPDATE t_ref SET rnk = 3",
                "UPDATE t_ref SET rnk = 4 WHERE code = '" + code(s) + "';UPDATE t_item SET n = 3 WHERE grp = 1");
        return new Write(number, "multiwrite", sql, List.of(), null, true);
    }
}
