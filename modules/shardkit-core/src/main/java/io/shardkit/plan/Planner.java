package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.RefusedException;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.merge.Bound;
import io.shardkit.merge.SortKey;
import io.shardkit.route.RouteDecision;
import io.shardkit.sql.MergeSpec;
import io.shardkit.sql.SqlAnalysis;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the plan nodes for a routed statement: a {@link Route} for one shard, a {@link Scatter}
 * for a write over several, and for a read over several the merge its {@link MergeSpec} calls
 * for (worked out once per SQL text):
 *
 * <pre>
 * Scatter → [Shadow] → MergeSort | Concat → [Aggregate | GroupBy] → [Having] → [Distinct] → [Sort] → [Limit] → [Project]
 *
 * (a plain query's Having holds only its guards; Limit keeps the ties of FETCH ... WITH TIES)
 * </pre>
 *
 * A key lookup over the tiers of a tiered table is a {@link FirstHit} instead, and
 * {@code SELECT EXISTS(<q>)} an {@link AnyTrue} over the shards' answers.
 *
 * A read whose result across shards cannot be computed exactly is refused, naming the construct.
 */
public final class Planner {
    private Planner() {
    }

    /** @param params this execution's parameters (a LIMIT given as {@code ?} shapes the shard SQL) */
    public static PlanNode plan(SqlAnalysis a, RouteDecision d, ShardRegistry registry, Object[] params)
            throws SQLException {
        if (d.isSingle()) {
            return route(a, d, 0, registry);
        }
        List<String> shards = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            shards.add(registry.name(d.shard(i)));
        }
        if (a.kind().isWrite()) {
            if (a.multiShardRefusal() != null) {
                throw new RefusedException(a.multiShardRefusal() + " is not supported (the statement runs on "
                        + shards.size() + " shards " + shards + "); add a shard key predicate to run it on one shard",
                        a.sql());
            }
            List<Route> routes = new ArrayList<>(d.size());
            for (int i = 0; i < d.size(); i++) {
                routes.add(route(a, d, i, registry));
            }
            return new Scatter(routes, true);
        }
        if (d.firstHit()) {
            List<Route> routes = new ArrayList<>(d.size());
            for (int i = 0; i < d.size(); i++) {
                routes.add(route(a, d, i, registry));
            }
            return new FirstHit(routes);
        }
        if (a.countOver() != null) {
            // the statement itself on one shard gives the column; q's merged rows give the count
            Route header = new Route(shards.get(0), d.render(a.sql(), 0), null);
            PlanNode rows = plan(a.countOver(), d, registry, params);
            return new CountRows(new Concat(new Scatter(List.of(header), false)), (RowSource) rows);
        }
        if (a.existsAny()) {
            List<Route> routes = new ArrayList<>(d.size());
            for (int i = 0; i < d.size(); i++) {
                routes.add(route(a, d, i, registry));
            }
            return new AnyTrue(routes.size(), new Concat(new Scatter(routes, false)));
        }
        MergeSpec m = a.merge();
        if (m == null) {
            List<Route> routes = new ArrayList<>(d.size());
            for (int i = 0; i < d.size(); i++) {
                routes.add(route(a, d, i, registry));
            }
            return new Concat(new Scatter(routes, false));
        }
        if (m.isRefused()) {
            throw new RefusedException(m.refusal() + " is not supported (the statement runs on " + shards.size()
                    + " shards " + shards + "); add a shard key predicate to run it on one shard", a.sql());
        }
        String sql = m.shardSql();
        if (sql.contains(MergeSpec.LIMIT_TOKEN)) {
            long rows = Bound.plus(m.count().resolve(params), m.offset() == null ? 0 : m.offset().resolve(params));
            sql = sql.replace(MergeSpec.LIMIT_TOKEN, Long.toString(rows));
        }
        int hot = d.hotCount();
        List<Route> routes = new ArrayList<>(d.size());
        for (int i = 0; i < shards.size(); i++) {
            boolean archive = hot >= 0 && i >= hot;
            routes.add(new Route(shards.get(i), d.render(archive ? m.archiveSql() : sql, i), m.shardParameters()));
        }
        long rowsPerShard = -1;
        if (!m.aggregate() && !m.distinct() && m.count() != null && (hot < 0 || hot == routes.size())) {
            rowsPerShard = Bound.plus(m.count().resolve(params), m.offset() == null ? 0 : m.offset().resolve(params));
            if (rowsPerShard == Bound.ALL || m.count().withTies()) {
                rowsPerShard = -1;
            }
        }
        ShardSource scatter = new Scatter(routes, false, rowsPerShard, m.comparisons());
        if (hot > 0 && hot < routes.size()) {
            scatter = new Shadow(scatter, hot, a.tiering().table(), a.tiering().archive().id());
        }
        RowSource node = m.shardOrder().isEmpty() ? new Concat(scatter) : new MergeSort(m.shardOrder(), scatter);
        if (!m.aggregate() && m.having() != null) {
            // a plain query's checks (a name read as an alias must not also be a column)
            node = new Having(m.having(), node);
        }
        if (m.aggregate()) {
            node = m.groupKeys().isEmpty() ? new Aggregate(m.aggregates(), m.outputs(), node)
                    : new GroupBy(m.groupKeys(), m.streamedGroups(), m.aggregates(), m.outputs(), node);
            if (m.having() != null) {
                node = new Having(m.having(), m.aggregates(), node);
            }
        }
        if (m.distinct()) {
            node = new Distinct(m.hidden(), node);
        }
        if (m.aggregate() && !m.finalOrder().isEmpty()) {
            // under a LIMIT without ties the sort keeps only the rows the limit can return
            boolean top = m.count() != null && !m.count().withTies();
            node = new Sort(m.finalOrder(), top ? m.offset() : null, top ? m.count() : null, node);
        }
        if (m.offset() != null || m.count() != null) {
            boolean ties = m.count() != null && m.count().withTies();
            node = new Limit(m.offset(), m.count(), !ties ? List.of() : m.aggregate() ? m.finalOrder() : m.shardOrder(),
                    node);
        }
        if (m.hidden() > 0) {
            node = new Project(m.hidden(), node);
        }
        return node;
    }

    private static Route route(SqlAnalysis a, RouteDecision d, int part, ShardRegistry registry) throws SQLException {
        // over split tables or retained buckets, the part's SQL is this analysis' text rendered for the part
        // (a COUNT over a subquery plans the subquery's analysis with the outer statement's decision)
        String sql = d.rendersParts() && d.rows(part) == null ? d.render(a.sql(), part)
                : d.sql(part) == null ? a.sql() : d.sql(part);
        return new Route(registry.name(d.shard(part)), sql, d.parameters(part));
    }

    /** Sort keys given from the end of the row (-1 = last column), made absolute for a row width. */
    static List<SortKey> absolute(List<SortKey> keys, int width) {
        List<SortKey> out = new ArrayList<>(keys.size());
        for (SortKey k : keys) {
            out.add(k.column() < 0 ? new SortKey(width + 1 + k.column(), k.descending(), k.nullsFirst()) : k);
        }
        return out;
    }
}
