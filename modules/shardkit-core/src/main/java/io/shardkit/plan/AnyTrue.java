package io.shardkit.plan;

import io.shardkit.merge.Cursor;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code SELECT EXISTS(<q>)} over several shards: each shard answers one row, one column (a boolean
 * on PostgreSQL, 1/0 elsewhere); the answer is a shard's true row when any shard says true, else a
 * false row. Reads every shard's one row; holds one.
 */
public record AnyTrue(RowSource input) implements RowSource {

    @Override
    public String describe() {
        return "AnyTrue (EXISTS: true when any shard's is)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        try {
            Object answer = null;
            boolean seen = false;
            while (in.next()) {
                Object v = in.get(1);
                if (!seen || isTrue(v) && !isTrue(answer)) {
                    answer = v;
                    seen = true;
                }
            }
            if (!seen) {
                throw new SQLException("EXISTS across shards: a shard returned no row", "XX000");
            }
            Object[] row = {answer};
            return MaterializedRows.of(1, MaterializedRows.over(List.<Object[]>of(row).iterator()), in);
        } catch (SQLException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static boolean isTrue(Object v) {
        return v instanceof Boolean b ? b : v instanceof Number n && n.doubleValue() != 0
                || v instanceof String s && (s.equals("1") || s.equalsIgnoreCase("t") || s.equalsIgnoreCase("true"));
    }
}
