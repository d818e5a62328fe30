package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.Output;
import java.sql.SQLException;
import java.util.List;

/**
 * Aggregates without GROUP BY: every shard row (one per shard, or one per distinct value for
 * DISTINCT aggregates) merges into exactly one row, even when no shard had a row, as one
 * database answers {@code COUNT(*) = 0} for an empty table.
 */
public record Aggregate(List<AggregateSpec> aggregates, List<Output> outputs, RowSource input) implements RowSource {

    public Aggregate {
        aggregates = List.copyOf(aggregates);
        outputs = List.copyOf(outputs);
    }

    @Override
    public String describe() {
        return "Aggregate " + GroupMerge.describe(aggregates);
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        GroupMerge.Group group = null;
        try {
            int width = in.columnCount();
            GroupMerge merge = new GroupMerge(aggregates, outputs, execution, width, "Aggregate");
            while (in.next()) {
                if (group == null) {
                    group = merge.group(in);
                }
                group.add(in);
            }
            if (group == null) {
                // no shard returned a row (the shards grouped by a DISTINCT argument): the one row is made
                // up, with the column types of the shard result
                merge.typesFrom(in);
                group = merge.group(null);
            }
            Object[] row = group.finish();
            execution.memory().release(group.distinctBytes());
            in.close();
            return MaterializedRows.of(width, MaterializedRows.over(List.<Object[]>of(row).iterator()), in);
        } catch (SQLException | RuntimeException e) {
            if (group != null) {
                execution.memory().release(group.distinctBytes());
            }
            in.close();
            throw e;
        }
    }
}
