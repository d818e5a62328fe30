package io.shardkit.archive;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.config.Archive;
import io.shardkit.config.Cutoff;
import io.shardkit.config.PoolSettings;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.internal.Closer;
import io.shardkit.pool.AdminConnections;
import io.shardkit.sql.Dialect;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Calendar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;

/**
 * Moves the rows of a tiered table that are past its cutoff from the hot shards to its read-only
 * archive shards, so the hot shards stay small. Each hot shard is drained in batches ordered by the
 * row id, and each batch goes through four steps ({@link ArchiveListener.Step}):
 * <ol>
 * <li><b>select</b> {@code SELECT * ... WHERE cutoff < ? AND id > <last id> ORDER BY id LIMIT n} on the hot shard;
 * <li><b>copy</b>: on every archive shard of the table, in one transaction each, delete the batch's ids
 * and insert the rows placed there (all columns, by name, as read), then commit. The placement
 * strategy picks a row's archive shard by the placement column; without one, or for a null value,
 * the row goes to the first archive shard. Deleting on every archive shard, not only the target,
 * removes copies an earlier crashed run placed elsewhere (the placement value may have changed since);
 * it costs one indexed delete per archive shard per batch;
 * <li><b>verify</b>: read the copies back by id and compare count and a per-row checksum of every
 * column ({@link RowChecksum}) with the hot batch; a mismatch stops the run before anything is
 * deleted from hot (SQLState {@value #VERIFY_FAILED});
 * <li><b>delete</b>: in one hot transaction, re-read the batch (locked with {@code FOR UPDATE} where the
 * database has it) and delete the rows that are unchanged since step 1. A row that changed or vanished
 * in the meantime stays as hot has it and its archive copy is removed, so an application's update
 * or delete is never lost to the archive.
 * </ol>
 * A row is therefore always in hot, or verified in the archive, or both (the hot copy wins): a crash
 * at any point loses nothing, and the next run finishes the job, because step 2 replaces any copies
 * an earlier run left. While a batch is in both tiers (from its copy to its delete, or after a crash
 * there until the next run), shardkit refuses applications' UPDATE and DELETE of its rows (SQLState
 * 25006, the archive holds them): finish a crashed run soon.
 *
 * <p>Archive writes use {@link io.shardkit.pool.AdminConnections}, a writable connection past the
 * archive's read-only rule (for this package only); hot shards use {@link ShardedDataSource#connectionTo}.
 * {@link ShardedDataSource#archiver(String)} is the same as {@link #of}.
 *
 * <p><b>Cutoff binding.</b> {@code below} binds the watermark as a long. A time cutoff is computed
 * once per run ({@code age} from the {@link #clock}). PostgreSQL and MySQL get it as a
 * {@link Timestamp} with a UTC calendar: a {@code TIMESTAMP} column is read as UTC wall-clock time,
 * as the map's dates are UTC. SQLite has no date type; dates are usually text, which SQLite compares
 * as text, so the boundary is bound as {@code yyyy-MM-dd HH:mm:ss} (what SQLite's
 * {@code datetime()} and {@code CURRENT_TIMESTAMP} write). That orders correctly against text in
 * that form, with or without fractional seconds, and against bare dates; values written with a
 * {@code T} separator count as newer than any boundary on the same day (kept a day longer, never
 * moved early). A number in the column sorts before all text in SQLite (and a number stored as text
 * compares digit by digit), so it would look old: the run refuses any selected row whose value does
 * not start like {@code yyyy-MM-dd} (SQLState {@value #NOT_TEXT_DATE}) before copying it.
 *
 * <p><b>Cost</b> per batch of n rows: one indexed range read of n rows on hot, one transaction per
 * archive shard of the table (a delete by id; an insert of n rows in total), one read back of n rows,
 * one locking re-read and delete of n rows on hot; one batch held in memory; one SHA-256 per row and
 * read. At the start, a {@code COUNT(*)} per hot shard (a scan unless the cutoff column is indexed).
 *
 * <p>A split table's archive moves whole period tables instead ({@link PeriodMove}): the periods
 * that ended before the cutoff, each copied, compared under a lock of its hot tables, listed as
 * archived and dropped from hot.
 *
 * <p>Not thread-safe, and one run per table at a time: two runs over the same rows would remove
 * each other's archive copies. Not guarded: schedule it once.
 */
public final class Archiver {
    public static final int DEFAULT_BATCH_SIZE = 500;
    /** SQLState when the table cannot be archived as the map describes it (no archive tier, no cutoff, no such column). */
    public static final String NOT_ARCHIVABLE = SqlStates.CONFIG_FILE_ERROR;
    /** SQLState when an archive copy does not read back as the hot row (PostgreSQL's data_corrupted). */
    public static final String VERIFY_FAILED = SqlStates.DATA_CORRUPTED;
    /** SQLState when a time cutoff column on SQLite holds something other than date text. */
    public static final String NOT_TEXT_DATE = SqlStates.INVALID_DATETIME_FORMAT;

    private static final DateTimeFormatter SQLITE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final ShardedDataSource ds;
    private final String table;
    private final Archive archive;
    private final Cutoff cutoff;
    private final List<String> hotShards;
    private final TableRule rule;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean dryRun;
    private ArchiveListener listener = ArchiveListener.NONE;
    private Clock clock = Clock.systemUTC();

    private Archiver(ShardedDataSource ds, TableRule rule) {
        this.ds = ds;
        this.table = rule.table();
        this.archive = rule.archive();
        this.cutoff = rule.archive().cutoff();
        this.hotShards = rule.strategy().shards();
        this.rule = rule;
    }

    /**
     * An archiver for one table of {@code ds}'s map. Opens nothing.
     *
     * @throws ShardException SQLState {@value #NOT_ARCHIVABLE} when the map does not name the table,
     *         gives it no archive tier, or gives its archive no cutoff
     */
    public static Archiver of(ShardedDataSource ds, String table) throws ShardException {
        Objects.requireNonNull(ds, "ds");
        String name = Objects.requireNonNull(table, "table").toLowerCase(Locale.ROOT);
        TableRule rule = ds.shardMap().tables().get(name);
        if (rule == null) {
            throw new ShardException("cannot archive " + name + ": the shard map has no table " + name, NOT_ARCHIVABLE);
        }
        if (rule.archive() == null) {
            throw new ShardException("cannot archive " + name + ": it has no archive tier (add archive: {shards: [...], "
                    + "cutoff: {...}} under tables." + name + " in the shard map)", NOT_ARCHIVABLE);
        }
        if (rule.archive().cutoff() == null) {
            throw new ShardException("cannot archive " + name + ": its archive has no cutoff, so no column tells archive "
                    + "rows from hot rows (add cutoff: {column: ..., age|before|below: ...} under tables." + name
                    + ".archive)", NOT_ARCHIVABLE);
        }
        return new Archiver(ds, rule);
    }

    /** Rows per batch (default {@value #DEFAULT_BATCH_SIZE}): rows held in memory, and rows per transaction. */
    public Archiver batchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + rows);
        }
        batchSize = rows;
        return this;
    }

    /** When true, {@link #run} only counts the rows it would move; it writes nothing. */
    public Archiver dryRun(boolean on) {
        dryRun = on;
        return this;
    }

    public Archiver listener(ArchiveListener value) {
        listener = Objects.requireNonNull(value, "listener");
        return this;
    }

    /**
     * The clock an {@code age} cutoff is measured from (default: the system clock, UTC). For tests;
     * keep it at real time otherwise: the router skips the archive for predicates on or after its own
     * real-time boundary, so rows moved by a clock running ahead would be missed by such reads.
     */
    public Archiver clock(Clock value) {
        clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /**
     * Counts the rows past the cutoff on every hot shard, then (unless a dry run) moves them, hot
     * shard after hot shard, batch after batch, on the calling thread. Stops at the first error or
     * listener exception, leaving every row in hot, in the archive, or in both; running again
     * finishes the job.
     *
     * @throws ShardException SQLState {@value #VERIFY_FAILED} when a copy does not read back as
     *         written, {@value #NOT_TEXT_DATE} for a number in a SQLite time cutoff column, or a
     *         driver error naming its shard
     */
    public ArchiveReport run() throws SQLException {
        if (rule.isPeriodTiered()) {
            return new PeriodMove(this, rule).run(clock.instant(), dryRun);
        }
        long start = System.nanoTime();
        Object boundary = cutoff.isTime() ? cutoff.boundary(clock.instant()) : cutoff.below();
        long found = 0;
        for (String shard : hotShards) {
            found += count(shard, boundary);
        }
        if (dryRun) {
            return new ArchiveReport(table, found, 0, 0, 0, true, Duration.ofNanos(System.nanoTime() - start));
        }
        ArchiveRun run = new ArchiveRun(this, start, found);
        try {
            for (String shard : hotShards) {
                run.drain(shard, boundary);
            }
        } catch (Throwable t) {
            Closer.runAfter(t, run::close); // the archive connections' own failures are added to t
            throw t;
        }
        run.close();
        return run.report();
    }

    /**
     * Retention for a split table whose archive takes whole periods: drops an archived period table
     * ({@code dropArchived("orders_202401", "orders_202401")}, the name twice as confirmation) from
     * every archive shard that lists it, the listing first (reads stop using it), then the table.
     * Returns those shards. {@code ds.tables().drop} drops a period's hot tables; this its archive copy.
     *
     * @throws ShardException SQLState {@value #NOT_ARCHIVABLE} for a table whose archive does not take
     *         periods, {@link io.shardkit.Tenants#NOT_CONFIRMED} when the confirmation differs
     */
    public List<String> dropArchived(String physical, String confirmation) throws SQLException {
        if (!rule.isPeriodTiered()) {
            throw new ShardException(table + "'s archive does not take whole period tables (it is not split by period)",
                    NOT_ARCHIVABLE);
        }
        return new PeriodMove(this, rule).dropArchived(physical, confirmation);
    }

    private long count(String shard, Object boundary) throws SQLException {
        String sql = "SELECT COUNT(*) FROM " + table + " WHERE " + cutoff.column() + " < ?";
        try (Connection c = ds.connectionTo(shard); PreparedStatement ps = c.prepareStatement(sql)) {
            bindBoundary(ps, 1, boundary, dialect(shard));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, sql, e);
        }
    }

    // ---- shared with ArchiveRun ----

    ShardedDataSource dataSource() {
        return ds;
    }

    String table() {
        return table;
    }

    Archive archive() {
        return archive;
    }

    Cutoff cutoff() {
        return cutoff;
    }

    int batchSize() {
        return batchSize;
    }

    ArchiveListener listener() {
        return listener;
    }

    Dialect dialect(String shard) {
        return Dialect.fromUrl(spec(shard).url());
    }

    private ShardSpec spec(String shard) {
        for (ShardSpec s : ds.shardMap().shards()) {
            if (s.name().equals(shard)) {
                return s;
            }
        }
        throw new IllegalStateException("shard " + shard + " is not in the map");
    }

    /** Binds the cutoff boundary (see the class comment for why SQLite gets text). */
    static void bindBoundary(PreparedStatement ps, int index, Object boundary, Dialect dialect) throws SQLException {
        if (boundary instanceof Instant at) {
            if (dialect == Dialect.SQLITE) {
                ps.setString(index, SQLITE_TIME.format(at));
            } else {
                ps.setTimestamp(index, Timestamp.from(at), Calendar.getInstance(TimeZone.getTimeZone("UTC"), Locale.ROOT));
            }
        } else {
            ps.setLong(index, (Long) boundary);
        }
    }

    /**
     * A new admin connection to an archive shard, set up as the shard's pool sets up its own (the
     * pool's {@code schema}, {@code catalog} and {@code connectionInitSql}; a busy timeout on
     * SQLite), with autocommit off.
     */
    Connection openArchive(String shard) throws SQLException {
        Connection c = ds.unwrap(AdminConnections.class).open(shard);
        try {
            Map<String, Object> pool = new LinkedHashMap<>(ds.shardMap().pool());
            pool.putAll(spec(shard).pool());
            try (Statement st = c.createStatement()) {
                if (dialect(shard) == Dialect.SQLITE) {
                    st.execute("PRAGMA busy_timeout = 10000");
                }
                if (pool.containsKey("connectionInitSql")) {
                    st.execute((String) PoolSettings.convert("connectionInitSql", pool.get("connectionInitSql")));
                }
            }
            if (pool.containsKey("catalog")) {
                c.setCatalog((String) PoolSettings.convert("catalog", pool.get("catalog")));
            }
            if (pool.containsKey("schema")) {
                c.setSchema((String) PoolSettings.convert("schema", pool.get("schema")));
            }
            c.setAutoCommit(false);
            return c;
        } catch (SQLException e) {
            c.close();
            throw ShardException.fromShard(shard, null, e);
        }
    }

    /** Reads column {@code i} of the current row; LOBs are read into memory, the rest kept as the driver returns it. */
    static Object read(ResultSet rs, int i) throws SQLException {
        Object v = rs.getObject(i);
        if (v instanceof Blob b) {
            byte[] bytes = b.getBytes(1, (int) b.length());
            b.free();
            return bytes;
        }
        if (v instanceof Clob c) {
            String text = c.getSubString(1, (int) c.length());
            c.free();
            return text;
        }
        return v;
    }

    static String quote(String column, Dialect dialect) {
        return dialect == Dialect.MYSQL ? "`" + column.replace("`", "``") + "`"
                : "\"" + column.replace("\"", "\"\"") + "\"";
    }

    static String marks(int n) {
        StringBuilder sb = new StringBuilder(n * 3);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.toString();
    }
}
