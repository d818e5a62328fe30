package io.shardkit.archive;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveListener.Step;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.internal.Closer;
import io.shardkit.route.SplitCatalog;
import io.shardkit.route.SplitCreation;
import io.shardkit.sql.Dialect;
import io.shardkit.strategy.SplitRules;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Archiver} of a split table whose archive takes whole period tables
 * ({@link TableRule#isPeriodTiered}): every period table of the hot shards whose period ended
 * before the cutoff moves, as a unit, to the first archive shard. For each such period P:
 * <ol>
 * <li><b>copy</b> (not locked): on the archive shard, create P if missing (from the split's
 * template; else, on the same SQL engine, as the hot table is defined, so columns added since the
 * last period came along; else like an archived period there), empty it, and copy each hot shard's P into it in batches by id. Until step 2 marks it,
 * no read uses the archive's P, so a crash here leaves nothing visible and the next run starts over;
 * <li><b>switch</b>: lock P on every hot shard that holds it against writes ({@code LOCK TABLE ... IN
 * EXCLUSIVE MODE}, {@code LOCK TABLES ... WRITE}, SQLite {@code BEGIN IMMEDIATE}); compare each hot
 * shard's rows with the archive rows whose key routes to that shard (count and a per-row checksum
 * of every column) and recopy that shard's rows when they differ (a write that came in during the
 * copy); then list P in the archive's {@value SplitCatalog#ARCHIVED}: from that commit on, reads
 * take P from the archive;
 * <li><b>drop</b> P on each hot shard in the same locked transaction, and commit. A writer that
 * waited on the lock, or one whose catalog is older than the switch, gets an error (the table is
 * gone) rather than a write that reads would never see; with a fresh catalog the write is refused
 * (SQLState 25006).
 * </ol>
 * A crash after the switch leaves P listed in the archive and still on some hot shards: reads use
 * the archive's copy, and the next run locks, compares and recopies (a write a stale data source
 * made there meanwhile is kept), then drops. Listener steps: {@code SELECTED} per period,
 * {@code COPIED} per hot shard copied, {@code VERIFIED} at the switch, {@code DELETED} per hot
 * shard dropped; {@code ids} is the period's physical table. Progress after each period (its
 * {@code batches} count periods).
 *
 * <p><b>Cost</b> per period of n rows: n rows read twice from hot (copy, then compare under lock) and
 * once from the archive; writes to P on the hot shards wait during the compare. Memory: one id and
 * checksum per row of one hot shard's P (about 100 bytes each), plus one batch.
 */
final class PeriodMove {
    private final Archiver archiver;
    private final ShardedDataSource ds;
    private final TableRule rule;
    private final TableSplit split;
    private final String archiveShard;
    private final RowChecksum checksum = new RowChecksum();

    PeriodMove(Archiver archiver, TableRule rule) {
        this.archiver = archiver;
        this.ds = archiver.dataSource();
        this.rule = rule;
        this.split = rule.split();
        this.archiveShard = rule.archive().shards().get(0);
    }

    ArchiveReport run(Instant now, boolean dryRun) throws SQLException {
        long start = System.nanoTime();
        Instant boundary = rule.archive().cutoff().boundary(now);
        Map<String, List<String>> holders = new TreeMap<>(); // period table → hot shards, by name so by period
        for (String shard : rule.strategy().shards()) {
            for (String name : hotTables(shard)) {
                Instant end = SplitRules.periodEndOf(split.rule(), split.suffixOf(name));
                if (end != null && !end.isAfter(boundary)) {
                    holders.computeIfAbsent(name, k -> new ArrayList<>()).add(shard);
                }
            }
        }
        long found = 0;
        for (Map.Entry<String, List<String>> e : holders.entrySet()) {
            for (String shard : e.getValue()) {
                found += count(shard, e.getKey());
            }
        }
        if (dryRun || holders.isEmpty()) {
            return new ArchiveReport(rule.table(), found, 0, 0, 0, dryRun, Duration.ofNanos(System.nanoTime() - start));
        }
        long moved = 0;
        try (Connection archive = archiver.openArchive(archiveShard)) {
            markerTable(archive);
            int periods = 0;
            for (Map.Entry<String, List<String>> e : holders.entrySet()) {
                moved += move(archive, e.getKey(), e.getValue());
                archiver.listener().progress(new ArchiveProgress(rule.table(), e.getValue().get(0), ++periods, moved,
                        found, Duration.ofNanos(System.nanoTime() - start)));
            }
        } finally {
            ds.tables().refresh(rule.table());
        }
        return new ArchiveReport(rule.table(), found, moved, 0, holders.size(), false,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** See {@link Archiver#dropArchived}. */
    List<String> dropArchived(String physical, String confirmation) throws SQLException {
        String name = physical == null ? null : physical.toLowerCase(java.util.Locale.ROOT);
        if (name == null || split.suffixOf(name) == null) {
            throw new ShardException("'" + physical + "' is not a physical table of split table " + rule.table() + " ("
                    + split.pattern() + ")", Archiver.NOT_ARCHIVABLE);
        }
        if (!physical.equals(confirmation)) {
            throw new ShardException("dropping archived " + physical + " deletes its rows for good; to confirm, pass its"
                    + " name again: ds.archiver(\"" + rule.table() + "\").dropArchived(\"" + physical + "\", \""
                    + physical + "\")", io.shardkit.Tenants.NOT_CONFIRMED);
        }
        List<String> dropped = new ArrayList<>();
        try {
            for (String shard : rule.archive().shards()) {
                try (Connection c = archiver.openArchive(shard)) {
                    if (!SplitCatalog.readArchived(c, rule.table(), split).contains(name)) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + SplitCatalog.ARCHIVED
                            + " WHERE logical_table = ? AND physical_table = ?"); Statement st = c.createStatement()) {
                        ps.setString(1, rule.table());
                        ps.setString(2, name);
                        ps.executeUpdate();
                        c.commit();
                        st.execute("DROP TABLE " + name);
                        c.commit();
                    } catch (SQLException e) {
                        throw ShardException.fromShard(shard, "DROP TABLE " + name, e);
                    }
                    dropped.add(shard);
                }
            }
        } finally {
            ds.tables().refresh(rule.table());
        }
        return dropped;
    }

    /** Moves one period table; returns the rows now only in the archive. */
    private long move(Connection archive, String name, List<String> shards) throws SQLException {
        ArchiveListener listener = archiver.listener();
        listener.afterStep(Step.SELECTED, shards.get(0), List.of(name));
        List<String> columns = columns(shards.get(0), name);
        if (!marked(archive, name)) {
            create(archive, name, shards.get(0));
            run(archive, "DELETE FROM " + name);
            archive.commit();
            for (String shard : shards) {
                try (Connection hot = ds.connectionTo(shard)) {
                    copy(hot, shard, archive, name, columns);
                }
                listener.afterStep(Step.COPIED, shard, List.of(name));
            }
        }
        List<HotLock> locks = new ArrayList<>();
        long rows = 0;
        try {
            for (String shard : shards) {
                locks.add(HotLock.take(ds.connectionTo(shard), shard, name, archiver.dialect(shard)));
            }
            for (HotLock lock : locks) {
                rows += sync(lock, archive, name, columns, rule.strategy().shards().size() == 1);
            }
            if (!marked(archive, name)) {
                try (PreparedStatement ps = archive.prepareStatement("INSERT INTO " + SplitCatalog.ARCHIVED
                        + " (logical_table, physical_table, hot_rows, archived_at) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, rule.table());
                    ps.setString(2, name);
                    ps.setLong(3, rows);
                    ps.setString(4, Instant.now().toString());
                    ps.executeUpdate();
                }
                archive.commit();
            }
            listener.afterStep(Step.VERIFIED, shards.get(0), List.of(name));
            while (!locks.isEmpty()) {
                HotLock lock = locks.get(0);
                lock.dropAndCommit();
                locks.remove(0);
                listener.afterStep(Step.DELETED, lock.shard(), List.of(name));
            }
        } catch (Throwable t) {
            for (HotLock lock : locks) {
                Closer.runAfter(t, lock::release);
            }
            throw t;
        }
        return rows;
    }

    /**
     * Under the hot shard's lock: makes the archive's rows of this hot shard equal to its rows
     * (compared by id and checksum; recopied when they differ) and returns their number. The archive
     * rows of this hot shard are those whose key its strategy routes there ({@code only}: all of them,
     * the strategy has one shard), never those of another hot shard, which may have dropped its table
     * already (a run resumed after a crash).
     */
    private long sync(HotLock lock, Connection archive, String name, List<String> columns, boolean only)
            throws SQLException {
        Map<String, Long> hot = checksums(lock.connection(), lock.shard(), name, columns, null);
        Map<String, Long> copied = checksums(archive, archiveShard, name, columns, only ? null : lock.shard());
        if (hot.equals(copied)) {
            return hot.size();
        }
        List<Object> stale = new ArrayList<>(ids(archive, name, only ? null : lock.shard()));
        Dialect dialect = archiver.dialect(archiveShard);
        for (int i = 0; i < stale.size(); i += 500) {
            List<Object> chunk = stale.subList(i, Math.min(stale.size(), i + 500));
            try (PreparedStatement ps = archive.prepareStatement("DELETE FROM " + name + " WHERE "
                    + Archiver.quote(rule.archive().id(), dialect) + " IN (" + Archiver.marks(chunk.size()) + ")")) {
                for (int k = 0; k < chunk.size(); k++) {
                    ps.setObject(k + 1, chunk.get(k));
                }
                ps.executeUpdate();
            }
        }
        copy(lock.connection(), lock.shard(), archive, name, columns);
        if (!hot.equals(checksums(archive, archiveShard, name, columns, only ? null : lock.shard()))) {
            throw new ShardException("archiving " + name + " of " + rule.table() + ": the copy on " + archiveShard
                    + " does not read back as " + lock.shard() + " holds it (a type that does not survive the copy?);"
                    + " nothing was dropped", Archiver.VERIFY_FAILED);
        }
        return hot.size();
    }

    /** Copies all rows of the hot shard's table in batches by id, committing each batch on the archive. */
    private void copy(Connection hot, String shard, Connection archive, String name, List<String> columns)
            throws SQLException {
        Dialect to = archiver.dialect(archiveShard);
        StringBuilder insert = new StringBuilder("INSERT INTO ").append(name).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            insert.append(i == 0 ? "" : ", ").append(Archiver.quote(columns.get(i), to));
        }
        insert.append(") VALUES (").append(Archiver.marks(columns.size())).append(')');
        try (PreparedStatement ps = archive.prepareStatement(insert.toString())) {
            IdBatches batches = new IdBatches(archiver, rule.archive().id(), hot, shard, name, columns);
            for (List<Object[]> batch = batches.next(); !batch.isEmpty(); batch = batches.next()) {
                for (Object[] row : batch) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setObject(i + 1, row[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
                archive.commit();
            }
        } catch (SQLException e) {
            archive.rollback();
            throw e instanceof ShardException ? e : ShardException.fromShard(archiveShard, insert.toString(), e);
        }
    }

    /** Id → checksum of every row of {@code name} on a connection; with {@code owner}, only rows whose key routes there. */
    private Map<String, Long> checksums(Connection c, String shard, String name, List<String> columns, String owner)
            throws SQLException {
        Map<String, Long> out = new HashMap<>();
        IdBatches batches = new IdBatches(archiver, rule.archive().id(), c, shard, name, columns);
        int key = columns.indexOf(rule.keyColumn());
        for (List<Object[]> batch = batches.next(); !batch.isEmpty(); batch = batches.next()) {
            for (Object[] row : batch) {
                if (owner == null || owner.equals(owner(row[key]))) {
                    out.put(RowChecksum.canonical(row[0]), checksum.of(row, row.length));
                }
            }
        }
        return out;
    }

    private List<Object> ids(Connection c, String name, String owner) throws SQLException {
        List<String> columns = owner == null || rule.keyColumn().equals(rule.archive().id())
                ? List.of(rule.archive().id()) : List.of(rule.archive().id(), rule.keyColumn());
        List<Object> out = new ArrayList<>();
        IdBatches batches = new IdBatches(archiver, rule.archive().id(), c, archiveShard, name, columns);
        for (List<Object[]> batch = batches.next(); !batch.isEmpty(); batch = batches.next()) {
            for (Object[] row : batch) {
                if (owner == null || owner.equals(owner(row[row.length - 1]))) {
                    out.add(row[0]);
                }
            }
        }
        return out;
    }

    /** The hot shard a key's rows live on. */
    private String owner(Object key) throws SQLException {
        List<String> shards = rule.strategy().candidates(rule.table(), key).shards();
        if (shards.size() != 1) {
            throw new ShardException("archiving " + rule.table() + ": its strategy gives key " + key + " "
                    + shards.size() + " shards, so the archive copy cannot be compared shard by shard",
                    Archiver.NOT_ARCHIVABLE);
        }
        return shards.get(0);
    }

    /** The hot table's columns, the id first (the order both sides are read and written in). */
    private List<String> columns(String shard, String name) throws SQLException {
        List<String> out = new ArrayList<>();
        out.add(rule.archive().id());
        try (Connection c = ds.connectionTo(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + name + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String col = md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
                if (!out.contains(col)) {
                    out.add(col);
                }
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, "SELECT * FROM " + name, e);
        }
        if (!out.contains(rule.keyColumn())) {
            throw new ShardException("archiving " + name + ": it has no column " + rule.keyColumn(), Archiver.NOT_ARCHIVABLE);
        }
        return out;
    }

    /** Creates the period table on the archive shard unless it is there (see the class comment for from what). */
    private void create(Connection archive, String name, String hotShard) throws SQLException {
        List<String> existing = SplitCatalog.read(archive, split);
        if (existing.contains(name)) {
            return;
        }
        Dialect to = archiver.dialect(archiveShard);
        Dialect from = archiver.dialect(hotShard);
        // the hot table's own definition before an older archived period's, which lacks columns added since
        SplitCreation how = SplitCreation.of(rule.table(), split, name, from == to ? List.of() : existing);
        archive.setAutoCommit(true);
        try {
            if (how != null) {
                how.run(archive, to);
                return;
            }
            if (from != to) {
                throw new ShardException("archiving " + name + " of " + rule.table() + ": " + archiveShard + " has no table"
                        + " to make it like and runs another SQL engine than " + hotShard + "; give the split a template"
                        + " (split.template) or create " + name + " on " + archiveShard, Archiver.NOT_ARCHIVABLE);
            }
            List<String> ddl;
            try (Connection hot = ds.connectionTo(hotShard)) {
                ddl = HotLock.definition(hot, name, from);
            }
            try (Statement st = archive.createStatement()) {
                for (String s : ddl) {
                    st.execute(s);
                }
            }
        } catch (SQLException e) {
            throw e instanceof ShardException ? e : ShardException.fromShard(archiveShard, "CREATE TABLE " + name, e);
        } finally {
            archive.setAutoCommit(false);
        }
    }

    private void markerTable(Connection archive) throws SQLException {
        if (!SplitCatalog.hasTable(archive, SplitCatalog.ARCHIVED)) {
            run(archive, "CREATE TABLE IF NOT EXISTS " + SplitCatalog.ARCHIVED + " (logical_table VARCHAR(200) NOT NULL,"
                    + " physical_table VARCHAR(200) NOT NULL, hot_rows BIGINT NOT NULL, archived_at VARCHAR(40) NOT NULL,"
                    + " PRIMARY KEY (logical_table, physical_table))");
            archive.commit();
        }
    }

    private boolean marked(Connection archive, String name) throws SQLException {
        try (PreparedStatement ps = archive.prepareStatement("SELECT 1 FROM " + SplitCatalog.ARCHIVED
                + " WHERE logical_table = ? AND physical_table = ?")) {
            ps.setString(1, rule.table());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(archiveShard, "SELECT ... FROM " + SplitCatalog.ARCHIVED, e);
        }
    }

    private List<String> hotTables(String shard) throws SQLException {
        try (Connection c = ds.connectionTo(shard)) {
            return SplitCatalog.read(c, split);
        } catch (SQLException e) {
            throw e instanceof ShardException ? e : ShardException.fromShard(shard, null, e);
        }
    }

    private long count(String shard, String name) throws SQLException {
        try (Connection c = ds.connectionTo(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + name)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, "SELECT COUNT(*) FROM " + name, e);
        }
    }

    private void run(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw ShardException.fromShard(archiveShard, sql, e);
        }
    }
}
