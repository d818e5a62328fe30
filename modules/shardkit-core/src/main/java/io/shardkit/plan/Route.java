package io.shardkit.plan;

import java.util.List;

/** Runs SQL on one shard; its rows or update count are the result. The leaf of every plan. */
public record Route(String shard, String sql) implements PlanNode {

    @Override
    public String describe() {
        return "Route " + shard + ": " + sql;
    }

    @Override
    public List<PlanNode> children() {
        return List.of();
    }
}
