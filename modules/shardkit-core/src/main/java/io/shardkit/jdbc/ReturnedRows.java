package io.shardkit.jdbc;

import io.shardkit.RefusedException;
import io.shardkit.sql.SqlAnalysis;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows a multi-row INSERT ... RETURNING split by shard returns, put back in VALUES order
 * (one database answers them in that order). Each part must return one row per row it inserts
 * (an {@code ON CONFLICT DO NOTHING} that skipped a row does not): otherwise the write is rolled
 * back on every shard and refused, since the rows could not be put back in order.
 */
final class ReturnedRows {
    /** For each part, the statement's rows (0-based, VALUES order) it inserts. */
    private final int[][] rowsOfParts;
    private final List<List<Object[]>> parts = new ArrayList<>();
    private MergedMetaData metaData;

    ReturnedRows(int[][] rowsOfParts) {
        this.rowsOfParts = rowsOfParts;
    }

    /** Reads part {@code i}'s rows (and closes them) before anything commits. */
    void collect(int i, ResultSet rows, String shard, SqlAnalysis a) throws SQLException {
        List<Object[]> got = List.of();
        if (rows != null) {
            try (rows) {
                if (metaData == null) {
                    metaData = new MergedMetaData(rows.getMetaData(), rows.getMetaData().getColumnCount());
                }
                got = CopiedRows.readAll(rows);
            }
        }
        if (got.size() != rowsOfParts[i].length) {
            throw new RefusedException("a multi-row INSERT ... RETURNING split over shards whose shard " + shard
                    + " returned " + got.size() + " rows for the " + rowsOfParts[i].length + " it was given (a row skipped"
                    + " by a conflict clause?), so the rows cannot be put back in VALUES order; nothing was"
                    + " written", a.sql());
        }
        parts.add(got);
    }

    ResultSet resultSet(ShardedStatement owner) throws SQLException {
        int n = 0;
        for (int p = 0; p < parts.size(); p++) {
            n += rowsOfParts[p].length;
        }
        Object[][] ordered = new Object[n][];
        for (int p = 0; p < parts.size(); p++) {
            int[] rows = rowsOfParts[p];
            for (int j = 0; j < rows.length; j++) {
                ordered[rows[j]] = parts.get(p).get(j);
            }
        }
        return CopiedRows.resultSet(owner, metaData, Arrays.asList(ordered));
    }
}
