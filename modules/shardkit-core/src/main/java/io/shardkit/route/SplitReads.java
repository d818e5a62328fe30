package io.shardkit.route;

import static io.shardkit.route.Reasons.note;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.sql.MergeSpec;
import io.shardkit.sql.SplitBounds;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a read over a split table visits a shard's physical tables: which of them a range on a
 * calendar split can reach, and whether each is a part of its own or all are one derived table.
 */
final class SplitReads {
    private SplitReads() {
    }

    /**
     * Whether a read's physical tables are parts of their own (merged like shards) rather than one
     * derived table per shard: the statement names each table once, every table it names is split
     * co-located with its routed table (the same strategy and split by the key alike, so rows join
     * only within one suffix) or broadcast (whole on every shard), and its merge across parts is
     * exact (the planner accepts it over several shards). Else a shard's tables are read as one
     * UNION ALL, which keeps a read that only one shard can answer (a window function, say) answerable.
     */
    static boolean nodeByNode(ShardMap map, SqlAnalysis a, RouteDecision d, SplitTemplate t) {
        if (a.kind() != StatementKind.SELECT || t.writes() || !a.namesEachTableOnce() || d.firstHit()
                || d.hotCount() >= 0) {
            return false;
        }
        for (String table : a.tables()) {
            TableRule rule = map.tables().get(table);
            boolean split = t.tables().contains(table);
            if (rule == null || !split && rule.kind() != TableRule.Kind.BROADCAST || split && t.tables().size() > 1 && !colocated(map, a, rule)) {
                return false;
            }
        }
        return mergeable(a);
    }

    /**
     * The parts of one shard for a read node by node: one per suffix, naming each split table's
     * physical table of that suffix; {@code null} when each table has one physical table there (one
     * part, as it is). Co-located tables must hold the same suffixes: a suffix one of them lacks
     * could drop or keep rows an outer join decides on, so the statement fails naming it.
     */
    static List<Map<String, List<String>>> bySuffix(ShardMap map, Map<String, List<String>> byTable, String shard,
            String sql) throws ShardException {
        boolean many = false;
        for (List<String> names : byTable.values()) {
            many |= names.size() > 1;
        }
        if (!many) {
            return null;
        }
        Map<String, Map<String, List<String>>> nodes = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : byTable.entrySet()) {
            TableSplit split = map.tables().get(e.getKey()).split();
            for (String name : e.getValue()) {
                nodes.computeIfAbsent(split.suffixOf(name), k -> new LinkedHashMap<>()).put(e.getKey(), List.of(name));
            }
        }
        for (Map.Entry<String, Map<String, List<String>>> node : nodes.entrySet()) {
            if (node.getValue().size() != byTable.size()) {
                List<String> lacking = new ArrayList<>(byTable.keySet());
                lacking.removeAll(node.getValue().keySet());
                throw new ShardException("co-located split tables must hold the same physical tables: shard " + shard
                        + " has " + node.getValue().values() + " but no " + lacking + " table for suffix "
                        + node.getKey() + "; create it [sql: " + ShardException.shorten(sql) + "]",
                        SqlStates.UNDEFINED_TABLE);
            }
        }
        return new ArrayList<>(nodes.values());
    }

    /** The parts of a shard read node by node, for explain: {@code [matches_00 + players_00, ...]}. */
    static String describe(List<Map<String, List<String>>> nodes) {
        List<String> out = new ArrayList<>(nodes.size());
        for (Map<String, List<String>> node : nodes) {
            StringBuilder sb = new StringBuilder();
            for (List<String> names : node.values()) {
                sb.append(sb.length() == 0 ? "" : " + ").append(names.get(0));
            }
            out.add(sb.toString());
        }
        return out.toString();
    }

    /** Whether the statement's key values pin this table: it is the statement's sharded table or split like it. */
    static boolean colocated(ShardMap map, SqlAnalysis a, TableRule rule) {
        if (rule.table().equals(a.shardedTable())) {
            return true;
        }
        TableRule main = map.tables().get(a.shardedTable());
        return main != null && main.isSplit() && main.split().column().equals(main.keyColumn())
                && main.strategy().describe().equals(rule.strategy().describe())
                && main.split().rule().describe().equals(rule.split().rule().describe());
    }

    private static boolean mergeable(SqlAnalysis a) {
        if (a.countOver() != null) {
            return mergeable(a.countOver());
        }
        if (a.existsAny()) {
            return true;
        }
        MergeSpec m = a.merge();
        return m == null || !m.isRefused();
    }

    /**
     * A calendar split's physical tables of one shard that a range on its column can reach: the
     * periods from the highest lower bound's to the lowest upper bound's, and one table more on each
     * side, since the database may read a bound in another time zone than the rule (a session zone, a
     * value with an offset) by up to a day, never more than a period. Tables are sorted by name, so by
     * period (every calendar layout puts the year first, fixed width). Bounds the rule cannot read
     * (another type, NULL) prune nothing.
     */
    static List<String> pruned(TableRule rule, List<String> names, List<SplitBounds.Bound> bounds, Object[] params,
            StringBuilder why, String shard) {
        TableSplit split = rule.split();
        if (split.rule().suffixes() != null || names.size() < 2) {
            return names;
        }
        String lo = null;
        String hi = null;
        for (SplitBounds.Bound b : bounds) {
            Object v = b.value().resolve(params);
            List<String> p;
            try {
                p = v == null ? null : split.rule().suffixesBetween(v, true, v, true);
            } catch (RuntimeException e) {
                p = null;
            }
            if (p == null || p.size() != 1) {
                continue;
            }
            String x = p.get(0);
            if (b.low()) {
                lo = lo == null || x.compareTo(lo) > 0 ? x : lo;
            } else {
                hi = hi == null || x.compareTo(hi) < 0 ? x : hi;
            }
        }
        if (lo == null && hi == null) {
            return names;
        }
        int first = -1;
        int last = -1;
        int after = names.size(); // the first table past the range, when none is inside it
        for (int i = 0; i < names.size(); i++) {
            String x = split.suffixOf(names.get(i));
            boolean aboveLo = lo == null || x.compareTo(lo) >= 0;
            boolean belowHi = hi == null || x.compareTo(hi) <= 0;
            if (aboveLo && belowHi) {
                first = first < 0 ? i : first;
                last = i;
            } else if (aboveLo && after == names.size()) {
                after = i;
            }
        }
        int from = first < 0 ? after - 1 : first - 1;
        int to = first < 0 ? after : last + 1;
        List<String> out = new ArrayList<>(names.subList(Math.max(0, from), Math.min(names.size(), to + 1)));
        note(why, rule.table() + "." + split.column() + " between periods " + (lo == null ? "…" : lo) + " and "
                + (hi == null ? "…" : hi) + " on " + shard + " (one table more on each side: the database"
                + " may read a bound in another zone) → " + out.size() + " of " + names.size() + " tables: " + out);
        return out;
    }

}
