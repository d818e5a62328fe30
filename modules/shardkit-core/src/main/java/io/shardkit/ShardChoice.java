package io.shardkit;

import java.util.Objects;

/**
 * The answer of a {@link ShardChooser}: the one shard a new row goes to, and why.
 * Built-in strategies return pre-built instances, so choosing allocates nothing.
 */
public record ShardChoice(String shard, String reason) {
    public ShardChoice {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(reason, "reason");
    }
}
