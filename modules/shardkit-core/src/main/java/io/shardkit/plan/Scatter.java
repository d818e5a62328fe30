package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.internal.Closer;
import io.shardkit.merge.Comparisons;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.Values;
import io.shardkit.sql.Dialect;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a statement on several shards. For writes the update counts are summed; in autocommit
 * mode each shard's part runs in a local transaction, and the shards are committed one after the
 * other only after every part succeeded (a failing part rolls every shard back). A commit that
 * fails after another shard committed is not undone: it raises {@code SqlStates.PARTIAL_COMMIT}
 * naming both sets. Writes are run by the statement, outside the plan; this node describes them.
 * For reads it is the leaf under a merge node, which opens it through {@link Execution#open}: the
 * shard queries start in parallel. Opening a read gives the execution's {@link Values} the
 * compared columns' rules (from the first shard's metadata and {@code comparisons}), refuses shards
 * whose columns differ ({@link SameColumns}), and wraps the cursors that check the collation
 * companions: PostgreSQL's {@code pg_collation_for} on each shard's first row, MySQL's weighable
 * text on every row.
 */
public record Scatter(List<Route> routes, boolean write, long rowsPerShard, Comparisons comparisons)
        implements ShardSource {

    public Scatter {
        routes = List.copyOf(routes);
    }

    public Scatter(List<Route> routes, boolean write, long rowsPerShard) {
        this(routes, write, rowsPerShard, Comparisons.NONE);
    }

    public Scatter(List<Route> routes, boolean write) {
        this(routes, write, -1);
    }

    @Override
    public String describe() {
        List<String> shards = new ArrayList<>();
        java.util.Map<String, Integer> parts = new java.util.LinkedHashMap<>();
        for (Route r : routes) {
            shards.add(r.shard());
            parts.merge(r.shard(), 1, Integer::sum);
        }
        String suffix = write ? " (update counts summed)" : "";
        if (parts.size() == shards.size()) {
            return "Scatter over " + routes.size() + " shards " + shards + suffix;
        }
        // a split table's physical tables: several parts on one shard
        List<String> counted = new ArrayList<>();
        parts.forEach((shard, n) -> counted.add(n == 1 ? shard : shard + " ×" + n));
        return "Scatter over " + routes.size() + " data nodes on " + parts.size() + " shards " + counted + suffix;
    }

    @Override
    public List<PlanNode> children() {
        return List.copyOf(routes);
    }

    @Override
    public List<Cursor> openAll(Execution execution) throws SQLException {
        List<Cursor> cursors = execution.open(this);
        if (write || cursors.isEmpty()) {
            return cursors;
        }
        try {
            ResultSet first = cursors.get(0).source();
            Values values = execution.values();
            SameColumns.check(cursors, routes, values.dialect()); // a schema that drifted on some shards refuses
            values.prepare(first == null ? null : first.getMetaData(), comparisons, execution, execution);
            int width = cursors.get(0).columnCount();
            int[] checked = companions(width);
            if (checked.length == 0) {
                return cursors;
            }
            List<Cursor> out = new ArrayList<>(cursors.size());
            if (values.dialect() == Dialect.MYSQL) {
                int n = 0;
                int[] weighted = new int[checked.length / 2];
                for (int i = 0; i < checked.length; i += 2) {
                    if (values.weighted(checked[i])) {
                        weighted[n++] = checked[i];
                    }
                }
                if (n == 0) {
                    return cursors;
                }
                int[] columns = Arrays.copyOf(weighted, n);
                for (Cursor c : cursors) {
                    out.add(new WeightCheck(c, columns));
                }
                return out;
            }
            for (Cursor c : cursors) {
                out.add(new CollationCheck(c, checked, values, first == null ? null : first.getMetaData(), execution));
            }
            return out;
        } catch (SQLException | RuntimeException e) {
            Closer.closeAll(cursors, Cursor::close);
            throw e;
        }
    }

    /** Pairs (compared column, its companion column), absolute for a row width. */
    private int[] companions(int width) {
        int n = 0;
        for (Comparisons.Entry e : comparisons.entries()) {
            n += e.companion() != 0 ? 1 : 0;
        }
        int[] out = new int[2 * n];
        int i = 0;
        for (Comparisons.Entry e : comparisons.entries()) {
            if (e.companion() != 0) {
                out[i++] = e.column() < 0 ? width + 1 + e.column() : e.column();
                out[i++] = e.companion() < 0 ? width + 1 + e.companion() : e.companion();
            }
        }
        return out;
    }

    /** MySQL: refuses, row by row, text whose WEIGHT_STRING shardkit does not trust ({@link Values#checkWeighable}). */
    private static final class WeightCheck extends PassThrough {
        private final int[] columns;

        WeightCheck(Cursor in, int[] columns) {
            super(in);
            this.columns = columns;
        }

        @Override
        public boolean next() throws SQLException {
            if (!in.next()) {
                return false;
            }
            for (int c : columns) {
                Values.checkWeighable(in.get(c));
            }
            return true;
        }
    }

    /**
     * Reads, on a shard's first row, the collation PostgreSQL gives each compared column (its
     * hidden {@code pg_collation_for} companion) and hands it to {@link Values#collation}, which
     * refuses one shardkit does not reproduce. The collation of an expression is the same in every
     * row, so one row per shard is enough.
     */
    private static final class CollationCheck extends PassThrough {
        private final int[] pairs;
        private final Values values;
        private final ResultSetMetaData meta;
        private final Values.Deterministic deterministic;
        private boolean checked;

        CollationCheck(Cursor in, int[] pairs, Values values, ResultSetMetaData meta,
                Values.Deterministic deterministic) {
            super(in);
            this.pairs = pairs;
            this.values = values;
            this.meta = meta;
            this.deterministic = deterministic;
        }

        @Override
        public boolean next() throws SQLException {
            if (!in.next()) {
                return false;
            }
            if (!checked) {
                checked = true;
                for (int i = 0; i < pairs.length; i += 2) {
                    Object coll = in.get(pairs[i + 1]);
                    String label = meta == null ? "column " + pairs[i] : meta.getColumnLabel(pairs[i]);
                    values.collation(pairs[i], coll == null ? null : coll.toString(),
                            label == null || label.startsWith("__") ? "column " + pairs[i] : label, deterministic);
                }
            }
            return true;
        }
    }
}
