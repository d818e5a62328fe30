package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.ShardChoice;
import io.shardkit.ShardException;
import io.shardkit.Targets;
import java.util.List;

/**
 * {@code key mod N}: integer keys, shard {@code Math.floorMod(key, N)} of the list. Negative keys
 * are defined: {@code -1 mod 4 = 3}. Answers are built once, so routing allocates nothing.
 */
public final class ModStrategy implements Strategy {
    private final List<String> shards;
    private final ShardChoice[] choices;
    private final Candidates[] candidates;
    private final Targets all;

    public ModStrategy(List<String> shards) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("mod strategy needs at least one shard");
        }
        this.shards = List.copyOf(shards);
        int n = shards.size();
        this.choices = new ShardChoice[n];
        this.candidates = new Candidates[n];
        for (int i = 0; i < n; i++) {
            String reason = "mod " + n + " = " + i + " → " + shards.get(i);
            choices[i] = new ShardChoice(shards.get(i), reason);
            candidates[i] = Candidates.of(shards.get(i), reason);
        }
        this.all = Targets.all("no shard key predicate → all " + n + " shards");
    }

    @Override
    public ShardChoice chooseShard(String table, Object key) throws ShardException {
        return choices[index(table, key)];
    }

    @Override
    public Candidates candidates(String table, Object key) throws ShardException {
        return candidates[index(table, key)];
    }

    @Override
    public Targets chooseShards(String table, String sql) {
        return all;
    }

    private int index(String table, Object key) throws ShardException {
        return (int) Math.floorMod(Keys.toLong("mod", table, key), (long) choices.length);
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    @Override
    public String describe() {
        return "mod " + shards.size() + " over " + shards;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModStrategy m && m.shards.equals(shards);
    }

    @Override
    public int hashCode() {
        return shards.hashCode() * 31 + 1;
    }

    @Override
    public String toString() {
        return describe();
    }
}
