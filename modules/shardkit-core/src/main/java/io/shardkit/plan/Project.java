package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import java.sql.SQLException;
import java.util.List;

/**
 * Drops the trailing columns the shard query added for the merge (hidden sort keys, group keys,
 * aggregate parts), so the result has exactly the columns the statement selected.
 */
public record Project(int hidden, RowSource input) implements RowSource {

    @Override
    public String describe() {
        return "Project (drop " + hidden + " hidden column" + (hidden == 1 ? "" : "s") + ")";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        return new PassThrough(in) {
            @Override
            public boolean next() throws SQLException {
                return in.next();
            }

            @Override
            public int columnCount() throws SQLException {
                return in.columnCount() - hidden;
            }
        };
    }
}
