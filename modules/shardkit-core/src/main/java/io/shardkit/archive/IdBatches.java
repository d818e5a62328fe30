package io.shardkit.archive;

import io.shardkit.ShardException;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a whole table in batches ordered by its id ({@code WHERE id > <last id> ORDER BY id LIMIT
 * n}, so no cursor is held between batches): each row the id first, then the other columns as
 * given. One batch in memory at a time. For {@link PeriodMove}.
 */
final class IdBatches {
    private final Connection c;
    private final String shard;
    private final String first;
    private final String next;
    private final int width;
    private final int size;
    private Object after;
    private boolean done;

    IdBatches(Archiver archiver, String idColumn, Connection c, String shard, String table, List<String> columns) {
        this.c = c;
        this.shard = shard;
        this.size = archiver.batchSize();
        Dialect d = archiver.dialect(shard);
        String id = Archiver.quote(idColumn, d);
        StringBuilder cols = new StringBuilder(id);
        for (String col : columns) {
            if (!col.equals(idColumn)) {
                cols.append(", ").append(Archiver.quote(col, d));
            }
        }
        String base = "SELECT " + cols + " FROM " + table;
        String tail = " ORDER BY " + id + " LIMIT " + size;
        this.first = base + tail;
        this.next = base + " WHERE " + id + " > ?" + tail;
        this.width = columns.contains(idColumn) ? columns.size() : columns.size() + 1;
    }

    /** The next batch; empty once the table is read. */
    List<Object[]> next() throws SQLException {
        List<Object[]> out = new ArrayList<>();
        if (done) {
            return out;
        }
        String sql = after == null ? first : next;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (after != null) {
                ps.setObject(1, after);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Object[] row = new Object[width];
                    for (int i = 0; i < width; i++) {
                        row[i] = Archiver.read(rs, i + 1);
                    }
                    out.add(row);
                }
            }
        } catch (SQLException e) {
            throw e instanceof ShardException ? e : ShardException.fromShard(shard, sql, e);
        }
        done = out.size() < size;
        after = out.isEmpty() ? after : out.get(out.size() - 1)[0];
        return out;
    }
}
