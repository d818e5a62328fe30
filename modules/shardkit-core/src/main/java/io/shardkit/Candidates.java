package io.shardkit;

import java.util.List;
import java.util.Objects;

/**
 * The answer of an {@link IdChooser}: the shards that may hold a key, in the order to try them,
 * and why. Most strategies answer with exactly one shard.
 */
public record Candidates(List<String> shards, String reason) {
    public Candidates {
        shards = List.copyOf(shards);
        Objects.requireNonNull(reason, "reason");
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("Candidates need at least one shard (" + reason + ")");
        }
    }

    public static Candidates of(String shard, String reason) {
        return new Candidates(List.of(shard), reason);
    }
}
