package io.shardkit.strategy;

import io.shardkit.Candidates;
import io.shardkit.ShardChoice;
import io.shardkit.ShardException;
import io.shardkit.Targets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Boundaries → shards. With bounds {@code [b1, b2, ..., bk]} and shards {@code [s0, ..., sk]}:
 * {@code key < b1} goes to s0, {@code b(i) <= key < b(i+1)} to s(i), {@code key >= bk} to sk.
 * Bounds are all integers (keys compared as integers) or all strings (keys compared by their
 * canonical text, in Java's {@code String.compareTo} order). A shard may appear more than once.
 */
public final class RangeStrategy implements Strategy {
    private final boolean numeric;
    private final long[] longBounds;
    private final String[] textBounds;
    private final List<String> shardsInOrder;
    private final List<String> shards;
    private final ShardChoice[] choices;
    private final Candidates[] candidates;
    private final Targets all;

    /**
     * @param bounds ascending, all {@code Long}/{@code Integer} or all {@code String}
     * @param shards one more shard than bounds
     */
    public RangeStrategy(List<?> bounds, List<String> shards) {
        if (shards.size() != bounds.size() + 1) {
            throw new IllegalArgumentException("range strategy needs one more shard than bounds: "
                    + bounds.size() + " bounds, " + shards.size() + " shards");
        }
        this.shardsInOrder = List.copyOf(shards);
        this.shards = List.copyOf(new LinkedHashSet<>(shards));
        this.numeric = bounds.stream().allMatch(b -> b instanceof Long || b instanceof Integer);
        if (!numeric && !bounds.stream().allMatch(b -> b instanceof String)) {
            throw new IllegalArgumentException("range bounds must be all integers or all strings: " + bounds);
        }
        int k = bounds.size();
        this.longBounds = new long[numeric ? k : 0];
        this.textBounds = new String[numeric ? 0 : k];
        for (int i = 0; i < k; i++) {
            if (numeric) {
                longBounds[i] = ((Number) bounds.get(i)).longValue();
                if (i > 0 && longBounds[i] <= longBounds[i - 1]) {
                    throw new IllegalArgumentException("range bounds must be strictly ascending: " + bounds);
                }
            } else {
                textBounds[i] = (String) bounds.get(i);
                if (i > 0 && textBounds[i].compareTo(textBounds[i - 1]) <= 0) {
                    throw new IllegalArgumentException("range bounds must be strictly ascending: " + bounds);
                }
            }
        }
        this.choices = new ShardChoice[k + 1];
        this.candidates = new Candidates[k + 1];
        for (int i = 0; i <= k; i++) {
            String lo = i == 0 ? "(-∞" : "[" + bounds.get(i - 1);
            String hi = i == k ? "+∞)" : bounds.get(i) + ")";
            String reason = "range " + lo + ", " + hi + " → " + shards.get(i);
            choices[i] = new ShardChoice(shards.get(i), reason);
            candidates[i] = Candidates.of(shards.get(i), reason);
        }
        this.all = Targets.all("no shard key predicate → all " + this.shards.size() + " shards");
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
        int i = 0;
        if (numeric) {
            long k = Keys.toLong("range", table, key);
            while (i < longBounds.length && k >= longBounds[i]) {
                i++;
            }
        } else {
            String k = Keys.text(key);
            while (i < textBounds.length && k.compareTo(textBounds[i]) >= 0) {
                i++;
            }
        }
        return i;
    }

    @Override
    public List<String> shards() {
        return shards;
    }

    @Override
    public String describe() {
        List<Object> b = new ArrayList<>();
        if (numeric) {
            for (long l : longBounds) {
                b.add(l);
            }
        } else {
            b.addAll(List.of(textBounds));
        }
        return "range bounds " + b + " over " + shardsInOrder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RangeStrategy r && r.describe().equals(describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
