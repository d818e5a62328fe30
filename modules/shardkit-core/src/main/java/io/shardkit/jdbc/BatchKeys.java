package io.shardkit.jdbc;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated keys of one {@code executeBatch}, in the caller's entry order: each shard's keys
 * are read as soon as its physical batch ran (the next run of that physical statement would
 * close them) and handed to the entries they belong to by the entries' update counts.
 *
 * <p>When a driver's keys cannot be matched to its entries (a count it did not report, fewer or
 * more keys than rows inserted), asking for the keys fails naming the shard rather than give a
 * key to the wrong entry.
 */
final class BatchKeys {
    private final List<List<Object[]>> perEntry;
    private MergedMetaData metaData;
    private int width;
    private String unavailable;

    BatchKeys(int entries) {
        perEntry = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            perEntry.add(null);
        }
    }

    /** Every key row of {@code keys} belongs to entry {@code entry} (an entry that ran alone). */
    void collect(int entry, ResultSet keys) throws SQLException {
        try (ResultSet rs = keys) {
            see(rs);
            List<Object[]> rows = new ArrayList<>(1);
            while (rs.next()) {
                rows.add(row(rs));
            }
            perEntry.set(entry, rows);
        }
    }

    /**
     * The keys of one shard's physical batch, handed out in order: entry {@code entries.get(i)}
     * takes the next {@code counts[entries.get(i)]} rows.
     */
    void distribute(String shard, List<Integer> entries, long[] counts, ResultSet keys) throws SQLException {
        try (ResultSet rs = keys) {
            see(rs);
            List<Object[]> rows = new ArrayList<>(entries.size());
            while (rs.next()) {
                rows.add(row(rs));
            }
            long expected = 0;
            for (int entry : entries) {
                if (counts[entry] < 0) {
                    unavailable = "shard " + shard + " did not report an update count for every batch entry, so its "
                            + rows.size() + " generated keys cannot be matched to the entries";
                    return;
                }
                expected += counts[entry];
            }
            if (expected != rows.size()) {
                unavailable = "shard " + shard + " returned " + rows.size() + " generated keys for " + expected
                        + " rows its batch entries wrote, so they cannot be matched to the entries";
                return;
            }
            int next = 0;
            for (int entry : entries) {
                int n = (int) counts[entry];
                perEntry.set(entry, new ArrayList<>(rows.subList(next, next + n)));
                next += n;
            }
        }
    }

    /**
     * The generated keys of the last (non-batch) execution, run by the physical statements
     * {@code last} on {@code shards}: one shard's own, a split INSERT's in VALUES order, or the
     * shards' concatenated.
     */
    static ResultSet ofLastExecution(Statement owner, Statement[] last, String[] shards, int[][] split)
            throws SQLException {
        int n = 0;
        for (Statement s : last) {
            n += s == null ? 0 : 1;
        }
        if (n == 0) {
            throw new SQLException("no statement has run yet, so there are no generated keys",
                    SqlStates.FUNCTION_SEQUENCE_ERROR);
        }
        if (last.length == 1) {
            try {
                return new ShardResultSet(owner, shards[0], last[0].getGeneratedKeys());
            } catch (SQLException e) {
                throw ShardException.fromShard(shards[0], null, e);
            }
        }
        ResultSet[] parts = new ResultSet[last.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                parts[i] = last[i].getGeneratedKeys();
            } catch (SQLException e) {
                closeQuietly(parts);
                throw ShardException.fromShard(shards[i], null, e);
            }
        }
        if (split != null) {
            return BatchKeys.ofSplitInsert(owner, split, shards.clone(), parts);
        }
        return new ConcatResultSet(owner, shards.clone(), parts, 0);
    }

    private static void closeQuietly(ResultSet[] parts) {
        for (ResultSet rs : parts) {
            if (rs != null) {
                try {
                    rs.close();
                } catch (SQLException ignored) {
                    // the first error is the one reported
                }
            }
        }
    }

    /**
     * The keys of a multi-row INSERT split by shard, back in VALUES order (one database returns
     * them in that order, and clients such as MyBatis hand them to the inserted objects in order).
     * A driver that returns only the statement's last id (sqlite-jdbc) gets the last row's id, as
     * one database would give.
     */
    static ResultSet ofSplitInsert(Statement owner, int[][] rowsOfParts, String[] shards, ResultSet[] parts)
            throws SQLException {
        int n = 0;
        for (int p = 0; p < parts.length; p++) {
            n += rowsOfParts[p].length;
        }
        BatchKeys keys = new BatchKeys(n);
        List<List<Object[]>> got = new ArrayList<>(parts.length);
        boolean everyRow = true;
        boolean onePerPart = true;
        for (int p = 0; p < parts.length; p++) {
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = parts[p]) {
                keys.see(rs);
                while (rs.next()) {
                    rows.add(keys.row(rs));
                }
            }
            got.add(rows);
            everyRow &= rows.size() == rowsOfParts[p].length;
            onePerPart &= rows.size() == 1;
        }
        for (int p = 0; p < parts.length; p++) {
            int[] rowsOfPart = rowsOfParts[p];
            if (everyRow) {
                for (int j = 0; j < rowsOfPart.length; j++) {
                    keys.perEntry.set(rowsOfPart[j], List.<Object[]>of(got.get(p).get(j)));
                }
            } else if (onePerPart && rowsOfPart[rowsOfPart.length - 1] == n - 1) {
                keys.perEntry.set(n - 1, got.get(p));
            } else if (!onePerPart) {
                keys.unavailable = "the INSERT's " + n + " rows were split over shards " + String.join(", ", shards)
                        + ", and shard " + shards[p] + " returned " + got.get(p).size() + " keys for its "
                        + rowsOfPart.length + " rows, so they cannot be put back in the order of the rows";
            }
        }
        return keys.resultSet(owner);
    }

    private void see(ResultSet rs) throws SQLException {
        if (metaData == null) {
            width = rs.getMetaData().getColumnCount();
            metaData = new MergedMetaData(rs.getMetaData(), width);
        }
    }

    private Object[] row(ResultSet rs) throws SQLException {
        return CopiedRows.row(rs, width);
    }

    /** The keys as one result set, entry by entry. */
    ResultSet resultSet(Statement owner) throws SQLException {
        if (unavailable != null) {
            throw new ShardException("the generated keys of the last batch are not available: " + unavailable,
                    SqlStates.GENERAL_ERROR);
        }
        if (metaData == null) {
            throw new SQLException("the last batch ran no statement, so there are no generated keys",
                    SqlStates.FUNCTION_SEQUENCE_ERROR);
        }
        List<Object[]> all = new ArrayList<>();
        for (List<Object[]> rows : perEntry) {
            if (rows != null) {
                all.addAll(rows);
            }
        }
        return CopiedRows.resultSet(owner, metaData, all);
    }
}
