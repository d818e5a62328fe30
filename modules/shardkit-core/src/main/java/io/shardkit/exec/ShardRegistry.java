package io.shardkit.exec;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.config.PoolSettings;
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
 * array. Pools are created when the data source is built but open no connection until asked
 * ({@code initializationFailTimeout = -1}, {@code minimumIdle = 0} unless configured), so a
 * shard that is down does not stop the others from being used.
 *
 * <p>SQLite file shards get their parent folder created, a busy timeout, and WAL journaling (or,
 * for a read-only shard, SQLite's read-only open mode) and no room for attached databases
 * ({@code limit_attached = 0}: SQLite itself refuses {@code ATTACH}); an
 * in-memory SQLite shard ({@code jdbc:sqlite::memory:}) gets a pool of exactly one connection
 * that never retires, since each connection would otherwise be a different, empty database.
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
        volatile long lastUsed;
        volatile Boolean binaryTextOrder;

        Slot(ShardSpec spec, boolean runtime) {
            this.spec = spec;
            this.dialect = Dialect.fromUrl(spec.url());
            this.runtime = runtime;
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
    private java.util.concurrent.ScheduledExecutorService idleCloser;

    public ShardRegistry(ShardMap map) throws ShardException {
        this.map = map;
        int n = map.shards().size();
        this.configured = n;
        this.runtimePermits = new java.util.concurrent.Semaphore(map.settings().runtimeConnectionCap(), true);
        Slot[] initial = new Slot[n];
        slots = initial;
        try {
            for (int i = 0; i < n; i++) {
                ShardSpec spec = map.shards().get(i);
                initial[i] = new Slot(spec, false);
                index.put(spec.name(), i);
                initial[i].pool = new HikariDataSource(config(map, spec, initial[i].dialect));
            }
        } catch (RuntimeException e) {
            close();
            throw new ShardException("cannot create the connection pools: " + e.getMessage(), "08001", 0, null, e);
        }
    }

    /**
     * Adds a shard while the data source runs (a tenant's database, an album file). Its pool is
     * created on first use, closed again after {@code settings.runtimeIdleTimeout} without use, and
     * its connections count against {@code settings.runtimeConnectionCap}, shared by every runtime
     * shard. A runtime shard closed earlier may be opened again under the same name (a new URL is
     * fine: the file moved).
     *
     * @return the shard's index
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
            Slot[] copy = slots.clone();
            copy[existing] = new Slot(spec, true);
            slots = copy;
            return existing;
        }
        Slot[] copy = java.util.Arrays.copyOf(slots, slots.length + 1);
        copy[slots.length] = new Slot(spec, true);
        slots = copy;
        index.put(spec.name(), slots.length - 1);
        startIdleCloser();
        return slots.length - 1;
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
        String path = spec.url().substring("jdbc:sqlite:".length());
        boolean memory = path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory");
        if (memory) {
            c.setMaximumPoolSize(1);
            c.setMinimumIdle(1);
            c.setMaxLifetime(0);
            c.setIdleTimeout(0);
        } else {
            String file = path.startsWith("file:") ? path.substring(5) : path;
            int q = file.indexOf('?');
            Path parent = Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath().getParent();
            try {
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new IllegalStateException("shard " + spec.name() + ": cannot create folder " + parent + ": " + e, e);
            }
            if (spec.readOnly()) {
                // opened read-only by SQLite itself, so a write fails at the database even if it bypassed shardkit
                c.addDataSourceProperty("open_mode", "1");
            } else {
                c.addDataSourceProperty("journal_mode", "WAL");
            }
        }
        c.addDataSourceProperty("busy_timeout", "10000");
        // no ATTACH on any shard connection: a hot connection could attach an archive file read-write
        c.addDataSourceProperty("limit_attached", "0");
    }

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

    /** How many of each shard's connections scatter reads may hold at once. */
    public ScatterPermits scatterPermits() {
        return scatterPermits;
    }

    /** Shards a scatter could not reach lately, failed fast until their back-off passes. */
    public DownShards downShards() {
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

    /** The pool of a configured shard (or an open runtime shard), for monitoring; may be null for runtime shards. */
    public HikariDataSource pool(int shard) {
        return slots[shard].pool;
    }

    /**
     * Borrows a connection from a shard's pool; errors name the shard. The configured shards'
     * path takes no lock; a runtime shard starts its pool if needed and takes a permit of the
     * runtime connection cap, given back when the connection closes.
     */
    public Connection borrow(int shard) throws SQLException {
        Slot slot = slots[shard];
        try {
            if (!slot.runtime) {
                return slot.pool.getConnection();
            }
            return borrowRuntime(slot);
        } catch (ShardException e) {
            throw e;
        } catch (SQLException e) {
            throw ShardException.fromShard(slot.spec.name(), null, e);
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
        long timeout = slot.pool != null ? slot.pool.getConnectionTimeout()
                : config(map, slot.spec, slot.dialect).getConnectionTimeout();
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
                    p = new HikariDataSource(config(map, slot.spec, slot.dialect));
                    slot.pool = p;
                }
                slot.lastUsed = System.currentTimeMillis();
            }
            Connection c = p.getConnection();
            return new PermitConnection(c, () -> {
                slot.lastUsed = System.currentTimeMillis();
                runtimePermits.release();
            });
        } catch (SQLException | RuntimeException e) {
            runtimePermits.release();
            throw e;
        }
    }

    @Override
    public void close() {
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
