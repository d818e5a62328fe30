package io.shardkit.pool;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Shards a scatter could not get a connection from lately. A scatter that includes such a shard
 * fails at once (SQLState 08001, naming the shard and its last error) instead of waiting the
 * pool's connection timeout while it holds the other shards' connections; once the back-off
 * ({@value #BACK_OFF_MS} ms) has passed, one scatter tries the shard again, and the others keep
 * failing fast until it has succeeded. A shard that answers again is healthy at its next borrow.
 *
 * <p>One per data source; thread-safe. Costs one volatile read per shard per scatter while no
 * shard is down.
 */
public final class DownShards {
    /** How long a shard that failed a borrow is failed fast before it is tried again. */
    public static final long BACK_OFF_MS = 1000;

    private volatile AtomicLongArray retryAt = new AtomicLongArray(0);
    private volatile String[] lastError = new String[0];

    /** Whether a borrow failure means the shard cannot be reached (class 08, or the pool timed out). */
    public static boolean unreachable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private AtomicLongArray array(int shard) {
        AtomicLongArray a = retryAt;
        if (shard < a.length()) {
            return a;
        }
        synchronized (this) {
            a = retryAt;
            if (shard >= a.length()) {
                AtomicLongArray grown = new AtomicLongArray(shard + 8);
                for (int i = 0; i < a.length(); i++) {
                    grown.set(i, a.get(i));
                }
                lastError = Arrays.copyOf(lastError, shard + 8);
                retryAt = grown;
                a = grown;
            }
            return a;
        }
    }

    /**
     * Fails fast when the shard is known to be down and its back-off has not passed; the first
     * caller after the back-off is let through to try it (and claims the next back-off window).
     */
    public void check(int shard, String name) throws ShardException {
        AtomicLongArray a = retryAt;
        long at = shard < a.length() ? a.get(shard) : 0;
        if (at == 0) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now >= at && a.compareAndSet(shard, at, now + BACK_OFF_MS)) {
            return;
        }
        String[] errors = lastError;
        throw new ShardException("shard " + name + " is down: a connection could not be had lately (" + (shard < errors.length
                ? errors[shard] : "?") + "); failing fast, it is tried again within " + BACK_OFF_MS + " ms",
                SqlStates.UNABLE_TO_CONNECT, 0, name, null);
    }

    /** Records a failed borrow; only failures that mean the shard cannot be reached mark it down. */
    public void failed(int shard, SQLException e) {
        if (!unreachable(e)) {
            return;
        }
        AtomicLongArray a = array(shard);
        lastError[shard] = e.getMessage();
        a.set(shard, System.currentTimeMillis() + BACK_OFF_MS);
    }

    /** Records a successful borrow. */
    public void ok(int shard) {
        AtomicLongArray a = retryAt;
        if (shard < a.length() && a.get(shard) != 0) {
            a.set(shard, 0);
        }
    }

    /** Whether a shard is currently marked down (for tests and monitoring). */
    public boolean isDown(int shard) {
        AtomicLongArray a = retryAt;
        return shard < a.length() && a.get(shard) != 0;
    }
}
