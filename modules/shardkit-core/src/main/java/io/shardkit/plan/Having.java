package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.Expr;
import java.sql.SQLException;
import java.util.List;

/**
 * HAVING, evaluated after the groups of every shard are merged (a shard's HAVING would see only
 * its own part of each group, so it is taken off the shard query). Reads the merged row: columns
 * 1..W, and the merged aggregates after them.
 */
public record Having(Expr predicate, List<AggregateSpec> aggregates, RowSource input) implements RowSource {

    public Having {
        aggregates = List.copyOf(aggregates);
    }

    public Having(Expr predicate, RowSource input) {
        this(predicate, List.of(), input);
    }

    @Override
    public String describe() {
        return "Having " + predicate.describe();
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        int width = in.columnCount();
        Expr.Scope scope = new Expr.Scope() {
            @Override
            public Object column(int index) throws SQLException {
                return in.get(index);
            }

            @Override
            public Object aggregate(int index) throws SQLException {
                return in.get(width + index + 1);
            }

            @Override
            public Object parameter(int index) {
                Object[] p = execution.parameters();
                return p == null || index > p.length ? null : p[index - 1];
            }

            @Override
            public int aggregateColumn(int index) {
                return GroupMerge.extremeColumn(aggregates, index);
            }
        };
        return new PassThrough(in) {
            @Override
            public boolean next() throws SQLException {
                while (in.next()) {
                    if (Boolean.TRUE.equals(predicate.eval(scope, execution.values(), execution.arithmetic()))) {
                        return true;
                    }
                }
                in.close();
                return false;
            }
        };
    }
}
