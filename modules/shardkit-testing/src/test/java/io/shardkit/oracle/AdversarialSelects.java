package io.shardkit.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The SELECTs of the adversarial oracle, made from a seed over {@link AdversarialData}, in named
 * classes (run only some with {@code -Dshardkit.oracle.classes=selfjoin,joins}): the shapes issue 10
 * found answered wrongly, generated with variations rather than written once. Every query is valid
 * on its dialect (a reference error is reported as a generator bug).
 *
 * <p>How the two results are compared is decided here, per query, and is as strict as the
 * database allows: rows in sequence when the ORDER BY is total (a unique tiebreaker appended
 * whenever LIMIT/OFFSET is used, since with ties a limited result legitimately differs), as
 * multisets otherwise with the leading order keys' sequence checked; where the database may return
 * any member of a class of equal values (the spelling of a group key, DISTINCT value, MIN or MAX
 * under a case-insensitive collation: MariaDB and SQLite NOCASE return the value of some row of
 * the group) that column is compared by class, the classes being learnt from the reference
 * ({@link Equivalence}).
 */
final class AdversarialSelects {
    static final List<String> CLASSES = List.of("selfjoin", "joins", "params", "order", "group", "minmax", "collate",
            "ties", "lexical", "multi", "names", "arith", "keys");

    /** A domain of text equality to learn from the reference: its name and the query listing equal pairs. */
    record Domain(String name, String pairsSql) {
    }

    /** A typed column of t_item and whether PostgreSQL has MIN/MAX for it. */
    private record Col(String name, boolean text, boolean minMax, boolean nullable) {
    }

    private final Random r;
    private final AdversarialData data;
    private final String dialect;
    private final boolean pg;
    private final boolean my;
    private final boolean lite;
    private final Set<String> only;
    private final Map<String, Query> queries = new LinkedHashMap<>();
    final Map<String, Domain> domains = new LinkedHashMap<>();
    private final List<Col> cols = new ArrayList<>();
    private final List<Long> ids = new ArrayList<>();

    AdversarialSelects(long seed, AdversarialData data, Set<String> only) {
        this.r = new Random(seed ^ 0x5EEDL);
        this.data = data;
        this.dialect = data.dialect;
        this.pg = data.postgres();
        this.my = data.mysql();
        this.lite = data.sqlite();
        this.only = only;
        for (Object[] row : data.items) {
            ids.add((Long) row[0]);
        }
        cols.add(new Col("grp", false, true, true));
        cols.add(new Col("n", false, true, true));
        cols.add(new Col("code", true, true, true));
        cols.add(new Col("name", true, true, true));
        cols.add(new Col("name_ci", true, true, true));
        cols.add(new Col("name_x", true, true, true));
        cols.add(new Col("mood", false, true, true));
        cols.add(new Col("u", !pg, !pg, true));
        cols.add(new Col("ratio", false, true, true));
        cols.add(new Col("d2", false, true, true));
        cols.add(new Col("d6", false, true, true));
        cols.add(new Col("d0", false, true, true));
        cols.add(new Col("flag", false, !pg, true));
        cols.add(new Col("day", false, true, true));
    }

    List<Query> generate(int count) {
        int attempts = 0;
        List<String> active = new ArrayList<>();
        for (String c : CLASSES) {
            if ((only.isEmpty() || only.contains(c)) && (!c.equals("ties") || !lite)) {
                active.add(c);
            }
        }
        while (queries.size() < count && attempts++ < count * 30) {
            String c = active.get(r.nextInt(active.size()));
            if (c.equals("multi") && active.size() > 1 && r.nextInt(3) > 0) {
                continue; // few shapes: a third of the others' weight
            }
            switch (c) {
                case "selfjoin" -> selfJoin();
                case "joins" -> joins();
                case "params" -> params();
                case "order" -> order();
                case "group" -> group();
                case "minmax" -> minMax();
                case "collate" -> collate();
                case "ties" -> ties();
                case "lexical" -> lexical();
                case "multi" -> multi();
                case "names" -> names();
                case "arith" -> arith();
                default -> keys();
            }
        }
        return new ArrayList<>(queries.values());
    }

    // ------------------------------------------------------------------ building

    /** One query under construction. */
    private final class Q {
        final String cls;
        final String sql;
        final List<Object> params = new ArrayList<>();
        boolean total;
        final List<Integer> keys = new ArrayList<>();
        final Set<Integer> approx = new HashSet<>();
        final Map<Integer, String> valueClasses = new HashMap<>();
        final Map<Integer, String> keyClasses = new HashMap<>();
        boolean mustRefuse;
        boolean skipReference;

        Q(String cls, String sql) {
            this.cls = cls;
            this.sql = sql;
        }

        Q total() {
            total = true;
            return this;
        }

        Q params(Object... values) {
            params.addAll(Arrays.asList(values));
            return this;
        }

        Q value(int column, String domain) {
            if (domain != null) {
                valueClasses.put(column, domain);
            }
            return this;
        }

        Q key(int column, String domain) {
            keys.add(column);
            if (domain != null) {
                keyClasses.put(column, domain);
            }
            return this;
        }

        void add() {
            String id = sql + params;
            if (!queries.containsKey(id)) {
                queries.put(id, new Query(queries.size() + 1, cls, sql, params, total, keys, approx, mustRefuse,
                        valueClasses, keyClasses, skipReference, true));
            }
        }
    }

    /**
     * The equality domain of a text column (optionally under a COLLATE clause), registered for
     * learning; null for a column that is not text.
     */
    private String domain(String table, String column, String collate) {
        String name = table + "." + column + (collate == null ? "" : "@" + collate);
        if (!domains.containsKey(name)) {
            String c = collate == null ? "" : " COLLATE " + collate;
            domains.put(name, new Domain(name, "SELECT x." + column + ", y." + column + " FROM " + table
                    + " x JOIN " + table + " y ON x." + column + c + " = y." + column + c));
        }
        return name;
    }

    private String domainOf(Col c) {
        return c.text() || c.name().equals("mood") && !pg ? domain("t_item", c.name(), null) : null;
    }

    private long id() {
        return r.nextInt(15) == 0 ? 50_000 + r.nextInt(100) : ids.get(r.nextInt(ids.size()));
    }

    private String idList(int n) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(Long.toString(id()));
        }
        return String.join(", ", s);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }

    private String dir() {
        return pick("", " ASC", " DESC");
    }

    /** NULLS FIRST/LAST where the dialect has it. */
    private String nulls() {
        return !my && r.nextInt(4) == 0 ? pick(" NULLS FIRST", " NULLS LAST") : "";
    }

    private String limit() {
        int n = pick(0, 1, 2, 3, 5, 10, 40);
        int o = pick(0, 1, 3, 17, 100);
        if (pg && r.nextInt(4) == 0) {
            return " OFFSET " + o + " ROWS FETCH " + pick("FIRST", "NEXT") + " " + Math.max(n, 1) + pick(" ROWS", " ROW")
                    + " ONLY";
        }
        return r.nextBoolean() ? " LIMIT " + n : " LIMIT " + n + " OFFSET " + o;
    }

    private String itemPredicate(String p) {
        return switch (r.nextInt(12)) {
            case 0 -> p + "grp = " + r.nextInt(8);
            case 1 -> p + "n > " + (r.nextInt(50) - 10);
            case 2 -> p + "id IN (" + idList(1 + r.nextInt(4)) + ")";
            case 3 -> p + "id = " + id();
            case 4 -> p + "name_ci = '" + pick("abc", "ABC", "b", "zoe", "eclair") + "'";
            case 5 -> p + "name_x " + pick("= 'abc'", "= 'b'", "<> 'abc'", "LIKE 'a%'");
            case 6 -> p + "ratio " + pick("= 0", "< 0", "> 1", "IS NULL", "= -0.0");
            case 7 -> p + "d2 " + pick("> 0", "< -50.5", "BETWEEN -10 AND 10");
            case 8 -> p + "flag " + pick(pg ? "= true" : "= 1", "IS NULL", pg ? "= false" : "= 0");
            case 9 -> p + "code " + pick("= 'eu'", "IN ('us', 'asia')", "IS NULL", "= 'EU'");
            case 10 -> p + "day " + pick("< '2023-01-01'", ">= '2028-06-01'", "IS NULL");
            default -> p + "mood " + pick("= 'ok'", "IN ('sad', 'meh')", "IS NULL");
        };
    }

    // ------------------------------------------------------------------ classes

    private void selfJoin() {
        long k1 = id();
        long k2 = id();
        switch (r.nextInt(9)) {
            case 0 -> {
                String[] pair = pick(new String[] {"grp", "grp"}, new String[] {"grp", "n"}, new String[] {"n", "grp"},
                        new String[] {"code", "code"}, new String[] {"name_ci", "name_ci"}, new String[] {"mood", "mood"},
                        new String[] {"name_x", "name_x"}, new String[] {"ratio", "ratio"});
                new Q("selfjoin", "SELECT COUNT(*) FROM t_item a JOIN t_item b ON a." + pair[0] + " = b." + pair[1]
                        + where("a.")).total().add();
            }
            case 1 -> new Q("selfjoin", "SELECT a.id, b.id FROM t_item a, t_item b WHERE a.id = " + k1 + " AND b.id = "
                    + k2).add();
            case 2 -> new Q("selfjoin", "SELECT a.id, b.n FROM t_item a JOIN t_item b ON " + pick("a.id = b.id",
                    "b.id = a.id") + where("a.")).add();
            case 3 -> new Q("selfjoin", "SELECT COUNT(*), SUM(b.n) FROM t_item a " + pick("JOIN", "LEFT JOIN")
                    + " t_item b ON b.id = a." + pick("n", "grp", "id + 1", "id") + where("a.")).total().add();
            case 4 -> new Q("selfjoin", "SELECT a.id, b.id FROM t_item a, t_item b WHERE a.id = b.id + " + pick(0, 1, 4)
                    + " AND a.grp = " + r.nextInt(8)).add();
            case 5 -> new Q("selfjoin", "SELECT COUNT(*) FROM t_event x JOIN t_event y ON " + pick("x.item_id = y.item_id",
                    "x.id = y.id", "x.id = y.item_id", "x.kind = y.kind") + where("x.", "item_id")).total().add();
            case 6 -> new Q("selfjoin", "SELECT COUNT(*) FROM t_item a JOIN t_event e ON e." + pick("id", "item_id", "qty")
                    + " = a." + pick("id", "n") + " JOIN t_item b ON b.id = e.item_id").total().add();
            case 7 -> new Q("selfjoin", "SELECT a.id, b.id FROM t_item a JOIN t_item b ON a.grp = b.grp WHERE a.id = " + k1
                    + " AND b.id " + pick("= " + k2, "IN (" + idList(3) + ")", "= " + k1)).add();
            default -> new Q("selfjoin", "SELECT a.grp, COUNT(DISTINCT b.id) FROM t_item a JOIN t_item b ON a.id = b.id"
                    + " GROUP BY a.grp ORDER BY a.grp").total().add();
        }
    }

    private String where(String p) {
        return where(p, "id");
    }

    private String where(String p, String key) {
        return switch (r.nextInt(4)) {
            case 0 -> " WHERE " + p + key + " = " + id();
            case 1 -> " WHERE " + p + key + " IN (" + idList(2) + ")";
            case 2 -> key.equals("id") ? " WHERE " + itemPredicate(p) : "";
            default -> "";
        };
    }

    /** Two or three of t_item a, t_event e, t_ref r joined every way the dialect has. */
    private void joins() {
        if (r.nextInt(6) == 0) {
            // a key predicate inside an inner join's ON, then an outer join that keeps rows of other shards
            String outer = my ? pick("RIGHT JOIN", "LEFT JOIN") : pick("RIGHT JOIN", "FULL JOIN", "LEFT JOIN");
            new Q("joins", "SELECT COUNT(*), COUNT(a.id), COUNT(e.id) FROM t_item a JOIN t_ref r ON r.code = a.code AND a.id = "
                    + id() + " " + outer + " t_event e ON e.item_id = a.id").total().add();
            return;
        }
        List<String> kinds = new ArrayList<>(List.of("JOIN", "INNER JOIN", "LEFT JOIN", "LEFT OUTER JOIN", "RIGHT JOIN",
                "CROSS JOIN"));
        if (!my) {
            kinds.add("FULL JOIN");
            kinds.add("FULL OUTER JOIN");
        }
        String[][] orders = {{"a", "e"}, {"e", "a"}, {"a", "r"}, {"r", "a"}, {"a", "e", "r"}, {"r", "a", "e"},
            {"a", "r", "e"}, {"e", "a", "r"}, {"r", "e", "a"}};
        String[] order = orders[r.nextInt(orders.length)];
        boolean comma = r.nextInt(6) == 0;
        StringBuilder from = new StringBuilder(item(order[0], false));
        List<String> seen = new ArrayList<>(List.of(order[0]));
        List<String> wheres = new ArrayList<>();
        for (int i = 1; i < order.length; i++) {
            String t = order[i];
            String on = on(seen, t);
            if (comma) {
                from.append(", ").append(item(t, false));
                wheres.add(on);
            } else {
                String kind = kinds.get(r.nextInt(kinds.size()));
                // only MariaDB takes a parenthesised single table "(t_ref r)" (SQLite hides the alias, PostgreSQL rejects it)
                boolean paren = my && r.nextInt(4) == 0;
                from.append(' ').append(kind).append(' ').append(item(t, paren));
                if (!kind.equals("CROSS JOIN")) {
                    if (r.nextInt(3) == 0) {
                        on = on + " AND " + pick("a.id = " + id(), "e.item_id = " + id(), "a.grp = " + r.nextInt(8),
                                "r.rnk = " + r.nextInt(5), "e.qty > 3", "a.id IN (" + idList(2) + ")");
                        if (!refsOnly(on, seen, t)) {
                            on = on(seen, t);
                        }
                    }
                    from.append(" ON ").append(on);
                }
            }
            seen.add(t);
        }
        // a parenthesised join item on the right: t_ref r LEFT JOIN (t_item a JOIN t_event e ON ...) ON ...
        String fromText = from.toString();
        if (!comma && order.length == 2 && r.nextInt(6) == 0 && order[0].equals("r")) {
            fromText = "t_ref r " + pick("LEFT JOIN", "JOIN", "RIGHT JOIN") + " (t_item a JOIN t_event e ON e.item_id = a.id)"
                    + " ON r.code = a.code";
            seen.add("e");
        }
        if (r.nextInt(3) == 0) {
            String w = pick("a.id = " + id(), "a.id IN (" + idList(3) + ")", "e.item_id = " + id(), "r.code = 'eu'",
                    "a.grp > 3", "e.qty IS NULL", "a.id IS NULL", "e.id IS NULL");
            if (refsOnly(w, seen, null)) {
                wheres.add(w);
            }
        }
        String where = wheres.isEmpty() ? "" : " WHERE " + String.join(" AND ", wheres);
        List<String> counts = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (String t : seen) {
            counts.add("COUNT(" + t + "." + (t.equals("r") ? "code" : "id") + ")");
            rows.add(t + "." + (t.equals("r") ? "code" : "id"));
        }
        if (r.nextBoolean()) {
            new Q("joins", "SELECT COUNT(*), " + String.join(", ", counts) + " FROM " + fromText + where).total().add();
        } else {
            new Q("joins", "SELECT " + String.join(", ", rows) + " FROM " + fromText + where).add();
        }
    }

    private boolean refsOnly(String expr, List<String> seen, String extra) {
        for (String t : new String[] {"a", "e", "r"}) {
            if (expr.contains(t + ".") && !seen.contains(t) && !t.equals(extra)) {
                return false;
            }
        }
        return true;
    }

    private String item(String t, boolean paren) {
        String s = switch (t) {
            case "a" -> "t_item a";
            case "e" -> "t_event e";
            default -> "t_ref r";
        };
        return paren ? "(" + s + ")" : s;
    }

    private String on(List<String> seen, String t) {
        List<String> options = new ArrayList<>();
        for (String s : seen) {
            String pair = s.compareTo(t) < 0 ? s + t : t + s;
            switch (pair) {
                case "ae" -> options.addAll(List.of("e.item_id = a.id", "a.id = e.item_id", "e.item_id = a.n", "e.id = a.id"));
                case "ar" -> options.addAll(List.of("r.code = a.code", "a.code = r.code", "r.rnk = a.grp"));
                default -> options.addAll(List.of("r.rnk = e.qty", "r.label = e.kind"));
            }
        }
        return options.get(r.nextInt(options.size()));
    }

    private Object limitParam() {
        if (lite) {
            return pick(0, 1, 3, 10, -1); // -1: no limit; NULL is a datatype mismatch on SQLite
        }
        if (pg) {
            return pick(0, 1, 3, 10, null);
        }
        return pick(0, 1, 3, 10);
    }

    private void params() {
        int k = r.nextInt(8);
        switch (r.nextInt(12)) {
            case 0 -> new Q("params", "SELECT grp + ? AS g, COUNT(*) FROM t_item GROUP BY 1 HAVING COUNT(*) > ? ORDER BY 1")
                    .total().params(r.nextInt(20), r.nextInt(30)).add();
            case 1 -> new Q("params", "SELECT id, n + ? FROM t_item WHERE grp = ? AND n > ? ORDER BY id LIMIT ?").total()
                    .params(r.nextInt(9), k, r.nextInt(40) - 10, limitParam()).add();
            case 2 -> new Q("params", "SELECT ?, id FROM t_item WHERE id IN (?, ?) ORDER BY id").total()
                    .params(r.nextInt(9), id(), id()).add();
            case 3 -> new Q("params", "SELECT grp, SUM(n) FROM t_item WHERE d2 > ? GROUP BY grp HAVING SUM(n) > ?"
                    + " ORDER BY 2 DESC, grp LIMIT ? OFFSET ?").total()
                    .params(r.nextInt(100) - 50, r.nextInt(100), limitParam(), pick(0, 1, 2)).add();
            case 4 -> new Q("params", "SELECT id, name_ci FROM t_item WHERE name_ci = ? ORDER BY id").total()
                    .params(pick("abc", "ABC", "b", "zoe", "abc ")).add();
            case 5 -> new Q("params", "SELECT id, CASE WHEN n > ? THEN 'hi' ELSE 'lo' END AS band FROM t_item WHERE grp = ?"
                    + " ORDER BY band, id LIMIT ?").total().params(r.nextInt(40), k, limitParam()).add();
            case 6 -> new Q("params", "SELECT id, n FROM t_item WHERE grp = ? ORDER BY n * ?, id LIMIT ?").total()
                    .params(k, pick(1, -1), limitParam()).add();
            case 7 -> new Q("params", "SELECT n * ?, id FROM t_item WHERE id = ?").params(r.nextInt(5), id()).add();
            case 8 -> new Q("params", "SELECT a.id, COUNT(e.id) FROM t_item a JOIN t_event e ON e.item_id = a.id AND e.qty > ?"
                    + " WHERE a.grp = ? GROUP BY a.id ORDER BY a.id").total().params(r.nextInt(20), k).add();
            case 9 -> new Q("params", "SELECT grp * ? AS g, SUM(n) + ? FROM t_item WHERE n < ? GROUP BY 1 ORDER BY 1 DESC")
                    .total().params(pick(1, 2, -1), r.nextInt(5), r.nextInt(40)).add();
            case 10 -> new Q("params", "SELECT id FROM t_item WHERE grp = ? ORDER BY id LIMIT ? OFFSET ?").total()
                    .params(k, limitParam(), pick(0, 2, 5)).add();
            default -> new Q("params", "SELECT code, COUNT(*) FROM t_item WHERE n BETWEEN ? AND ? GROUP BY code"
                    + " HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, code").total()
                    .value(0, domain("t_item", "code", null))
                    .params(r.nextInt(10) - 10, r.nextInt(40), pick(1, 2, 5)).add();
        }
    }

    private Col col() {
        return cols.get(r.nextInt(cols.size()));
    }

    /** ORDER BY over every column type and collation, total (with LIMIT) or partial. */
    private void order() {
        Col c = col();
        String w = r.nextInt(3) == 0 ? " WHERE " + itemPredicate("") : "";
        String key = r.nextInt(5) == 0 && !c.text() && !c.name().equals("mood") && !c.name().equals("day")
                && !c.name().equals("u") && !c.name().equals("flag") ? pick(c.name() + " * -1", "-" + c.name())
                : c.name();
        String ord = key + dir() + nulls();
        boolean total = r.nextInt(10) < 6;
        if (total) {
            Q q = new Q("order", "SELECT id, " + c.name() + " FROM t_item" + w + " ORDER BY " + ord + ", id"
                    + (r.nextBoolean() ? limit() : "")).total();
            q.add();
        } else {
            Q q = new Q("order", "SELECT id, " + c.name() + " FROM t_item" + w + " ORDER BY " + ord);
            if (key.equals(c.name())) {
                q.key(1, domainOf(c));
            }
            q.add();
        }
    }

    /** GROUP BY and DISTINCT over every column type and collation. */
    private void group() {
        Col c = col();
        String d = domainOf(c);
        String w = r.nextInt(3) == 0 ? " WHERE " + itemPredicate("") : "";
        switch (r.nextInt(5)) {
            case 0 -> new Q("group", "SELECT " + c.name() + ", COUNT(*), SUM(n) FROM t_item" + w + " GROUP BY " + c.name()
                    + (r.nextBoolean() ? " HAVING COUNT(*) > " + r.nextInt(6) : "") + " ORDER BY 1" + dir() + nulls()
                    + (r.nextBoolean() ? limit() : "")).total().value(0, d).add();
            case 1 -> {
                boolean ordered = r.nextBoolean();
                Q q = new Q("group", "SELECT DISTINCT " + c.name() + " FROM t_item" + w + (ordered ? " ORDER BY 1" + dir()
                        + nulls() : "")).value(0, d);
                q.total = ordered;
                q.add();
            }
            case 2 -> new Q("group", "SELECT COUNT(DISTINCT " + c.name() + "), COUNT(" + c.name() + ") FROM t_item" + w)
                    .total().add();
            case 3 -> {
                Q q = new Q("group", "SELECT " + c.name() + ", COUNT(*) FROM t_item" + w + " GROUP BY " + c.name()
                        + " ORDER BY COUNT(*) DESC");
                q.value(0, d).key(1, null).add();
            }
            default -> new Q("group", "SELECT grp, " + c.name() + ", COUNT(*) FROM t_item" + w + " GROUP BY grp, " + c.name()
                    + " ORDER BY grp, " + c.name()).total().value(1, d).add();
        }
    }

    private void minMax() {
        Col c = col();
        if (!c.minMax()) {
            c = cols.get(0);
        }
        String d = domainOf(c);
        String w = r.nextInt(3) == 0 ? " WHERE " + itemPredicate("") : "";
        if (r.nextBoolean()) {
            new Q("minmax", "SELECT MIN(" + c.name() + "), MAX(" + c.name() + "), COUNT(" + c.name() + ") FROM t_item" + w)
                    .total().value(0, d).value(1, d).add();
        } else {
            String g = pick("grp", "code", "flag", "mood");
            String gd = g.equals("code") || g.equals("mood") && !pg ? domain("t_item", g, null) : null;
            new Q("minmax", "SELECT " + g + ", MIN(" + c.name() + "), MAX(" + c.name() + ") FROM t_item" + w
                    + " GROUP BY " + g + " ORDER BY " + g).total().value(0, gd).value(1, d).value(2, d).add();
        }
    }

    private String[] collations() {
        if (lite) {
            return new String[] {"NOCASE", "RTRIM", "BINARY"};
        }
        if (pg) {
            return new String[] {"\"C\"", "\"" + data.ciCollation + "\"", "\"POSIX\""};
        }
        return new String[] {"utf8mb4_bin", "utf8mb4_general_ci", "utf8mb4_unicode_ci"};
    }

    private void collate() {
        String column = pick("name", "name_ci", "name_x", "code");
        String coll = pick(collations());
        String d = domain("t_item", column, coll);
        String ce = column + " COLLATE " + coll;
        switch (r.nextInt(6)) {
            case 0 -> new Q("collate", "SELECT id, " + column + " FROM t_item ORDER BY " + ce + dir() + ", id"
                    + (r.nextBoolean() ? limit() : "")).total().add();
            case 1 -> new Q("collate", "SELECT id, " + column + " FROM t_item ORDER BY " + ce + dir()).key(1, d).add();
            case 2 -> new Q("collate", "SELECT " + ce + " AS v, COUNT(*) FROM t_item GROUP BY " + ce + " ORDER BY 1")
                    .total().value(0, d).add();
            case 3 -> new Q("collate", "SELECT MIN(" + ce + "), MAX(" + ce + "), COUNT(DISTINCT " + ce + ") FROM t_item")
                    .total().value(0, d).value(1, d).add();
            case 4 -> new Q("collate", "SELECT DISTINCT " + ce + " AS v FROM t_item ORDER BY 1").total().value(0, d).add();
            default -> new Q("collate", "SELECT COUNT(*) FROM t_item WHERE " + ce + " = '" + pick("abc", "ABC", "abc ",
                    "zoe", "b") + "'").total().add();
        }
    }

    private void ties() {
        Col c = pick(cols.get(0), cols.get(1), cols.get(4), cols.get(8), cols.get(9), cols.get(6));
        int n = pick(1, 2, 3, 5, 10);
        Q q = new Q("ties", "SELECT id, " + c.name() + " FROM t_item" + (r.nextBoolean() ? " WHERE " + itemPredicate("")
                : "") + " ORDER BY " + c.name() + dir() + (pg ? nulls() : "") + " FETCH FIRST " + n + " ROWS WITH TIES");
        q.key(1, domainOf(c)).add();
    }

    private void lexical() {
        long k = id();
        long k2 = id();
        List<String> forms = new ArrayList<>(List.of(
                "SELECT COUNT(*) FROM t_item WHERE id = " + k + " -- OR 1 = 1\n OR id = " + k2,
                "SELECT COUNT(*) FROM t_item /* WHERE id = " + k + " */ WHERE grp = " + r.nextInt(8),
                "SELECT COUNT(*) FROM t_item WHERE id = " + k + " /* OR 1 = 1 */",
                "SELECT COUNT(*) FROM t_item WHERE n > 10 --1 OR id = " + k + "\n AND id = " + k2,
                "SELECT COUNT(*) FROM t_item WHERE name = 'it''s' OR id = " + k,
                "SELECT COUNT(*) FROM t_item WHERE name = 'x\\' OR id = " + k + " -- '",
                "SELECT id FROM t_item WHERE id = " + k + ";"));
        if (!pg) {
            // the comment does not nest on SQLite and MySQL: the WHERE is live
            forms.add("SELECT COUNT(*) FROM t_item /* a /* b */ WHERE id = " + k);
        }
        if (my) {
            forms.addAll(List.of(
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " /*! OR 1=1 */",
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " /*!100000 OR 1=1 */",
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " /*M! OR 1=1 */",
                    "SELECT /*+ NO_INDEX(t_item) */ COUNT(*) FROM t_item WHERE id = " + k,
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " # OR 1 = 1\n OR id = " + k2,
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " AND 1 || grp = 2",
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " || id = " + k2,
                    "SELECT id, \"name\" FROM t_item WHERE id = " + k,
                    "SELECT id, name AS s FROM t_item WHERE grp = 1 ORDER BY \"s\", id",
                    "SELECT `id`, `name_ci` FROM `t_item` WHERE `id` = " + k,
                    "SELECT COUNT(*) FROM t_item WHERE name_ci = \"abc\" OR id = " + k));
        }
        if (lite) {
            forms.addAll(List.of(
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " --x\n OR id = " + k2,
                    "SELECT COUNT(*) FROM t_item WHERE name_ci = \"abc\" OR id = " + k,
                    "SELECT \"id\", [name], `name_x` FROM t_item WHERE id = " + k,
                    "SELECT id, name || 'x' FROM t_item WHERE id IN (" + idList(3) + ")",
                    "SELECT COUNT(*) FROM t_item WHERE name || '' = 'abc'",
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " OR \"nosuch\" = 'nosuch'",
                    "SELECT id FROM t_item WHERE id = " + k + "; -- done"));
        }
        if (pg) {
            forms.addAll(List.of(
                    "SELECT COUNT(*) FROM t_item /* a /* b */ WHERE id = " + k + " */",
                    "SELECT COUNT(*) FROM t_item WHERE name = E'x\\' OR id = " + k + " -- '",
                    "SELECT COUNT(*) FROM t_item WHERE name = $$x' OR id = " + k + " -- $$",
                    "SELECT COUNT(*) FROM t_item WHERE name = $q$x' OR id = " + k + " -- $q$",
                    "SELECT \"id\", \"name_ci\" FROM \"t_item\" WHERE \"id\" = " + k,
                    "SELECT id, name || 'x' FROM t_item WHERE id IN (" + idList(3) + ")",
                    "SELECT COUNT(*) FROM t_item WHERE id = " + k + " --x\n OR id = " + k2,
                    "SELECT COUNT(*) FROM t_item WHERE name = U&'\\0061bc' OR id = " + k));
        }
        String sql = forms.get(r.nextInt(forms.size()));
        Q q = new Q("lexical", sql);
        if (!sql.contains("ORDER BY") && !sql.startsWith("SELECT COUNT")) {
            q.total = false;
        } else {
            q.total();
        }
        q.add();
    }

    private void multi() {
        long k = id();
        String sql = pick("SELECT COUNT(*) FROM t_item; SELECT 1",
                "SELECT id FROM t_item WHERE id = " + k + "; UPDATE t_ref SET rnk = rnk WHERE 1 = 0",
                "SELECT 1;SELECT 2",
                "SELECT id FROM t_item WHERE id = " + k + " ; DELETE FROM t_ref WHERE 1 = 0",
                "SELECT id FROM t_item WHERE id = " + k + "; /* x */ SELECT 2");
        Q q = new Q("multi", sql);
        q.mustRefuse = true;
        q.skipReference = true;
        q.add();
    }

    private void names() {
        int k = r.nextInt(6);
        List<String> forms = new ArrayList<>(List.of(
                "SELECT grp AS g, COUNT(*) AS grp FROM t_item GROUP BY g HAVING grp > " + k + " ORDER BY g",
                "SELECT id, -n AS n FROM t_item ORDER BY n, id LIMIT " + (k + 3),
                "SELECT id, -n AS n FROM t_item WHERE n > " + k * 5 + " ORDER BY id",
                "SELECT grp AS n, SUM(n) AS s FROM t_item GROUP BY grp ORDER BY n",
                "SELECT id AS grp, grp AS id FROM t_item WHERE id < " + (k * 20) + " ORDER BY grp",
                "SELECT a.grp AS id, COUNT(*) FROM t_item a GROUP BY a.grp ORDER BY id",
                "SELECT id, n AS s1 FROM t_item WHERE grp = " + k + " ORDER BY " + (pg ? "s1 DESC" : "s1 * -1") + ", id"));
        if (!my) {
            forms.addAll(List.of(
                    "SELECT id, n AS \"Score\", -n AS \"score\" FROM t_item ORDER BY \"Score\", id LIMIT 10",
                    "SELECT id, n AS \"Score\" FROM t_item ORDER BY \"Score\" DESC, id LIMIT 10",
                    "SELECT id AS \"a\", n AS \"A\" FROM t_item ORDER BY \"A\", \"a\" LIMIT 10",
                    "SELECT grp AS \"G\", COUNT(*) FROM t_item GROUP BY \"G\" ORDER BY \"G\""));
        } else {
            forms.add("SELECT id, n AS `Score` FROM t_item ORDER BY score DESC, id LIMIT 10");
        }
        if (pg) {
            forms.addAll(List.of(
                    "SELECT id, CAST(n AS TEXT) FROM t_item ORDER BY n, id LIMIT 12",
                    "SELECT id, n::text FROM t_item ORDER BY n, id LIMIT 12",
                    "SELECT id, n::text FROM t_item ORDER BY n DESC, id"));
        }
        if (lite) {
            forms.add("SELECT grp, SUM(n) AS n FROM t_item GROUP BY grp HAVING n > " + k + " ORDER BY grp");
        }
        String sql = forms.get(r.nextInt(forms.size()));
        Q q = new Q("names", sql);
        if (sql.contains("ORDER BY")) {
            boolean tiebroken = sql.contains(", id") || sql.contains("\"a\"") || sql.contains("GROUP BY")
                    || sql.contains("ORDER BY grp") && sql.startsWith("SELECT id AS grp");
            q.total = tiebroken;
            if (!tiebroken) {
                q.key(1, null);
            }
        }
        q.add();
    }

    /**
     * Doubles whose sums are exact in any order (multiples of 1/4): ROUND and % over a sum of 0.1s
     * would depend on the order the database adds them in, which no one fixes.
     */
    private static final String EXACT = "ratio IN (1.5, -1.5, 2.5, 3.0, -3.0, 7.25)";

    private void arith() {
        String avg = pick("AVG(d2)", "AVG(n)", "SUM(d6) / COUNT(*)", "AVG(d0)");
        // SQLite stores DECIMAL values as doubles, so a sum of d2 or d6 there depends on the order of the
        // additions: under ROUND or % only the exact ratio column is used on SQLite
        boolean exactDecimals = pg || my;
        String d2 = exactDecimals ? "d2" : "ratio";
        String d6 = exactDecimals ? "d6" : "ratio";
        List<String> forms = new ArrayList<>(List.of(
                "SELECT grp, SUM(" + d2 + ") % 2, SUM(n) % 3 FROM t_item" + (exactDecimals ? "" : " WHERE " + EXACT)
                        + " GROUP BY grp ORDER BY grp",
                "SELECT ROUND(2.5e0), ROUND(3.5e0), ROUND(-2.5e0), ROUND(2.5) FROM t_item WHERE id = " + id(),
                "SELECT grp, ROUND(SUM(ratio)), ROUND(SUM(" + d2 + "), 1), ROUND(SUM(" + d6 + ") / 7, 3) FROM t_item"
                        + " WHERE " + EXACT + " GROUP BY grp ORDER BY grp",
                "SELECT SUM(d0), SUM(d2), SUM(d6), MIN(d6), MAX(d2) FROM t_item",
                "SELECT grp, SUM(ratio), MIN(ratio), MAX(ratio) FROM t_item GROUP BY grp ORDER BY grp",
                "SELECT code, " + avg + " FROM t_item GROUP BY code ORDER BY code"));
        if (!pg) {
            forms.add("SELECT grp, SUM(ratio) % 2 FROM t_item WHERE " + EXACT + " GROUP BY grp ORDER BY grp");
            forms.add("SELECT grp, ROUND(SUM(ratio) * 1.0) FROM t_item WHERE " + EXACT + " GROUP BY grp ORDER BY grp");
        }
        String sql = forms.get(r.nextInt(forms.size()));
        Q q = new Q("arith", sql).total();
        if (sql.contains("code, ")) {
            q.value(0, domain("t_item", "code", null));
        }
        if (sql.contains("AVG") || sql.contains("/")) {
            q.approx.add(1);
            q.approx.add(3);
        }
        q.add();
    }

    private void keys() {
        long k = id();
        String sql = pick("SELECT COUNT(*) FROM t_item WHERE id = " + k + ".5",
                "SELECT COUNT(*) FROM t_item WHERE id = " + k + ".0",
                "SELECT COUNT(*) FROM t_item WHERE id IN (" + k + ", 3.5)",
                "SELECT COUNT(*) FROM t_item WHERE id = '" + k + "'",
                "SELECT id, n FROM t_item WHERE id = " + k + " OR id = " + id(),
                "SELECT COUNT(*) FROM t_event WHERE item_id = " + k + " AND id > 3",
                "SELECT COUNT(*) FROM t_item WHERE id = -" + Math.abs(k),
                "SELECT COUNT(*) FROM t_item WHERE " + k + " = id",
                "SELECT COUNT(*) FROM t_item WHERE id BETWEEN " + k + " AND " + (k + r.nextInt(30)),
                "SELECT COUNT(*) FROM t_item WHERE id = " + k + " AND id = " + id(),
                "SELECT COUNT(*) FROM t_item WHERE NOT id = " + k,
                "SELECT COUNT(*) FROM t_item WHERE id = " + k + " OR grp = 3");
        Q q = new Q("keys", sql);
        q.total = sql.startsWith("SELECT COUNT"); // one row; the row list has no ORDER BY
        q.add();
    }
}
