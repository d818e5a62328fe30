package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.internal.Closer;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.RowOrder;
import io.shardkit.merge.SortKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A k-way merge of shard results that each arrive sorted by the same keys (the shard query keeps
 * the ORDER BY): a binary heap of the shard cursors, ordered by their current row's keys. Holds
 * one row per shard (its key values) and streams the rest; the winning shard's row is read in
 * place, not copied.
 */
public record MergeSort(List<SortKey> keys, ShardSource input) implements RowSource {

    public MergeSort {
        keys = List.copyOf(keys);
    }

    @Override
    public String describe() {
        return "MergeSort by " + SortKey.describe(keys) + " (heap of one row per shard)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        List<Cursor> parts = input.openAll(execution);
        try {
            List<SortKey> resolved = Planner.absolute(keys, parts.isEmpty() ? 0 : parts.get(0).columnCount());
            return new Rows(parts, new RowOrder(resolved, execution.values()), execution);
        } catch (SQLException | RuntimeException e) {
            Closer.closeAll(parts, Cursor::close);
            throw e;
        }
    }

    static final class Rows implements Cursor {
        private final List<Cursor> parts;
        private final RowOrder order;
        private final Execution execution;
        /** Heap of cursor positions, smallest current row first. */
        private final int[] heap;
        private final Object[][] keyValues;
        private int size;
        private int current = -1;
        private boolean started;
        private boolean closed;

        Rows(List<Cursor> parts, RowOrder order, Execution execution) {
            this.parts = parts;
            this.order = order;
            this.execution = execution;
            this.heap = new int[parts.size()];
            this.keyValues = new Object[parts.size()][order.size()];
        }

        @Override
        public boolean next() throws SQLException {
            if (!started) {
                started = true;
                for (int i = 0; i < parts.size(); i++) {
                    if (advance(i)) {
                        heap[size++] = i;
                        up(size - 1);
                    }
                }
                execution.holding("MergeSort", size);
            } else if (current >= 0) {
                if (advance(current)) {
                    down(0);
                } else {
                    heap[0] = heap[--size];
                    if (size > 0) {
                        down(0);
                    }
                }
            }
            if (size == 0) {
                current = -1;
                return false;
            }
            current = heap[0];
            return true;
        }

        /** Moves cursor i to its next row and reads its keys; closes it when done. */
        private boolean advance(int i) throws SQLException {
            Cursor c = parts.get(i);
            if (!c.next()) {
                c.close();
                return false;
            }
            Object[] k = keyValues[i];
            for (int j = 0; j < k.length; j++) {
                k[j] = c.get(order.column(j));
            }
            return true;
        }

        private boolean less(int a, int b) throws SQLException {
            int c = order.compare(keyValues[heap[a]], keyValues[heap[b]]);
            return c < 0 || (c == 0 && heap[a] < heap[b]);
        }

        private void up(int i) throws SQLException {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (!less(i, parent)) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void down(int i) throws SQLException {
            while (true) {
                int l = 2 * i + 1;
                int smallest = i;
                if (l < size && less(l, smallest)) {
                    smallest = l;
                }
                if (l + 1 < size && less(l + 1, smallest)) {
                    smallest = l + 1;
                }
                if (smallest == i) {
                    return;
                }
                swap(i, smallest);
                i = smallest;
            }
        }

        private void swap(int a, int b) {
            int t = heap[a];
            heap[a] = heap[b];
            heap[b] = t;
        }

        @Override
        public Object get(int column) throws SQLException {
            return parts.get(current).get(column);
        }

        @Override
        public int columnCount() throws SQLException {
            return parts.get(0).columnCount();
        }

        @Override
        public ResultSet source() {
            return current < 0 ? null : parts.get(current).source();
        }

        @Override
        public void close() throws SQLException {
            if (!closed) {
                closed = true;
                Closer.closeAll(parts, Cursor::close);
            }
        }
    }
}
