package io.shardkit.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one data source that start the shard queries of a merged read: daemon threads
 * named {@code shardkit-scatter-N}, started on demand and ended after 30 s without work, so an idle
 * data source holds none.
 */
public final class ScatterThreads {
    private ScatterThreads() {
    }

    /** A pool of at most {@code threads} threads with an unbounded queue. */
    public static ExecutorService pool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "shardkit-scatter-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
