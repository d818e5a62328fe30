package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.ShardChoice;
import io.shardkit.Targets;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code hash(key) mod N} for keys of any type. The function is fixed and documented, so a row's
 * shard never changes across JVMs or shardkit releases:
 *
 * <ol>
 *   <li>the key's canonical text: integral numbers in decimal ({@code 42}, whatever the Java type,
 *       so {@code 42} and {@code "42"} land together), other values {@code toString()};</li>
 *   <li>64-bit FNV-1a over its UTF-8 bytes (offset basis {@code 0xcbf29ce484222325},
 *       prime {@code 0x100000001b3});</li>
 *   <li>shard index = that hash as an unsigned number, modulo N.</li>
 * </ol>
 */
public final class HashStrategy implements Strategy {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final List<String> shards;
    private final ShardChoice[] choices;
    private final Candidates[] candidates;
    private final Targets all;

    public HashStrategy(List<String> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("hash strategy needs at least one shard");
        }
        this.shards = List.copyOf(shards);
        int n = shards.size();
        this.choices = new ShardChoice[n];
        this.candidates = new Candidates[n];
        for (int i = 0; i < n; i++) {
            String reason = "fnv1a64 mod " + n + " = " + i + " → " + shards.get(i);
            choices[i] = new ShardChoice(shards.get(i), reason);
            candidates[i] = Candidates.of(shards.get(i), reason);
        }
        this.all = Targets.all("no shard key predicate → all " + n + " shards");
    }

    /** The documented hash of a key's canonical text. */
    public static long hash(Object key) {
        byte[] bytes = Keys.text(key).getBytes(StandardCharsets.UTF_8);
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= FNV_PRIME;
        }
        return h;
    }

    @Override
    public ShardChoice chooseShard(String table, Object key) {
        return choices[index(key)];
    }

    @Override
    public Candidates candidates(String table, Object key) {
        return candidates[index(key)];
    }

    @Override
    public Targets chooseShards(String table, String sql) {
        return all;
    }

    private int index(Object key) {
        return (int) Long.remainderUnsigned(hash(key), choices.length);
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    @Override
    public String describe() {
        return "hash (fnv1a64) mod " + shards.size() + " over " + shards;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashStrategy h && h.shards.equals(shards);
    }

    @Override
    public int hashCode() {
        return shards.hashCode() * 31 + 2;
    }

    @Override
    public String toString() {
        return describe();
    }
}
