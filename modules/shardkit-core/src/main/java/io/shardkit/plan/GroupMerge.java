package io.shardkit.plan;

import io.shardkit.merge.Accumulator;
import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Coerce;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.Expr;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Output;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * Merges the shard rows of one group into one row, for {@link Aggregate} and {@link GroupBy}.
 * A merged row has the shard row's columns (1..W) with aggregate and expression columns
 * replaced by merged values, followed by the merged aggregates themselves (W+1..W+A), which
 * HAVING reads.
 *
 * <p>Each merged value takes the Java type of its column in the shard result (on SQLite, whose
 * types belong to values, the type of its own value), so the merged result has the types one
 * database would return.
 *
 * <p>An expression over merged aggregates that fails (a division by a COUNT that is zero) does
 * not fail the merge at once: the database evaluates the select list only for the groups HAVING
 * keeps, so the error is kept in the row and thrown when the value is read.
 */
final class GroupMerge {
    private final List<AggregateSpec> aggregates;
    private final List<Output> outputs;
    private final Execution execution;
    private final int width;
    private final Class<?>[] hints;
    private boolean typed;
    /** Each aggregate with its plan node, as a memory bound's error names it (made once per execution). */
    private final String[] names;
    /** The fixed estimate of a group's accumulators (the DISTINCT ones also hold empty collections). */
    private final long accumulatorBytes;

    /** @param node the plan node merging, as a memory bound's error names it */
    GroupMerge(List<AggregateSpec> aggregates, List<Output> outputs, Execution execution, int width, String node) {
        this.aggregates = aggregates;
        this.outputs = outputs;
        this.execution = execution;
        this.width = width;
        this.hints = new Class<?>[width + 1];
        this.names = new String[aggregates.size()];
        long bytes = MemoryBudget.array(aggregates.size());
        for (int i = 0; i < names.length; i++) {
            names[i] = aggregates.get(i).describe() + " in " + node;
            bytes += MemoryBudget.ACCUMULATOR + (aggregates.get(i).distinct() ? DISTINCT_SETS : 0);
        }
        this.accumulatorBytes = bytes;
    }

    /** An empty HashSet and two empty ArrayLists, as a DISTINCT accumulator starts. */
    private static final long DISTINCT_SETS = 16 + 48 + 80 + 2 * (24 + 56);

    /** The state of one group: its first row's values and one accumulator per aggregate. */
    final class Group {
        final Object[] first;
        final Accumulator[] accumulators;
        /** The estimated bytes of this group and its accumulators, before their distinct values. */
        final long bytes;

        Group(Cursor row) throws SQLException {
            first = new Object[width];
            if (row != null) {
                for (int i = 0; i < width; i++) {
                    first[i] = row.get(i + 1);
                }
            }
            MemoryBudget budget = execution.memory();
            accumulators = new Accumulator[aggregates.size()];
            for (int i = 0; i < accumulators.length; i++) {
                accumulators[i] = new Accumulator(aggregates.get(i), execution.values(), execution.arithmetic(), budget,
                        names[i]);
            }
            // this object (40 bytes) with some slack measured on hashed groups: the estimate stays within about
            // 10% of the heap a group takes (a long or text key, COUNT and SUM)
            bytes = 64 + MemoryBudget.row(first) + accumulatorBytes;
        }

        /** What a hashing node charged for keeping this group (its key and map entry), 0 otherwise. */
        long keyBytes;

        /** The bytes the accumulators charged for their distinct values, which dropping this group releases. */
        long distinctBytes() {
            long n = 0;
            for (Accumulator a : accumulators) {
                n += a.charged();
            }
            return n;
        }

        void add(Cursor row) throws SQLException {
            for (Accumulator a : accumulators) {
                a.add(row);
            }
            if (!typed) {
                typesFrom(row);
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
            boolean sqlite = execution.values().dialect() == Dialect.SQLITE;
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

                @Override
                public int aggregateColumn(int index) {
                    return extremeColumn(aggregates, index);
                }
            };
            for (Output o : outputs) {
                if (o.isFirst()) {
                    continue;
                }
                Object v;
                try {
                    v = o.expr() != null ? o.expr().eval(scope, execution.values(), execution.arithmetic())
                            : row[width + o.aggregate()];
                } catch (SQLException e) {
                    row[o.column() - 1] = new MaterializedRows.Failure(e);
                    continue;
                }
                row[o.column() - 1] = sqlite ? Coerce.sqlite(v) : Coerce.to(v, hints[o.column()]);
            }
            return row;
        }
    }

    /** The column a MIN/MAX aggregate's value comes from (its comparison rules), or 0 for other aggregates. */
    static int extremeColumn(List<AggregateSpec> aggregates, int index) {
        if (index < 0 || index >= aggregates.size()) {
            return 0;
        }
        AggregateSpec a = aggregates.get(index);
        return a.kind() == AggregateSpec.Kind.MIN || a.kind() == AggregateSpec.Kind.MAX ? a.column() : 0;
    }

    Group group(Cursor firstRow) throws SQLException {
        return new Group(firstRow);
    }

    /**
     * Takes the merged columns' types from a shard's result metadata, once. Values alone do not
     * always say: the shard query leaves expressions over aggregates NULL (see MergeAnalysis), and
     * a query whose shards return no row has no value at all. PostgreSQL and MySQL type columns;
     * SQLite types values, so there the values decide ({@link Coerce#sqlite}).
     */
    void typesFrom(Cursor in) throws SQLException {
        ResultSet source = typed ? null : in.source();
        if (source == null) {
            return;
        }
        typed = true;
        if (execution.values().dialect() == Dialect.SQLITE) {
            return;
        }
        ResultSetMetaData meta = source.getMetaData();
        for (Output o : outputs) {
            if (!o.isFirst()) {
                Class<?> type = numberClass(meta.getColumnClassName(o.column()));
                hints[o.column()] = type != null ? type : hints[o.column()];
            }
        }
    }

    /** The number types Coerce converts to, by the class name a driver reports; {@code null} for others. */
    private static Class<?> numberClass(String name) {
        if (name == null) {
            return null;
        }
        return switch (name) {
            case "java.lang.Integer" -> Integer.class;
            case "java.lang.Long" -> Long.class;
            case "java.lang.Short" -> Short.class;
            case "java.lang.Double" -> Double.class;
            case "java.lang.Float" -> Float.class;
            case "java.math.BigDecimal" -> BigDecimal.class;
            default -> null;
        };
    }

    static String describe(List<AggregateSpec> aggregates) {
        StringBuilder sb = new StringBuilder();
        for (AggregateSpec a : aggregates) {
            sb.append(sb.length() == 0 ? "" : ", ").append(a.describe());
        }
        return sb.toString();
    }
}
