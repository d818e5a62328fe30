package io.shardkit.pool;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The timers of query timeouts and the threads that cancel and abort shard statements for
 * {@code Statement.cancel()} and timeouts. A driver's cancel may block (pgjdbc opens a connection
 * to send it, which hangs on a shard that accepts and never answers), so every cancel and abort
 * runs on a thread of its own, never on the caller's or the timer's.
 *
 * <p>Shared by every data source in the JVM: daemon threads, started on first use and ended after
 * a minute without work, so nothing runs while no statement has a timeout or is cancelled. Used
 * once per timed or cancelled scatter, never per row.
 */
public final class Watchdog {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final ThreadPoolExecutor WORKERS = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> daemon(r, "shardkit-cancel-"));

    private Watchdog() {
    }

    private static Thread daemon(Runnable r, String prefix) {
        Thread t = new Thread(r, prefix + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "shardkit-timeout-"));
        t.setRemoveOnCancelPolicy(true);
        t.setKeepAliveTime(60, TimeUnit.SECONDS);
        t.allowCoreThreadTimeOut(true);
        return t;
    }

    /** Runs {@code task} on the timer thread after {@code nanos}; the task must not block. */
    public static ScheduledFuture<?> after(long nanos, Runnable task) {
        return TIMER.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** Runs a task that may block (a cancel, an abort) on a thread of its own. */
    public static void run(Runnable task) {
        WORKERS.execute(task);
    }

    /** The executor to hand to {@link java.sql.Connection#abort}. */
    public static Executor executor() {
        return WORKERS;
    }
}
