package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Values;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * DISTINCT across shards: each shard already removed its own duplicates; this drops rows another
 * shard already returned. Streams, keeping the first occurrence (so a sorted input stays
 * sorted), and holds the identity of every distinct row seen, up to the memory bound.
 *
 * @param hidden trailing columns that are not part of the result (and so not of distinctness)
 */
public record Distinct(int hidden, RowSource input) implements RowSource {

    @Override
    public String describe() {
        return "Distinct (hashed)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        int visible = in.columnCount() - hidden;
        Set<Values.RowKey> seen = new HashSet<>();
        MemoryBudget budget = execution.memory();
        String node = describe();
        return new PassThrough(in) {
            private long held;

            @Override
            public boolean next() throws SQLException {
                while (in.next()) {
                    Object[] key = new Object[visible];
                    for (int i = 0; i < visible; i++) {
                        int c = execution.values().keyColumn(i + 1);
                        key[i] = execution.values().identity(c, in.get(c));
                    }
                    if (seen.add(new Values.RowKey(key))) {
                        budget.rows(seen.size(), "Distinct");
                        long bytes = MemoryBudget.ENTRY + 16 + MemoryBudget.row(key);
                        budget.charge(bytes, node);
                        held += bytes;
                        execution.holding("Distinct", seen.size());
                        return true;
                    }
                }
                in.close();
                return false;
            }

            @Override
            public void close() throws SQLException {
                budget.release(held);
                held = 0;
                seen.clear();
                in.close();
            }
        };
    }
}
