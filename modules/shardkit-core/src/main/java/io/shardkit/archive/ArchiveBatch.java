package io.shardkit.archive;

import io.shardkit.ShardException;
import io.shardkit.config.Archive;
import io.shardkit.config.Cutoff;
import io.shardkit.sql.Dialect;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One batch of an {@link ArchiveRun} as read from a hot shard: the rows (values as the driver
 * returned them), each row's checksum and id, and the archive shard each row goes to (an index into
 * {@code archive.shards()}). Holds the whole batch in memory; fields are open to {@link ArchiveRun},
 * which fills and reads them in tight loops.
 */
final class ArchiveBatch {
    final String shard;
    final int number;
    final String[] columns;
    final int[] types;
    final int idColumn;
    final int cutoffColumn;
    final int placementColumn;
    final List<Object[]> rows;
    final List<Object> ids;
    final List<Object> idsView;
    long[] checksums;
    int[] target;
    private final int[] perTarget;
    private final String table;
    private final String id;

    ArchiveBatch(String shard, int number, ResultSetMetaData md, int capacity, String table, Archive archive,
            Cutoff cutoff) throws SQLException {
        this.table = table;
        this.id = archive.id();
        this.shard = shard;
        this.number = number;
        int n = md.getColumnCount();
        columns = new String[n];
        types = new int[n];
        for (int i = 0; i < n; i++) {
            columns[i] = md.getColumnLabel(i + 1);
            types[i] = md.getColumnType(i + 1);
        }
        idColumn = column(id, "the archive's id");
        cutoffColumn = column(cutoff.column(), "the cutoff column");
        placementColumn = archive.placementColumn() == null ? -1
                : column(archive.placementColumn(), "the placement column");
        rows = new ArrayList<>(capacity);
        ids = new ArrayList<>(capacity);
        idsView = Collections.unmodifiableList(ids);
        checksums = new long[capacity];
        target = new int[capacity];
        perTarget = new int[archive.shards().size()];
    }

    private int column(String name, String role) throws ShardException {
        for (int i = 0; i < columns.length; i++) {
            if (columns[i].toLowerCase(Locale.ROOT).equals(name)) {
                return i;
            }
        }
        throw new ShardException("cannot archive " + table + ": it has no column " + name + " (" + role + ") on "
                + shard + "; columns: " + String.join(", ", columns), Archiver.NOT_ARCHIVABLE, 0, shard, null);
    }

    void add(Object[] row, long sum, int t) {
        int r = rows.size();
        if (r == checksums.length) {
            checksums = Arrays.copyOf(checksums, r * 2);
            target = Arrays.copyOf(target, r * 2);
        }
        rows.add(row);
        ids.add(row[idColumn]);
        checksums[r] = sum;
        target[r] = t;
        perTarget[t]++;
    }

    int size() {
        return rows.size();
    }

    /** Rows placed on archive shard {@code t}. */
    int count(int t) {
        return perTarget[t];
    }

    String columnList(Dialect dialect) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Archiver.quote(columns[i], dialect));
        }
        return sb.toString();
    }

    String describe() {
        return "batch " + number + " of hot shard " + shard + " (" + id + " " + ids.get(0) + ".."
                + ids.get(ids.size() - 1) + ")";
    }
}
