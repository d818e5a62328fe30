package io.shardkit.plan;

import io.shardkit.merge.Accumulator;
import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Coerce;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.Expr;
import io.shardkit.merge.Output;
import java.sql.SQLException;
import java.util.List;

/**
 * Merges the shard rows of one group into one row, for {@link Aggregate} and {@link GroupBy}.
 * A merged row has the shard row's columns (1..W) with aggregate and expression columns
 * replaced by merged values, followed by the merged aggregates themselves (W+1..W+A), which
 * HAVING reads.
 *
 * <p>Each merged value takes the Java type the shards returned in that column, so the merged
 * result has the types one database would return.
 */
final class GroupMerge {
    private final List<AggregateSpec> aggregates;
    private final List<Output> outputs;
    private final Execution execution;
    private final int width;
    private final Class<?>[] hints;

    GroupMerge(List<AggregateSpec> aggregates, List<Output> outputs, Execution execution, int width) {
        this.aggregates = aggregates;
        this.outputs = outputs;
        this.execution = execution;
        this.width = width;
        this.hints = new Class<?>[width + 1];
    }

    /** The state of one group: its first row's values and one accumulator per aggregate. */
    final class Group {
        final Object[] first;
        final Accumulator[] accumulators;

        Group(Cursor row) throws SQLException {
            first = new Object[width];
            if (row != null) {
                for (int i = 0; i < width; i++) {
                    first[i] = row.get(i + 1);
                }
            }
            accumulators = new Accumulator[aggregates.size()];
            for (int i = 0; i < accumulators.length; i++) {
                accumulators[i] = new Accumulator(aggregates.get(i), execution.values(), execution.arithmetic());
            }
        }

        void add(Cursor row) throws SQLException {
            for (Accumulator a : accumulators) {
                a.add(row);
            }
            for (Output o : outputs) {
                if (!o.isFirst() && hints[o.column()] == null) {
                    Object v = row.get(o.column());
                    if (v != null) {
                        hints[o.column()] = v.getClass();
                    }
                }
            }
        }

        /** The merged row: W columns, then the A merged aggregates. */
        Object[] finish() throws SQLException {
            Object[] row = new Object[width + aggregates.size()];
            System.arraycopy(first, 0, row, 0, width);
            for (int i = 0; i < accumulators.length; i++) {
                row[width + i] = accumulators[i].result();
            }
            Expr.Scope scope = new Expr.Scope() {
                @Override
                public Object column(int index) {
                    return row[index - 1];
                }

                @Override
                public Object aggregate(int index) {
                    return row[width + index];
                }

                @Override
                public Object parameter(int index) {
                    Object[] p = execution.parameters();
                    return p == null || index > p.length ? null : p[index - 1];
                }
            };
            for (Output o : outputs) {
                if (o.isFirst()) {
                    continue;
                }
                Object v = o.expr() != null ? o.expr().eval(scope, execution.values(), execution.arithmetic())
                        : row[width + o.aggregate()];
                row[o.column() - 1] = Coerce.to(v, hints[o.column()]);
            }
            return row;
        }
    }

    Group group(Cursor firstRow) throws SQLException {
        return new Group(firstRow);
    }

    static String describe(List<AggregateSpec> aggregates) {
        StringBuilder sb = new StringBuilder();
        for (AggregateSpec a : aggregates) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.describe());
        }
        return sb.toString();
    }
}
