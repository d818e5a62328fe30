package io.shardkit.pool;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many of a shard's pool connections scatter reads may hold at once: a share of the pool,
 * leaving the rest to point reads and writes (a quarter of the pool, at least one connection,
 * for pools of two or more). A scatter takes a permit for every shard it borrows on before it
 * borrows anything, in shard index order, so scatters never wait on each other in a cycle, a
 * waiting scatter holds no pool connection, and a shard that is slow or down cannot let scatter
 * traffic take the connections point reads need on the healthy shards.
 *
 * <p>One per data source. Thread-safe; a shard's semaphore is made on its first scatter, sized
 * from its pool then (HikariCP's default of 10 while the pool does not exist yet).
 */
public final class ScatterPermits {
    private static final int DEFAULT_POOL = 10;

    private final ShardRegistry registry;
    private volatile Semaphore[] permits = new Semaphore[0];

    ScatterPermits(ShardRegistry registry) {
        this.registry = registry;
    }

    /** Connections of a pool of {@code poolSize} that scatters may hold together. */
    static int share(int poolSize) {
        return poolSize <= 1 ? 1 : poolSize - Math.max(1, poolSize / 4);
    }

    private Semaphore of(int shard) {
        Semaphore[] all = permits;
        if (shard < all.length && all[shard] != null) {
            return all[shard];
        }
        synchronized (this) {
            all = permits;
            if (shard >= all.length) {
                all = Arrays.copyOf(all, Math.max(shard + 1, registry.slots()));
            } else if (all[shard] != null) {
                return all[shard];
            } else {
                all = all.clone();
            }
            var pool = registry.pool(shard);
            all[shard] = new Semaphore(share(pool == null ? DEFAULT_POOL : pool.getMaximumPoolSize()), true);
            permits = all;
            return all[shard];
        }
    }

    /** The permits a shard has for scatters in all (for messages and tests). */
    public int size(int shard) {
        var pool = registry.pool(shard);
        return share(pool == null ? DEFAULT_POOL : pool.getMaximumPoolSize());
    }

    /**
     * Takes {@code counts[shard]} permits of every shard with a count, in index order, waiting at
     * most until {@code deadlineNanos} ({@link System#nanoTime()}) in all. On failure nothing is held.
     *
     * @throws ShardException SQLState 08004 naming the shard whose permits did not come in time;
     *     HY008 when interrupted
     */
    public void acquire(int[] counts, long deadlineNanos, String what) throws ShardException {
        for (int shard = 0; shard < counts.length; shard++) {
            if (counts[shard] == 0) {
                continue;
            }
            Semaphore s = of(shard);
            boolean got;
            try {
                got = s.tryAcquire(counts[shard], Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                release(counts, shard);
                throw new ShardException("interrupted waiting for a scatter permit of shard " + registry.name(shard),
                        SqlStates.OPERATION_CANCELED, 0, registry.name(shard), e);
            }
            if (!got) {
                release(counts, shard);
                throw new ShardException(what + " waited too long for shard " + registry.name(shard) + ": scatter reads"
                        + " already hold its scatter share (" + size(shard) + " connections; the rest of its pool is"
                        + " kept for point reads)", SqlStates.CONNECTION_REJECTED, 0, registry.name(shard), null);
            }
        }
    }

    /** Gives back the permits of the shards below {@code end} (all: {@code counts.length}). */
    public void release(int[] counts, int end) {
        for (int shard = 0; shard < end && shard < counts.length; shard++) {
            if (counts[shard] != 0) {
                of(shard).release(counts[shard]);
            }
        }
    }

    /** Gives back one permit of a shard. */
    public void release(int shard) {
        of(shard).release();
    }
}
