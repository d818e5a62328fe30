package io.shardkit.plan;

import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MergeLimitException;
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
        List<String> k = new ArrayList<>();
        for (int key : keys) {
            k.add("#" + key);
        }
        return "GroupBy " + String.join(", ", k) + (sorted ? " (streamed, input sorted by keys)" : " (hashed)")
                + (aggregates.isEmpty() ? "" : ": " + GroupMerge.describe(aggregates));
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
            GroupMerge merge = new GroupMerge(aggregates, outputs, execution, width);
            return sorted ? new Streamed(in, merge, width, execution.values()) : hashed(in, merge, width, execution);
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

    private Cursor hashed(Cursor in, GroupMerge merge, int width, Execution execution) throws SQLException {
        Map<Values.RowKey, GroupMerge.Group> groups = new LinkedHashMap<>();
        long limit = execution.rowLimit();
        while (in.next()) {
            Values.RowKey k = key(in, execution.values());
            GroupMerge.Group g = groups.get(k);
            if (g == null) {
                if (groups.size() >= limit) {
                    throw new MergeLimitException("GroupBy (hashed)", limit);
                }
                g = merge.group(in);
                groups.put(k, g);
            }
            g.add(in);
        }
        execution.holding("GroupBy", groups.size());
        in.close();
        Iterator<GroupMerge.Group> it = groups.values().iterator();
        MaterializedRows.RowIterator rows = new MaterializedRows.RowIterator() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Object[] next() throws SQLException {
                return it.next().finish();
            }
        };
        return MaterializedRows.of(width, rows, in);
    }

    /** One group at a time over input sorted by the keys. */
    private final class Streamed extends MaterializedRows {
        private final Cursor in;
        private final GroupMerge merge;
        private final Values values;
        private Values.RowKey pendingKey;
        private boolean pending;
        private boolean done;

        Streamed(Cursor in, GroupMerge merge, int width, Values values) {
            super(width);
            this.in = in;
            this.merge = merge;
            this.values = values;
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
            return true;
        }

        @Override
        public void close() throws SQLException {
            done = true;
            in.close();
        }
    }
}
