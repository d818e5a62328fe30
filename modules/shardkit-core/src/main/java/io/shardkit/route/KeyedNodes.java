package io.shardkit.route;

import static io.shardkit.route.Reasons.note;
import static io.shardkit.route.Reasons.show;

import io.shardkit.ShardException;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SplitTemplates;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.ValueRef;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hot path of {@link SplitRouting}: a statement on one split table keyed by one value of its
 * split column goes to that value's data node. What it needs is kept on the statement's analysis
 * ({@link Kept}), so a prepared statement run again looks up neither its text nor its template:
 * only the decision for its shard and suffix, made once.
 */
final class KeyedNodes {
    private final ShardMap map;
    private final ShardRegistry registry;
    private final SplitTemplates templates;

    /**
     * Kept on a statement's analysis: its template for a dialect; the split table's rule when the
     * statement has the hot path's shape (one split table, split by its key, one key value), else
     * {@code null}; by shard and suffix, the decision for a key's data node.
     */
    record Kept(KeyedNodes owner, SplitTemplate template, TableRule keyed,
            ConcurrentHashMap<String, RouteDecision>[] byShard) {
    }

    KeyedNodes(ShardMap map, ShardRegistry registry, SplitTemplates templates) {
        this.map = map;
        this.registry = registry;
        this.templates = templates;
    }

    /**
     * The hot path: one shard, one split table split by its key, one key value: the key's data node,
     * from the cache after the first time. {@code null} for any other statement.
     */
    RouteDecision route(SqlAnalysis a, RouteDecision d, Kept kept, Object[] params,
            StringBuilder why) throws SQLException {
        TableRule rule = kept.keyed();
        if (rule == null || !d.isSingle() || d.sql(0) != null) {
            return null;
        }
        Object v = a.keyValues().get(0).resolve(params);
        if (v == null) {
            return null;
        }
        TableSplit split = rule.split();
        String table = rule.table();
        String suffix;
        try {
            suffix = split.rule().suffix(table, v);
        } catch (ShardException e) {
            return null; // every table of the shard: the database compares the value
        }
        int s = d.shard(0);
        ConcurrentHashMap<String, RouteDecision>[] byShard = kept.byShard();
        if (s >= byShard.length) {
            return null;
        }
        ConcurrentHashMap<String, RouteDecision> bySuffix = byShard[s];
        if (bySuffix == null) {
            bySuffix = new ConcurrentHashMap<>();
            byShard[s] = bySuffix;
        }
        RouteDecision cached = why == null ? bySuffix.get(suffix) : null;
        if (cached != null) {
            return cached;
        }
        String name = node(rule, suffix, v, registry.name(s), why);
        Map<String, List<String>> byTable = Map.of(table, List.of(name));
        SplitParts parts = new SplitParts(templates, new Dialect[] {registry.dialect(s)}, List.of(byTable));
        RouteDecision out = new RouteDecision(new int[] {s}, new String[] {parts.render(a.sql(), 0)}, new int[1][],
                null, parts);
        if (bySuffix.size() < 1024) {
            bySuffix.put(suffix, out);
        }
        return out;
    }

    /** What this router keeps on the analysis for the dialect, made and kept the first time. */
    @SuppressWarnings("unchecked")
    Kept kept(SqlAnalysis a, Dialect dialect) {
        if (a.routeCache() instanceof Kept k && k.owner() == this && k.template().dialect() == dialect
                && k.byShard().length >= registry.slots()) { // else kept again for shards opened since
            return k;
        }
        SplitTemplate t = templates.get(a.sql(), dialect);
        Kept k = new Kept(this, t, keyed(a, t), new ConcurrentHashMap[registry.slots()]);
        a.routeCache(k);
        return k;
    }

    /** The rule of the statement's one split table when the hot path can route it, else {@code null}. */
    private TableRule keyed(SqlAnalysis a, SplitTemplate t) {
        List<ValueRef> keys = a.keyValues();
        if (t.refusal() != null || t.tables().size() != 1 || keys == null || keys.size() != 1 || keys.get(0).array()) {
            return null;
        }
        TableRule rule = map.tables().get(t.tables().get(0));
        return rule.table().equals(a.shardedTable()) && rule.split().column().equals(rule.keyColumn()) ? rule : null;
    }

    /** The physical table of a split-column value (its {@code suffix}), with the reason put into words for explain. */
    static String node(TableRule rule, String suffix, Object value, String shard, StringBuilder why) {
        String name = rule.split().physical(suffix);
        if (why != null) {
            note(why, rule.table() + "." + rule.split().column() + " = " + show(value) + " on " + shard + ": "
                    + rule.split().rule().reason(value) + " → " + name);
        }
        return name;
    }
}
