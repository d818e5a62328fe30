package io.shardkit.plan;

import io.shardkit.merge.Cursor;
import io.shardkit.merge.MergeLimitException;
import io.shardkit.merge.RowOrder;
import io.shardkit.merge.SortKey;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * ORDER BY over merged groups (the order a query asks of aggregated rows can only be computed
 * after the groups of every shard are merged). Holds every row, up to the memory bound; the
 * sort is stable, so rows with equal keys keep their input order.
 */
public record Sort(List<SortKey> keys, RowSource input) implements RowSource {

    public Sort {
        keys = List.copyOf(keys);
    }

    @Override
    public String describe() {
        return "Sort by " + SortKey.describe(keys) + " (in memory)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        try {
            int width = in.columnCount();
            RowOrder order = new RowOrder(keys, execution.values());
            List<Object[]> rows = new ArrayList<>();
            List<Object[]> sortKeys = new ArrayList<>();
            long limit = execution.rowLimit();
            while (in.next()) {
                if (rows.size() >= limit) {
                    throw new MergeLimitException("Sort", limit);
                }
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = in.get(i + 1);
                }
                Object[] k = new Object[keys.size()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = in.get(order.column(i));
                }
                rows.add(row);
                sortKeys.add(k);
            }
            in.close();
            execution.holding("Sort", rows.size());
            Integer[] index = new Integer[rows.size()];
            for (int i = 0; i < index.length; i++) {
                index[i] = i;
            }
            SQLException[] failure = new SQLException[1];
            java.util.Arrays.sort(index, (a, b) -> {
                try {
                    return order.compare(sortKeys.get(a), sortKeys.get(b));
                } catch (SQLException e) {
                    failure[0] = e;
                    return 0;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            List<Object[]> sorted = new ArrayList<>(rows.size());
            for (Integer i : index) {
                sorted.add(rows.get(i));
            }
            return MaterializedRows.of(width, MaterializedRows.over(sorted.iterator()), in);
        } catch (SQLException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
