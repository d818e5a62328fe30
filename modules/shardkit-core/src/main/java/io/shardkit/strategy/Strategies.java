package io.shardkit.strategy;

import java.util.List;
import java.util.Map;

/** Factories for the built-in strategies, for the Java builder. YAML names them by {@code type}. */
public final class Strategies {
    private Strategies() {
    }

    /** {@code floorMod(key, N)} over the shards in order; integer keys. */
    public static Strategy mod(String... shards) {
        return new ModStrategy(List.of(shards));
    }

    /** FNV-1a 64 of the key's canonical text, mod N; see {@link HashStrategy}. */
    public static Strategy hash(String... shards) {
        return new HashStrategy(List.of(shards));
    }

    /** Ascending bounds; one more shard than bounds. See {@link RangeStrategy}. */
    public static Strategy range(List<?> bounds, List<String> shards) {
        return new RangeStrategy(bounds, shards);
    }

    /** Value → shard; {@code defaultShard} may be {@code null}. */
    public static Strategy list(Map<String, String> values, String defaultShard) {
        return new ListStrategy(values, defaultShard);
    }

    /**
     * {@code buckets} buckets (a power of two) over the shards, bucket b on {@code shards[b mod n]};
     * a key's bucket is {@code floorMod(key, buckets)} ({@code mod}) or its FNV-1a 64 hash mod
     * buckets ({@code hash}). See {@link BucketStrategy}; {@link #buckets(BucketPlacement,
     * BucketStrategy.BucketOf)} takes another placement.
     */
    public static Strategy buckets(int buckets, BucketStrategy.BucketOf bucketOf, String... shards) {
        return new BucketStrategy(buckets, bucketOf, List.of(shards));
    }

    /** Buckets placed as {@code placement} says (from {@link BucketPlacement#of} or {@link BucketPlacement#grow}). */
    public static Strategy buckets(BucketPlacement placement, BucketStrategy.BucketOf bucketOf) {
        return new BucketStrategy(placement, bucketOf);
    }

    /**
     * Every row on {@code shard}, whatever the key (any type): for a table split by name inside one
     * database. Describes itself as {@code all rows on s0}.
     */
    public static Strategy single(String shard) {
        return new SingleStrategy(shard);
    }

    /** A user object implementing one or more chooser interfaces, over the given shards. */
    public static Strategy custom(Object chooser, List<String> shards) {
        return new CustomStrategy(chooser, shards, Map.of());
    }
}
