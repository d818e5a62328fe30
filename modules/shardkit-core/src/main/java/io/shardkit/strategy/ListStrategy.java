package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.ShardChoice;
import io.shardkit.ShardException;
import io.shardkit.Targets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Value → shard, from an explicit table (region {@code 'eu'} → s0). Keys are matched by their
 * canonical text, so {@code 7} and {@code '7'} are the same value. A key not in the table goes to
 * the default shard, or fails with a {@link ShardException} when there is none.
 */
public final class ListStrategy implements Strategy {
    private final Map<String, String> values;
    private final String defaultShard;
    private final List<String> shards;
    private final Map<String, ShardChoice> choices = new HashMap<>();
    private final Map<String, Candidates> candidates = new HashMap<>();
    private final ShardChoice defaultChoice;
    private final Candidates defaultCandidates;
    private final Targets all;

    /** @param values value text → shard; @param defaultShard may be {@code null} */
    public ListStrategy(Map<String, String> values, String defaultShard) {
        if (values.isEmpty() && defaultShard == null) {
            throw new IllegalArgumentException("list strategy needs values or a default shard");
        }
        this.values = new LinkedHashMap<>(values);
        this.defaultShard = defaultShard;
        Set<String> all = new LinkedHashSet<>(values.values());
        if (defaultShard != null) {
            all.add(defaultShard);
        }
        this.shards = List.copyOf(all);
        for (Map.Entry<String, String> e : values.entrySet()) {
            String reason = "list '" + e.getKey() + "' → " + e.getValue();
            choices.put(e.getKey(), new ShardChoice(e.getValue(), reason));
            candidates.put(e.getKey(), Candidates.of(e.getValue(), reason));
        }
        if (defaultShard != null) {
            defaultChoice = new ShardChoice(defaultShard, "list default → " + defaultShard);
            defaultCandidates = Candidates.of(defaultShard, "list default → " + defaultShard);
        } else {
            defaultChoice = null;
            defaultCandidates = null;
        }
        this.all = Targets.all("no shard key predicate → all " + shards.size() + " shards");
    }

    @Override
    public ShardChoice chooseShard(String table, Object key) throws ShardException {
        ShardChoice c = choices.get(Keys.text(key));
        if (c != null) {
            return c;
        }
        if (defaultChoice != null) {
            return defaultChoice;
        }
        throw noShard(table, key);
    }

    @Override
    public Candidates candidates(String table, Object key) throws ShardException {
        Candidates c = candidates.get(Keys.text(key));
        if (c != null) {
            return c;
        }
        if (defaultCandidates != null) {
            return defaultCandidates;
        }
        throw noShard(table, key);
    }

    private ShardException noShard(String table, Object key) {
        return new ShardException("list strategy of table " + table + " has no shard for key " + Keys.describe(key)
                + " and no default (values: " + values.keySet() + ")", ShardException.ROUTING);
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
        return "list " + values + (defaultShard == null ? "" : " default " + defaultShard);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ListStrategy l && l.values.equals(values) && Objects.equals(l.defaultShard, defaultShard);
    }

    @Override
    public int hashCode() {
        return values.hashCode() * 31 + Objects.hashCode(defaultShard);
    }

    @Override
    public String toString() {
        return describe();
    }
}
