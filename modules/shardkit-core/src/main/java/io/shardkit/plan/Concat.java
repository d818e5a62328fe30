package io.shardkit.plan;

import java.util.List;

/**
 * The rows of each shard one after the other, streamed. Exact only for statements whose result
 * is a plain union of per-shard results: no ORDER BY, LIMIT, aggregate, DISTINCT or GROUP BY.
 */
public record Concat(Scatter input) implements PlanNode {

    @Override
    public String describe() {
        return "Concat (each shard's rows in turn)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }
}
