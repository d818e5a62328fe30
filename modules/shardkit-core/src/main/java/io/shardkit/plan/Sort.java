package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.RowOrder;
import io.shardkit.merge.SortKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * ORDER BY over merged groups (the order a query asks of aggregated rows can only be computed
 * after the groups of every shard are merged). Holds every row, up to the memory bound; the
 * sort is stable, so rows with equal keys keep their input order. Under a LIMIT ({@code count},
 * without ties) only the first {@code offset + count} rows in the order are kept, in a heap, so a
 * top-10 over a million groups holds ten rows.
 *
 * @param offset the LIMIT's offset, or {@code null}; only read with {@code count}
 * @param count the LIMIT above this sort (not WITH TIES), or {@code null} to keep every row
 */
public record Sort(List<SortKey> keys, Bound offset, Bound count, RowSource input) implements RowSource {

    public Sort {
        keys = List.copyOf(keys);
        if (count != null && count.withTies()) {
            throw new IllegalArgumentException("a sort keeps the first rows of a LIMIT without ties only");
        }
    }

    public Sort(List<SortKey> keys, RowSource input) {
        this(keys, null, null, input);
    }

    @Override
    public String describe() {
        return "Sort by " + SortKey.describe(keys) + (count == null ? " (in memory)"
                : " (in memory, keeps the first " + (offset == null ? "" : offset + " + ") + count + ")");
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
            public ResultSet source() {
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
        long[] held = new long[1];
        try {
            long keep = count == null ? Bound.ALL
                    : Bound.plus(count.resolve(execution.parameters()),
                            offset == null ? 0 : offset.resolve(execution.parameters()));
            if (keep != Bound.ALL) {
                return top(in, execution, keep, held);
            }
            int width = in.columnCount();
            RowOrder order = new RowOrder(keys, execution.values());
            List<Object[]> rows = new ArrayList<>();
            List<Object[]> sortKeys = new ArrayList<>();
            MemoryBudget budget = execution.memory();
            String node = describe();
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
                held[0] += bytes;
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
            Arrays.sort(index, (a, b) -> {
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
            long release = held[0];
            return MaterializedRows.of(width, MaterializedRows.over(sorted.iterator()), () -> {
                execution.memory().release(release);
                in.close();
            });
        } catch (SQLException | RuntimeException e) {
            execution.memory().release(held[0]);
            in.close();
            throw e;
        }
    }

    /** A kept row: its values, its sort keys, and its input position (the tie-break that keeps the sort stable). */
    private record Kept(Object[] row, Object[] keys, long seq) {
    }

    /** Per kept row: the record and its heap slot. */
    private static final long KEPT = 24 + MemoryBudget.SLOT;

    /** An error of the order inside the heap's comparator, unwrapped by {@link #top}. */
    private static final class OrderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OrderFailure(SQLException cause) {
            super(null, cause, false, false);
        }
    }

    /**
     * The first {@code keep} rows in the order, as a stable sort of every row would give them: a
     * heap whose top is the last row kept; a row is taken only when it sorts before that one (at
     * equal keys the earlier row wins).
     */
    private Cursor top(Cursor in, Execution execution, long keep, long[] held) throws SQLException {
        int width = in.columnCount();
        RowOrder order = new RowOrder(keys, execution.values());
        MemoryBudget budget = execution.memory();
        String node = describe();
        Comparator<Kept> last = (a, b) -> {
            try {
                int c = order.compare(b.keys(), a.keys());
                return c != 0 ? c : Long.compare(b.seq(), a.seq());
            } catch (SQLException e) {
                throw new OrderFailure(e);
            }
        };
        PriorityQueue<Kept> heap = new PriorityQueue<>(last);
        long seq = 0;
        Object[] k = new Object[keys.size()];
        try {
            while (in.next()) {
                seq++;
                // every value is read, kept or not, as the full sort reads them: a merged value that failed fails
                // the query here too
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = in.get(i + 1);
                }
                for (int i = 0; i < k.length; i++) {
                    k[i] = in.get(order.column(i));
                }
                if (heap.size() >= keep) {
                    if (keep == 0 || order.compare(k, heap.peek().keys()) >= 0) {
                        continue; // sorts at or after the last row kept: a later row loses ties
                    }
                    Kept out = heap.poll();
                    long bytes = MemoryBudget.row(out.row()) + MemoryBudget.array(k.length) + KEPT;
                    budget.release(bytes);
                    held[0] -= bytes;
                }
                budget.rows(heap.size() + 1L, "Sort");
                long bytes = MemoryBudget.row(row) + MemoryBudget.array(k.length) + KEPT;
                budget.charge(bytes, node);
                held[0] += bytes;
                heap.add(new Kept(row, k.clone(), seq));
            }
            in.close();
            execution.holding("Sort", heap.size());
            Kept[] sorted = heap.toArray(new Kept[0]);
            Arrays.sort(sorted, last.reversed());
            List<Object[]> rows = new ArrayList<>(sorted.length);
            for (Kept r : sorted) {
                rows.add(r.row());
            }
            long release = held[0];
            return MaterializedRows.of(width, MaterializedRows.over(rows.iterator()), () -> {
                budget.release(release);
                in.close();
            });
        } catch (OrderFailure e) {
            throw (SQLException) e.getCause();
        }
    }
}
