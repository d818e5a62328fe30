package io.shardkit.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The SELECTs of the differential oracle, made from a seed: projections, predicates, aggregates
 * and expressions over them, GROUP BY/HAVING, DISTINCT, ORDER BY in its forms, LIMIT/OFFSET,
 * co-located and broadcast joins, parameters, and shapes shardkit must refuse. Every query is
 * valid on both dialects (PostgreSQL's stricter GROUP BY and DISTINCT rules are followed).
 *
 * <p>An order is made total (a unique tiebreaker appended) whenever LIMIT/OFFSET is used, since
 * with ties a limited result legitimately differs between databases.
 */
final class OracleQueries {
    private static final String[] COLUMNS = {"player_id", "name", "region", "level", "score", "coins", "rating",
        "speed"};
    /** Expressions over one row, with their alias. */
    private static final String[][] ROW_EXPRESSIONS = {{"score + level", "sl"}, {"coins * 2", "c2"},
        {"level * 10 - score", "lv"}, {"CASE WHEN score > 1000 THEN 'hi' ELSE 'lo' END", "band"},
        {"COALESCE(region, '?')", "reg"}, {"-score", "neg"}, {"rating * 2", "r2"}};
    private static final int[] LIMITS = {0, 1, 3, 10, 25, 100, 1000};
    private static final int[] OFFSETS = {0, 1, 7, 50, 390, 399, 400, 1000};
    private static final int[] THRESHOLDS = {0, 1, 2, 3, 5, 8, 10, 20, 40, 60, 90};

    private final Random r;
    private final OracleData data;
    private final boolean postgres;
    private final boolean mysql;
    private final Map<String, Query> queries = new LinkedHashMap<>();

    private OracleQueries(long seed, OracleData data, String dialect) {
        this.r = new Random(seed);
        this.data = data;
        this.postgres = dialect.equals("postgresql");
        this.mysql = dialect.equals("mysql");
    }

    /** At least {@code count} distinct queries (by SQL and parameters), the same for the same seed and dialect. */
    static List<Query> generate(long seed, OracleData data, String dialect, int count) {
        OracleQueries g = new OracleQueries(seed, data, dialect);
        int attempts = 0;
        while (g.queries.size() < count && attempts++ < count * 20) {
            int pick = g.r.nextInt(100);
            if (pick < 12) {
                g.projection();
            } else if (pick < 18) {
                g.distinct();
            } else if (pick < 27) {
                g.aggregate();
            } else if (pick < 47) {
                g.grouped();
            } else if (pick < 58) {
                g.join();
            } else if (pick < 64) {
                g.broadcast();
            } else if (pick < 71) {
                g.keyed();
            } else if (pick < 78) {
                g.parameters();
            } else if (pick < 84) {
                g.refused();
            } else {
                g.corners();
            }
        }
        return new ArrayList<>(g.queries.values());
    }

    // ---------------------------------------------------------------- building one query

    /** A SELECT under construction; clauses are rendered in SQL order, parameters with them. */
    private final class Select {
        final String shape;
        final List<String> items = new ArrayList<>();
        final List<String> exprs = new ArrayList<>();
        final List<String> aliases = new ArrayList<>();
        final Set<Integer> approx = new HashSet<>();
        boolean distinct;
        boolean star;
        String from;
        String where = "";
        String groupBy = "";
        String having = "";
        final List<String> order = new ArrayList<>();
        final List<Integer> orderVisible = new ArrayList<>();
        final Set<String> orderTexts = new HashSet<>();
        String limit = "";
        final List<Object> selectParams = new ArrayList<>();
        final List<Object> whereParams = new ArrayList<>();
        final List<Object> havingParams = new ArrayList<>();
        final List<Object> limitParams = new ArrayList<>();
        boolean total;
        /** An aggregate without GROUP BY: exactly one row, so any comparison is a sequence one. */
        boolean oneRow;

        Select(String shape, String from) {
            this.shape = shape;
            this.from = from;
        }

        int item(String expr, String alias) {
            items.add(alias == null ? expr : expr + " AS " + alias);
            exprs.add(expr);
            aliases.add(alias);
            if (expr.contains("AVG(") || expr.contains("/")) {
                approx.add(items.size() - 1);
            }
            return items.size() - 1;
        }

        void star() {
            star = true;
            for (String c : COLUMNS) {
                exprs.add(c);
                aliases.add(null);
            }
        }

        /** The visible column an expression is, or -1. */
        int visible(String expr) {
            for (int i = 0; i < exprs.size(); i++) {
                if (exprs.get(i).equals(expr) && (star || aliases.get(i) == null || !expr.matches("[a-z_.]+"))) {
                    return i;
                }
            }
            return -1;
        }

        /** Adds an ORDER BY key; {@code column} is the visible column it sorts by, or -1. */
        void orderBy(String key, int column, boolean nullable) {
            orderTexts.add(key);
            String dir = r.nextInt(3) == 0 ? " DESC" : r.nextInt(2) == 0 ? " ASC" : "";
            String nulls = nullable && !mysql && r.nextInt(4) == 0 ? (r.nextBoolean() ? " NULLS FIRST" : " NULLS LAST") : "";
            order.add(key + dir + nulls);
            orderVisible.add(column);
        }

        void where(String predicate) {
            where = " WHERE " + predicate;
        }

        void limit() {
            int n = LIMITS[r.nextInt(LIMITS.length)];
            int style = r.nextInt(10);
            if (postgres && style == 0) {
                limit = " OFFSET " + OFFSETS[r.nextInt(OFFSETS.length)];
            } else if (postgres && style == 1) {
                limit = " FETCH FIRST " + Math.max(n, 1) + " ROWS ONLY";
            } else if (style < 6) {
                limit = " LIMIT " + n;
            } else {
                limit = " LIMIT " + n + " OFFSET " + OFFSETS[r.nextInt(OFFSETS.length)];
            }
        }

        void add() {
            add(false);
        }

        void add(boolean mustRefuse) {
            StringBuilder sql = new StringBuilder("SELECT ");
            if (distinct) {
                sql.append("DISTINCT ");
            }
            sql.append(star ? "*" : String.join(", ", items)).append(" FROM ").append(from).append(where)
                    .append(groupBy).append(having);
            if (!order.isEmpty()) {
                sql.append(" ORDER BY ").append(String.join(", ", order));
            }
            sql.append(limit);
            List<Object> params = new ArrayList<>(selectParams);
            params.addAll(whereParams);
            params.addAll(havingParams);
            params.addAll(limitParams);
            List<Integer> keys = new ArrayList<>();
            if (!total) {
                for (int c : orderVisible) {
                    if (c < 0) {
                        break;
                    }
                    keys.add(c);
                }
            }
            String text = sql.toString();
            String id = text + params;
            if (!queries.containsKey(id)) {
                queries.put(id, new Query(queries.size() + 1, shape, text, params, total || oneRow, keys, approx,
                        mustRefuse));
            }
        }
    }

    // ---------------------------------------------------------------- shapes

    private void projection() {
        Select q = new Select("projection", "players");
        if (r.nextInt(8) == 0) {
            q.star();
        } else {
            rowItems(q);
        }
        if (r.nextInt(10) < 7) {
            q.where(predicate(""));
        }
        if (r.nextInt(4) > 0) {
            int keys = 1 + r.nextInt(2);
            for (int i = 0; i < keys; i++) {
                rowOrderKey(q);
            }
            if (!q.orderTexts.contains("player_id") && r.nextInt(10) < 7) {
                q.orderBy("player_id", q.visible("player_id"), false);
            }
            q.total = q.orderTexts.contains("player_id");
            if (q.total && r.nextInt(10) < 4) {
                q.limit();
            }
        }
        q.add();
    }

    private void rowItems(Select q) {
        int n = 1 + r.nextInt(4);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (r.nextInt(4) == 0) {
                String[] e = ROW_EXPRESSIONS[r.nextInt(ROW_EXPRESSIONS.length)];
                if (used.add(e[0])) {
                    q.item(e[0], e[1]);
                }
            } else {
                String c = COLUMNS[r.nextInt(COLUMNS.length)];
                if (used.add(c)) {
                    q.item(c, null);
                }
            }
        }
    }

    /** A key of a row query: a selected column, a position, an alias, an expression or a column not selected. */
    private void rowOrderKey(Select q) {
        int kind = r.nextInt(5);
        if (!q.star && kind == 1) {
            int i = r.nextInt(q.items.size());
            q.orderBy(Integer.toString(i + 1), i, true);
        } else if (!q.star && kind == 2 && q.aliases.stream().anyMatch(a -> a != null)) {
            int i;
            do {
                i = r.nextInt(q.items.size());
            } while (q.aliases.get(i) == null);
            if (!q.orderTexts.contains(q.aliases.get(i))) {
                q.orderBy(q.aliases.get(i), i, true);
            }
        } else if (kind == 3) {
            String e = pick("score + level", "coins - level", "COALESCE(score, 0)", "level * 100 + score",
                    "rating - level");
            if (!q.orderTexts.contains(e)) {
                q.orderBy(e, q.visible(e), true);
            }
        } else {
            String c = COLUMNS[r.nextInt(COLUMNS.length)];
            if (!q.orderTexts.contains(c)) {
                q.orderBy(c, q.visible(c), true);
            }
        }
    }

    private void distinct() {
        boolean join = r.nextInt(5) == 0;
        String p = join ? "p." : "";
        Select q = new Select("distinct", join ? "players p JOIN matches m ON p.player_id = m.player_id" : "players");
        q.distinct = true;
        String[][] sets = {{"region"}, {"level"}, {"region", "level"}, {"name"}, {"level", "name"}, {"score"}};
        String[] cols = sets[r.nextInt(sets.length)];
        List<String> exprs = new ArrayList<>();
        for (String c : cols) {
            exprs.add(p + c);
            q.item(p + c, null);
        }
        if (join && r.nextBoolean()) {
            exprs.add("m.points");
            q.item("m.points", null);
        }
        if (r.nextBoolean()) {
            q.where(predicate(p));
        }
        if (r.nextInt(10) < 6) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < exprs.size(); i++) {
                idx.add(i);
            }
            Collections.shuffle(idx, r);
            int keys = r.nextInt(3) == 0 ? 1 : idx.size();
            for (int k = 0; k < keys; k++) {
                int i = idx.get(k);
                q.orderBy(r.nextInt(3) == 0 ? Integer.toString(i + 1) : exprs.get(i), i, true);
            }
            q.total = keys == exprs.size();
            if (q.total && r.nextInt(10) < 4) {
                q.limit();
            }
        }
        q.add();
    }

    private void aggregate() {
        Select q = new Select("aggregate", "players");
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            q.item(playerAggregate(""), r.nextInt(3) == 0 ? "x" + i : null);
        }
        if (r.nextInt(10) < 6) {
            q.where(r.nextInt(4) == 0 ? "score > 100000" : predicate(""));
        }
        q.oneRow = true;
        q.add();
    }

    private void grouped() {
        String[][] keySets = {{"region"}, {"level"}, {"region", "level"}, {"name"}, {"level", "region"},
            {"level / 4"}, {"region", "score / 1000"}};
        grouped("group by", "players", "", keySets[r.nextInt(keySets.length)], false, null);
    }

    /**
     * A GROUP BY query over {@code from}: the keys, some selected (by name, position or alias) and
     * some not, 1-3 aggregate items, maybe HAVING, maybe an ORDER BY made total by the group keys.
     */
    private void grouped(String shape, String from, String p, String[] keys, boolean joined, String where) {
        Select q = new Select(shape, from);
        List<String> keyExprs = List.of(keys);
        List<Integer> aggregateColumns = new ArrayList<>();
        // select items: each key with some chance, aggregates, in mixed order
        List<Runnable> adds = new ArrayList<>();
        Map<String, Integer> keyColumn = new LinkedHashMap<>();
        Map<String, String> keyAlias = new LinkedHashMap<>();
        for (String k : keyExprs) {
            if (r.nextInt(10) < 8) {
                String alias = k.matches("[a-z_.]+") ? null : "g" + keyAlias.size();
                keyAlias.put(k, alias);
                adds.add(() -> keyColumn.put(k, q.item(k, alias)));
            }
        }
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String agg = joined ? joinAggregate() : playerAggregate(p);
            String alias = r.nextInt(10) < 6 ? "x" + i : null;
            adds.add(() -> aggregateColumns.add(q.item(agg, alias)));
        }
        if (r.nextInt(3) == 0) {
            Collections.shuffle(adds, r);
        }
        for (Runnable a : adds) {
            a.run();
        }
        if (where != null) {
            q.where(where);
        } else if (r.nextInt(10) < 5) {
            q.where(joined && r.nextBoolean() ? matchPredicate() : predicate(p));
        }
        List<String> groupTerms = new ArrayList<>();
        for (String k : keyExprs) {
            Integer col = keyColumn.get(k);
            String alias = keyAlias.get(k);
            int style = r.nextInt(4);
            if (col != null && style == 0) {
                groupTerms.add(Integer.toString(col + 1));
            } else if (alias != null && style == 1) {
                groupTerms.add(alias);
            } else {
                groupTerms.add(k);
            }
        }
        q.groupBy = " GROUP BY " + String.join(", ", groupTerms);
        if (r.nextInt(10) < 4) {
            q.having = " HAVING " + havingCondition(p, joined, q);
        }
        if (r.nextInt(10) < 7) {
            // first key: a group key, a selected aggregate, or an aggregate not selected
            int kind = r.nextInt(3);
            if (kind == 0) {
                String k = keyExprs.get(r.nextInt(keyExprs.size()));
                Integer col = keyColumn.get(k);
                q.orderBy(col != null && r.nextBoolean() ? Integer.toString(col + 1) : k, col == null ? -1 : col, true);
            } else if (kind == 1) {
                int i = aggregateColumns.get(r.nextInt(aggregateColumns.size()));
                String alias = q.aliases.get(i);
                String key = alias != null && r.nextBoolean() ? alias : r.nextBoolean() ? Integer.toString(i + 1)
                        : q.exprs.get(i);
                q.orderBy(key, i, true);
            } else {
                q.orderBy(pick("COUNT(*)", "SUM(" + p + "score)", "MAX(" + p + "score) - MIN(" + p + "score)",
                        "MIN(" + p + "level)", "AVG(" + p + "level)"), -1, true);
            }
            boolean tiebreak = r.nextInt(10) < 8;
            if (tiebreak) {
                for (String k : keyExprs) {
                    if (!q.orderTexts.contains(k)) {
                        Integer col = keyColumn.get(k);
                        q.orderBy(k, col == null ? -1 : col, true);
                    }
                }
                q.total = true;
                if (r.nextInt(10) < 4) {
                    q.limit();
                }
            }
        }
        q.add();
    }

    private String havingCondition(String p, boolean joined, Select q) {
        String c = havingTerm(p, joined, q);
        int more = r.nextInt(4);
        if (more == 1) {
            c = c + " AND " + havingTerm(p, joined, q);
        } else if (more == 2) {
            c = "(" + c + " OR " + havingTerm(p, joined, q) + ")";
        }
        return c;
    }

    private String havingTerm(String p, boolean joined, Select q) {
        int k = THRESHOLDS[r.nextInt(THRESHOLDS.length)];
        if (joined && r.nextBoolean()) {
            return pick("SUM(m.points) > " + k * 50, "COUNT(m.match_id) >= " + k, "MAX(m.duration) - MIN(m.duration) > "
                    + k * 50, "AVG(m.points) < " + (k * 10 + 50));
        }
        return switch (r.nextInt(10)) {
            case 0 -> "COUNT(*) > " + k;
            case 1 -> "COUNT(*) <= " + k;
            case 2 -> "SUM(" + p + "score) > " + k * 500;
            case 3 -> "AVG(" + p + "score) > " + (k * 50 + 500);
            case 4 -> "MIN(" + p + "level) <= " + Math.min(k, 10);
            case 5 -> "MAX(" + p + "coins) > 1000000";
            case 6 -> "COUNT(DISTINCT " + p + "level) >= " + Math.min(k, 10);
            case 7 -> "MAX(" + p + "score) - MIN(" + p + "score) > " + k * 100;
            case 8 -> "SUM(" + p + "rating) < " + k * 1000 + ".5";
            default -> {
                q.havingParams.add(k);
                yield "COUNT(*) > ?";
            }
        };
    }

    private void join() {
        String on = pick("p.player_id = m.player_id", "m.player_id = p.player_id");
        String from = "players p " + pick("JOIN", "INNER JOIN") + " matches m ON " + on;
        switch (r.nextInt(6)) {
            case 0, 1 -> {
                String[][] keySets = {{"p.region"}, {"p.level"}, {"m.player_id"}, {"p.region", "p.level"}, {"m.match_id"}};
                grouped("join group by", from, "p.", keySets[r.nextInt(keySets.length)], true, null);
            }
            case 2 -> {
                Select q = new Select("join rows", from);
                q.item("p.player_id", null);
                q.item(pick("p.name", "p.region", "p.score"), null);
                q.item("m.match_id", null);
                q.item("m.points", null);
                q.where(r.nextBoolean() ? matchPredicate() : predicate("p."));
                if (r.nextInt(10) < 7) {
                    if (r.nextBoolean()) {
                        q.orderBy("m.points", 3, true);
                    }
                    q.orderBy("m.match_id", 2, false);
                    q.orderBy("p.player_id", 0, false);
                    q.total = true;
                    if (r.nextBoolean()) {
                        q.limit();
                    }
                }
                q.add();
            }
            case 3 -> {
                Select q = new Select("join aggregate", from);
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    q.item(joinAggregate(), null);
                }
                if (r.nextBoolean()) {
                    q.where(r.nextBoolean() ? matchPredicate() : predicate("p."));
                }
                q.oneRow = true;
                q.add();
            }
            case 4 -> {
                Select q = new Select("left join", "players p LEFT JOIN matches m ON p.player_id = m.player_id");
                q.item("p.player_id", null);
                q.item("COUNT(m.match_id)", "games");
                q.item(pick("SUM(m.points)", "MAX(m.duration)", "COALESCE(SUM(m.points), 0)"), "pts");
                if (r.nextBoolean()) {
                    q.where(predicate("p."));
                }
                q.groupBy = " GROUP BY p.player_id";
                if (r.nextBoolean()) {
                    q.having = " HAVING COUNT(m.match_id) " + pick("= 0", "> 3", "< 2");
                }
                String key = pick("games", "pts", "2");
                q.orderBy(key, key.equals("pts") ? 2 : 1, true);
                q.orderBy("p.player_id", 0, false);
                q.total = true;
                if (r.nextBoolean()) {
                    q.limit();
                }
                q.add();
            }
            default -> {
                String[][] keySets = {{"player_id"}, {"match_id"}};
                String[] keys = keySets[r.nextInt(keySets.length)];
                Select q = new Select("matches group by", "matches");
                int key = q.item(keys[0], null);
                q.item("COUNT(*)", "n");
                q.item(pick("SUM(points)", "MAX(points) - MIN(points)", "AVG(duration)", "SUM(duration) / COUNT(*)",
                        "COUNT(DISTINCT points)"), "v");
                if (r.nextBoolean()) {
                    q.where(matchPredicate().replace("m.", ""));
                }
                q.groupBy = " GROUP BY " + keys[0];
                if (r.nextBoolean()) {
                    q.having = " HAVING COUNT(*) > " + r.nextInt(5);
                }
                if (r.nextInt(10) < 8) {
                    q.orderBy(pick("n", "2", "v", "COUNT(*)"), -1, true);
                    q.orderBy(keys[0], key, false);
                    q.total = true;
                    if (r.nextBoolean()) {
                        q.limit();
                    }
                }
                q.add();
            }
        }
    }

    private void broadcast() {
        String join = "players p JOIN regions r ON " + pick("p.region = r.code", "r.code = p.region");
        switch (r.nextInt(4)) {
            case 0 -> {
                Select q = new Select("broadcast rows", join);
                q.item("p.player_id", null);
                q.item("p.name", null);
                q.item("r.name", "rname");
                if (r.nextBoolean()) {
                    q.where(predicate("p."));
                }
                if (r.nextBoolean()) {
                    q.orderBy(pick("rname", "r.name", "3"), 2, false);
                    q.orderBy("p.player_id", 0, false);
                    q.total = true;
                    if (r.nextBoolean()) {
                        q.limit();
                    }
                }
                q.add();
            }
            case 1 -> grouped("broadcast group by", join, "p.", new String[] {"r.name"}, false, null);
            case 2 -> {
                Select q = new Select("broadcast only", "regions");
                q.item("code", null);
                q.item("name", null);
                if (r.nextBoolean()) {
                    q.where("code <> '" + pick("eu", "us", "zz") + "'");
                }
                q.orderBy("code", 0, false);
                q.total = true;
                q.add();
            }
            default -> grouped("three-way", join.replace("players p", "players p JOIN matches m ON m.player_id = p.player_id"),
                    "p.", new String[] {"r.name"}, true, null);
        }
    }

    private void keyed() {
        long id = randomId();
        switch (r.nextInt(6)) {
            case 0 -> {
                Select q = new Select("key =", "players");
                if (r.nextBoolean()) {
                    q.star();
                } else {
                    rowItems(q);
                }
                q.where("player_id = " + id);
                q.add();
            }
            case 1 -> {
                Select q = new Select("key IN", "players");
                rowItems(q);
                q.where(keyIn("") + (r.nextBoolean() ? "" : " AND " + predicate("")));
                if (r.nextBoolean()) {
                    rowOrderKey(q);
                    if (!q.orderTexts.contains("player_id")) {
                        q.orderBy("player_id", q.visible("player_id"), false);
                    }
                    q.total = true;
                    if (r.nextBoolean()) {
                        q.limit();
                    }
                }
                q.add();
            }
            case 2 -> {
                Select q = new Select("key aggregate", "players");
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    q.item(playerAggregate(""), null);
                }
                q.where(r.nextBoolean() ? keyIn("") : keyBetween(""));
                q.oneRow = true;
                q.add();
            }
            case 3 -> grouped("key BETWEEN group by", "players", "", new String[] {pick("region", "level")}, false,
                    keyBetween(""));
            case 4 -> {
                // on one shard anything goes, even what a merge would refuse
                Select q = new Select("one shard, unmergeable", "players");
                q.item("player_id", null);
                q.item(pick("ROW_NUMBER() OVER (ORDER BY score)", stringAgg("name"), "COUNT(*) OVER ()"), "w");
                q.where("player_id = " + id);
                if (q.exprs.get(1).startsWith("STRING_AGG") || q.exprs.get(1).startsWith("GROUP_CONCAT")) {
                    q.groupBy = " GROUP BY player_id";
                }
                q.add();
            }
            default -> {
                Select q = new Select("join key =", "players p JOIN matches m ON p.player_id = m.player_id");
                q.item("m.match_id", null);
                q.item("m.points", null);
                q.where("p.player_id = " + id);
                q.orderBy("m.match_id", 0, false);
                q.total = true;
                q.add();
            }
        }
    }

    private void parameters() {
        switch (r.nextInt(8)) {
            case 7 -> {
                Select q = new Select("? select, where, having", "players");
                q.item("region", null);
                q.item("COUNT(*) + ?", "n");
                q.selectParams.add(r.nextInt(100));
                q.where("level > ?");
                q.whereParams.add(r.nextInt(8));
                q.groupBy = " GROUP BY region";
                q.having = " HAVING COUNT(*) > ?";
                q.havingParams.add(THRESHOLDS[r.nextInt(THRESHOLDS.length)]);
                q.orderBy("region", 0, true);
                q.total = true;
                q.add();
            }
            case 0 -> {
                Select q = new Select("? limit", "players");
                q.item("player_id", null);
                q.item("name", null);
                q.item("score", null);
                q.where("score > ?");
                q.whereParams.add(r.nextInt(50) * 100);
                q.orderBy("score", 2, false);
                q.orderBy("player_id", 0, false);
                q.limit = " LIMIT ?";
                q.limitParams.add(LIMITS[r.nextInt(LIMITS.length)]);
                q.total = true;
                q.add();
            }
            case 1 -> {
                Select q = new Select("? key =", "players");
                rowItems(q);
                q.where("player_id = ?");
                q.whereParams.add(randomId());
                q.add();
            }
            case 2 -> {
                Select q = new Select("? having", "players");
                q.item("region", null);
                q.item("COUNT(*)", "n");
                q.groupBy = " GROUP BY region";
                q.having = " HAVING COUNT(*) > ?";
                q.havingParams.add(THRESHOLDS[r.nextInt(THRESHOLDS.length)] * 2);
                q.orderBy("n", 1, false);
                q.orderBy("region", 0, true);
                q.total = true;
                q.add();
            }
            case 3 -> {
                Select q = new Select("? limit offset", "players");
                q.item("player_id", null);
                q.item("coins", null);
                q.orderBy("coins", 1, false);
                q.orderBy("player_id", 0, false);
                q.limit = " LIMIT ? OFFSET ?";
                q.limitParams.add(LIMITS[r.nextInt(LIMITS.length)]);
                q.limitParams.add(OFFSETS[r.nextInt(OFFSETS.length)]);
                q.total = true;
                q.add();
            }
            case 4 -> {
                Select q = new Select("? key IN", "players");
                q.item("COUNT(*)", null);
                q.item(playerAggregate(""), null);
                q.where("player_id IN (?, ?, ?)");
                q.whereParams.add(randomId());
                q.whereParams.add(randomId());
                q.whereParams.add(randomId());
                q.oneRow = true;
                q.add();
            }
            case 5 -> {
                Select q = new Select("? where + having", "players");
                q.item("level", null);
                q.item("MAX(score)", "top");
                q.item("COUNT(*)", "n");
                q.where("region = ?");
                q.whereParams.add(pick("eu", "us", "asia", "sa"));
                q.groupBy = " GROUP BY level";
                q.having = " HAVING MAX(score) > ?";
                q.havingParams.add(r.nextInt(50) * 100);
                q.orderBy("level", 0, false);
                q.total = true;
                if (r.nextBoolean()) {
                    q.limit = " LIMIT ?";
                    q.limitParams.add(LIMITS[r.nextInt(LIMITS.length)]);
                }
                q.add();
            }
            default -> {
                Select q = new Select("? where, limit offset", "players");
                q.item("player_id", null);
                q.item("level", null);
                q.item("rating", null);
                q.where("level > ? AND rating IS NOT NULL");
                q.whereParams.add(r.nextInt(10));
                q.orderBy("rating", 2, false);
                q.orderBy("player_id", 0, false);
                q.limit = " LIMIT ? OFFSET ?";
                q.limitParams.add(LIMITS[r.nextInt(LIMITS.length)]);
                q.limitParams.add(OFFSETS[r.nextInt(OFFSETS.length)]);
                q.total = true;
                q.add();
            }
        }
    }

    /** Shapes that cannot be merged exactly over several shards. */
    private void refused() {
        int k = r.nextInt(10);
        Select q = new Select("must refuse", "players");
        switch (r.nextInt(9)) {
            case 0 -> {
                q.item("player_id", null);
                q.item("ROW_NUMBER() OVER (ORDER BY score, player_id)", "rn");
                q.where("level > " + k);
            }
            case 1 -> {
                q.item("region", null);
                q.item("RANK() OVER (PARTITION BY region ORDER BY score DESC)", "rk");
                q.where("level <> " + k);
            }
            case 2 -> {
                q.item("player_id", null);
                q.item("SUM(score) OVER (PARTITION BY region)", "s");
                q.where("level >= " + k);
            }
            case 3 -> {
                q.item("name", null);
                q.item("(SELECT MAX(score) FROM players)", "top");
                q.where("level = " + (k + 1));
            }
            case 4 -> {
                q.item("name", null);
                q.where("score > (SELECT AVG(score) FROM players WHERE level > " + k + ")");
            }
            case 5 -> {
                q.item("region", null);
                q.item(stringAgg("name"), "names");
                q.where("level > " + k);
                q.groupBy = " GROUP BY region";
            }
            case 6 -> {
                q.item("player_id", null);
                q.where("level = " + (k + 1) + " " + pick("UNION", "UNION ALL") + pick(" SELECT player_id FROM matches"
                        + " WHERE points > " + k * 30, " SELECT player_id FROM players WHERE score > " + k * 400));
            }
            case 7 -> {
                q.item("player_id", null);
                q.where("score > " + k * 400 + " " + pick("INTERSECT", "EXCEPT") + " SELECT player_id FROM matches");
            }
            default -> {
                q.item("region", null);
                if (postgres && r.nextBoolean()) {
                    q.distinct = false;
                    q.items.set(0, "DISTINCT ON (region) region");
                    q.item("score", null);
                    q.where("level > " + k);
                    q.order.add("region, score DESC");
                } else if (postgres) {
                    q.item("COUNT(*)", null);
                    q.where("level > " + k);
                    q.groupBy = " GROUP BY ROLLUP (region)";
                } else {
                    q.item("COUNT(*) OVER (PARTITION BY region)", "c");
                    q.where("level < " + (k + 2));
                }
            }
        }
        q.add(true);
    }

    private static final String[] CORNERS = {"group key in aggregate expr", "HAVING on key and text",
        "HAVING alias (SQLite)", "identifier case, qualified", "GROUP BY alias of column", "players LEFT JOIN regions",
        "regions LEFT JOIN players", "regions LEFT JOIN, grouped", "RIGHT JOIN regions", "subquery over broadcast",
        "derived table", "DISTINCT over aggregate", "alias shadows column (group)", "alias shadows column (rows)",
        "FILTER clause", "division by zero in group", "join ON with filter", "broadcast first in FROM",
        "OFFSET without LIMIT", "no shard row (COUNT DISTINCT)", "ORDER BY key and aggregate",
        "aggregate with LIMIT/OFFSET", "constants with aggregates", "aggregate over expression"};

    /** Single shapes at the edges of the merge: each is either answered exactly or refused. */
    private void corners() {
        int k = 1 + r.nextInt(9);
        int shape = r.nextInt(CORNERS.length);
        Select q = new Select(CORNERS[shape], "players");
        switch (shape) {
            case 0 -> {
                // group key inside expressions with aggregates
                q.item("level", null);
                q.item("level * COUNT(*)", "lc");
                q.item("SUM(score) - level", "sl");
                q.groupBy = " GROUP BY level";
                if (r.nextBoolean()) {
                    q.having = " HAVING level > " + k;
                }
                q.orderBy("lc", 1, false);
                q.orderBy("level", 0, false);
                q.total = true;
            }
            case 1 -> {
                // HAVING on a group key and on text aggregates
                q.item("region", null);
                q.item("COUNT(*)", "n");
                q.groupBy = " GROUP BY region";
                q.having = " HAVING " + pick("region IS NOT NULL AND MIN(name) < 'm'", "MAX(name) >= 'r'",
                        "region <> 'eu' OR COUNT(*) > 100");
                q.orderBy("region", 0, true);
                q.total = true;
            }
            case 2 -> {
                q.item("level", null);
                q.item("COUNT(*)", "n");
                q.item("MAX(region)", "mr");
                q.groupBy = " GROUP BY level";
                // PostgreSQL does not resolve output aliases in HAVING; SQLite does
                q.having = postgres ? " HAVING COUNT(*) > " + k * 4 + " AND MAX(region) = 'us'"
                        : pick(" HAVING n > " + k * 4, " HAVING mr = 'us' AND n > " + k);
                q.orderBy("level", 0, false);
                q.total = true;
            }
            case 3 -> {
                // identifiers in other cases and table-qualified
                q.item(pick("REGION", "Region", "players.region"), null);
                q.item(pick("Count(*)", "count(*)", "SUM(players.score)", "max(Score)"), "v");
                q.groupBy = " GROUP BY " + pick("region", "REGION", "players.region", "1");
                q.orderBy(pick("region", "Region", "players.region", "1"), 0, true);
                q.total = true;
            }
            case 4 -> {
                // GROUP BY the alias of a plain column
                q.item("level", "lvl");
                q.item("COUNT(*)", "n");
                q.groupBy = " GROUP BY lvl";
                q.orderBy(pick("lvl", "n DESC, lvl"), -1, false);
                q.total = true;
            }
            case 5 -> {
                q.from = "players p LEFT JOIN regions r ON r.code = p.region";
                q.item("p.player_id", null);
                q.item("r.name", null);
                q.where("p.level = " + k);
            }
            case 6 -> {
                // every shard has the whole regions table: its unmatched rows would come once per shard
                q.from = "regions r LEFT JOIN players p ON p.region = r.code AND p.level = " + k;
                q.item("r.code", null);
                q.item("p.player_id", null);
            }
            case 7 -> {
                q.from = "regions r LEFT JOIN players p ON p.region = r.code";
                q.item("r.code", null);
                q.item(pick("COUNT(*)", "COUNT(p.player_id)", "SUM(p.score)"), "n");
                q.groupBy = " GROUP BY r.code";
                q.orderBy("r.code", 0, false);
                q.total = true;
            }
            case 8 -> {
                q.from = "players p RIGHT JOIN regions r ON r.code = p.region AND p.level = " + k;
                q.item("r.name", null);
                q.item("p.player_id", null);
            }
            case 9 -> {
                // subqueries over the broadcast table see all of it on every shard
                q.item("player_id", null);
                q.item("name", null);
                if (r.nextBoolean()) {
                    q.item("(SELECT COUNT(*) FROM regions)", "nr");
                    q.where("level = " + k);
                } else {
                    q.where("region IN (SELECT code FROM regions WHERE code <> '" + pick("us", "eu") + "')");
                }
                q.orderBy("player_id", 0, false);
                q.total = true;
            }
            case 10 -> {
                q.from = pick("(SELECT region, COUNT(*) AS n FROM players GROUP BY region) t",
                        "(SELECT DISTINCT level FROM players WHERE score > " + k * 300 + ") t");
                q.item(q.from.contains("region") ? "t.region" : "t.level", null);
                q.orderBy("1", 0, true);
                q.total = true;
            }
            case 11 -> {
                q.distinct = true;
                q.item("COUNT(*)", "n");
                q.groupBy = " GROUP BY " + pick("level", "region", "name");
                if (r.nextBoolean()) {
                    q.orderBy("n", 0, false);
                    q.total = true;
                }
            }
            case 12 -> {
                // an alias that is also a column name: ORDER BY means the alias
                q.item("region", null);
                q.item(pick("SUM(score)", "COUNT(*)", "MIN(level)"), pick("coins", "score", "level"));
                q.groupBy = " GROUP BY region";
                q.orderBy(q.aliases.get(1), 1, false);
                q.orderBy("region", 0, true);
                q.total = true;
            }
            case 13 -> {
                q.item("player_id", null);
                q.item("-score", pick("level", "coins"));
                q.orderBy(q.aliases.get(1), 1, false);
                q.orderBy("player_id", 0, false);
                q.total = true;
                q.limit = " LIMIT " + LIMITS[r.nextInt(LIMITS.length)];
            }
            case 14 -> {
                q.item("region", null);
                q.item(mysql ? "SUM(CASE WHEN score > " + k * 300 + " THEN 1 ELSE 0 END)"
                        : "COUNT(*) FILTER (WHERE score > " + k * 300 + ")", "hi");
                q.groupBy = " GROUP BY region";
                q.orderBy("region", 0, true);
                q.total = true;
            }
            case 15 -> {
                // the reference divides by zero for some group on PostgreSQL (an error, 22012) or answers NULL
                q.item("level", null);
                q.item(pick("MAX(score) / (MIN(level) - 1)", "SUM(score) / (COUNT(*) - 10)",
                        "SUM(score) / (COUNT(*) - " + (8 + k) + ")"), "q");
                q.groupBy = " GROUP BY level";
                q.orderBy("level", 0, false);
                q.total = true;
            }
            case 16 -> {
                q.from = "players p JOIN matches m ON p.player_id = m.player_id AND m.points > " + k * 20;
                q.item("p.region", null);
                q.item("COUNT(*)", "n");
                q.item("SUM(m.points)", "pts");
                q.groupBy = " GROUP BY p.region";
                q.orderBy("p.region", 0, true);
                q.total = true;
            }
            case 17 -> {
                q.from = "regions r JOIN players p ON p.region = r.code";
                q.item("r.code", null);
                q.item(playerAggregate("p."), "v");
                q.groupBy = " GROUP BY r.code";
                q.orderBy("r.code", 0, false);
                q.total = true;
            }
            case 18 -> {
                q.item("player_id", null);
                q.orderBy("player_id", 0, false);
                q.total = true;
                if (postgres) {
                    q.limit = " OFFSET ?";
                    q.limitParams.add(OFFSETS[r.nextInt(OFFSETS.length)]);
                } else if (mysql) {
                    q.limit = " LIMIT 18446744073709551615 OFFSET " + OFFSETS[r.nextInt(OFFSETS.length)];
                } else {
                    q.limit = " LIMIT -1 OFFSET " + OFFSETS[r.nextInt(OFFSETS.length)];
                }
            }
            case 19 -> {
                // no shard has a row (COUNT(DISTINCT) groups by its argument): the one row is made up
                q.item("COUNT(DISTINCT level)", null);
                q.item(pick("CASE WHEN COUNT(*) > 0 THEN 1 ELSE 0 END", "'x'", "7", "COUNT(*) + 1", "MAX(score)",
                        "SUM(rating)", "AVG(score)"), "v");
                q.where("score > 100000");
                q.oneRow = true;
            }
            case 20 -> {
                q.item("level", null);
                q.item("COUNT(*)", "n");
                q.groupBy = " GROUP BY level";
                q.orderBy(pick("COUNT(*) - level", "MAX(score) + level", "level * SUM(level)"), -1, true);
                q.orderBy("level", 0, false);
                q.total = true;
            }
            case 21 -> {
                q.item(pick("COUNT(*)", "MAX(score)", "SUM(coins)"), null);
                q.orderBy("1", 0, false);
                q.total = true;
                q.limit = pick(" LIMIT 1", " LIMIT 1 OFFSET 1", " LIMIT 0", " LIMIT 5 OFFSET 0");
            }
            case 22 -> {
                q.item(pick("1", "'x'", "2.5"), "c");
                q.item(pick("COUNT(*)", "MAX(level)"), null);
                if (r.nextBoolean()) {
                    q.groupBy = " GROUP BY level";
                    q.item("level", null);
                    q.orderBy("level", 2, false);
                    q.total = true;
                } else {
                    q.oneRow = true;
                }
            }
            default -> {
                q.item("region", null);
                q.item(pick("SUM(score + level)", "AVG(score * 2)", "SUM(CASE WHEN score > 0 THEN 1 ELSE 0 END)",
                        "COUNT(DISTINCT level % 3)", "MAX(coins - score)", "SUM(DISTINCT rating)",
                        "COUNT(DISTINCT speed)", "ROUND(AVG(level))", "ROUND(MIN(score) / 2.0)",
                        "ROUND(SUM(score))"), "v");
                q.groupBy = " GROUP BY region";
                q.orderBy("region", 0, true);
                q.total = true;
            }
        }
        q.add();
    }

    // ---------------------------------------------------------------- pieces

    private String playerAggregate(String p) {
        String[] pool = {"COUNT(*)", "COUNT(#score)", "COUNT(#region)", "COUNT(DISTINCT #region)",
            "COUNT(DISTINCT #level)", "COUNT(DISTINCT #name)", "SUM(#score)", "SUM(#level)", "SUM(#coins)",
            "SUM(#rating)", "SUM(#speed)", "SUM(DISTINCT #level)", "MIN(#score)", "MAX(#score)", "MIN(#name)",
            "MAX(#name)", "MIN(#rating)", "MAX(#rating)", "MIN(#coins)", "MAX(#coins)", "MIN(#speed)", "MAX(#speed)",
            "AVG(#score)", "AVG(#level)", "AVG(#rating)", "AVG(#coins)", "AVG(#speed)", "AVG(DISTINCT #level)",
            "MAX(#score) - MIN(#score)", "SUM(#score) / COUNT(*)", "SUM(#level) * 2", "COUNT(*) + 1",
            "SUM(#coins) - MAX(#coins)", "MAX(#rating) - MIN(#rating)",
            "CASE WHEN COUNT(*) > 40 THEN 'many' ELSE 'few' END", "CASE WHEN SUM(#score) > 20000 THEN 1 ELSE 0 END",
            "ROUND(AVG(#score), 2)", "ABS(MIN(#score))", "COALESCE(MAX(#rating), 0)", "SUM(#score) * 1.0 / COUNT(*)",
            "COUNT(*) - COUNT(#score)", "MAX(#level) * 10 + MIN(#level)", "SUM(#coins) / COUNT(*)",
            "(SUM(#score) + SUM(#level)) / 2", "CASE WHEN MIN(#score) < 0 THEN -1 WHEN MIN(#score) = 0 THEN 0 ELSE 1 END",
            "NULLIF(COUNT(#region), 0)", "SUM(#coins) * 2", "SUM(#score) / (COUNT(*) - 10)", "ROUND(AVG(#level))",
            "ROUND(MIN(#score) / 2.0)", "ROUND(SUM(#score))", "SUM(#score + #level)",
            "COUNT(DISTINCT #level % 3)", "SUM(DISTINCT #rating)"};
        return pool[r.nextInt(pool.length)].replace("#", p);
    }

    private String joinAggregate() {
        if (r.nextInt(4) == 0) {
            return playerAggregate("p.");
        }
        return pick("COUNT(*)", "COUNT(m.points)", "SUM(m.points)", "SUM(m.duration)", "MIN(m.points)",
                "MAX(m.points)", "AVG(m.points)", "AVG(m.duration)", "COUNT(DISTINCT m.match_id)",
                "MAX(m.duration) - MIN(m.duration)", "SUM(m.points) / COUNT(*)", "COALESCE(SUM(m.points), 0)",
                "SUM(m.duration) * 2", "SUM(m.points) + SUM(p.level)", "COUNT(DISTINCT p.player_id)");
    }

    private String predicate(String p) {
        int a = 1 + r.nextInt(9);
        return switch (r.nextInt(17)) {
            case 0 -> p + "level > " + a;
            case 1 -> p + "level BETWEEN " + a + " AND " + (a + r.nextInt(4));
            case 2 -> p + "score >= " + (r.nextInt(55) * 100 - 500);
            case 3 -> p + "score < " + (r.nextInt(55) * 100 - 500);
            case 4 -> p + "score IS " + pick("NULL", "NOT NULL");
            case 5 -> p + "region = '" + pick("eu", "us", "asia", "sa", "xx") + "'";
            case 6 -> p + "region IS " + pick("NULL", "NOT NULL");
            case 7 -> p + "region " + pick("IN", "NOT IN") + " ('eu', 'asia')";
            case 8 -> p + "coins " + pick("> 1000000", "< 0", "BETWEEN 0 AND 50000");
            case 9 -> p + "rating " + pick("<", ">=") + " " + (r.nextInt(100) * 100 - 50) + ".5";
            case 10 -> p + "name = '" + pick("ana", "Ana", "bo", "zoe", "nobody") + "'";
            case 11 -> p + "speed > " + r.nextInt(100) + ".25";
            case 12 -> keyIn(p);
            case 13 -> keyBetween(p);
            case 14 -> "(" + predicate(p) + " OR " + predicate(p) + ")";
            case 15 -> p + "name " + pick("LIKE 'a%'", "LIKE '%o'", "IS NULL");
            default -> predicate(p) + " AND " + predicate(p);
        };
    }

    private String matchPredicate() {
        return switch (r.nextInt(4)) {
            case 0 -> "m.points > " + (r.nextInt(30) * 10);
            case 1 -> "m.points IS " + pick("NULL", "NOT NULL");
            case 2 -> "m.duration < " + (60 + r.nextInt(35) * 100);
            default -> "m.match_id BETWEEN " + r.nextInt(300) + " AND " + (300 + r.nextInt(400));
        };
    }

    private String keyIn(String p) {
        int n = 1 + r.nextInt(5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(Long.toString(randomId()));
        }
        return p + "player_id IN (" + String.join(", ", ids) + ")";
    }

    private String keyBetween(String p) {
        long a = randomId();
        return p + "player_id BETWEEN " + a + " AND " + (a + r.nextInt(600));
    }

    /** A player id, now and then one no player has. */
    private long randomId() {
        return r.nextInt(12) == 0 ? 4000 + r.nextInt(100) : data.ids.get(r.nextInt(data.ids.size()));
    }

    private String stringAgg(String column) {
        return postgres ? "STRING_AGG(" + column + ", ',')" : "GROUP_CONCAT(" + column + ")";
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[r.nextInt(options.length)];
    }
}
