package io.shardkit.plan;

import io.shardkit.merge.Bound;
import io.shardkit.merge.Cursor;
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
 * @param count {@code null} for OFFSET without LIMIT
 */
public record Limit(Bound offset, Bound count, RowSource input) implements RowSource {

    @Override
    public String describe() {
        return "Limit " + (count == null ? "all" : count) + (offset == null ? "" : " offset " + offset);
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        long skip = offset == null ? 0 : offset.resolve(execution.parameters());
        long take = count == null ? Long.MAX_VALUE : count.resolve(execution.parameters());
        return new Rows(input.open(execution), skip, take);
    }

    static final class Rows implements Cursor {
        private final Cursor input;
        private long skip;
        private long left;
        private boolean closed;

        Rows(Cursor input, long skip, long take) {
            this.input = input;
            this.skip = skip;
            this.left = take;
        }

        @Override
        public boolean next() throws SQLException {
            if (closed) {
                return false;
            }
            while (skip > 0) {
                if (!input.next()) {
                    close();
                    return false;
                }
                skip--;
            }
            if (left <= 0 || !input.next()) {
                close();
                return false;
            }
            left--;
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
