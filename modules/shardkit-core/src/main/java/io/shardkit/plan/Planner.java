package io.shardkit.plan;

import io.shardkit.RefusedException;
import io.shardkit.exec.ShardRegistry;
import io.shardkit.route.RouteDecision;
import io.shardkit.sql.SqlAnalysis;
import java.util.ArrayList;
import java.util.List;

/**
 * Chooses the plan nodes for a routed statement: a {@link Route} for one shard, a {@link Scatter}
 * for a write over several, a {@link Concat} over a {@link Scatter} for a read over several. A
 * read whose result across shards is not the concatenation of per-shard results is refused,
 * naming the construct.
 */
public final class Planner {
    private Planner() {
    }

    public static PlanNode plan(SqlAnalysis a, RouteDecision d, ShardRegistry registry) throws RefusedException {
        if (d.isSingle()) {
            return route(a, d, 0, registry);
        }
        List<Route> routes = new ArrayList<>(d.size());
        List<String> shards = new ArrayList<>(d.size());
        for (int i = 0; i < d.size(); i++) {
            routes.add(route(a, d, i, registry));
            shards.add(registry.name(d.shard(i)));
        }
        if (a.kind().isWrite()) {
            return new Scatter(routes, true);
        }
        if (!a.mergeConstructs().isEmpty()) {
            throw new RefusedException(String.join(", ", a.mergeConstructs()) + " across shards is not supported yet"
                    + " (the statement runs on " + shards.size() + " shards " + shards
                    + " and their rows cannot simply be concatenated); add a shard key predicate", a.sql());
        }
        return new Concat(new Scatter(routes, false));
    }

    private static Route route(SqlAnalysis a, RouteDecision d, int part, ShardRegistry registry) {
        String sql = d.sql(part) == null ? a.sql() : d.sql(part);
        return new Route(registry.name(d.shard(part)), sql);
    }
}
