package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.ShardChoice;
import io.shardkit.ShardException;
import io.shardkit.Targets;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keys → B virtual buckets → shards, the basis of resharding: a bucket, not a key, is what moves.
 * The bucket function is fixed and documented, so a key's bucket never changes across JVMs or
 * releases (only the {@link BucketPlacement placement} of buckets on shards changes):
 *
 * <ul>
 *   <li>{@link BucketOf#MOD}: {@code Math.floorMod(key, B)} of the key as a 64-bit integer, read
 *       exactly as {@link ModStrategy} reads it (so {@code -1} is bucket {@code B - 1}, and keys
 *       {@code mod} refuses are refused the same way). With the default placement over n shards
 *       and n dividing B, a key's shard is {@code key mod n}: a {@code mod n} map converts to
 *       buckets without moving a row.</li>
 *   <li>{@link BucketOf#HASH}: {@link HashStrategy#hash} of the key's canonical text (FNV-1a 64),
 *       as an unsigned number, mod B; keys of any type.</li>
 * </ul>
 *
 * <p>Two tables are co-located when B, the bucket function and the placement are equal; once a
 * strategy is {@link #inGroup bound to a bucket group} (a map with {@code resharding:}), when B, the
 * bucket function and the group are equal, so that tables stay joinable across epochs. Cost:
 * one {@code int} per bucket for the placement, and for B up to {@link #CACHED} one answer per
 * bucket, built the first time a key of that bucket is routed and reused after, so routing then
 * allocates nothing; above {@link #CACHED} buckets each routed key builds its answer.
 *
 * <p>The live placement, its epoch and its answers are one immutable {@link Live} behind a volatile
 * reference: each routed key reads it once, and {@link #switchTo} replaces all three at once, so a
 * key is routed by one epoch and a switch happens between lookups.
 */
public final class BucketStrategy implements Strategy {
    /** Up to this many buckets, answers are kept per bucket. */
    public static final int CACHED = 1 << 16;

    /** How a key becomes a bucket. */
    public enum BucketOf {
        /** {@code floorMod(key, B)}, integer keys. */
        MOD,
        /** FNV-1a 64 of the key's canonical text, unsigned, mod B; any key. */
        HASH;

        /** The name used in YAML ({@code bucketOf: mod}) and in {@link BucketStrategy#describe()}. */
        public String yaml() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The two answers for one bucket, made together. */
    private record Answer(ShardChoice choice, Candidates candidates) {
    }

    /**
     * One epoch's placement with its answer cache (swapped with it) and scatter target.
     * {@code epoch} 0 means the strategy is not versioned: reasons then name no epoch.
     */
    private record Live(BucketPlacement placement, long epoch, Answer[] answers, Targets all, Ownership ownership) {
        static Live of(BucketPlacement placement, long epoch, Map<String, BitSet> retained) {
            return new Live(placement, epoch, placement.buckets() <= CACHED ? new Answer[placement.buckets()] : null,
                    Targets.all("no shard key predicate → all " + placement.shards().size() + " shards holding a bucket"),
                    new Ownership(placement, epoch, retained));
        }
    }

    /**
     * One epoch's ownership, read whole: the placement, its epoch, and the buckets each shard still
     * holds rows of without owning them ({@code retained}: a move's source between the switch and
     * the end of its cleanup). A scatter over the placement's shards counts a row twice unless the
     * shards in {@code retained} leave out those buckets. Immutable: the map and its bit sets are
     * never changed after construction (do not change them).
     */
    public record Ownership(BucketPlacement placement, long epoch, Map<String, BitSet> retained) {
        public Ownership {
            Map<String, BitSet> copy = new LinkedHashMap<>();
            retained.forEach((shard, b) -> {
                if (!b.isEmpty()) {
                    copy.put(shard, (BitSet) b.clone());
                }
            });
            retained = Collections.unmodifiableMap(copy);
        }

        /** The buckets {@code shard} holds rows of without owning them, or {@code null} when none. */
        public BitSet retainedOn(String shard) {
            return retained.get(shard);
        }
    }

    private final BucketOf bucketOf;
    private final int buckets;
    private final int mask;
    private final String rule;
    private final String group;
    private final String describe;
    private volatile Live live;

    public BucketStrategy(BucketPlacement placement, BucketOf bucketOf) {
        this(placement, bucketOf, null, 0);
    }

    private BucketStrategy(BucketPlacement placement, BucketOf bucketOf, String group, long epoch) {
        this.bucketOf = bucketOf;
        this.buckets = placement.buckets();
        this.mask = buckets - 1;
        this.rule = (bucketOf == BucketOf.MOD ? "key" : "fnv1a64(key)") + " mod " + buckets;
        this.group = group;
        this.describe = group == null ? describe(placement, bucketOf)
                : "buckets " + buckets + " (" + bucketOf.yaml() + "), group " + group;
        this.live = Live.of(placement, epoch, Map.of());
    }

    /** The default placement of {@code buckets} over {@code shards} (bucket b on {@code shards[b mod n]}). */
    public BucketStrategy(int buckets, BucketOf bucketOf, List<String> shards) {
        this(BucketPlacement.defaultOver(buckets, shards), bucketOf);
    }

    /** The bucket of {@code key} under {@code bucketOf} with B buckets: the documented, stable function. */
    public static int bucket(BucketOf bucketOf, int buckets, String table, Object key) throws ShardException {
        BucketPlacement.checkBuckets(buckets);
        return bucketOf == BucketOf.MOD ? (int) Math.floorMod(Keys.toLong("buckets", table, key), (long) buckets)
                : (int) Long.remainderUnsigned(HashStrategy.hash(key), buckets);
    }

    /** The bucket of {@code key} in this strategy. */
    public int bucket(String table, Object key) throws ShardException {
        // B is a power of two: floorMod and the unsigned remainder are both the low bits
        return bucketOf == BucketOf.MOD ? (int) (Keys.toLong("buckets", table, key) & mask)
                : (int) (HashStrategy.hash(key) & mask);
    }

    @Override
    public ShardChoice chooseShard(String table, Object key) throws ShardException {
        return answer(bucket(table, key)).choice;
    }

    @Override
    public Candidates candidates(String table, Object key) throws ShardException {
        return answer(bucket(table, key)).candidates;
    }

    /**
     * The answer for bucket {@code b}. A data race on the cache is benign: an {@link Answer} is
     * immutable (final fields), so a thread sees either {@code null} and builds an equal one, or a
     * whole answer.
     */
    private Answer answer(int b) {
        Live l = live; // read once: the whole answer is of one epoch
        Answer[] answers = l.answers;
        Answer a = answers == null ? null : answers[b];
        if (a == null) {
            String shard = l.placement.shardOf(b);
            String reason = "bucket " + b + " (" + rule + ") → " + shard + (l.epoch > 0 ? ", epoch " + l.epoch : "");
            a = new Answer(new ShardChoice(shard, reason), Candidates.of(shard, reason));
            if (answers != null) {
                answers[b] = a;
            }
        }
        return a;
    }

    @Override
    public Targets chooseShards(String table, String sql) {
        return live.all;
    }

    /** The shards that hold a bucket in the live placement, in the order they first hold one. */
    @Override
    public List<String> shards() {
        return live.placement.shards();
    }

    /** The live placement (of the live epoch when versioned); immutable, replaced whole by {@link #switchTo}. */
    public BucketPlacement placement() {
        return live.placement;
    }

    /** The live epoch: 0 when the strategy is not versioned (no {@code resharding:} in the map). */
    public long epoch() {
        return live.epoch;
    }

    /** The bucket group this strategy is bound to, or {@code null} when it is not versioned. */
    public String group() {
        return group;
    }

    /**
     * A new strategy with this one's B, bucket function and live placement, bound to bucket group
     * {@code name}, at epoch 0 until the first {@link #switchTo}: equal to every strategy of the
     * same B, bucket function and group, whatever their placements. Each data source binds its own.
     */
    public BucketStrategy inGroup(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a bucket group needs a name");
        }
        return new BucketStrategy(live.placement, bucketOf, name, 0);
    }

    /**
     * Makes {@code placement} the live one at {@code epoch}, when that epoch is newer than the live
     * one (an older or equal epoch is ignored: a poll and a publish may race). For the resharding
     * package; statements already routing keep the placement they read.
     *
     * @return whether the placement was switched
     * @throws IllegalStateException when this strategy is not bound to a group
     * @throws IllegalArgumentException when the placement has another B
     */
    public synchronized boolean switchTo(BucketPlacement placement, long epoch) {
        return switchTo(placement, epoch, live.epoch == epoch ? live.ownership.retained() : Map.of());
    }

    /**
     * Makes {@code placement} the live one at {@code epoch} with the given retained buckets (see
     * {@link Ownership}), when that epoch is newer than the live one, or is the live one and the
     * retained buckets differ (a cleanup finished, or a poll saw the move's state).
     *
     * @return whether anything changed
     * @throws IllegalStateException when this strategy is not bound to a group
     * @throws IllegalArgumentException when the placement has another B, or a retained bucket is
     *         out of range or owned by the shard said to retain it
     */
    public synchronized boolean switchTo(BucketPlacement placement, long epoch, Map<String, BitSet> retained) {
        if (group == null) {
            throw new IllegalStateException("only a strategy bound to a bucket group switches placements");
        }
        if (placement.buckets() != buckets) {
            throw new IllegalArgumentException("group " + group + " has " + buckets + " buckets; a placement of "
                    + placement.buckets() + " cannot replace it");
        }
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs count from 1, got " + epoch);
        }
        Ownership next = new Ownership(placement, epoch, retained);
        for (Map.Entry<String, BitSet> r : next.retained().entrySet()) {
            BitSet b = r.getValue();
            if (b.length() > buckets) {
                throw new IllegalArgumentException("retained bucket " + (b.length() - 1) + " is not below " + buckets);
            }
            for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
                if (placement.shardOf(i).equals(r.getKey())) {
                    throw new IllegalArgumentException("shard " + r.getKey() + " owns bucket " + i + "; it cannot retain it");
                }
            }
        }
        if (epoch < live.epoch || epoch == live.epoch && next.retained().equals(live.ownership.retained())) {
            return false;
        }
        if (epoch == live.epoch && !placement.equals(live.placement)) {
            throw new IllegalArgumentException("epoch " + epoch + " of group " + group + " has another placement");
        }
        live = Live.of(placement, epoch, next.retained());
        return true;
    }

    /** The live ownership, read whole (one volatile read): use it when a statement needs both targets and retained buckets. */
    public Ownership ownership() {
        return live.ownership;
    }

    public BucketOf bucketOf() {
        return bucketOf;
    }

    public int buckets() {
        return buckets;
    }

    /** This strategy's live placement grown onto more shards; see {@link BucketPlacement#grow}. */
    public BucketPlacement grow(List<String> newShards) {
        return live.placement.grow(newShards);
    }

    /**
     * {@code buckets 4096 (mod) over [s0, s1, s2, s3]} for the default placement; any other
     * placement follows as its bucket ranges (up to eight) or as the number of ranges and a
     * digest of the placement, so that unequal strategies never describe themselves alike. Bound to
     * a group: {@code buckets 4096 (mod), group players}, the same in every epoch.
     */
    @Override
    public String describe() {
        return describe;
    }

    private static String describe(BucketPlacement placement, BucketOf bucketOf) {
        String head = "buckets " + placement.buckets() + " (" + bucketOf.yaml() + ") over " + placement.shards();
        if (placement.isDefault()) {
            return head;
        }
        Map<String, String> ranges = placement.ranges();
        if (ranges.size() <= 8) {
            return head + ", placed " + ranges.toString().replace("=", ": ").replace("{", "").replace("}", "");
        }
        StringBuilder text = new StringBuilder();
        ranges.forEach((r, s) -> text.append(r).append(':').append(s).append(','));
        return head + ", placed in " + ranges.size() + " ranges (digest "
                + Long.toHexString(HashStrategy.hash(text.toString())) + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BucketStrategy s) || s.bucketOf != bucketOf || s.buckets != buckets
                || (s.group == null) != (group == null)) {
            return false;
        }
        return group != null ? s.group.equals(group) : s.live.placement.equals(live.placement);
    }

    @Override
    public int hashCode() {
        return (group != null ? group.hashCode() * 17 + buckets : live.placement.hashCode()) * 31
                + bucketOf.ordinal() * 7 + 3;
    }

    @Override
    public String toString() {
        return describe();
    }
}
