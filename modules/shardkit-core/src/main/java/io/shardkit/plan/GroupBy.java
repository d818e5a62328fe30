package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Output;
import io.shardkit.merge.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GROUP BY across shards: the shards group their own rows, this merges groups with equal keys.
 * Streamed when the input arrives sorted by the group keys (a {@link MergeSort} over shards that
 * ordered by them): one group is held at a time. Hashed otherwise: every group is held until the
 * input ends, up to the memory bound, past which the query fails with a clear error.
 *
 * @param keys the group key columns of the shard row
 */
public record GroupBy(List<Integer> keys, boolean sorted, List<AggregateSpec> aggregates, List<Output> outputs,
        RowSource input) implements RowSource {

    public GroupBy {
        keys = List.copyOf(keys);
        aggregates = List.copyOf(aggregates);
        outputs = List.copyOf(outputs);
    }

    @Override
    public String describe() {
        return head() + (aggregates.isEmpty() ? "" : ": " + GroupMerge.describe(aggregates));
    }

    /** The node without its aggregates, as a DISTINCT aggregate's bound names it. */
    private String head() {
        List<String> k = new ArrayList<>();
        for (int key : keys) {
            k.add("#" + key);
        }
        return "GroupBy " + String.join(", ", k) + (sorted ? " (streamed, input sorted by keys)" : " (hashed)");
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
            GroupMerge merge = new GroupMerge(aggregates, outputs, execution, width, head());
            return sorted ? new Streamed(in, merge, width, execution) : hashed(in, merge, width, execution, describe());
        } catch (SQLException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private Values.RowKey key(Cursor row, Values values) throws SQLException {
        Object[] k = new Object[keys.size()];
        for (int i = 0; i < k.length; i++) {
            int c = values.keyColumn(keys.get(i));
            k[i] = values.identity(c, row.get(c));
        }
        return new Values.RowKey(k);
    }

    /**
     * Holds every group until the input ends. Each new group is charged to the budget (its key,
     * map entry, first row and accumulators; DISTINCT accumulators charge their values as they
     * grow); a group is released as it is returned, so a Sort above holds the merged rows while
     * the groups they came from are let go.
     */
    private Cursor hashed(Cursor in, GroupMerge merge, int width, Execution execution, String node) throws SQLException {
        Map<Values.RowKey, GroupMerge.Group> groups = new LinkedHashMap<>();
        MemoryBudget budget = execution.memory();
        Values values = execution.values();
        long[] held = new long[1];
        try {
            while (in.next()) {
                Values.RowKey k = key(in, values);
                GroupMerge.Group g = groups.get(k);
                if (g == null) {
                    budget.rows(groups.size() + 1L, "GroupBy (hashed)");
                    g = merge.group(in);
                    g.keyBytes = keyBytes(k, g.first, values);
                    budget.charge(g.keyBytes + g.bytes, node);
                    held[0] += g.keyBytes + g.bytes;
                    groups.put(k, g);
                }
                g.add(in);
            }
        } catch (SQLException | RuntimeException e) {
            budget.release(held[0] + distinct(groups));
            throw e;
        }
        execution.holding("GroupBy", groups.size());
        in.close();
        held[0] += distinct(groups);
        Iterator<GroupMerge.Group> it = groups.values().iterator();
        MaterializedRows.RowIterator rows = new MaterializedRows.RowIterator() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Object[] next() throws SQLException {
                GroupMerge.Group g = it.next();
                it.remove();
                long bytes = g.keyBytes + g.bytes + g.distinctBytes();
                budget.release(bytes);
                held[0] -= bytes;
                return g.finish();
            }
        };
        return MaterializedRows.of(width, rows, () -> {
            budget.release(held[0]);
            held[0] = 0;
            groups.clear();
            in.close();
        });
    }

    private static long distinct(Map<Values.RowKey, GroupMerge.Group> groups) {
        long n = 0;
        for (GroupMerge.Group g : groups.values()) {
            n += g.distinctBytes();
        }
        return n;
    }

    /** A group's key and map entry; key values that are the row's own values are counted once. */
    private long keyBytes(Values.RowKey k, Object[] first, Values values) {
        Object[] ids = k.values();
        long n = MemoryBudget.ENTRY + 16 + MemoryBudget.array(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int c = values.keyColumn(keys.get(i));
            n += MemoryBudget.key(ids[i], c <= first.length ? first[c - 1] : null);
        }
        return n;
    }

    /** One group at a time over input sorted by the keys. */
    private final class Streamed extends MaterializedRows {
        private final Cursor in;
        private final GroupMerge merge;
        private final Values values;
        private final MemoryBudget budget;
        /** The group being merged, until its distinct values are released. */
        private GroupMerge.Group open;
        private Values.RowKey pendingKey;
        private boolean pending;
        private boolean done;

        Streamed(Cursor in, GroupMerge merge, int width, Execution execution) {
            super(width);
            this.in = in;
            this.merge = merge;
            this.values = execution.values();
            this.budget = execution.memory();
        }

        @Override
        public boolean next() throws SQLException {
            if (done) {
                row = null;
                in.close();
                return false;
            }
            if (!pending) {
                if (!in.next()) {
                    done = true;
                    in.close();
                    row = null;
                    return false;
                }
                pendingKey = key(in, values);
            }
            GroupMerge.Group group = merge.group(in);
            open = group;
            Values.RowKey k = pendingKey;
            group.add(in);
            pending = false;
            while (in.next()) {
                Values.RowKey next = key(in, values);
                if (!next.equals(k)) {
                    pendingKey = next;
                    pending = true;
                    break;
                }
                group.add(in);
            }
            if (!pending) {
                done = true;
            }
            row = group.finish();
            budget.release(group.distinctBytes());
            open = null;
            return true;
        }

        @Override
        public void close() throws SQLException {
            done = true;
            if (open != null) {
                budget.release(open.distinctBytes());
                open = null;
            }
            in.close();
        }
    }
}
