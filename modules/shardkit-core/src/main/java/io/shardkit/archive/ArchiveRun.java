package io.shardkit.archive;

import io.shardkit.ShardException;
import io.shardkit.archive.ArchiveListener.Step;
import io.shardkit.config.Archive;
import io.shardkit.config.Cutoff;
import io.shardkit.internal.Closer;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The working state of one {@link Archiver#run()}: counters, the admin connections to the archive
 * shards (opened on first use, kept for the run), and the four steps of a batch. The class comment
 * of {@link Archiver} describes the steps and why they are safe; this class is their code.
 */
final class ArchiveRun {
    /** Ids per {@code IN (...)} list; stays under every database's parameter limit. */
    private static final int IN_CHUNK = 500;

    private final Archiver archiver;
    private final String table;
    private final Archive archive;
    private final Cutoff cutoff;
    private final String id;
    private final ArchiveListener listener;
    private final RowChecksum checksum = new RowChecksum();
    private final Map<String, Connection> admin = new LinkedHashMap<>();
    private final long start;
    private final long found;
    private long moved;
    private long leftHot;
    private int batches;

    ArchiveRun(Archiver archiver, long start, long found) {
        this.archiver = archiver;
        this.table = archiver.table();
        this.archive = archiver.archive();
        this.cutoff = archiver.cutoff();
        this.id = archive.id();
        this.listener = archiver.listener();
        this.start = start;
        this.found = found;
    }

    /** Moves every row of one hot shard that is past {@code boundary}, batch by batch. */
    void drain(String shard, Object boundary) throws SQLException {
        Dialect dialect = archiver.dialect(shard);
        try (Connection hot = archiver.dataSource().connectionTo(shard)) {
            Object after = null;
            for (int number = 1; ; number++) {
                ArchiveBatch b = select(hot, shard, dialect, boundary, after, number);
                if (b == null) {
                    return;
                }
                batches++;
                listener.afterStep(Step.SELECTED, shard, b.idsView);
                copy(b);
                listener.afterStep(Step.COPIED, shard, b.idsView);
                verify(b);
                listener.afterStep(Step.VERIFIED, shard, b.idsView);
                List<Object> deleted = delete(hot, dialect, b);
                moved += deleted.size();
                leftHot += b.size() - deleted.size();
                listener.afterStep(Step.DELETED, shard, deleted);
                listener.progress(new ArchiveProgress(table, shard, batches, moved, found, elapsed()));
                if (b.size() < archiver.batchSize()) {
                    return;
                }
                after = b.ids.get(b.size() - 1);
            }
        }
    }

    /** Step 1: the next batch after id {@code after} (null: from the start), or null when there is none. */
    private ArchiveBatch select(Connection hot, String shard, Dialect dialect, Object boundary, Object after, int number)
            throws SQLException {
        String sql = "SELECT * FROM " + table + " WHERE " + cutoff.column() + " < ?"
                + (after == null ? "" : " AND " + id + " > ?") + " ORDER BY " + id + " LIMIT " + archiver.batchSize();
        try (PreparedStatement ps = hot.prepareStatement(sql)) {
            Archiver.bindBoundary(ps, 1, boundary, dialect);
            if (after != null) {
                ps.setObject(2, after);
            }
            try (ResultSet rs = ps.executeQuery()) {
                ArchiveBatch b = null;
                while (rs.next()) {
                    if (b == null) {
                        b = new ArchiveBatch(shard, number, rs.getMetaData(), archiver.batchSize(), table, archive, cutoff);
                    }
                    Object[] row = new Object[b.columns.length];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = Archiver.read(rs, i + 1);
                    }
                    if (dialect == Dialect.SQLITE && cutoff.isTime() && !isDateText(row[b.cutoffColumn])) {
                        throw notDateText(shard, row[b.idColumn], row[b.cutoffColumn]);
                    }
                    b.add(row, checksum.of(row, row.length), target(shard, b, row));
                }
                return b;
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, sql, e);
        }
    }

    /** The index in {@code archive.shards()} of the archive shard a row goes to. */
    private int target(String shard, ArchiveBatch b, Object[] row) throws ShardException {
        if (b.placementColumn < 0 || row[b.placementColumn] == null) {
            return 0;
        }
        String chosen = archive.placement().chooseShard(table, row[b.placementColumn]).shard();
        int t = archive.shards().indexOf(chosen);
        if (t < 0) {
            throw new ShardException("cannot archive " + table + ": the placement strategy puts row " + id + " = "
                    + row[b.idColumn] + " on '" + chosen + "', which is not one of its archive shards " + archive.shards(),
                    Archiver.NOT_ARCHIVABLE, 0, shard, null);
        }
        return t;
    }

    /** Step 2: on every archive shard, one transaction: delete the batch's ids, insert the rows placed there. */
    private void copy(ArchiveBatch b) throws SQLException {
        for (int t = 0; t < archive.shards().size(); t++) {
            String target = archive.shards().get(t);
            Connection c = admin(target);
            try {
                deleteIds(c, target, b.ids);
                if (b.count(t) > 0) {
                    insert(c, target, b, t);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    private void insert(Connection c, String target, ArchiveBatch b, int t) throws SQLException {
        int n = b.columns.length;
        String sql = "INSERT INTO " + table + " (" + b.columnList(archiver.dialect(target)) + ") VALUES ("
                + Archiver.marks(n) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int r = 0; r < b.size(); r++) {
                if (b.target[r] != t) {
                    continue;
                }
                Object[] row = b.rows.get(r);
                for (int i = 0; i < n; i++) {
                    if (row[i] == null) {
                        ps.setNull(i + 1, b.types[i]);
                    } else {
                        ps.setObject(i + 1, row[i]);
                    }
                }
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw ShardException.fromShard(target, sql, e);
        }
    }

    /** Step 3: each archive shard's copies read back: same count, same checksum per row. */
    private void verify(ArchiveBatch b) throws SQLException {
        for (int t = 0; t < archive.shards().size(); t++) {
            int expected = b.count(t);
            if (expected == 0) {
                continue;
            }
            String target = archive.shards().get(t);
            List<Object> ids = new ArrayList<>(expected);
            for (int r = 0; r < b.size(); r++) {
                if (b.target[r] == t) {
                    ids.add(b.ids.get(r));
                }
            }
            Connection c = admin(target);
            ReadBack back;
            try {
                back = readBack(c, target, b, ids, "");
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
            Object differing = null;
            for (int r = 0; r < b.size() && differing == null; r++) {
                if (b.target[r] == t) {
                    Long sum = back.checksums.get(RowChecksum.canonical(b.ids.get(r)));
                    if (sum == null || sum != b.checksums[r]) {
                        differing = b.ids.get(r);
                    }
                }
            }
            if (differing != null || back.rows != expected) {
                throw new ShardException("archive of " + table + ": verify failed for " + b.describe()
                        + " on archive shard " + target + ": " + expected + " rows copied, " + back.rows + " read back"
                        + (differing == null ? "" : ", row " + id + " = " + differing + " differs")
                        + "; nothing was deleted from hot. Running the archiver again copies the batch again; if this "
                        + "repeats, compare the columns of " + table + " on " + b.shard + " and " + target,
                        Archiver.VERIFY_FAILED, 0, target, null);
            }
        }
    }

    /**
     * Step 4: in one hot transaction, re-read the batch (locked where the database can), delete the
     * rows unchanged since step 1; rows that changed or vanished stay as hot has them and lose their
     * archive copies first. Returns the ids deleted.
     */
    private List<Object> delete(Connection hot, Dialect dialect, ArchiveBatch b) throws SQLException {
        hot.setAutoCommit(false);
        try {
            ReadBack now = readBack(hot, b.shard, b, b.ids, dialect == Dialect.SQLITE ? "" : " FOR UPDATE");
            List<Object> unchanged = new ArrayList<>(b.size());
            boolean[] keep = new boolean[b.size()];
            int kept = 0;
            for (int r = 0; r < b.size(); r++) {
                Long sum = now.checksums.get(RowChecksum.canonical(b.ids.get(r)));
                if (sum != null && sum == b.checksums[r]) {
                    unchanged.add(b.ids.get(r));
                } else {
                    keep[r] = true;
                    kept++;
                }
            }
            if (kept > 0) {
                removeCopies(b, keep);
            }
            deleteIds(hot, b.shard, unchanged);
            hot.commit();
            hot.setAutoCommit(true);
            return Collections.unmodifiableList(unchanged);
        } catch (SQLException | RuntimeException e) {
            rollback(hot, e);
            throw e;
        }
    }

    private void removeCopies(ArchiveBatch b, boolean[] keep) throws SQLException {
        for (int t = 0; t < archive.shards().size(); t++) {
            List<Object> ids = new ArrayList<>();
            for (int r = 0; r < b.size(); r++) {
                if (keep[r] && b.target[r] == t) {
                    ids.add(b.ids.get(r));
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            String target = archive.shards().get(t);
            Connection c = admin(target);
            try {
                deleteIds(c, target, ids);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
        }
    }

    /** Deletes rows by id, in chunks, inside whatever transaction {@code c} has open. */
    private void deleteIds(Connection c, String shard, List<Object> ids) throws SQLException {
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            int to = Math.min(ids.size(), from + IN_CHUNK);
            String sql = "DELETE FROM " + table + " WHERE " + id + " IN (" + Archiver.marks(to - from) + ")";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = from; i < to; i++) {
                    ps.setObject(i - from + 1, ids.get(i));
                }
                ps.executeUpdate();
            } catch (SQLException e) {
                throw ShardException.fromShard(shard, sql, e);
            }
        }
    }

    private record ReadBack(Map<String, Long> checksums, int rows) {
    }

    /** The rows with these ids on {@code c}, in the batch's columns: canonical id → checksum, and the row count. */
    private ReadBack readBack(Connection c, String shard, ArchiveBatch b, List<Object> ids, String suffix)
            throws SQLException {
        String columns = b.columnList(archiver.dialect(shard));
        int n = b.columns.length;
        Object[] row = new Object[n];
        Map<String, Long> sums = new HashMap<>(ids.size() * 2);
        int rows = 0;
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            int to = Math.min(ids.size(), from + IN_CHUNK);
            String sql = "SELECT " + columns + " FROM " + table + " WHERE " + id + " IN (" + Archiver.marks(to - from) + ")"
                    + suffix;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = from; i < to; i++) {
                    ps.setObject(i - from + 1, ids.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        for (int i = 0; i < n; i++) {
                            row[i] = Archiver.read(rs, i + 1);
                        }
                        sums.put(RowChecksum.canonical(row[b.idColumn]), checksum.of(row, n));
                        rows++;
                    }
                }
            } catch (SQLException e) {
                throw ShardException.fromShard(shard, sql, e);
            }
        }
        return new ReadBack(sums, rows);
    }

    private Connection admin(String shard) throws SQLException {
        Connection c = admin.get(shard);
        if (c == null) {
            c = archiver.openArchive(shard);
            admin.put(shard, c);
        }
        return c;
    }

    private static void rollback(Connection c, Exception cause) {
        Closer.runAfter(cause, c::rollback);
    }

    /** Whether a value starts like {@code yyyy-MM-dd}: the only text a SQLite time cutoff orders correctly. */
    private static boolean isDateText(Object value) {
        if (!(value instanceof String s) || s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
                return false;
            }
        }
        return true;
    }

    private ShardException notDateText(String shard, Object rowId, Object value) {
        return new ShardException("cannot archive " + table + ": row " + id + " = " + rowId + " on " + shard + " has "
                + cutoff.column() + " = " + value + " (" + value.getClass().getSimpleName() + "), not date text; on "
                + "SQLite a time cutoff compares the column with the text 'yyyy-MM-dd HH:mm:ss', which orders only date "
                + "text correctly (numbers, or numbers stored as text, would look old). Store dates as text in that "
                + "form, or use a below: cutoff for numbers", Archiver.NOT_TEXT_DATE, 0, shard, null);
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    ArchiveReport report() {
        return new ArchiveReport(table, found, moved, leftHot, batches, false, elapsed());
    }

    /** Closes the archive connections; the first failure is thrown after all were tried, the rest suppressed in it. */
    void close() throws SQLException {
        Closer closer = new Closer();
        for (Map.Entry<String, Connection> e : admin.entrySet()) {
            try {
                e.getValue().close();
            } catch (SQLException ex) {
                closer.add(ShardException.fromShard(e.getKey(), null, ex));
            }
        }
        admin.clear();
        closer.throwFirst();
    }
}
