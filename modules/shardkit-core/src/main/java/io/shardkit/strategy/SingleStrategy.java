package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.ShardChoice;
import io.shardkit.Targets;
import java.util.List;

/**
 * Every row on one shard, whatever the key: for a table split by name inside one database
 * without a strategy over databases. Accepts keys of any type; routing allocates nothing.
 */
final class SingleStrategy implements Strategy {
    private final String shard;
    private final List<String> shards;
    private final ShardChoice choice;
    private final Candidates candidates;
    private final Targets all;

    SingleStrategy(String shard) {
        if (shard == null || shard.isBlank()) {
            throw new IllegalArgumentException("single-shard strategy needs a shard name");
        }
        this.shard = shard;
        this.shards = List.of(shard);
        this.choice = new ShardChoice(shard, "all rows on " + shard);
        this.candidates = Candidates.of(shard, "all rows on " + shard);
        this.all = Targets.all("all rows on " + shard);
    }

    @Override
    public ShardChoice chooseShard(String table, Object key) {
        return choice;
    }

    @Override
    public Candidates candidates(String table, Object key) {
        return candidates;
    }

    @Override
    public Targets chooseShards(String table, String sql) {
        return all;
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    @Override
    public String describe() {
        return "all rows on " + shard;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SingleStrategy s && s.shard.equals(shard);
    }

    @Override
    public int hashCode() {
        return shard.hashCode() * 31 + 5;
    }

    @Override
    public String toString() {
        return describe();
    }
}
