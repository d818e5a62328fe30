package io.shardkit;

import java.util.List;
import java.util.Objects;

/**
 * The answer of a {@link QueryChooser}: the shards a statement must run on, and why.
 * "Every shard of the table" is the explicit value {@link #all(String)}, never an empty list.
 */
public record Targets(boolean all, List<String> shards, String reason) {
    public Targets {
        shards = List.copyOf(shards);
        Objects.requireNonNull(reason, "reason");
        if (!all && shards.isEmpty()) {
            throw new IllegalArgumentException("Targets need at least one shard or all (" + reason + ")");
        }
    }

    /** Every shard that holds the table. */
    public static Targets all(String reason) {
        return new Targets(true, List.of(), reason);
    }

    public static Targets of(List<String> shards, String reason) {
        return new Targets(false, shards, reason);
    }
}
