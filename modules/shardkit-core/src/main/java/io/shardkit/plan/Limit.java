package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.RowOrder;
import io.shardkit.merge.SortKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * LIMIT and OFFSET over merged rows. The shard queries were given {@code LIMIT offset+count}
 * (no offset), since the global offset cannot be applied per shard; here the first
 * {@code offset} merged rows are skipped as they stream past (never held), the next
 * {@code count} are returned, and then the input is closed at once, which closes the shard
 * cursors still open and returns their connections.
 *
 * <p>For {@code FETCH FIRST n ROWS WITH TIES} ({@link Bound#tied()}) the rows after the n-th
 * that are equal to it on the ORDER BY keys ({@code ties}, compared as the sort compared them)
 * are returned too; the shards ran {@code WITH TIES} themselves, so every tie reaches the merge.
 * Holds the n-th row's keys only.
 *
 * @param count {@code null} for OFFSET without LIMIT
 * @param ties the ORDER BY keys rows are tied on; empty unless {@code count} is {@code WITH TIES}
 */
public record Limit(Bound offset, Bound count, List<SortKey> ties, RowSource input) implements RowSource {

    public Limit {
        ties = List.copyOf(ties);
        if (count != null && count.withTies() && ties.isEmpty()) {
            throw new IllegalArgumentException("WITH TIES needs the ORDER BY keys");
        }
    }

    public Limit(Bound offset, Bound count, RowSource input) {
        this(offset, count, List.of(), input);
    }

    @Override
    public String describe() {
        return "Limit " + (count == null ? "all" : count) + (offset == null ? "" : " offset " + offset)
                + (ties.isEmpty() ? "" : " (ties on " + SortKey.describe(ties) + ")");
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        long skip = offset == null ? 0 : offset.resolve(execution.parameters());
        long take = count == null ? Bound.ALL : count.resolve(execution.parameters());
        Cursor in = input.open(execution);
        if (ties.isEmpty() || take == Bound.ALL || take == 0) {
            return new Rows(in, skip, take, null);
        }
        try {
            return new Rows(in, skip, take, new RowOrder(Planner.absolute(ties, in.columnCount()), execution.values()));
        } catch (SQLException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    static final class Rows implements Cursor {
        private final Cursor input;
        private long skip;
        private long left;
        private boolean closed;
        /** WITH TIES: the order rows are tied under, and the keys of the last row counted. */
        private final RowOrder tieOrder;
        private final Object[] last;
        private final Object[] next;

        Rows(Cursor input, long skip, long take, RowOrder tieOrder) {
            this.input = input;
            this.skip = skip;
            this.left = take;
            this.tieOrder = tieOrder;
            this.last = tieOrder == null ? null : new Object[tieOrder.size()];
            this.next = tieOrder == null ? null : new Object[tieOrder.size()];
        }

        private void keys(Object[] into) throws SQLException {
            for (int i = 0; i < into.length; i++) {
                into[i] = input.get(tieOrder.column(i));
            }
        }

        @Override
        public boolean next() throws SQLException {
            if (closed) {
                return false;
            }
            if (left <= 0 && tieOrder == null) {
                // LIMIT 0, or the count is reached: like the databases' own LIMIT, pull nothing more (not even
                // the offset rows), so nothing below is evaluated for rows no one reads
                close();
                return false;
            }
            while (skip > 0) {
                if (!input.next()) {
                    close();
                    return false;
                }
                skip--;
            }
            if (!input.next()) {
                close();
                return false;
            }
            if (left <= 0) {
                // past the count: only a row tied with the last counted one
                keys(next);
                if (tieOrder.compare(last, next) != 0) {
                    close();
                    return false;
                }
                return true;
            }
            left--;
            if (left == 0 && tieOrder != null) {
                keys(last);
            }
            return true;
        }

        @Override
        public Object get(int column) throws SQLException {
            return input.get(column);
        }

        @Override
        public int columnCount() throws SQLException {
            return input.columnCount();
        }

        @Override
        public ResultSet source() {
            return closed ? null : input.source();
        }

        @Override
        public void close() throws SQLException {
            if (!closed) {
                closed = true;
                input.close();
            }
        }
    }
}
