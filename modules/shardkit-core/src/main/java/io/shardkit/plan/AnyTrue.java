package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.SqlStates;
import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code SELECT EXISTS(<q>)} over several shards: each shard answers one row, one column (a boolean
 * on PostgreSQL, 1/0 elsewhere); the answer is the first shard row that says true, else the last
 * shard's (false) row. The row is passed through as the shard's driver returned it (so
 * {@code getString} reads {@code t}/{@code f} on PostgreSQL as one database's would). Stops reading
 * at the first true row.
 *
 * @param shards how many shards answer (one row each)
 */
public record AnyTrue(int shards, RowSource input) implements RowSource {

    @Override
    public String describe() {
        return "AnyTrue (EXISTS: true when any of " + shards + " shards' is)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(input);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor in = input.open(execution);
        try {
            for (int i = 1; i <= shards; i++) {
                if (!in.next()) {
                    throw new SQLException("EXISTS across shards: " + (i - 1) + " of " + shards + " shards answered a row",
                            SqlStates.INTERNAL_ERROR);
                }
                if (i == shards || isTrue(in.get(1))) {
                    break;
                }
            }
            return new PassThrough(in) {
                private boolean returned;

                @Override
                public boolean next() {
                    boolean first = !returned;
                    returned = true;
                    return first;
                }

                @Override
                public ResultSet source() {
                    return returned ? in.source() : null;
                }
            };
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
