package io.shardkit.route;

import static io.shardkit.route.Reasons.note;

import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.sql.MergeSpec;
import io.shardkit.sql.SplitBounds;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import java.util.ArrayList;
import java.util.List;

/**
 * How a read over a split table visits a shard's physical tables: which of them a range on a
 * calendar split can reach, and whether each is a part of its own or all are one derived table.
 */
final class SplitReads {
    private SplitReads() {
    }

    /**
     * Whether a read's physical tables are parts of their own (merged like shards) rather than one
     * derived table per shard: the statement names its one split table once and nothing else (so
     * its rows partition like the table's), and its merge across parts is exact (the planner accepts
     * it over several shards). Else a shard's tables are read as one UNION ALL, which keeps a read
     * that only one shard can answer (a window function, say) answerable.
     */
    static boolean nodeByNode(SqlAnalysis a, RouteDecision d, SplitTemplate t) {
        return a.kind() == StatementKind.SELECT && !t.writes() && t.tables().size() == 1 && a.namesOneTableOnce()
                && !d.firstHit() && d.hotCount() < 0 && mergeable(a);
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
