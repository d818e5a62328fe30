package io.shardkit.plan;

import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
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

    /**
     * The rows are read and sorted on the first {@code next()}, not at open: a LIMIT 0 above never
     * asks for a row, and then (as in the databases, whose LIMIT 0 pulls nothing) no merged value
     * is evaluated, so an expression that would fail in some group does not fail the query.
     */
    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        return new Cursor() {
            private Cursor sorted;

            @Override
            public boolean next() throws SQLException {
                if (sorted == null) {
                    sorted = sort(in, execution);
                }
                return sorted.next();
            }

            @Override
            public Object get(int column) throws SQLException {
                return sorted.get(column);
            }

            @Override
            public int columnCount() throws SQLException {
                return in.columnCount();
            }

            @Override
            public java.sql.ResultSet source() {
                return null;
            }

            @Override
            public void close() throws SQLException {
                if (sorted != null) {
                    sorted.close();
                } else {
                    in.close();
                }
            }
        };
    }

    /** Per row: a slot in the rows, keys and sorted lists, and its Integer in the sort index. */
    private static final long ROW_SLOTS = 3 * MemoryBudget.SLOT + 16 + 4;

    private Cursor sort(Cursor in, Execution execution) throws SQLException {
        try {
            int width = in.columnCount();
            RowOrder order = new RowOrder(keys, execution.values());
            List<Object[]> rows = new ArrayList<>();
            List<Object[]> sortKeys = new ArrayList<>();
            MemoryBudget budget = execution.memory();
            String node = describe();
            long held = 0;
            while (in.next()) {
                budget.rows(rows.size() + 1L, "Sort");
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = in.get(i + 1);
                }
                Object[] k = new Object[keys.size()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = in.get(order.column(i));
                }
                // the row, its key array (the key values are the row's), and a slot in each of the three lists
                long bytes = MemoryBudget.row(row) + MemoryBudget.array(k.length) + ROW_SLOTS;
                budget.charge(bytes, node);
                held += bytes;
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
            long release = held;
            return MaterializedRows.of(width, MaterializedRows.over(sorted.iterator()), () -> {
                budget.release(release);
                in.close();
            });
        } catch (SQLException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
