package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The cancel and query timeout of one scatter, and the bookkeeping of its parts: which shard
 * queries run (their statements, for a cancel from any thread), and giving each part's borrowed
 * connection and scatter permit back once. The timer applies the query timeout to each wait on the
 * shards (an open, or a cursor's {@code next()}), not to the time the application takes between rows.
 */
final class ScatterWatch {
    private final ShardRegistry registry;
    private final Session session;
    private final int queryTimeout;
    private final long timeoutNanos;

    ScatterWatch(ShardRegistry registry, Session session, int queryTimeout, long timeoutNanos) {
        this.registry = registry;
        this.session = session;
        this.queryTimeout = queryTimeout;
        this.timeoutNanos = timeoutNanos;
    }

    private static final int RUNNING = 0, CANCELLED = 1, TIMED_OUT = 2;
    /** After a cancel, how long a call may stay blocked before the read's connections are aborted. */
    static final long ABORT_AFTER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1000);

    private final List<ScatterPart> live = new ArrayList<>();
    private volatile int stop = RUNNING;
    /** {@link System#nanoTime()} (odd) when a call began waiting on the shards, 0 while none waits. */
    private volatile long waitingSince;
    private java.util.concurrent.ScheduledFuture<?> timer;

    /** Records a part's statement before it runs; fails when the read was already cancelled. */
    void started(ScatterPart part, Statement st, String shard) throws SQLException {
        synchronized (this) {
            part.statement = st;
            if (!part.done && !live.contains(part)) {
                live.add(part);
            }
        }
        if (stop != RUNNING) {
            throw stopped(shard, null);
        }
    }

    /** A part's cursor closed (or its query failed): its connection is back, its permit too. */
    void done(ScatterPart part) {
        boolean idle;
        synchronized (this) {
            part.done = true;
            live.remove(part);
            idle = live.isEmpty() && waitingSince == 0;
            if (idle && timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        if (part.permit) {
            part.permit = false;
            registry.scatterPermits().release(part.shard);
        }
    }

    /** Closes a part's borrowed connection (ending its read transaction) and gives its permit back; once. */
    void giveBack(ScatterPart part, boolean endTransaction) {
        if (part == null) {
            return;
        }
        synchronized (this) {
            if (part.done) {
                return;
            }
        }
        if (part.borrowed && part.connection != null && part.lastOnConnection()) {
            try {
                if (part.endsTransaction(endTransaction)) {
                    part.connection.rollback();
                }
            } catch (SQLException ignored) {
                // the query's own error is reported
            } finally {
                try {
                    part.connection.close();
                } catch (SQLException ignored) {
                    // the query's own error is reported
                }
            }
        }
        done(part);
    }

    /**
     * A part's fetch failed (on the reading thread): a connection of the logical connection that
     * the pool found broken is dropped, so the next statement borrows a fresh one.
     */
    void failed(ScatterPart part) {
        if (!part.borrowed) {
            try {
                if (ScatterConnections.autoCommit(session)) {
                    session.dropIfBroken(part.shard);
                }
            } catch (SQLException ignored) {
                // the logical connection is closed: nothing to drop
            }
        }
    }

    /** Whether {@link #cancel()} or the query timeout stopped this read. */
    boolean stopped() {
        return stop != RUNNING;
    }

    /** Whether cursors mark their waits (a query timeout is set). */
    boolean timed() {
        return timeoutNanos > 0;
    }

    /** Starts the query timeout's timer for an open, when a timeout is set and no timer runs. */
    synchronized void arm() {
        if (timeoutNanos > 0 && timer == null && stop == RUNNING) {
            timer = io.shardkit.pool.Watchdog.after(timeoutNanos, this::check);
        }
    }

    /** A call starts waiting on the shards (an open, or a cursor's next()): two volatile writes per call, no lock. */
    void enter() {
        waitingSince = timeoutNanos > 0 ? System.nanoTime() | 1 : 1;
    }

    /** The call returned. */
    void leave() {
        waitingSince = 0;
    }

    /** Timer: times the read out when one wait has lasted the timeout, else looks again when it could. */
    private void check() {
        long since = waitingSince;
        long now = System.nanoTime();
        if (since != 0 && now - since >= timeoutNanos) {
            stop(TIMED_OUT);
            return;
        }
        synchronized (this) {
            if (timer == null || stop != RUNNING) {
                return;
            }
            if (since == 0 && live.isEmpty()) {
                timer = null;
                return;
            }
            timer = io.shardkit.pool.Watchdog.after(since == 0 ? timeoutNanos : timeoutNanos - (now - since), this::check);
        }
    }

    /** Cancels every shard statement of this read, from any thread; a read not yet started fails when it starts. */
    void cancel() {
        stop(CANCELLED);
    }

    private void stop(int why) {
        ScatterPart[] parts;
        synchronized (this) {
            if (stop != RUNNING) {
                return;
            }
            stop = why;
            parts = live.toArray(new ScatterPart[0]);
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
        for (ScatterPart p : parts) {
            Statement st = p.statement;
            if (st != null) {
                io.shardkit.pool.Watchdog.run(() -> cancel(p, st));
            }
        }
        io.shardkit.pool.Watchdog.after(ABORT_AFTER_NANOS, this::abortIfStillWaiting);
    }

    /** Cancels one part's query, unless its cursor closed meanwhile (its connection may serve someone else by now). */
    private void cancel(ScatterPart p, Statement st) {
        synchronized (this) {
            if (p.done) {
                return;
            }
        }
        try {
            if (registry.dialect(p.shard) == Dialect.POSTGRESQL) {
                io.shardkit.pool.PgCancel.cancel(p.connection, st);
            } else {
                st.cancel();
            }
        } catch (SQLException | RuntimeException ignored) {
            // the abort below is the fallback
        }
    }

    /**
     * A cancel that did not end the wait (pgjdbc's cancel request to a shard that never answers
     * hangs too): the connections of the parts still running are aborted, which ends any blocked
     * read at once; the pool then retires them.
     */
    private void abortIfStillWaiting() {
        if (waitingSince == 0) {
            return;
        }
        ScatterPart[] parts;
        synchronized (this) {
            parts = live.toArray(new ScatterPart[0]);
        }
        for (ScatterPart p : parts) {
            Connection c = p.connection;
            if (c != null) {
                io.shardkit.pool.Watchdog.run(() -> {
                    try {
                        c.abort(io.shardkit.pool.Watchdog.executor());
                    } catch (SQLException | RuntimeException ignored) {
                        // nothing more can be done for it
                    }
                });
            }
        }
    }

    /** The error for a shard call that failed: 57014 when this read was cancelled or timed out, else the shard's own. */
    SQLException failure(String shard, String sql, SQLException e) {
        if (stop != RUNNING || e == null) {
            return stopped(shard, e);
        }
        return ShardException.fromShard(shard, sql, e);
    }

    private SQLException stopped(String shard, SQLException cause) {
        String message = stop == TIMED_OUT
                ? "query timeout: no answer from shard " + shard + " within the statement's query timeout of "
                        + queryTimeout + " s; the read's shard statements were cancelled"
                : "statement cancelled: the read's shard statements were cancelled (shard " + shard + ")";
        return new ShardException(message, CANCELLED_STATE, 0, shard, cause);
    }

    /** SQLState of a cancelled or timed-out statement (query canceled), as PostgreSQL reports it. */
    static final String CANCELLED_STATE = SqlStates.QUERY_CANCELED;
}
