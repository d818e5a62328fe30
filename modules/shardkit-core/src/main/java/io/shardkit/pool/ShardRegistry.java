package io.shardkit.pool;

import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.Secrets;
import io.shardkit.config.Settings;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.sql.Dialect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>Each shard's state is a {@link Slot}; {@link PoolFactory} builds the pools and
 * {@link RuntimeShards} keeps the shards opened at runtime. A shard marked down here stays so until
 * a borrow succeeds; {@link #recentFailures} is the scatter's separate, time-boxed back-off.
 */
public final class ShardRegistry implements AutoCloseable {

    private final ShardMap map;
    private final int configured;
    private volatile Slot[] slots;
    private final Map<String, Integer> index = new ConcurrentHashMap<>();
    private final RuntimeShards runtime;
    private final UniqueKeys uniqueKeys = new UniqueKeys();
    private final ScatterPermits scatterPermits = new ScatterPermits(this);
    private final DownShards downShards = new DownShards();
    private final Set<String> loggedOnce = ConcurrentHashMap.newKeySet();
    private volatile boolean shut;

    /**
     * Makes a slot per shard of the map without starting any pool. A SQLite file shard is checked
     * now (its file exists, or is created when the shard says {@code create}), so a bad path marks
     * that shard down from the start.
     */
    /** The map the registry was made from. */
    public ShardMap map() {
        return map;
    }

    public ShardRegistry(ShardMap map) {
        this.map = map;
        int n = map.shards().size();
        this.configured = n;
        this.runtime = new RuntimeShards(this, map);
        Slot[] initial = new Slot[n];
        for (int i = 0; i < n; i++) {
            ShardSpec spec = map.shards().get(i);
            initial[i] = new Slot(spec, false);
            index.put(spec.name(), i);
            Slot.prepareFile(initial[i]);
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
        return Slot.sqliteFile(url);
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
                why = Slot.missing(slot);
            }
            throw new ShardException(why, SqlStates.UNABLE_TO_CONNECT, 0, slot.spec.name(), null);
        }
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
    public int open(ShardSpec spec) throws ShardException {
        return runtime.open(spec);
    }
    /**
     * Closes a runtime shard: its pool closes (connections in use are closed when HikariCP shuts the
     * pool down), so a SQLite file is released and may be moved or deleted. Using it afterwards
     * fails until it is opened again.
     */
    public void close(String shard) throws ShardException {
        runtime.close(shard);
    }

    /** Whether a shard is open (configured shards always are until the data source closes). */
    public boolean isOpen(String shard) {
        int i = indexOf(shard);
        return i >= 0 && !slots[i].closed;
    }

    /** Runtime shards that are open, in the order they were first opened. */
    public List<String> runtimeShards() {
        return runtime.names();
    }

    /** Runtime shards whose pool is currently open (not yet started, or idle-closed, do not count). */
    public int openRuntimePools() {
        return runtime.openPools();
    }

    /** The slots now, for {@link RuntimeShards}: replaced whole (copy on write) when a runtime shard opens. */
    Slot[] slotTable() {
        return slots;
    }

    /** Publishes a slot table with a runtime shard opened, and the new shard's name ({@code null} on a reopen). */
    void publish(Slot[] table, String added) {
        slots = table;
        if (added != null) {
            index.put(added, table.length - 1);
        }
    }

    /** What the shards' catalogs say about the unique keys of sharded tables (for upserts). */
    public UniqueKeys uniqueKeys() {
        return uniqueKeys;
    }

    /** Messages this data source logs once only (added when logged): catalog differences between shards. */
    public Set<String> loggedOnce() {
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

    /** The shards of the shard map; runtime shards have the indexes after these. */
    public int size() {
        return configured;
    }

    /** Every shard index in use, configured and runtime: the length per-shard arrays need. */
    public int slots() {
        return slots.length;
    }

    /** The shard map's engine settings. */
    public Settings settings() {
        return map.settings();
    }

    private volatile MemoryBudget.Pool mergeMemory;

    /** The bytes of merge state this data source's statements share ({@code settings.mergeMemory}). */
    public MemoryBudget.Pool mergeMemory() {
        MemoryBudget.Pool p = mergeMemory;
        if (p == null) {
            synchronized (this) {
                p = mergeMemory;
                if (p == null) {
                    p = new MemoryBudget.Pool(map.settings().mergeMemory());
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

    private Boolean postgresCollationIsC(int shard, Connection using) {
        Connection borrowed = null;
        try {
            Connection c = using != null ? using : (borrowed = borrow(shard));
            return PostgresCollation.isC(c);
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
                return runtime.borrow(slot);
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
        String why = Slot.missing(slot);
        String state = SqlStates.CONNECTION_FAILURE;
        synchronized (slot) {
            HikariDataSource p = slot.pool;
            if (p != null) {
                p.getHikariPoolMXBean().softEvictConnections();
            } else if (slot.down != null) {
                why = slot.down;
                state = SqlStates.UNABLE_TO_CONNECT;
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
                throw new ShardException("the data source is closed", SqlStates.CONNECTION_DOES_NOT_EXIST, 0,
                        slot.spec.name(), null);
            }
            p = PoolFactory.start(map, slot);
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

    @Override
    public void close() {
        shut = true;
        runtime.stopIdleCloser();
        Slot[] all = slots;
        for (Slot slot : all) {
            if (slot != null) {
                synchronized (slot) {
                    slot.closed = slot.runtime || slot.closed;
                    Slot.closePool(slot);
                }
            }
        }
    }
}
