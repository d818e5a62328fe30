package io.shardkit.plan;

import io.shardkit.PlanNode;
import java.util.Arrays;
import java.util.List;

/**
 * Runs SQL on one shard; its rows or update count are the result. The leaf of every plan.
 *
 * @param parameters for each {@code ?} of {@code sql}, the statement's parameter it takes
 *     (1-based); {@code null} when they pass through unchanged
 */
public record Route(String shard, String sql, int[] parameters) implements PlanNode {

    public Route(String shard, String sql) {
        this(shard, sql, null);
    }

    @Override
    public String describe() {
        return "Route " + shard + ": " + sql;
    }

    @Override
    public List<PlanNode> children() {
        return List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Route r && r.shard.equals(shard) && r.sql.equals(sql)
                && Arrays.equals(r.parameters, parameters);
    }

    @Override
    public int hashCode() {
        return shard.hashCode() * 31 + sql.hashCode();
    }
}
