package io.shardkit.reshard;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.Resharding;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One data source's versioned map: its bucket groups, read from {@code shardkit_map} on the
 * control shard at start and every {@code poll} on one daemon thread ({@value #THREAD}N), closed
 * with the data source. Internal: the facade's assembly {@link #bind binds} and {@link #start starts}
 * it; {@link Resharding} reads and publishes through it.
 *
 * <p>A bucket group is the set of tables whose bucket strategies are equal in the map (same B,
 * bucket function and placement), named after its first table in map order. All tables of a
 * group share one bound {@link BucketStrategy}, so one {@link BucketStrategy#switchTo} moves them
 * together. A poll costs one {@code GROUP BY} query on the control shard; a group's rows are read
 * only when its epoch changed. A poll that fails (control shard down, bad rows) keeps the live
 * placements and is tried again at the next interval; its error is kept ({@link #lastProblem}).
 */
public final class Epochs implements AutoCloseable {
    /** The poll thread's name prefix. */
    public static final String THREAD = "shardkit-epochs-";
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** Opens a connection to the control shard (the caller's pool); the caller of open closes it. */
    @FunctionalInterface
    public interface Control {
        Connection open() throws SQLException;
    }

    private final Map<String, BucketStrategy> groups;
    private final List<String> shards;
    private final Control control;
    private final ScheduledExecutorService poller;
    private volatile String lastProblem;

    private Epochs(Map<String, BucketStrategy> groups, List<String> shards, Control control, boolean poll,
            Resharding config) {
        this(groups, shards, control, poll, config, false);
    }

    private Epochs(Map<String, BucketStrategy> groups, List<String> shards, Control control, boolean poll,
            Resharding config, boolean listen) {
        this.groups = groups;
        this.shards = shards;
        this.control = control;
        if (!poll) {
            this.poller = null;
            return;
        }
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(listen ? 2 : 1, r -> {
            Thread t = new Thread(r, THREAD + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long every = Math.max(1, config.poll().toMillis());
        ex.scheduleWithFixedDelay(this::pollOnce, every, every, TimeUnit.MILLISECONDS);
        if (listen) {
            ex.execute(() -> Notifications.listen(control, every, this::refreshOn, p -> lastProblem = p));
        }
        this.poller = ex;
    }

    private void refreshOn(Connection c) throws SQLException {
        refresh(c, false);
    }

    /**
     * {@code map} with each bucket group's tables sharing one new strategy bound to the group:
     * each data source binds its own, so two data sources over one {@link ShardMap} object switch
     * epochs independently. A map without {@code resharding:} is returned as it is.
     */
    public static ShardMap bind(ShardMap map) {
        if (map.resharding() == null) {
            return map;
        }
        Map<BucketStrategy, BucketStrategy> bound = new LinkedHashMap<>();
        Map<String, TableRule> tables = new LinkedHashMap<>();
        for (TableRule rule : map.tables().values()) {
            if (rule.isSharded() && rule.strategy() instanceof BucketStrategy s && s.group() == null) {
                String name = rule.table();
                BucketStrategy g = bound.computeIfAbsent(s, k -> k.inGroup(name));
                rule = new TableRule(rule.table(), rule.kind(), rule.keyColumn(), g, rule.shard(), rule.archive(),
                        rule.split(), rule.idOf());
            }
            tables.put(rule.table(), rule);
        }
        return map.withTables(tables);
    }

    /** The bucket groups of a bound map, by name, in map order. */
    static Map<String, BucketStrategy> groups(ShardMap map) {
        Map<String, BucketStrategy> out = new LinkedHashMap<>();
        for (TableRule rule : map.tables().values()) {
            if (rule.isSharded() && rule.strategy() instanceof BucketStrategy s && s.group() != null) {
                out.putIfAbsent(s.group(), s);
            }
        }
        return out;
    }

    /**
     * Creates and seeds the control table when needed, switches every group of the {@link #bind
     * bound} map to its live epoch and starts the poll.
     *
     * @throws SQLException when the control shard cannot be read or holds a placement this map
     *         cannot use (unknown shard, other B): the data source does not start on a wrong map
     */
    public static Epochs start(ShardMap bound, Control control) throws SQLException {
        Map<String, BucketStrategy> groups = groups(bound);
        Epochs e = new Epochs(groups, bound.shardNames(), control, false, bound.resharding());
        Map<String, BucketPlacement> seed = new LinkedHashMap<>();
        groups.forEach((name, s) -> seed.put(name, s.placement()));
        boolean listen;
        try (Connection c = control.open()) {
            ControlTable.createAndSeed(c, seed);
            e.refresh(c, true);
            listen = bound.resharding().listen() && Notifications.available(c);
        }
        return new Epochs(groups, bound.shardNames(), control, true, bound.resharding(), listen);
    }

    /** An instance over a bound map that does not poll, for {@link Resharding}. */
    static Epochs over(ShardMap bound, Control control) {
        return new Epochs(groups(bound), bound.shardNames(), control, false, bound.resharding());
    }

    Map<String, BucketStrategy> groups() {
        return groups;
    }

    List<String> shards() {
        return shards;
    }

    Control control() {
        return control;
    }

    /** The error of the last poll, or {@code null} when it succeeded. */
    public String lastProblem() {
        return lastProblem;
    }

    private void pollOnce() {
        try (Connection c = control.open()) {
            refresh(c, false);
            lastProblem = null;
        } catch (SQLException | RuntimeException e) {
            lastProblem = String.valueOf(e.getMessage());
        }
    }

    /**
     * Reads the control table now on a connection of its own, as a poll does, and switches the
     * groups whose epoch is newer: for the executor, after a fence refused a write (docs/RESHARDING.md,
     * "The move", step 6). Thread-safe; may run while a poll does (an older epoch is ignored).
     *
     * @return the groups switched
     */
    public List<String> refresh() throws SQLException {
        try (Connection c = control.open()) {
            return refresh(c, false);
        }
    }

    /**
     * Switches each group whose live epoch in the control table is newer than its own.
     *
     * @param strict whether a group missing from the table is an error (at start, after seeding)
     * @return the groups switched
     */
    List<String> refresh(Connection c, boolean strict) throws SQLException {
        Map<String, Long> live = ControlTable.liveEpochs(c);
        // read after the epochs: a switch commits its epoch and its ledger row together, so a newer
        // epoch read above comes with the sources that still hold its moved buckets
        Map<String, Map.Entry<Long, Map<String, BitSet>>> retained = MoveLedger.retained(c);
        List<String> switched = new ArrayList<>();
        SQLException first = null;
        for (Map.Entry<String, BucketStrategy> g : groups.entrySet()) {
            Long epoch = live.get(g.getKey());
            BucketStrategy s = g.getValue();
            if (epoch == null) {
                if (strict) {
                    throw new ShardException(ControlTable.TABLE + " has no epoch of bucket group " + g.getKey(),
                            SqlStates.DATA_CORRUPTED);
                }
                continue;
            }
            Map.Entry<Long, Map<String, BitSet>> r = retained.get(g.getKey());
            try {
                if (epoch <= s.epoch()) {
                    // the same epoch: a cleanup may have ended (or a switch's retained buckets been missed)
                    Map<String, BitSet> held = r != null && r.getKey() == s.epoch() ? r.getValue() : Map.of();
                    if (s.switchTo(s.placement(), s.epoch(), held)) {
                        switched.add(g.getKey());
                    }
                    continue;
                }
                BucketPlacement p = ControlTable.read(c, g.getKey(), epoch, s.buckets());
                checkShards(g.getKey(), p);
                if (s.switchTo(p, epoch, r != null && r.getKey().equals(epoch) ? r.getValue() : Map.of())) {
                    switched.add(g.getKey());
                }
            } catch (SQLException | IllegalArgumentException e) {
                SQLException x = e instanceof SQLException q ? q
                        : new ShardException(MoveLedger.TABLE + ": " + e.getMessage(), SqlStates.DATA_CORRUPTED);
                first = first == null ? x : first;
            }
        }
        if (first != null) {
            throw first; // the other groups switched: a bad group does not hold the rest back
        }
        return switched;
    }

    /** Refuses a placement naming a shard this data source's map does not have. */
    void checkShards(String group, BucketPlacement p) throws ShardException {
        for (String shard : p.shards()) {
            if (!shards.contains(shard)) {
                throw new ShardException("bucket group " + group + " places buckets on shard '" + shard
                        + "', which the map does not name (known: " + String.join(", ", shards) + ")",
                        SqlStates.INVALID_PARAMETER_VALUE);
            }
        }
    }

    /** Stops the poll (waits up to a second for a poll under way). */
    @Override
    public void close() {
        if (poller == null) {
            return;
        }
        poller.shutdownNow();
        try {
            poller.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
