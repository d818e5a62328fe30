package io.shardkit.reshard;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
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

/**
 * The versioned map of one data source, for the mover and for operators: the bucket groups, their
 * live epochs and placements, and {@link #publish} of a new epoch. Made by {@link #of}; opens a
 * connection to the control shard (through {@link ShardedDataSource#connectionTo}) only to read or
 * publish. Thread-safe.
 */
public final class Resharding {
    private final Epochs epochs;
    private final ShardMap map;
    private final String control;
    private final ShardedDataSource ds;

    private Resharding(Epochs epochs, ShardMap map, ShardedDataSource ds) {
        this.ds = ds;
        this.epochs = epochs;
        this.map = map;
        this.control = map.resharding().control();
    }

    /**
     * The versioned map of {@code ds}: its bucket groups are the ones {@code ds} routes by, so
     * {@link #publish} and {@link #refresh} switch {@code ds} at once.
     *
     * @throws ShardException SQLState {@value SqlStates#FEATURE_NOT_SUPPORTED} when the map has no
     *         {@code resharding:} section
     */
    public static Resharding of(ShardedDataSource ds) throws ShardException {
        ShardMap map = ds.shardMap();
        if (map.resharding() == null) {
            throw new ShardException("the shard map has no resharding: section (resharding: {control: <shard>})",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        String control = map.resharding().control();
        return new Resharding(Epochs.over(map, () -> ds.connectionTo(control)), map, ds);
    }

    /** The bucket groups, in map order. */
    public List<String> groups() {
        return new ArrayList<>(epochs.groups().keySet());
    }

    /** The tables of each bucket group, by group, in map order. */
    public Map<String, List<String>> tables() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (TableRule r : map.tables().values()) {
            if (r.isSharded() && r.strategy() instanceof BucketStrategy s && s.group() != null) {
                out.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(r.table());
            }
        }
        return out;
    }

    /** The epoch this data source routes {@code group} by. */
    public long epoch(String group) throws ShardException {
        return strategy(group).epoch();
    }

    /** The placement this data source routes {@code group} by. */
    public BucketPlacement placement(String group) throws ShardException {
        return strategy(group).placement();
    }

    /** Reads the control table now (as a poll does) and switches the groups whose epoch is newer. */
    public List<String> refresh() throws SQLException {
        try (Connection c = epochs.control().open()) {
            return epochs.refresh(c, false);
        }
    }

    /**
     * Writes {@code placement} as epoch n+1 of {@code group} (n its live epoch in the control
     * table) in one transaction on the control shard, then switches this data source to it; other
     * data sources switch at their next poll. Moves no row: the mover publishes after copying.
     *
     * @return the new epoch
     * @throws ShardException SQLState {@value SqlStates#INVALID_PARAMETER_VALUE} for an unknown
     *         group, a placement of another B or naming a shard the map does not have; the
     *         database's error (a primary key violation) when another publisher wrote epoch n+1 first
     */
    public long publish(String group, BucketPlacement placement) throws SQLException {
        return publish(group, placement, -1, c -> {
        }, Map.of());
    }

    /** Work done on the control shard in the transaction that publishes an epoch. */
    @FunctionalInterface
    interface InPublish {
        void run(Connection c) throws SQLException;
    }

    /**
     * {@link #publish}, for the mover: refuses unless the live epoch is {@code expected} (when not
     * -1), runs {@code also} in the same transaction, and switches with {@code retained} buckets.
     */
    long publish(String group, BucketPlacement placement, long expected, InPublish also, Map<String, BitSet> retained)
            throws SQLException {
        BucketStrategy s = strategy(group);
        check(group, placement);
        long next;
        try (Connection c = epochs.control().open(); java.sql.Statement st = c.createStatement()) {
            // SQLite: take the write lock first; a read that later upgrades to a write fails at once
            // (SQLITE_BUSY, no busy wait) when another connection writes the control shard meanwhile
            boolean sqlite = ControlTable.kind(c) == io.shardkit.sql.Dialect.SQLITE;
            if (sqlite) {
                st.execute("BEGIN IMMEDIATE");
            } else {
                c.setAutoCommit(false);
            }
            try {
                Long live = ControlTable.liveEpochs(c).get(group);
                long n = live == null ? 0 : live;
                if (expected >= 0 && n != expected) {
                    throw new ShardException("bucket group " + group + " is at epoch " + n + " in the control table, not "
                            + expected + " as the reshard began: another publisher moved it", SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
                }
                next = n + 1;
                ControlTable.insert(c, group, next, placement);
                also.run(c);
                Notifications.send(c); // PostgreSQL: listeners switch at the commit, not at their next poll
                if (sqlite) {
                    st.execute("COMMIT");
                } else {
                    c.commit();
                }
            } catch (SQLException e) {
                rollback(c, st, sqlite);
                throw e instanceof ShardException ? e : ShardException.fromShard(control, "publish an epoch of " + group, e);
            } catch (RuntimeException e) {
                rollback(c, st, sqlite);
                throw e;
            } finally {
                if (!sqlite) {
                    c.setAutoCommit(true);
                }
            }
        }
        s.switchTo(placement, next, retained);
        return next;
    }

    private static void rollback(Connection c, java.sql.Statement st, boolean sqlite) throws SQLException {
        if (sqlite) {
            try {
                st.execute("ROLLBACK");
            } catch (SQLException e) {
                // no transaction left to roll back: the first error is the one to report
            }
        } else {
            c.rollback();
        }
    }

    /** Refuses a placement of another B, or naming a shard the map does not have. */
    void check(String group, BucketPlacement placement) throws ShardException {
        BucketStrategy s = strategy(group);
        if (placement.buckets() != s.buckets()) {
            throw new ShardException("bucket group " + group + " has " + s.buckets() + " buckets; a placement of "
                    + placement.buckets() + " cannot replace it", SqlStates.INVALID_PARAMETER_VALUE);
        }
        epochs.checkShards(group, placement);
    }

    /** A connection to the control shard. */
    Connection control() throws SQLException {
        return epochs.control().open();
    }

    /**
     * The mover of {@code group}: copies, switches and cleans up a reshard to a new placement
     * (see {@link Mover}).
     *
     * @throws ShardException {@value SqlStates#INVALID_PARAMETER_VALUE} for an unknown group,
     *         {@value SqlStates#FEATURE_NOT_SUPPORTED} for a group the mover cannot move
     */
    public Mover mover(String group) throws ShardException {
        return new Mover(ds, this, group, strategy(group));
    }

    private BucketStrategy strategy(String group) throws ShardException {
        BucketStrategy s = epochs.groups().get(group);
        if (s == null) {
            throw new ShardException("unknown bucket group '" + group + "' (known: "
                    + String.join(", ", epochs.groups().keySet()) + ")", SqlStates.INVALID_PARAMETER_VALUE);
        }
        return s;
    }
}
