package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.internal.Closer;
import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The rows of each shard one after the other, streamed. Exact only for statements whose result
 * is a plain union of per-shard results: no ORDER BY, LIMIT, aggregate, DISTINCT or GROUP BY
 * (or their rows are merged by the nodes above). Holds no row.
 */
public record Concat(ShardSource input) implements RowSource {

    @Override
    public String describe() {
        return "Concat (each shard's rows in turn)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        return new Rows(input.openAll(execution));
    }

    static final class Rows implements Cursor {
        private final List<Cursor> parts;
        private int at;
        private boolean closed;

        Rows(List<Cursor> parts) {
            this.parts = parts;
        }

        @Override
        public boolean next() throws SQLException {
            while (at < parts.size()) {
                if (parts.get(at).next()) {
                    return true;
                }
                if (at == parts.size() - 1) {
                    return false;
                }
                parts.get(at).close();
                at++;
            }
            return false;
        }

        @Override
        public Object get(int column) throws SQLException {
            return parts.get(Math.min(at, parts.size() - 1)).get(column);
        }

        @Override
        public int columnCount() throws SQLException {
            return parts.get(0).columnCount();
        }

        @Override
        public ResultSet source() {
            return parts.get(Math.min(at, parts.size() - 1)).source();
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
