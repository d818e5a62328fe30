package io.shardkit.reshard;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.config.TableRule;
import io.shardkit.internal.IdBlockTable;
import io.shardkit.reshard.MoveLedger.Move;
import io.shardkit.reshard.MoveLedger.Step;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The online move of one bucket group to a new placement (docs/RESHARDING.md, "The move"): each
 * bucket whose shard changes goes from its source S to its target T, all of them switched at once
 * by one new epoch. {@link #start} prepares (triggers on S), copies in primary-key chunks, catches
 * up from S's change log and verifies; {@link #switchOver} fences S (the database refuses writes to
 * moved rows), drains the log and publishes epoch n+1; {@link #cleanup} deletes the moved rows
 * from S; {@link #abort} undoes a reshard that has not switched. The state is in the control
 * shard ({@code shardkit_moves}), so each call resumes where a crashed one stopped, from any JVM.
 *
 * <p>Limits, refused with {@value SqlStates#FEATURE_NOT_SUPPORTED}: targets must own no bucket of
 * the group before the move (split into new shards: readers that have not switched never look at
 * T, so T's copies cannot be counted twice); {@code bucketOf: hash} (the bucket cannot be computed
 * in SQL); tables without a primary key; moves between different kinds of database; maps with
 * tenancy. Not thread-safe: one mover of a group at a time (the ledger refuses a second reshard
 * of the group; two movers of the same reshard would do the work twice, harmlessly but slowly).
 */
public final class Mover {
    /** Where a test may make the mover fail, to prove a resumed one loses nothing. */
    @FunctionalInterface
    interface Faults {
        void at(String point) throws SQLException;
    }

    static volatile Faults faults = point -> {
    };

    private final ShardedDataSource ds;
    private final Resharding resharding;
    private final String group;
    private final BucketStrategy strategy;
    private final Map<String, String> keys = new LinkedHashMap<>();
    private final MoveWork work;
    private Consumer<String> progress = line -> {
    };
    private volatile MoveStatus last;

    Mover(ShardedDataSource ds, Resharding resharding, String group, BucketStrategy strategy) throws ShardException {
        this.ds = ds;
        this.resharding = resharding;
        this.group = group;
        this.strategy = strategy;
        if (strategy.bucketOf() != BucketStrategy.BucketOf.MOD) {
            throw new ShardException("bucket group " + group + " uses bucketOf: hash, whose bucket cannot be computed in"
                    + " SQL: the mover needs bucketOf: mod", SqlStates.FEATURE_NOT_SUPPORTED);
        }
        if (ds.shardMap().tenancy() != null) {
            throw new ShardException("moving buckets of a map with tenancy (a schema per tenant) is not supported",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        boolean ids = false;
        for (TableRule r : ds.shardMap().tables().values()) {
            if (r.strategy() == strategy) {
                keys.put(r.table(), r.keyColumn());
                ids |= r.idOf() != null;
            }
        }
        if (ids) {
            keys.put(IdBlockTable.TABLE, "bucket"); // the lease row of a bucket moves with it
        }
        this.work = new MoveWork(ds, resharding, keys, strategy.buckets());
    }

    /** Rows per chunk of copy, catch-up, verify and cleanup (default 1,000). */
    public Mover chunk(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("a chunk holds at least one row, not " + rows);
        }
        work.chunk = rows;
        return this;
    }

    /** Receives one line per table copied, per catch-up pass and per step, with rows and rates. */
    public Mover progress(Consumer<String> lines) {
        this.progress = lines;
        work.progress = lines;
        return this;
    }

    /** The tables the mover moves, with their shard key columns ({@code shardkit_id_blocks} when the group has ids). */
    public Map<String, String> tables() {
        return Map.copyOf(keys);
    }

    /**
     * What a reshard to {@code target} would move: one pair per (source, target) with its buckets
     * and rows; writes nothing but the (empty) id lease table where the group has ids and a shard lacks it.
     */
    public MoveStatus plan(BucketPlacement target) throws SQLException {
        List<Move> moves = planned(target, strategy.epoch());
        List<MoveStatus.Pair> pairs = new ArrayList<>();
        for (Move m : moves) {
            long rows = 0;
            try (Connection s = work.open(m.source()); Connection t = work.open(m.target())) {
                if (keys.containsKey(IdBlockTable.TABLE)) {
                    Fences.createIdBlocks(s, t);
                }
                for (TableMove tm : work.tables(m, s, t)) {
                    rows += tm.count(s);
                }
            }
            pairs.add(new MoveStatus.Pair(m.source(), m.target(), BucketSql.text(m.buckets()), m.buckets().cardinality(),
                    rows, 0));
        }
        return new MoveStatus(group, strategy.epoch(), "planned", pairs, 0, 0);
    }

    /**
     * Prepares, copies, catches up and verifies a reshard to {@code target}, or resumes the one in
     * progress (which must be to the same placement); returns at step {@code verified}, with writes
     * still going to S. Safe to call again after a crash or a failure: each step is redone whole.
     */
    public MoveStatus start(BucketPlacement target) throws SQLException {
        List<Move> moves = begin(target);
        Step step = moves.get(0).step();
        if (step.compareTo(Step.VERIFIED) > 0) {
            return status();
        }
        if (step == Step.PLANNED) {
            work.prepare(moves);
            step(moves, Step.PREPARED, null);
        }
        if (step.compareTo(Step.COPIED) < 0) {
            work.copy(moves);
            step(moves, Step.COPIED, null);
        }
        long replayed = work.catchUp(moves, false);
        long fixed = work.verify(moves);
        replayed += work.catchUp(moves, false);
        progress.accept("verified: " + fixed + " rows recopied, " + replayed + " logged changes replayed");
        step(moves, Step.VERIFIED, null);
        return status();
    }

    /** Compares the moved rows on both sides again (catching up first) and recopies what differs; returns the rows fixed. */
    public long verify() throws SQLException {
        List<Move> moves = active(Step.PREPARED, Step.VERIFIED, "verify");
        work.catchUp(moves, false);
        return work.verify(moves);
    }

    /**
     * Fences the moved buckets on every source (writes to them are refused by the database from
     * now on, after the writers in flight commit), drains the change logs and publishes the new
     * placement as epoch n+1 with the sources' retained buckets, in one transaction on the control
     * shard. Writes to moved buckets are refused from the fence to the publish: the status's
     * {@code pauseMillis}.
     */
    public MoveStatus switchOver() throws SQLException {
        List<Move> moves = active(Step.VERIFIED, Step.FENCED, "switch");
        if (moves.get(0).step() == Step.VERIFIED) {
            work.catchUp(moves, false); // what was written since start: the less left, the shorter the pause
        }
        long t0 = System.nanoTime();
        Map<String, BitSet> bySource = MoveWork.bySource(moves);
        for (Map.Entry<String, BitSet> e : bySource.entrySet()) {
            try (Connection s = work.open(e.getKey())) {
                Fences.fence(s, BucketSql.array(e.getValue()));
            }
        }
        step(moves, Step.FENCED, null);
        faults.at("fenced");
        long drained = work.catchUp(moves, true);
        faults.at("drained");
        BucketPlacement target = after(moves);
        long epoch = resharding.publish(group, target, moves.get(0).epochFrom(),
                c -> MoveLedger.step(c, group, moves.get(0).epochFrom(), Step.SWITCHED, moves.get(0).epochFrom() + 1),
                bySource);
        long pause = (System.nanoTime() - t0) / 1_000_000;
        progress.accept("switched to epoch " + epoch + " after a " + pause + " ms pause (" + drained
                + " changes drained)");
        last = status().withPause(pause);
        return last;
    }

    /**
     * Deletes the moved rows from the sources in chunks, once {@code grace} has passed since the
     * switch (at least the longest poll interval of any instance: one that has not switched yet
     * still reads moved buckets on S). The fence stays: a write from an instance that never
     * switched is refused after cleanup too. Readers stop excluding the buckets at their next poll.
     */
    public MoveStatus cleanup(Duration grace) throws SQLException {
        List<Move> moves = active(Step.SWITCHED, Step.SWITCHED, "cleanup");
        long since = System.currentTimeMillis() - moves.get(0).updatedMs();
        if (since < grace.toMillis()) {
            throw new ShardException("the switch of bucket group " + group + " was " + since + " ms ago; cleanup waits "
                    + grace.toMillis() + " ms (the grace period) so that every instance has switched",
                    SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
        }
        long deleted = 0;
        for (Move m : moves) {
            try (Connection s = work.open(m.source()); Connection t = work.open(m.target())) {
                for (TableMove tm : work.tables(m, s, t)) {
                    int n;
                    do {
                        n = Fences.asMover(s, BucketSql.array(m.buckets()), () -> tm.deleteChunk(s, work.chunk));
                        deleted += n;
                        faults.at("cleanup-chunk");
                    } while (n > 0);
                }
                Fences.clearLog(s, keys.keySet());
            }
        }
        long epochFrom = moves.get(0).epochFrom();
        try (Connection c = resharding.control()) {
            MoveLedger.step(c, group, epochFrom, Step.CLEANED, null);
            Notifications.send(c);
        }
        resharding.refresh();
        progress.accept("cleaned: " + deleted + " rows deleted from the sources");
        last = ended(moves, Step.CLEANED).withPause(last == null ? 0 : last.pauseMillis());
        return last;
    }

    /**
     * Undoes a reshard that has not switched: the sources stop logging and fencing the buckets
     * (and lose their triggers when no other move needs them), the targets' copies are deleted.
     * After the switch the way back is a new reshard to the old placement (not supported yet: its
     * targets own buckets).
     */
    public MoveStatus abort() throws SQLException {
        List<Move> moves = active(Step.PLANNED, Step.FENCED, "abort");
        for (Map.Entry<String, BitSet> e : MoveWork.bySource(moves).entrySet()) {
            try (Connection s = work.open(e.getKey())) {
                Fences.release(s, BucketSql.array(e.getValue()), keys.keySet());
            }
        }
        for (Move m : moves) {
            try (Connection s = work.open(m.source()); Connection t = work.open(m.target())) {
                for (TableMove tm : work.tables(m, s, t)) {
                    while (tm.deleteChunk(t, work.chunk) > 0) {
                        faults.at("abort-chunk");
                    }
                }
            } catch (ShardException e) {
                if (!SqlStates.UNDEFINED_TABLE.equals(e.getSQLState())) {
                    throw e; // a table missing on T holds no copy
                }
            }
        }
        step(moves, Step.ABORTED, null);
        progress.accept("aborted: epoch " + moves.get(0).epochFrom() + " stays live");
        last = ended(moves, Step.ABORTED);
        return last;
    }

    /**
     * The reshard in progress, or else the last one this mover object ended (cleaned or aborted),
     * or {@code null} when there is neither.
     */
    public MoveStatus status() throws SQLException {
        List<Move> moves;
        try (Connection c = resharding.control()) {
            MoveLedger.create(c);
            moves = MoveLedger.active(c, group);
        }
        if (moves.isEmpty()) {
            return last;
        }
        List<MoveStatus.Pair> pairs = new ArrayList<>();
        for (Move m : moves) {
            long pending;
            try (Connection s = work.open(m.source())) {
                pending = Fences.pending(s, keys.keySet());
            }
            pairs.add(new MoveStatus.Pair(m.source(), m.target(), BucketSql.text(m.buckets()), m.buckets().cardinality(),
                    m.rowsCopied(), pending));
        }
        MoveStatus s = new MoveStatus(group, moves.get(0).epochFrom(), moves.get(0).step().sql(), pairs,
                last == null ? 0 : last.pauseMillis(), moves.get(0).updatedMs());
        return s;
    }

    // ---- the steps ----

    private MoveStatus ended(List<Move> moves, Step step) {
        List<MoveStatus.Pair> pairs = new ArrayList<>();
        for (Move m : moves) {
            pairs.add(new MoveStatus.Pair(m.source(), m.target(), BucketSql.text(m.buckets()), m.buckets().cardinality(),
                    m.rowsCopied(), 0));
        }
        return new MoveStatus(group, moves.get(0).epochFrom(), step.sql(), pairs, 0, System.currentTimeMillis());
    }

    private List<Move> begin(BucketPlacement target) throws SQLException {
        try (Connection c = resharding.control()) {
            MoveLedger.create(c);
            List<Move> active = MoveLedger.active(c, group);
            if (!active.isEmpty()) {
                if (!after(active).equals(target)) {
                    throw new ShardException("bucket group " + group + " has a reshard in progress (step "
                            + active.get(0).step().sql() + ") to another placement: finish or abort it first",
                            SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
                }
                return active;
            }
            resharding.refresh();
            List<Move> moves = planned(target, strategy.epoch());
            plan(target); // refusals (a table missing, different or without a key) before the ledger holds the move
            MoveLedger.insert(c, moves);
            progress.accept("planned: " + moves.size() + " moves from epoch " + strategy.epoch());
            return moves;
        }
    }

    private List<Move> planned(BucketPlacement target, long epoch) throws SQLException {
        BucketPlacement live = strategy.placement();
        resharding.check(group, target);
        Map<String, BitSet> pairs = new LinkedHashMap<>();
        for (int b = 0; b < live.buckets(); b++) {
            String from = live.shardOf(b);
            String to = target.shardOf(b);
            if (!from.equals(to)) {
                if (live.count(to) > 0) {
                    throw new ShardException("bucket " + b + " would move from " + from + " to " + to + ", which holds"
                            + " buckets of group " + group + " already: the mover moves buckets to new shards only",
                            SqlStates.FEATURE_NOT_SUPPORTED);
                }
                pairs.computeIfAbsent(from + "\u0000" + to, k -> new BitSet()).set(b);
            }
        }
        if (pairs.isEmpty()) {
            throw new ShardException("the placement given for bucket group " + group + " is the live one: nothing moves",
                    SqlStates.INVALID_PARAMETER_VALUE);
        }
        List<Move> moves = new ArrayList<>();
        pairs.forEach((k, buckets) -> {
            String[] st = k.split("\u0000");
            moves.add(new Move(group, epoch, st[0], st[1], buckets, Step.PLANNED, null, 0, System.currentTimeMillis()));
        });
        return moves;
    }

    /** The placement a reshard leads to: its starting epoch's with the moved buckets on their targets. */
    private BucketPlacement after(List<Move> moves) throws SQLException {
        BucketPlacement from;
        try (Connection c = resharding.control()) {
            from = ControlTable.read(c, group, moves.get(0).epochFrom(), strategy.buckets());
        }
        List<String> of = new ArrayList<>();
        for (int b = 0; b < from.buckets(); b++) {
            of.add(from.shardOf(b));
        }
        for (Move m : moves) {
            m.buckets().stream().forEach(b -> of.set(b, m.target()));
        }
        return BucketPlacement.of(of);
    }

    private List<Move> active(Step from, Step to, String what) throws SQLException {
        List<Move> moves;
        try (Connection c = resharding.control()) {
            MoveLedger.create(c);
            moves = MoveLedger.active(c, group);
        }
        if (moves.isEmpty()) {
            throw new ShardException("bucket group " + group + " has no reshard in progress to " + what,
                    SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
        }
        Step step = moves.get(0).step();
        if (step.compareTo(from) < 0 || step.compareTo(to) > 0) {
            throw new ShardException("cannot " + what + " the reshard of bucket group " + group + " at step "
                    + step.sql() + " (needs " + from.sql() + (from == to ? "" : " to " + to.sql()) + ")",
                    SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
        }
        return moves;
    }

    private void step(List<Move> moves, Step step, Long epochTo) throws SQLException {
        try (Connection c = resharding.control()) {
            MoveLedger.step(c, group, moves.get(0).epochFrom(), step, epochTo);
        }
        moves.replaceAll(m -> new Move(m.group(), m.epochFrom(), m.source(), m.target(), m.buckets(), step, epochTo,
                m.rowsCopied(), System.currentTimeMillis()));
    }
}
