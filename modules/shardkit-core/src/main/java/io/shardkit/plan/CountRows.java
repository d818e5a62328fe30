package io.shardkit.plan;

import io.shardkit.PlanNode;
import io.shardkit.merge.Cursor;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.List;

/**
 * {@code SELECT COUNT(*) FROM (<q>) t} over several shards when {@code q} needs a merge (ORDER BY
 * with LIMIT/OFFSET, DISTINCT, GROUP BY): {@code q} is merged exactly as it would be alone, and its
 * rows are counted as they stream by (a merge that must hold rows holds them under the memory
 * budget as it would alone). The column's label and type are one database's: {@code header} runs
 * the statement itself on one shard first, and its row is dropped; the count takes the Java type
 * that shard gave its count.
 */
public record CountRows(RowSource header, RowSource rows) implements RowSource {
    private static final AutoCloseable NOTHING = () -> { };

    @Override
    public String describe() {
        return "CountRows (COUNT(*) of the merged subquery rows; the first input only gives the column)";
    }

    @Override
    public List<PlanNode> children() {
        return List.of(header, rows);
    }

    @Override
    public Cursor open(Execution execution) throws SQLException {
        Cursor head = header.open(execution);
        Object sample;
        try {
            sample = head.next() ? head.get(1) : null;
        } finally {
            head.close();
        }
        execution.values().forget(); // the subquery's columns, not the header's, rule its merge
        long n = 0;
        try (Cursor in = rows.open(execution)) {
            while (in.next()) {
                n++;
            }
        }
        Object count = sample instanceof Integer && n <= Integer.MAX_VALUE ? (Object) (int) n
                : sample instanceof BigDecimal ? BigDecimal.valueOf(n) : (Object) n;
        Object[] row = {count};
        return MaterializedRows.of(1, MaterializedRows.over(List.<Object[]>of(row).iterator()), NOTHING);
    }
}
