package io.shardkit.strategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which shard holds each of B virtual buckets (B a power of two, at most {@link #MAX_BUCKETS}):
 * the placement of a {@link BucketStrategy}, and the value resharding computes with
 * ({@link #grow}, {@link #movedBuckets}). Immutable; one {@code int} per bucket.
 *
 * <p>The shards are kept in the order they first hold a bucket (the shard of bucket 0 first), so
 * two placements that put every bucket on the same shard are {@link #equals equal} whatever order
 * they were given in. The default placement over shards {@code [s0..sn-1]} puts bucket b on
 * {@code s(b mod n)}; with n dividing B that is exactly {@code key mod n} for {@code bucket = key mod B}.
 */
public final class BucketPlacement {
    /** The most buckets a placement may have. */
    public static final int MAX_BUCKETS = 1 << 20;

    private final List<String> shards;
    private final int[] shardOf;
    private final int hash;

    private BucketPlacement(List<String> shardOfBucket) {
        checkBuckets(shardOfBucket.size());
        Map<String, Integer> index = new HashMap<>();
        List<String> order = new ArrayList<>();
        int[] of = new int[shardOfBucket.size()];
        for (int b = 0; b < of.length; b++) {
            String s = shardOfBucket.get(b);
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("bucket " + b + " is not placed");
            }
            Integer i = index.get(s);
            if (i == null) {
                i = order.size();
                index.put(s, i);
                order.add(s);
            }
            of[b] = i;
        }
        this.shards = List.copyOf(order);
        this.shardOf = of;
        this.hash = shards.hashCode() * 31 + Arrays.hashCode(of);
    }

    /** A placement from the shard of every bucket, in bucket order (its size is B). */
    public static BucketPlacement of(List<String> shardOfBucket) {
        return new BucketPlacement(shardOfBucket);
    }

    /** The default placement: bucket b on {@code shards[b mod n]}. */
    public static BucketPlacement defaultOver(int buckets, List<String> shards) {
        checkBuckets(buckets);
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("buckets strategy needs at least one shard");
        }
        if (new HashSet<>(shards).size() != shards.size()) {
            throw new IllegalArgumentException("buckets strategy names a shard twice: " + shards);
        }
        if (shards.size() > buckets) {
            throw new IllegalArgumentException("buckets strategy has more shards (" + shards.size() + ") than buckets ("
                    + buckets + ")");
        }
        String[] of = new String[buckets];
        for (int b = 0; b < buckets; b++) {
            of[b] = shards.get(b % shards.size());
        }
        return new BucketPlacement(Arrays.asList(of));
    }

    /** Refuses a bucket count that is not a power of two from 1 to {@link #MAX_BUCKETS}. */
    static void checkBuckets(int buckets) {
        if (buckets < 1 || buckets > MAX_BUCKETS || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two from 1 to " + MAX_BUCKETS + ", got "
                    + buckets);
        }
    }

    /** B, the number of buckets. */
    public int buckets() {
        return shardOf.length;
    }

    /** The shards that hold a bucket, in the order they first hold one. */
    public List<String> shards() {
        return shards;
    }

    /** The shard holding bucket {@code b} (0 ≤ b < B). */
    public String shardOf(int b) {
        return shards.get(shardOf[b]);
    }

    /** The index in {@link #shards()} of the shard holding bucket {@code b}: no allocation, no check. */
    int indexOf(int b) {
        return shardOf[b];
    }

    /** How many buckets {@code shard} holds (0 for a shard not in the placement). */
    public int count(String shard) {
        int i = shards.indexOf(shard);
        int n = 0;
        for (int s : shardOf) {
            n += s == i ? 1 : 0;
        }
        return i < 0 ? 0 : n;
    }

    /** Whether this is the default placement over its shards (bucket b on {@code shards[b mod n]}). */
    public boolean isDefault() {
        int n = shards.size();
        for (int b = 0; b < shardOf.length; b++) {
            if (shardOf[b] != b % n) {
                return false;
            }
        }
        return true;
    }

    /**
     * The placement over {@code newShards} (every shard of this placement plus at least one new one)
     * that moves the fewest buckets, each onto a new shard: every new shard receives
     * {@code floor(B / n)} buckets (n = {@code newShards.size()}), taken one at a time from the old
     * shard holding the most (the lowest-ranked of equals), its highest bucket first, and handed to
     * the new shard holding the fewest. When the default placement over {@code newShards} moves
     * that few buckets and only onto new shards (4 → 8 from the default over 4: the buckets with
     * {@code b mod 8 >= 4}), it is the answer. Pure: this placement is not changed.
     */
    public BucketPlacement grow(List<String> newShards) {
        int n = newShards.size();
        if (new HashSet<>(newShards).size() != n) {
            throw new IllegalArgumentException("grow names a shard twice: " + newShards);
        }
        for (String s : shards) {
            if (!newShards.contains(s)) {
                throw new IllegalArgumentException("grow keeps every shard: " + s + " is missing from " + newShards);
            }
        }
        if (n == shards.size()) {
            throw new IllegalArgumentException("grow needs at least one new shard: " + newShards);
        }
        if (n > buckets()) {
            throw new IllegalArgumentException("grow to " + n + " shards needs at least as many buckets, has "
                    + buckets());
        }
        int share = buckets() / n;
        int needed = share * (n - shards.size());
        BucketPlacement plain = defaultOver(buckets(), newShards);
        if (movesOnlyOntoNew(plain) && movedBuckets(this, plain).length == needed) {
            return plain;
        }
        return greedy(newShards, share);
    }

    private boolean movesOnlyOntoNew(BucketPlacement to) {
        for (int b = 0; b < shardOf.length; b++) {
            String now = shardOf(b);
            String then = to.shardOf(b);
            if (!now.equals(then) && shards.contains(then)) {
                return false;
            }
        }
        return true;
    }

    private BucketPlacement greedy(List<String> newShards, int share) {
        int old = shards.size();
        int[][] held = new int[old][];
        int[] left = new int[old];
        for (int s = 0; s < old; s++) {
            held[s] = new int[count(shards.get(s))];
        }
        for (int b = 0; b < shardOf.length; b++) {
            held[shardOf[b]][left[shardOf[b]]++] = b; // ascending; taken from the end
        }
        List<String> added = new ArrayList<>();
        for (String s : newShards) {
            if (!shards.contains(s)) {
                added.add(s);
            }
        }
        int[] received = new int[added.size()];
        String[] of = new String[shardOf.length];
        for (int b = 0; b < of.length; b++) {
            of[b] = shardOf(b);
        }
        for (int k = 0; k < share * added.size(); k++) {
            int donor = 0;
            for (int s = 1; s < old; s++) {
                if (left[s] > left[donor]) {
                    donor = s;
                }
            }
            int to = 0;
            for (int t = 1; t < received.length; t++) {
                if (received[t] < received[to]) {
                    to = t;
                }
            }
            of[held[donor][--left[donor]]] = added.get(to);
            received[to]++;
        }
        return new BucketPlacement(Arrays.asList(of));
    }

    /** The buckets whose shard differs between two placements of the same B, ascending. */
    public static int[] movedBuckets(BucketPlacement from, BucketPlacement to) {
        if (from.buckets() != to.buckets()) {
            throw new IllegalArgumentException("placements of " + from.buckets() + " and " + to.buckets()
                    + " buckets cannot be compared");
        }
        int n = 0;
        int[] moved = new int[from.buckets()];
        for (int b = 0; b < moved.length; b++) {
            if (!from.shardOf(b).equals(to.shardOf(b))) {
                moved[n++] = b;
            }
        }
        return Arrays.copyOf(moved, n);
    }

    /**
     * The placement as bucket ranges, e.g. {@code 0-1023: s0, 1024-2047: s1} (a single bucket
     * written alone), in bucket order; the form {@code placement:} takes in YAML.
     */
    public Map<String, String> ranges() {
        Map<String, String> out = new LinkedHashMap<>();
        int start = 0;
        for (int b = 1; b <= shardOf.length; b++) {
            if (b == shardOf.length || shardOf[b] != shardOf[start]) {
                out.put(start == b - 1 ? Integer.toString(start) : start + "-" + (b - 1), shards.get(shardOf[start]));
                start = b;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BucketPlacement p && p.hash == hash && p.shards.equals(shards)
                && Arrays.equals(p.shardOf, shardOf);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return buckets() + " buckets over " + shards;
    }
}
