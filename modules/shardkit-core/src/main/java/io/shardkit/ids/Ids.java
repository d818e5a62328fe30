package io.shardkit.ids;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.config.TableRule;
import io.shardkit.internal.Fence;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids that know their shard, for a table with a buckets strategy ({@code ds.ids("matches")}): {@link #next(Object)
 * next(playerId)} is {@code sequence * B + bucket(playerId)}, so {@code id mod B} is the key's bucket and a table that
 * declares {@code idOf: {column: match_id, generator: bucketed}} routes {@code WHERE match_id = ?} to that bucket's
 * current shard without the key, before and after the bucket moves. With {@code bucketOf: hash} the id still carries
 * the bucket itself: routing by id takes {@code id mod B} as the bucket, it never hashes the id.
 *
 * <p>Sequence values are leased per bucket, {@link #block()} at a time, from {@code shardkit_id_blocks} on the
 * bucket's current shard ({@link IdBlocks}): no clock, no worker ids, and two data sources leasing from the same shard
 * never get the same value. Values start at 1, so every id is at least B and positive. Ids of one bucket increase
 * within a data source; across data sources they are unique, not ordered. A block left unused when the data source
 * closes is skipped. Cost: a lock per bucket and one round trip to the shard per block.
 *
 * <p>Thread-safe. Threads taking ids of different buckets do not wait for each other.
 */
public final class Ids {
    /** Sequence values leased per bucket at a time, unless {@link #of(ShardedDataSource, String, int)} says. */
    public static final int DEFAULT_BLOCK = 1000;
    /** {@link #nextSafe} ids are below this: {@code 2^53}, the integers a JavaScript number holds exactly. */
    public static final long SAFE_LIMIT = 1L << 53;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong LAST_MS = new AtomicLong();

    /** The unused part of one leased block; guarded by itself. */
    private static final class Block {
        long next;
        long end;
    }

    private final ShardedDataSource ds;
    private final String table;
    private final BucketStrategy strategy;
    private final int block;
    private final IdBlocks leases;
    private final ConcurrentHashMap<Integer, Block> blocks = new ConcurrentHashMap<>();

    private Ids(ShardedDataSource ds, String table, BucketStrategy strategy, int block) {
        this.ds = ds;
        this.table = table;
        this.strategy = strategy;
        this.block = block;
        this.leases = new IdBlocks(ds);
    }

    /** {@link #of(ShardedDataSource, String, int)} with blocks of {@value #DEFAULT_BLOCK}. */
    public static Ids of(ShardedDataSource ds, String table) throws ShardException {
        return of(ds, table, DEFAULT_BLOCK);
    }

    /**
     * The ids of {@code table}. Opens nothing.
     *
     * @throws ShardException SQLState 22023 when the map does not shard the table by a buckets strategy
     */
    public static Ids of(ShardedDataSource ds, String table, int block) throws ShardException {
        if (block < 1) {
            throw new IllegalArgumentException("an id block must hold at least 1 value, got " + block);
        }
        String name = table.toLowerCase(Locale.ROOT);
        TableRule rule = ds.shardMap().tables().get(name);
        if (rule == null || !(rule.strategy() instanceof BucketStrategy b)) {
            throw new ShardException("ids embed a key's bucket, so " + table + " needs a buckets strategy; "
                    + (rule == null ? "the map does not name it" : "it is " + rule.describe()),
                    SqlStates.INVALID_PARAMETER_VALUE);
        }
        return new Ids(ds, name, b, block);
    }

    /**
     * A new positive id whose {@code mod B} is the bucket of {@code key}. Leases a block from the bucket's shard when
     * this data source has none left for the bucket.
     *
     * @throws SQLException the key's refusal when the strategy cannot bucket it; SQLState 22003 when the bucket's
     *     sequence would pass {@code 2^63 / B}; the shard's error when the lease fails
     */
    public long next(Object key) throws SQLException {
        return next(key, Long.MAX_VALUE);
    }

    /**
     * Like {@link #next}, but below {@code 2^53} so that JavaScript clients read it exactly: the same layout, with at
     * most {@code 2^53 / B} sequence values per bucket ({@code 2^33}, about 8.6 billion, at the largest B,
     * {@code 2^20}; a larger B is refused). Ids of {@link #next} and {@code nextSafe} share one sequence.
     *
     * @throws SQLException SQLState 22003 once the bucket's sequence passes {@code 2^53 / B}
     */
    public long nextSafe(Object key) throws SQLException {
        if (strategy.buckets() > BucketPlacement.MAX_BUCKETS) {
            throw new ShardException("53-bit ids need B ≤ 2^20 (2^33 sequence values per bucket); " + table + " has "
                    + strategy.buckets(), SqlStates.INVALID_PARAMETER_VALUE);
        }
        return next(key, SAFE_LIMIT - 1);
    }

    /** The bucket an id of this table names: {@code id mod B}. */
    public int bucketOf(long id) {
        return (int) Math.floorMod(id, (long) strategy.buckets());
    }

    /** Sequence values leased per bucket at a time. */
    public int block() {
        return block;
    }

    private long next(Object key, long max) throws SQLException {
        int bucket = strategy.bucket(table, key);
        long buckets = strategy.buckets();
        Block b = blocks.computeIfAbsent(bucket, k -> new Block());
        long sequence;
        synchronized (b) {
            if (b.next >= b.end) {
                long first = lease(bucket);
                b.next = first;
                b.end = first + block;
            }
            sequence = b.next;
            if (sequence > (max - bucket) / buckets) {
                throw new ShardException("the id sequence of bucket " + bucket + " of " + table + " is at " + sequence
                        + ", past the " + ((max - bucket) / buckets) + " that ids below " + (max == Long.MAX_VALUE
                        ? "2^63" : "2^53") + " allow with B = " + buckets, SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
            }
            b.next++;
        }
        return sequence * buckets + bucket;
    }

    /**
     * Leases a block from the bucket's shard; when that shard refuses because the bucket moved (a
     * resharding fence: the refusal already re-read the map), leases once more from the bucket's
     * shard in the new epoch.
     */
    private long lease(int bucket) throws SQLException {
        String shard = shardOf(bucket);
        try {
            return leases.lease(shard, table, bucket, block);
        } catch (SQLException e) {
            String now = shardOf(bucket);
            if (!Fence.is(e) || now.equals(shard)) {
                throw e;
            }
            return leases.lease(now, table, bucket, block);
        }
    }

    /** The bucket's shard now: the live placement of the table's strategy in the data source's map. */
    private String shardOf(int bucket) {
        TableRule rule = ds.shardMap().tables().get(table);
        BucketStrategy live = rule != null && rule.strategy() instanceof BucketStrategy s ? s : strategy;
        return live.placement().shardOf(bucket);
    }

    /**
     * An RFC 9562 version 7 UUID: 48 bits of Unix milliseconds, version 7, 12 random bits, the variant {@code 10} and
     * 62 random bits (from a {@link SecureRandom}). The millisecond prefix never goes back within this JVM, even when
     * the clock does. Opens nothing; thread-safe.
     */
    public static UUID uuid7() {
        long now = System.currentTimeMillis();
        long ms = LAST_MS.accumulateAndGet(now, Math::max);
        long high = (ms & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }
}
