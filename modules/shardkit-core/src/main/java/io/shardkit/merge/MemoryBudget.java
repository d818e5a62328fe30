package io.shardkit.merge;

import java.lang.ref.Cleaner;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The merge state one statement may hold, in estimated bytes ({@code settings.mergeMemory}, which
 * also bounds the data source's statements together through a shared {@link Pool}) and in rows
 * ({@code settings.mergeRowLimit}): one budget per execution, shared by every node of its plan
 * that holds rows or groups (hash grouping, the distinct sets of DISTINCT aggregates, DISTINCT,
 * in-memory sorts, the archive batches of a tiered read). A node charges what it keeps as it keeps
 * it and releases it when it lets go (at the latest when its cursor closes, which the result set's
 * close reaches); a charge past the bound fails the statement with {@link MergeLimitException}
 * (SQLState 54000) instead of letting the JVM run out of memory.
 *
 * <p>Nodes that hold a bounded number of rows whatever the data (MergeSort: one row per shard;
 * Limit: one row's tie keys; Concat, Having, Project: none) are not charged.
 *
 * <p>The estimate is cheap: a few {@code instanceof} tests per value, no reflection, no
 * allocation. It assumes a 64-bit JVM with compressed references (12-byte object headers, 4-byte
 * references, 8-byte alignment) and counts text at two bytes a character. Measured against the
 * heap (JDK 17, 300,000 entries): hashed groups of a long or text key with COUNT and SUM within
 * 10%, DISTINCT-aggregate values and sorted rows a little high. The default bound, a quarter of
 * the heap, leaves room for what the estimate misses and for the rest of the application. Not
 * thread-safe: a statement's merge runs on the thread reading its result.
 */
public final class MemoryBudget {
    /** The setting users raise, as messages name it. */
    public static final String SETTING = "settings.mergeMemory";
    /** A hash map or set entry with its share of the table (load factor 0.75). */
    public static final int ENTRY = 48;
    /** A list slot with its share of the growth slack. */
    public static final int SLOT = 8;
    /** An accumulator's own fields (see {@link Accumulator}). */
    public static final int ACCUMULATOR = 104;
    /** A value whose type the estimate does not know. */
    private static final int UNKNOWN = 64;

    private final long limit;
    private final long rowLimit;
    private long used;
    private long peak;
    /** What this statement took from its data source's pool, or {@code null} without a pool. */
    private final Reservation reservation;
    private final long chunk;

    /**
     * @param limit the most bytes the statement's merge state may take
     * @param rowLimit the most rows (groups, distinct values) one node may hold
     */
    public MemoryBudget(long limit, long rowLimit) {
        this(limit, rowLimit, null);
    }

    /**
     * @param pool the data source's bytes, shared by its statements (each takes from it in chunks as
     *     it grows, and gives back when it lets go), or {@code null} to bound this statement alone
     */
    public MemoryBudget(long limit, long rowLimit, Pool pool) {
        if (limit < 1 || rowLimit < 1) {
            throw new IllegalArgumentException("a merge memory bound is at least 1, got " + limit + " bytes, " + rowLimit + " rows");
        }
        this.limit = limit;
        this.rowLimit = rowLimit;
        this.reservation = pool == null ? null : new Reservation(pool);
        this.chunk = pool == null ? 0 : Math.max(1, Math.min(1 << 20, pool.limit / 64));
    }

    /** Takes {@code bytes} more; fails naming {@code node} when that would pass the bound. */
    public void charge(long bytes, String node) throws MergeLimitException {
        long u = used + bytes;
        if (u > limit) {
            fail();
            throw MergeLimitException.bytes(node, limit);
        }
        if (reservation != null && u > reservation.bytes) {
            if (!reservation.registered) {
                // once per budget that borrows: a budget dropped while holding gives its bytes back when collected
                reservation.registered = true;
                Janitor.CLEANER.register(this, reservation);
            }
            try {
                reservation.take(u, chunk, node);
            } catch (MergeLimitException e) {
                fail();
                throw e;
            }
        }
        used = u;
        if (u > peak) {
            peak = u;
        }
    }

    /**
     * The statement fails: what it borrowed goes back to the pool at once, not when its nodes close
     * or it is collected, so the next statement is not refused for memory this one no longer needs.
     */
    private void fail() {
        if (reservation != null) {
            reservation.giveBack(0);
        }
    }

    /** Gives back bytes charged earlier; what the pool lent beyond a chunk of slack goes back to it. */
    public void release(long bytes) {
        used = Math.max(0, used - bytes);
        if (reservation != null && reservation.bytes - used > (used == 0 ? 0 : 2 * chunk)) {
            reservation.giveBack(used == 0 ? 0 : used + chunk);
        }
    }

    /**
     * The bytes of merge state all statements of one data source may hold at once (the same
     * {@code settings.mergeMemory}): statements take from it in chunks, so it is touched about once
     * per chunk, not per row. Thread-safe.
     */
    public static final class Pool {
        private final long limit;
        private final AtomicLong lent = new AtomicLong();

        public Pool(long limit) {
            this.limit = limit;
        }

        /** Bytes lent to statements and not given back. */
        public long lent() {
            return lent.get();
        }

        boolean lend(long bytes) {
            while (true) {
                long l = lent.get();
                if (l + bytes > limit) {
                    return false;
                }
                if (lent.compareAndSet(l, l + bytes)) {
                    return true;
                }
            }
        }

        void giveBack(long bytes) {
            lent.addAndGet(-bytes);
        }
    }

    /** Cleans up the reservations of budgets dropped without releasing (a statement failed or was never closed). */
    private static final class Janitor {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /**
     * What one budget holds of its pool. Registered with a cleaner on its first loan, so a budget
     * that is dropped while holding (a statement whose result set is never closed) gives its bytes
     * back when it is collected; normally they go back as the nodes release.
     */
    private static final class Reservation implements Runnable {
        private final Pool pool;
        /** Written by the statement's thread; read by the cleaner only once the budget is unreachable. */
        volatile long bytes;
        private boolean registered;

        Reservation(Pool pool) {
            this.pool = pool;
        }

        /** Lends enough for {@code used} bytes (a chunk more when it can), or fails naming the pool's bound. */
        void take(long used, long chunk, String node) throws MergeLimitException {
            long need = used - bytes;
            long ask = Math.max(need, chunk);
            if (!pool.lend(ask)) {
                if (ask == need || !pool.lend(need)) {
                    throw MergeLimitException.shared(node, pool.limit);
                }
                ask = need;
            }
            bytes += ask;
        }

        void giveBack(long keep) {
            long back = bytes - keep;
            if (back > 0) {
                bytes = keep;
                pool.giveBack(back);
            }
        }

        @Override
        public void run() {
            giveBack(0);
        }
    }

    /** Fails naming {@code node} when it would hold more than {@code mergeRowLimit} rows. */
    public void rows(long held, String node) throws MergeLimitException {
        if (held > rowLimit) {
            throw new MergeLimitException(node, rowLimit);
        }
    }

    public long limit() {
        return limit;
    }

    public long rowLimit() {
        return rowLimit;
    }

    /** Bytes charged and not released. */
    public long used() {
        return used;
    }

    /** The most bytes charged at once. */
    public long peak() {
        return peak;
    }

    /** An object array of {@code length} references. */
    public static long array(int length) {
        return align(16 + 4L * length);
    }

    /** A row as a node keeps it: the array and its values. */
    public static long row(Object[] row) {
        long n = array(row.length);
        for (Object v : row) {
            n += value(v);
        }
        return n;
    }

    /** One value a node keeps, as {@link Values} and the drivers produce them; 0 for null and shared keys. */
    public static long value(Object v) {
        if (v == null || v instanceof Enum<?> || v instanceof Boolean) {
            return 0;
        }
        if (v instanceof String s) {
            return align(40 + 2L * s.length());
        }
        if (v instanceof Long || v instanceof Double) {
            return 24;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof Float
                || v instanceof Character) {
            return 16;
        }
        if (v instanceof BigDecimal d) {
            int p = d.precision();
            return p <= 18 ? 40 : 40 + 40 + align(16 + p / 2);
        }
        if (v instanceof Values.TextKey t) {
            return 16 + value(t.folded());
        }
        if (v instanceof byte[] b) {
            return align(16 + b.length);
        }
        if (v instanceof ByteBuffer b) {
            return 48 + align(16 + b.capacity());
        }
        if (v instanceof BigInteger i) {
            return 40 + align(16 + i.bitLength() / 8);
        }
        if (v instanceof Object[] a) {
            return row(a);
        }
        if (v instanceof LocalDate || v instanceof Date && !(v instanceof Timestamp)) {
            return 24;
        }
        if (v instanceof Timestamp || v instanceof UUID || v instanceof Instant
                || v instanceof LocalTime) {
            return 32;
        }
        if (v instanceof LocalDateTime) {
            return 72;
        }
        if (v instanceof OffsetDateTime || v instanceof OffsetTime
                || v instanceof ZonedDateTime) {
            return 96;
        }
        return UNKNOWN;
    }

    /**
     * A hash key ({@link Values#identity}) kept beside the value it was made from: text keys share
     * the value's string, so only the key's own object is counted then.
     */
    public static long key(Object identity, Object value) {
        if (identity == value) {
            return 0;
        }
        return identity instanceof Values.TextKey t && t.folded() == value ? 16 : value(identity);
    }

    /** A whole number of bytes in the unit users write: {@code 64 MB}, {@code 512 KB}, {@code 1000 bytes}. */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KB";
        }
        return bytes + " bytes";
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
