package io.shardkit.pool;

import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The shards a {@link ShardRegistry} opens while the data source runs (a tenant's database, an
 * album file): opening and closing them, their pools started on first use and closed after
 * {@code settings.runtimeIdleTimeout} without use (by one daemon thread, started with the first
 * runtime shard), and the permits of {@code settings.runtimeConnectionCap} their connections share.
 * Opening takes this object's lock; borrowing takes a permit and the slot's lock.
 */
final class RuntimeShards {
    private final ShardRegistry registry;
    private final ShardMap map;
    private final Semaphore runtimePermits;
    private ScheduledExecutorService idleCloser;

    RuntimeShards(ShardRegistry registry, ShardMap map) {
        this.registry = registry;
        this.map = map;
        this.runtimePermits = new Semaphore(map.settings().runtimeConnectionCap(), true);
    }

    /** See {@link ShardRegistry#open}. */
    synchronized int open(ShardSpec spec) throws ShardException {
        Slot[] slots = registry.slotTable();
        int existing = registry.indexOf(spec.name());
        if (existing >= 0) {
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
            registry.publish(copy, null);
            return existing;
        }
        Slot fresh = opened(spec);
        Slot[] copy = Arrays.copyOf(slots, slots.length + 1);
        copy[slots.length] = fresh;
        registry.publish(copy, spec.name());
        startIdleCloser();
        return copy.length - 1;
    }

    /** A runtime shard's slot; a SQLite file that is missing (and not to be created) fails the open, naming the file. */
    private static Slot opened(ShardSpec spec) throws ShardException {
        Slot slot = new Slot(spec, true);
        Slot.prepareFile(slot);
        if (slot.down != null) {
            throw new ShardException(slot.down, SqlStates.UNABLE_TO_CONNECT, 0, spec.name(), null);
        }
        return slot;
    }

    /** See {@link ShardRegistry#close(String)}. */
    void close(String shard) throws ShardException {
        int i = registry.indexOf(shard);
        if (i < 0) {
            throw new ShardException("unknown shard '" + shard + "'", ShardException.ROUTING);
        }
        Slot slot = registry.slotTable()[i];
        if (!slot.runtime) {
            throw new ShardException("shard " + shard + " is configured in the shard map and closes with the data source",
                    ShardException.ROUTING);
        }
        synchronized (slot) {
            slot.closed = true;
            Slot.closePool(slot);
        }
    }

    /** Runtime shards that are open, in the order they were first opened. */
    List<String> names() {
        List<String> out = new ArrayList<>();
        for (Slot s : registry.slotTable()) {
            if (s.runtime && !s.closed) {
                out.add(s.spec.name());
            }
        }
        return out;
    }

    /** Runtime shards whose pool is currently open (not yet started, or idle-closed, do not count). */
    int openPools() {
        int n = 0;
        for (Slot s : registry.slotTable()) {
            n += s.runtime && s.pool != null ? 1 : 0;
        }
        return n;
    }

    private synchronized void startIdleCloser() {
        if (idleCloser != null) {
            return;
        }
        long period = Math.max(50, Math.min(map.settings().runtimeIdleTimeout() / 4, 30_000));
        idleCloser = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shardkit-idle-closer");
            t.setDaemon(true);
            return t;
        });
        idleCloser.scheduleWithFixedDelay(this::closeIdlePools, period, period, TimeUnit.MILLISECONDS);
    }

    /** Stops the idle closer, when the data source closes. */
    synchronized void stopIdleCloser() {
        if (idleCloser != null) {
            idleCloser.shutdownNow();
        }
    }

    /** Closes the pools of runtime shards unused for the idle timeout; they reopen on next use. */
    void closeIdlePools() {
        long now = System.currentTimeMillis();
        long idle = map.settings().runtimeIdleTimeout();
        for (Slot slot : registry.slotTable()) {
            if (!slot.runtime || slot.pool == null || now - slot.lastUsed < idle) {
                continue;
            }
            synchronized (slot) {
                HikariDataSource p = slot.pool;
                var mx = p == null ? null : p.getHikariPoolMXBean();
                if (p != null && now - slot.lastUsed >= idle && (mx == null || mx.getActiveConnections() == 0)) {
                    Slot.closePool(slot);
                }
            }
        }
    }

    /** Borrows from a runtime shard: a permit of the cap first, given back when the connection closes. */
    Connection borrow(Slot slot) throws SQLException {
        long timeout = slot.pool != null ? slot.pool.getConnectionTimeout() : PoolFactory.connectionTimeout(map, slot.spec);
        boolean permitted;
        try {
            permitted = runtimePermits.tryAcquire(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShardException("interrupted waiting for a connection to " + slot.spec.name(),
                    SqlStates.UNABLE_TO_CONNECT);
        }
        if (!permitted) {
            throw new ShardException("runtime shards hold " + map.settings().runtimeConnectionCap() + " connections,"
                    + " the cap (settings.runtimeConnectionCap); none came back within " + timeout + " ms for shard "
                    + slot.spec.name(), SqlStates.CONNECTION_REJECTED, 0, slot.spec.name(), null);
        }
        try {
            HikariDataSource p;
            synchronized (slot) {
                if (slot.closed) {
                    throw new ShardException("shard " + slot.spec.name() + " is closed; open it again to use it",
                            SqlStates.CONNECTION_DOES_NOT_EXIST, 0, slot.spec.name(), null);
                }
                p = slot.pool;
                if (p == null) {
                    p = PoolFactory.start(map, slot);
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
}
