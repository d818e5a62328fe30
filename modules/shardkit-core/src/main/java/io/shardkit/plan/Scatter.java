package io.shardkit.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a statement on several shards. For writes the update counts are summed; in autocommit
 * mode the shards' writes are committed together after all succeeded, and rolled back together
 * if any failed. For reads it is the leaf under a merge node, which opens it through
 * {@link Execution#open}: the shard queries start in parallel.
 */
public record Scatter(List<Route> routes, boolean write, long rowsPerShard) implements ShardSource {

    public Scatter {
        routes = List.copyOf(routes);
    }

    public Scatter(List<Route> routes, boolean write) {
        this(routes, write, -1);
    }

    @Override
    public String describe() {
        List<String> shards = new ArrayList<>();
        for (Route r : routes) {
            shards.add(r.shard());
        }
        return "Scatter over " + routes.size() + " shards " + shards + (write ? " (update counts summed)" : "");
    }

    @Override
    public List<PlanNode> children() {
        return List.copyOf(routes);
    }

    @Override
    public List<io.shardkit.merge.Cursor> openAll(Execution execution) throws java.sql.SQLException {
        return execution.open(this);
    }
}
