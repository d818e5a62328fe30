package io.shardkit.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.config.PoolSettings;
import io.shardkit.config.Secrets;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.sql.Dialect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HikariCP pool per shard, addressed by a dense index so the hot path looks shards up in an
 * array. A pool is created on the first use of its shard, not when the data source starts, so a
 * map of 10,000 shards starts in milliseconds and a shard that is down, or whose pool cannot start,
 * does not stop the others: it is marked down ({@link #isDown}, {@link #downReason}) and only the
 * statements that need it fail, naming it (SQLState 08001; 08006 for a SQLite file that vanished).
 * Pools open no connection until asked ({@code initializationFailTimeout = -1}, {@code minimumIdle = 0}
 * unless configured).
 *
 * <p>SQLite file shards get a busy timeout and WAL journaling (or, for a read-only shard, SQLite's
 * read-only open mode), no room for attached databases ({@code limit_attached = 0}: SQLite itself
 * refuses {@code ATTACH}), and are opened without SQLite's create flag: a missing file is an error
 * naming the file, never a new empty database. Only {@link ShardSpec#create()} (YAML
 * {@code create: true}, checked once when the data source starts or the runtime shard is added)
 * creates a missing file and its folder. Each borrow checks that the file is still there (one
 * {@code stat}), since a connection still open on a deleted file in WAL mode acknowledges writes
 * that are lost with it. An in-memory SQLite shard ({@code jdbc:sqlite::memory:}) gets a pool of
 * exactly one connection that never retires, since each connection would otherwise be a different,
 * empty database.
 */
public final class ShardRegistry implements AutoCloseable {

    /** One shard: configured in the map, or opened at runtime. Replaced, never changed, on reopen. */
    private static final class Slot {
        final ShardSpec spec;
        final Dialect dialect;
        final boolean runtime;
        /** Created on first use for runtime shards; null again after an idle close. Guarded by this slot. */
        volatile HikariDataSource pool;
        volatile boolean closed;
        /** Why the shard is down (its pool could not start, its file is gone), or null when it is not. */
        volatile String down;
        /** The SQLite database file, checked on every borrow; null for other databases and in-memory SQLite. */
        final java.io.File file;
        /** When {@link #checkAlive} last looked at the file (System.nanoTime). */
        volatile long checkedAt;
        volatile long lastUsed;
        volatile Boolean binaryTextOrder;

        Slot(ShardSpec spec, boolean runtime) {
            this.spec = spec;
            this.dialect = Dialect.fromUrl(spec.url());
            this.runtime = runtime;
            Path f = dialect == Dialect.SQLITE ? sqliteFile(spec.url()) : null;
            this.file = f == null ? null : f.toFile();
        }
    }

    private final ShardMap map;
    private final int configured;
    private volatile Slot[] slots;
    private final Map<String, Integer> index = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.Semaphore runtimePermits;
    private final UniqueKeys uniqueKeys = new UniqueKeys();
    private final ScatterPermits scatterPermits = new ScatterPermits(this);
    private final DownShards downShards = new DownShards();
    private final java.util.Set<String> loggedOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private java.util.concurrent.ScheduledExecutorService idleCloser;
    private volatile boolean shut;

    /**
     * Makes a slot per shard of the map without starting any pool. A SQLite file shard is checked
     * now (its file exists, or is created when the shard says {@code create}), so a bad path marks
     * that shard down from the start.
     */
    public ShardRegistry(ShardMap map) {
        this.map = map;
        int n = map.shards().size();
        this.configured = n;
        this.runtimePermits = new java.util.concurrent.Semaphore(map.settings().runtimeConnectionCap(), true);
        Slot[] initial = new Slot[n];
        for (int i = 0; i < n; i++) {
            ShardSpec spec = map.shards().get(i);
            initial[i] = new Slot(spec, false);
            index.put(spec.name(), i);
            prepareFile(initial[i]);
        }
        slots = initial;
    }

    // ---- down shards ----

    /** Whether the shard's last start or borrow failed for a reason that needs fixing (see {@link #downReason}). */
    public boolean isDown(int shard) {
        return slots[shard].down != null;
    }

    /** Why the shard is down, naming the shard; null when it is not. */
    public String downReason(int shard) {
        return slots[shard].down;
    }

    /**
     * Marks a shard down with a reason (for example, a connection attempt that timed out). The
     * next borrow still tries the shard; one that succeeds clears the mark.
     */
    public void markDown(int shard, String reason) {
        slots[shard].down = reason == null ? "shard " + name(shard) + " is down" : reason;
    }

    /** The shards marked down now, by name, with their reasons, in index order. */
    public Map<String, String> downShards() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Slot s : slots) {
            String why = s.down;
            if (why != null && !s.closed) {
                out.put(s.spec.name(), why);
            }
        }
        return out;
    }

    /**
     * The SQLite file of a shard URL, or null for an in-memory database or another database:
     * {@code jdbc:sqlite:path}, {@code jdbc:sqlite:file:path?options}.
     */
    public static Path sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:") || sqliteMemory(url)) {
            return null;
        }
        String path = url.substring("jdbc:sqlite:".length());
        String file = path.startsWith("file:") ? path.substring(5) : path;
        int q = file.indexOf('?');
        try {
            return Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private static boolean sqliteMemory(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        return path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory");
    }

    /** Creates the file of a {@code create} shard if missing; marks the shard down if the file is missing or cannot be made. */
    private static void prepareFile(Slot slot) {
        if (slot.file == null) {
            return;
        }
        Path file = slot.file.toPath();
        if (slot.file.isFile()) {
            return;
        }
        if (slot.file.exists()) {
            slot.down = "shard " + slot.spec.name() + ": " + file + " is not a file";
            return;
        }
        if (!slot.spec.create()) {
            slot.down = "shard " + slot.spec.name() + ": database file " + file + " does not exist (shardkit creates a"
                    + " SQLite file only when the shard says create: true, or through shards().create)";
            return;
        }
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                // an empty file is an empty SQLite database
                Files.createFile(file);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by someone else meanwhile: fine
            }
        } catch (IOException | RuntimeException e) {
            slot.down = "shard " + slot.spec.name() + ": cannot create database file " + file + ": " + e;
        }
    }

    /**
     * Fails unless the shard can be used: not shut, not closed, its SQLite file (if any) present.
     * For code that connects to the shard without its pool (admin connections).
     */
    public void checkOpenable(int shard) throws ShardException {
        Slot slot = slots[shard];
        if (slot.file != null && !slot.file.isFile()) {
            String why = slot.down;
            if (why == null) {
                why = missing(slot);
            }
            throw new ShardException(why, "08001", 0, slot.spec.name(), null);
        }
    }

    private static String missing(Slot slot) {
        return "shard " + slot.spec.name() + ": database file " + slot.file + " is missing (deleted or moved while the"
                + " data source was open); shardkit does not create it again";
    }

    /**
     * Adds a shard while the data source runs (a tenant's database, an album file). Its pool is
     * created on first use, closed again after {@code settings.runtimeIdleTimeout} without use, and
     * its connections count against {@code settings.runtimeConnectionCap}, shared by every runtime
     * shard. A runtime shard closed earlier may be opened again under the same name (a new URL is
     * fine: the file moved). A SQLite file must exist unless the spec says {@code create}.
     *
     * @return the shard's index
     * @throws ShardException SQLState 08001 naming the file when a SQLite file is missing
     */
    public synchronized int open(ShardSpec spec) throws ShardException {
        Integer existing = index.get(spec.name());
        if (existing != null) {
            Slot old = slots[existing];
            if (!old.runtime) {
                throw new ShardException("shard " + spec.name() + " is configured in the shard map; pick another name",
                        ShardException.ROUTING);
            }
            if (!old.closed) {
                throw new ShardException("shard " + spec.name() + " is already open", ShardException.ROUTING);
            }
            Slot fresh = opened(spec);
            Slot[] copy = slots.clone();
            copy[existing] = fresh;
            slots = copy;
            return existing;
        }
        Slot fresh = opened(spec);
        Slot[] copy = java.util.Arrays.copyOf(slots, slots.length + 1);
        copy[slots.length] = fresh;
        slots = copy;
        index.put(spec.name(), slots.length - 1);
        startIdleCloser();
        return slots.length - 1;
    }

    /** A runtime shard's slot; a SQLite file that is missing (and not to be created) fails the open, naming the file. */
    private static Slot opened(ShardSpec spec) throws ShardException {
        Slot slot = new Slot(spec, true);
        prepareFile(slot);
        if (slot.down != null) {
            throw new ShardException(slot.down, "08001", 0, spec.name(), null);
        }
        return slot;
    }

    /**
     * Closes a runtime shard: its pool closes (connections in use are closed when HikariCP shuts the
     * pool down), so a SQLite file is released and may be moved or deleted. Using it afterwards
     * fails until it is opened again.
     */
    public void close(String shard) throws ShardException {
        int i = indexOf(shard);
        if (i < 0) {
            throw new ShardException("unknown shard '" + shard + "'", ShardException.ROUTING);
        }
        Slot slot = slots[i];
        if (!slot.runtime) {
            throw new ShardException("shard " + shard + " is configured in the shard map and closes with the data source",
                    ShardException.ROUTING);
        }
        synchronized (slot) {
            slot.closed = true;
            closePool(slot);
        }
    }

    private static void closePool(Slot slot) {
        HikariDataSource p = slot.pool;
        slot.pool = null;
        if (p != null) {
            p.close();
        }
    }

    /** Whether a shard is open (configured shards always are until the data source closes). */
    public boolean isOpen(String shard) {
        int i = indexOf(shard);
        return i >= 0 && !slots[i].closed;
    }

    /** Runtime shards that are open, in the order they were first opened. */
    public java.util.List<String> runtimeShards() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (Slot s : slots) {
            if (s.runtime && !s.closed) {
                out.add(s.spec.name());
            }
        }
        return out;
    }

    /** Runtime shards whose pool is currently open (not yet started, or idle-closed, do not count). */
    public int openRuntimePools() {
        int n = 0;
        for (Slot s : slots) {
            n += s.runtime && s.pool != null ? 1 : 0;
        }
        return n;
    }

    private synchronized void startIdleCloser() {
        if (idleCloser != null) {
            return;
        }
        long period = Math.max(50, Math.min(map.settings().runtimeIdleTimeout() / 4, 30_000));
        idleCloser = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardkit-idle-closer");
            t.setDaemon(true);
            return t;
        });
        idleCloser.scheduleWithFixedDelay(this::closeIdlePools, period, period, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Closes the pools of runtime shards unused for the idle timeout; they reopen on next use. */
    void closeIdlePools() {
        long now = System.currentTimeMillis();
        long idle = map.settings().runtimeIdleTimeout();
        for (Slot slot : slots) {
            if (!slot.runtime || slot.pool == null || now - slot.lastUsed < idle) {
                continue;
            }
            synchronized (slot) {
                HikariDataSource p = slot.pool;
                var mx = p == null ? null : p.getHikariPoolMXBean();
                if (p != null && now - slot.lastUsed >= idle && (mx == null || mx.getActiveConnections() == 0)) {
                    closePool(slot);
                }
            }
        }
    }

    private static HikariConfig config(ShardMap map, ShardSpec spec, Dialect dialect) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("shardkit-" + spec.name());
        c.setJdbcUrl(spec.url());
        if (spec.user() != null) {
            c.setUsername(spec.user());
        }
        if (spec.password() != null) {
            c.setPassword(spec.password());
        }
        c.setInitializationFailTimeout(-1);
        c.setMinimumIdle(0);
        c.setMaximumPoolSize(10);
        c.setReadOnly(spec.readOnly());
        if (dialect == Dialect.SQLITE) {
            sqlite(c, spec);
        }
        if (dialect == Dialect.POSTGRESQL && spec.readOnly()) {
            // pgjdbc applies setReadOnly(true) only inside transactions unless told otherwise
            c.addDataSourceProperty("readOnlyMode", "always");
        }
        Map<String, Object> settings = new LinkedHashMap<>(map.pool());
        settings.putAll(spec.pool());
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            apply(c, e.getKey(), PoolSettings.convert(e.getKey(), e.getValue()));
        }
        NetworkDefaults.apply(c, spec, dialect);
        for (Map.Entry<String, String> p : spec.properties().entrySet()) {
            c.addDataSourceProperty(p.getKey(), p.getValue());
        }
        return c;
    }

    private static void sqlite(HikariConfig c, ShardSpec spec) {
        if (sqliteMemory(spec.url())) {
            c.setMaximumPoolSize(1);
            c.setMinimumIdle(1);
            c.setMaxLifetime(0);
            c.setIdleTimeout(0);
        } else if (spec.readOnly()) {
            // opened read-only by SQLite itself, so a write fails at the database even if it bypassed shardkit
            c.addDataSourceProperty("open_mode", String.valueOf(SQLITE_OPEN_READONLY));
        } else {
            // read-write without SQLITE_OPEN_CREATE: a missing file fails instead of becoming an empty database
            c.addDataSourceProperty("open_mode", String.valueOf(SQLITE_OPEN_READWRITE));
            c.addDataSourceProperty("journal_mode", "WAL");
        }
        c.addDataSourceProperty("busy_timeout", "10000");
        // no ATTACH on any shard connection: a hot connection could attach an archive file read-write
        c.addDataSourceProperty("limit_attached", "0");
    }

    private static final int SQLITE_OPEN_READONLY = 0x1;
    private static final int SQLITE_OPEN_READWRITE = 0x2;

    private static void apply(HikariConfig c, String name, Object v) {
        switch (name) {
            case "maximumPoolSize" -> c.setMaximumPoolSize((Integer) v);
            case "minimumIdle" -> c.setMinimumIdle((Integer) v);
            case "connectionTimeout" -> c.setConnectionTimeout((Long) v);
            case "idleTimeout" -> c.setIdleTimeout((Long) v);
            case "maxLifetime" -> c.setMaxLifetime((Long) v);
            case "keepaliveTime" -> c.setKeepaliveTime((Long) v);
            case "validationTimeout" -> c.setValidationTimeout((Long) v);
            case "leakDetectionThreshold" -> c.setLeakDetectionThreshold((Long) v);
            case "initializationFailTimeout" -> c.setInitializationFailTimeout((Long) v);
            case "connectionTestQuery" -> c.setConnectionTestQuery((String) v);
            case "connectionInitSql" -> c.setConnectionInitSql((String) v);
            case "transactionIsolation" -> c.setTransactionIsolation((String) v);
            case "schema" -> c.setSchema((String) v);
            case "catalog" -> c.setCatalog((String) v);
            case "registerMbeans" -> c.setRegisterMbeans((Boolean) v);
            default -> throw new IllegalArgumentException("unknown pool setting " + name);
        }
    }

    /** The shards of the shard map; runtime shards have the indexes after these. */
    /** What the shards' catalogs say about the unique keys of sharded tables (for upserts). */
    public UniqueKeys uniqueKeys() {
        return uniqueKeys;
    }

    /** Messages this data source logs once only (added when logged): catalog differences between shards. */
    public java.util.Set<String> loggedOnce() {
        return loggedOnce;
    }

    /** How many of each shard's connections scatter reads may hold at once. */
    public ScatterPermits scatterPermits() {
        return scatterPermits;
    }

    /** Shards a scatter could not reach lately, failed fast until their back-off passes. */
    public DownShards recentFailures() {
        return downShards;
    }

    public int size() {
        return configured;
    }

    /** Every shard index in use, configured and runtime: the length per-shard arrays need. */
    public int slots() {
        return slots.length;
    }

    /** The shard map's engine settings. */
    public io.shardkit.config.Settings settings() {
        return map.settings();
    }

    private volatile io.shardkit.merge.MemoryBudget.Pool mergeMemory;

    /** The bytes of merge state this data source's statements share ({@code settings.mergeMemory}). */
    public io.shardkit.merge.MemoryBudget.Pool mergeMemory() {
        io.shardkit.merge.MemoryBudget.Pool p = mergeMemory;
        if (p == null) {
            synchronized (this) {
                p = mergeMemory;
                if (p == null) {
                    p = new io.shardkit.merge.MemoryBudget.Pool(map.settings().mergeMemory());
                    mergeMemory = p;
                }
            }
        }
        return p;
    }

    /** The index of a shard, or -1 when there is no such shard. */
    public int indexOf(String shard) {
        Integer i = index.get(shard);
        return i == null ? -1 : i;
    }

    public String name(int shard) {
        return slots[shard].spec.name();
    }

    public ShardSpec spec(int shard) {
        return slots[shard].spec;
    }

    public Dialect dialect(int shard) {
        return slots[shard].dialect;
    }

    /**
     * Whether the shard orders text by code point, as a merge sort in Java does: SQLite's default
     * BINARY collation does; a PostgreSQL database does when its collation is C or POSIX (asked
     * once, then remembered; a failed question answers false and is asked again next time);
     * MySQL's default collations do not.
     */
    public boolean binaryTextOrder(int shard) {
        return binaryTextOrder(shard, null);
    }

    /** As {@link #binaryTextOrder(int)}, asking on {@code using} when non-null (a connection the caller holds). */
    public boolean binaryTextOrder(int shard, Connection using) {
        Slot slot = slots[shard];
        Boolean known = slot.binaryTextOrder;
        if (known != null) {
            return known;
        }
        Boolean binary = switch (slot.dialect) {
            case SQLITE -> true;
            case POSTGRESQL -> postgresCollationIsC(shard, using);
            default -> false;
        };
        if (binary == null) {
            return false;
        }
        slot.binaryTextOrder = binary;
        return binary;
    }

    /**
     * Whether the database's default collation orders by code point: libc C or POSIX, or the
     * builtin provider's C or C.UTF-8 (PostgreSQL 17). An ICU default (datlocprovider 'i') is
     * not, whatever datcollate says; a server without datlocprovider (before 15) counts by datcollate.
     */
    private Boolean postgresCollationIsC(int shard, Connection using) {
        Connection borrowed = null;
        try {
            Connection c = using != null ? using : (borrowed = borrow(shard));
            return postgresCollationIsC(c);
        } catch (SQLException e) {
            return null;
        } finally {
            if (borrowed != null) {
                try {
                    borrowed.close();
                } catch (SQLException ignored) {
                    // the answer is already known
                }
            }
        }
    }

    private static boolean postgresCollationIsC(Connection c) throws SQLException {
        // no statement here may fail: on a connection in a transaction a failure would abort it
        boolean hasProvider = c.getMetaData().getDatabaseMajorVersion() >= 15;
        boolean hasLocale = c.getMetaData().getDatabaseMajorVersion() >= 17;
        try (java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery("SELECT datcollate, "
                        + (hasProvider ? "datlocprovider::text, " : "'c', ") + (hasLocale ? "datlocale" : "NULL")
                        + " FROM pg_database WHERE datname = current_database()")) {
            if (!rs.next()) {
                return false;
            }
            String collate = rs.getString(1);
            String provider = rs.getString(2);
            String locale = rs.getString(3);
            if (provider.equals("b")) {
                return "C".equals(locale) || "C.UTF-8".equals(locale);
            }
            return provider.equals("c") && (collate.equals("C") || collate.equals("POSIX") || collate.startsWith("C."));
        }
    }

    /** The pool of a shard, for monitoring; null until the shard is first used (and after a runtime shard's idle close). */
    public HikariDataSource pool(int shard) {
        return slots[shard].pool;
    }

    /**
     * Borrows a connection from a shard's pool, starting the pool on the shard's first use; errors
     * name the shard. A configured shard's path takes no lock once its pool runs; a runtime shard
     * takes a permit of the runtime connection cap, given back when the connection closes. A shard
     * whose pool cannot start fails with SQLState 08001; a SQLite file that vanished since with 08006
     * (the pool's connections to it are evicted, so none keeps writing to the deleted file).
     */
    public Connection borrow(int shard) throws SQLException {
        Slot slot = slots[shard];
        try {
            if (slot.file != null && !slot.file.isFile()) {
                throw fileGone(slot);
            }
            if (slot.runtime) {
                return borrowRuntime(slot);
            }
            HikariDataSource p = slot.pool;
            Connection c = (p != null ? p : start(slot)).getConnection();
            if (slot.down != null) {
                slot.down = null;
            }
            return c;
        } catch (ShardException e) {
            throw e;
        } catch (SQLException e) {
            throw wrap(slot, e);
        }
    }

    private static ShardException wrap(Slot slot, SQLException e) {
        String message = e.getMessage();
        String masked = Secrets.mask(message, slot.spec);
        if (masked == null || masked.equals(message)) {
            return ShardException.fromShard(slot.spec.name(), null, e);
        }
        ShardException w = new ShardException("shard " + slot.spec.name() + ": " + masked + " [sql: ]", e.getSQLState(),
                e.getErrorCode(), slot.spec.name(), null);
        w.setStackTrace(e.getStackTrace());
        return w;
    }

    /** How often {@link #checkAlive} looks at a SQLite file at most: a stat costs about a microsecond. */
    private static final long CHECK_NANOS = 10_000_000L;

    /**
     * For a connection held across statements (a transaction, a long-lived logical connection):
     * fails with SQLState 08006, naming the file, once a SQLite shard's file has been deleted or
     * moved, since the connection would otherwise keep writing into the deleted file. Looks at the
     * file at most every 10 ms per shard (every time while the shard is down), so a write in the
     * first 10 ms after the deletion may still be taken; a new connection is checked every time.
     * Costs a field read for other databases.
     */
    public void checkAlive(int shard) throws ShardException {
        Slot slot = slots[shard];
        if (slot.file == null) {
            return;
        }
        long now = System.nanoTime();
        if (slot.down == null && now - slot.checkedAt < CHECK_NANOS) {
            return;
        }
        slot.checkedAt = now;
        if (!slot.file.isFile()) {
            throw fileGone(slot);
        }
    }

    /** The SQLite file is gone: evict the pool's connections (they hold the deleted file) and fail. */
    private ShardException fileGone(Slot slot) {
        String why = missing(slot);
        String state = "08006";
        synchronized (slot) {
            HikariDataSource p = slot.pool;
            if (p != null) {
                p.getHikariPoolMXBean().softEvictConnections();
            } else if (slot.down != null) {
                why = slot.down;
                state = "08001";
            }
            slot.down = why;
        }
        return new ShardException(why, state, 0, slot.spec.name(), null);
    }

    /** Starts a configured shard's pool (once; racing borrowers wait for the first). */
    private HikariDataSource start(Slot slot) throws ShardException {
        synchronized (slot) {
            HikariDataSource p = slot.pool;
            if (p != null) {
                return p;
            }
            if (shut) {
                throw new ShardException("the data source is closed", "08003", 0, slot.spec.name(), null);
            }
            try {
                p = new HikariDataSource(config(map, slot.spec, slot.dialect));
            } catch (RuntimeException e) {
                String why = "shard " + slot.spec.name() + " is down: its connection pool cannot start: "
                        + Secrets.mask(String.valueOf(e.getMessage()), slot.spec);
                slot.down = why;
                throw new ShardException(why, "08001", 0, slot.spec.name(), null);
            }
            slot.pool = p;
            return p;
        }
    }

    /**
     * Takes a borrowed connection of a configured shard out of its pool for good: HikariCP closes it
     * instead of lending it again (the caller does not close it). Used after a failed statement on a
     * read-only shard, whose session must not reach the next borrower in an unknown state. A runtime
     * shard's connection is simply closed.
     */
    public void evict(int shard, Connection c) throws SQLException {
        Slot slot = slots[shard];
        HikariDataSource p = slot.pool;
        if (slot.runtime || p == null) {
            c.close();
            return;
        }
        p.evictConnection(c);
    }

    private Connection borrowRuntime(Slot slot) throws SQLException {
        long timeout = slot.pool != null ? slot.pool.getConnectionTimeout() : connectionTimeout(slot.spec);
        boolean permitted;
        try {
            permitted = runtimePermits.tryAcquire(timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardException("interrupted waiting for a connection to " + slot.spec.name(), "08001");
        }
        if (!permitted) {
            throw new ShardException("runtime shards hold " + map.settings().runtimeConnectionCap() + " connections,"
                    + " the cap (settings.runtimeConnectionCap); none came back within " + timeout + " ms for shard "
                    + slot.spec.name(), "08004", 0, slot.spec.name(), null);
        }
        try {
            HikariDataSource p;
            synchronized (slot) {
                if (slot.closed) {
                    throw new ShardException("shard " + slot.spec.name() + " is closed; open it again to use it", "08003",
                            0, slot.spec.name(), null);
                }
                p = slot.pool;
                if (p == null) {
                    try {
                        p = new HikariDataSource(config(map, slot.spec, slot.dialect));
                    } catch (RuntimeException e) {
                        String why = "shard " + slot.spec.name() + " is down: its connection pool cannot start: "
                                + Secrets.mask(String.valueOf(e.getMessage()), slot.spec);
                        slot.down = why;
                        throw new ShardException(why, "08001", 0, slot.spec.name(), null);
                    }
                    slot.pool = p;
                }
                slot.lastUsed = System.currentTimeMillis();
            }
            Connection c = p.getConnection();
            if (slot.down != null) {
                slot.down = null;
            }
            return new PermitConnection(c, () -> {
                slot.lastUsed = System.currentTimeMillis();
                runtimePermits.release();
            });
        } catch (SQLException | RuntimeException e) {
            runtimePermits.release();
            throw e;
        }
    }

    /** The pool's connection timeout a shard will get, without making a pool (HikariCP's default 30 s). */
    private long connectionTimeout(ShardSpec spec) {
        Object v = spec.pool().containsKey("connectionTimeout") ? spec.pool().get("connectionTimeout")
                : map.pool().get("connectionTimeout");
        try {
            return v == null ? 30_000 : (Long) PoolSettings.convert("connectionTimeout", v);
        } catch (IllegalArgumentException e) {
            return 30_000;
        }
    }

    @Override
    public void close() {
        shut = true;
        synchronized (this) {
            if (idleCloser != null) {
                idleCloser.shutdownNow();
            }
        }
        Slot[] all = slots;
        for (Slot slot : all) {
            if (slot != null) {
                synchronized (slot) {
                    slot.closed = slot.runtime || slot.closed;
                    closePool(slot);
                }
            }
        }
    }
}
