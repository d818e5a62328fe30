package io.shardkit.route;

import static io.shardkit.route.Reasons.note;

import io.shardkit.RefusedException;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.OwnershipFilter;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.BucketStrategy.Ownership;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a statement over bucket tables that reaches several shards exact while some of them still
 * hold rows of buckets they no longer own (a move's source between the switch and its cleanup): on
 * each such shard, every text of the statement (its own SQL, a merged read's shard query) gets the
 * {@link OwnershipFilter ownership predicate} on each reference to a table of the bucket group, so
 * the retained rows are neither read twice nor written. The decision's targets and the retained
 * sets come from one {@link Ownership} (the router re-routes under it). Statements of a shape the
 * filter does not handle, {@code bucketOf: hash} tables, split and tiered tables are refused
 * (0A000) while such a shard is a target. Cost: nothing unless a target retains buckets; then one
 * parse per (text, dialect, retained set), cached (bounded).
 */
final class OwnedScatter {
    private static final int CACHE = 512;

    private record Text(String sql, Dialect dialect, Map<String, String> keys, int buckets, BitSet retained) {
    }

    private final ShardMap map;
    private final ShardRegistry registry;
    /** The tables of each bucket group (by its strategy) and their key columns. */
    private final Map<BucketStrategy, Map<String, String>> groups = new ConcurrentHashMap<>();
    private final Map<Text, String> rendered = new ConcurrentHashMap<>();

    OwnedScatter(ShardMap map, ShardRegistry registry) {
        this.map = map;
        this.registry = registry;
    }

    /** Routes the statement again (with the reasons it gives). */
    interface Reroute {
        RouteDecision route() throws SQLException;
    }

    /**
     * The statement routed again until one {@link Ownership}, the live one before and after (a switch
     * replaces it whole, and never by an earlier one), gave both its targets and the retained sets,
     * then {@link #apply filtered}: routed by epoch n (the source owns a bucket, its new owner is not
     * targeted) and filtered by epoch n + 1 (the source leaves it out), the moved rows would vanish.
     * Only while some shard of the group retains buckets: the statement is routed twice.
     *
     * @param first the statement's first route, made before this call
     * @param mark the length of {@code why} before the first route (its reasons are replaced)
     */
    RouteDecision route(SqlAnalysis a, BucketStrategy b, RouteDecision first, StringBuilder why, int mark,
            Reroute again) throws SQLException {
        RouteDecision d = first;
        for (Ownership o = b.ownership(); !o.retained().isEmpty(); ) {
            if (why != null) {
                why.setLength(mark);
            }
            d = again.route();
            Ownership now = b.ownership();
            if (now == o) {
                return d.isSingle() ? d : apply(a, b, o, d, why);
            }
            o = now;
        }
        return d;
    }

    /**
     * {@code d} (routed by {@code o}) with the ownership predicate on the parts whose shard retains
     * buckets in {@code o}; {@code d} itself when none does, or for an INSERT split by rows (each
     * row goes to its bucket's owner) and DDL.
     *
     * @throws RefusedException (0A000) for what cannot carry the predicate, naming it and the shard
     */
    RouteDecision apply(SqlAnalysis a, BucketStrategy b, Ownership o, RouteDecision d, StringBuilder why)
            throws RefusedException {
        if (d.splitsRows() || a.kind() == StatementKind.DDL || a.kind() == StatementKind.INSERT && a.insertRows() != null) {
            return d;
        }
        BitSet[] retained = null;
        String first = null;
        for (int i = 0; i < d.size(); i++) {
            String shard = registry.name(d.shard(i));
            BitSet r = o.retainedOn(shard);
            if (r != null) {
                if (retained == null) {
                    retained = new BitSet[d.size()];
                    first = shard;
                }
                retained[i] = r;
            }
        }
        if (retained == null) {
            return d;
        }
        String table = a.shardedTable();
        String context = " while shard " + first + " holds buckets it no longer owns (a move awaits cleanup)";
        if (b.bucketOf() != BucketStrategy.BucketOf.MOD) {
            throw new RefusedException("a statement over " + table + " (bucketOf: " + b.bucketOf().yaml() + ") on several"
                    + " shards is not supported" + context + ": a hashed key's bucket cannot be computed in SQL; let"
                    + " the move finish its cleanup first, or add a shard key predicate that routes to one shard", a.sql());
        }
        for (String t : a.tables()) {
            TableRule rule = map.tables().get(t);
            if (rule != null && (rule.isSplit() || rule.isTiered())) {
                throw new RefusedException((rule.isSplit() ? "split" : "tiered") + " table " + t + " in a statement on"
                        + " several shards is not supported" + context, a.sql());
            }
        }
        Map<String, String> keys = groups.computeIfAbsent(b, this::keysOf);
        OwnedParts parts = new OwnedParts(this, context, keys, b.buckets(), retained, dialects(d));
        if (why != null) {
            for (int i = 0; i < d.size(); i++) {
                if (retained[i] != null) {
                    note(why, registry.name(d.shard(i)) + " holds buckets " + show(retained[i]) + " of " + table
                            + "'s group without owning them (epoch " + o.epoch() + ", a move awaits cleanup) → its SQL"
                            + " leaves them out: " + OwnershipFilter.predicate(keys.get(table), b.buckets(),
                                    retained[i], parts.dialect(i)));
                }
            }
        }
        String[] sql = null;
        if (a.kind().isWrite()) { // writes run d.sql(i); reads render their shard texts through the parts
            sql = new String[d.size()];
            for (int i = 0; i < sql.length; i++) {
                sql[i] = retained[i] == null ? null : parts.render(a.sql(), i);
            }
        }
        int[] shards = new int[d.size()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = d.shard(i);
        }
        return new RouteDecision(shards, sql, null, parts);
    }

    private Dialect[] dialects(RouteDecision d) {
        Dialect[] out = new Dialect[d.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = registry.dialect(d.shard(i));
        }
        return out;
    }

    private Map<String, String> keysOf(BucketStrategy b) {
        Map<String, String> out = new LinkedHashMap<>();
        for (TableRule rule : map.tables().values()) {
            if (rule.isSharded() && b.equals(rule.strategy())) {
                out.put(rule.table(), rule.keyColumn());
            }
        }
        return Map.copyOf(out);
    }

    /** {@code sql} filtered for {@code retained} on a shard of {@code dialect}; cached. */
    String render(String sql, Dialect dialect, Map<String, String> keys, int buckets, BitSet retained, String context)
            throws RefusedException {
        Text key = new Text(sql, dialect, keys, buckets, retained);
        String out = rendered.get(key);
        if (out != null) {
            return out;
        }
        try {
            out = OwnershipFilter.rewrite(sql, dialect, keys, buckets, retained);
        } catch (OwnershipFilter.Unsupported e) {
            throw new RefusedException(e.getMessage() + " is not supported" + context, sql);
        }
        if (rendered.size() >= CACHE) {
            rendered.clear(); // a move's cleanup window: few texts; a bound, not a policy
        }
        rendered.put(key, out);
        return out;
    }

    /** {@code {4, 12}} or, past eight buckets, their count and first ones. */
    private static String show(BitSet r) {
        if (r.cardinality() <= 8) {
            return r.toString();
        }
        StringBuilder sb = new StringBuilder().append(r.cardinality()).append(" (");
        int n = 0;
        for (int b = r.nextSetBit(0); b >= 0 && n < 4; b = r.nextSetBit(b + 1), n++) {
            sb.append(n == 0 ? "" : ", ").append(b);
        }
        return sb.append(", ...)").toString();
    }
}
