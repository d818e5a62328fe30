package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Values;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads of a tiered table: the hot shards' rows pass through; an archive shard's row is dropped
 * when the hot tier also holds its id (a row caught mid-move, or archived and not yet deleted
 * from hot): the hot copy wins. Archive rows are read in batches of {@link #BATCH}, and the
 * batch's ids looked up in the hot shards with one query per hot shard, so memory stays at one
 * batch per archive shard whatever the table's size.
 *
 * @param hot the number of leading routes that are hot shards
 * @param id the row id column; the shard query carries it as its last column
 */
public record Shadow(ShardSource input, int hot, String table, String id) implements ShardSource {

    /** Archive rows checked against the hot tier with one query. */
    public static final int BATCH = 256;

    @Override
    public String describe() {
        return "Shadow (an archive row is dropped when hot holds its " + id + "; checked " + BATCH + " rows at a time)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public List<Cursor> openAll(Execution execution) throws SQLException {
        List<Cursor> all = input.openAll(execution);
        List<String> hotShards = new ArrayList<>();
        List<Route> routes = routes(input);
        for (int i = 0; i < hot; i++) {
            hotShards.add(routes.get(i).shard());
        }
        List<Cursor> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            out.add(i < hot ? all.get(i) : new Filter(all.get(i), hotShards, execution));
        }
        return out;
    }

    private static List<Route> routes(ShardSource source) {
        return source instanceof Scatter s ? s.routes() : routes(((Shadow) source).input());
    }

    /** An archive cursor without the rows the hot tier shadows. */
    private final class Filter implements Cursor {
        private final Cursor in;
        private final List<String> hotShards;
        private final Execution execution;
        private final int width;
        private final List<Object[]> batch = new ArrayList<>(BATCH);
        private int at;
        private boolean exhausted;
        /** The current batch's estimate, charged to the execution's memory budget. */
        private long held;
        private final String node = describe();

        Filter(Cursor in, List<String> hotShards, Execution execution) throws SQLException {
            this.in = in;
            this.hotShards = hotShards;
            this.execution = execution;
            this.width = in.columnCount();
        }

        @Override
        public boolean next() throws SQLException {
            at++;
            while (at >= batch.size()) {
                if (exhausted || !refill()) {
                    batch.clear();
                    at = 0;
                    return false;
                }
            }
            return true;
        }

        /** Reads the next batch of archive rows and drops the shadowed ones; false at the end. */
        private boolean refill() throws SQLException {
            batch.clear();
            execution.memory().release(held);
            held = 0;
            at = 0;
            List<Object> ids = new ArrayList<>(BATCH);
            while (batch.size() < BATCH) {
                if (!in.next()) {
                    exhausted = true;
                    in.close();
                    break;
                }
                Object[] row = new Object[width];
                for (int c = 0; c < width; c++) {
                    row[c] = in.get(c + 1);
                }
                long bytes = MemoryBudget.row(row) + 2 * MemoryBudget.SLOT;
                execution.memory().charge(bytes, node);
                held += bytes;
                batch.add(row);
                ids.add(row[width - 1]);
            }
            if (batch.isEmpty()) {
                return false;
            }
            execution.holding("Shadow", batch.size());
            Set<Object> shadowed = execution.present(hotShards, table, id, ids);
            if (!shadowed.isEmpty()) {
                Values values = execution.values();
                List<Object[]> kept = new ArrayList<>(batch.size());
                for (Object[] row : batch) {
                    if (!shadowed.contains(values.identity(row[width - 1]))) {
                        kept.add(row);
                    }
                }
                batch.clear();
                batch.addAll(kept);
            }
            return true;
        }

        @Override
        public Object get(int column) {
            return batch.get(at)[column - 1];
        }

        @Override
        public int columnCount() {
            return width;
        }

        @Override
        public ResultSet source() {
            return null;
        }

        @Override
        public void close() throws SQLException {
            exhausted = true;
            batch.clear();
            execution.memory().release(held);
            held = 0;
            in.close();
        }
    }
}
