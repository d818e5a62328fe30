package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.util.List;
import java.util.Objects;

/**
 * A split rule that is a built-in strategy over suffixes instead of shards: {@code mod},
 * {@code hash} and {@code range} (suffix = the index, formatted to the pattern's width) and
 * {@code list} (suffix = the name the value is listed under). The strategy's own key rules apply
 * unchanged, so {@code key mod 16} inside a shard means exactly what {@code mod} means across
 * shards; its answers are built once, so {@link #suffix} allocates nothing.
 */
final class StrategySplit implements SplitRule {
    private final String kind;
    private final String describe;
    private final Strategy strategy;
    private final List<String> suffixes;

    StrategySplit(String kind, String describe, Strategy strategy, List<String> suffixes) {
        this.kind = kind;
        this.describe = describe;
        this.strategy = strategy;
        this.suffixes = List.copyOf(suffixes);
    }

    @Override
    public String suffix(String table, Object value) throws ShardException {
        try {
            return strategy.chooseShard(table, value).shard();
        } catch (KeyTypeException e) {
            throw new KeyTypeException("split " + describe + " of table " + table + " needs an integer value, got "
                    + Keys.describe(value));
        } catch (ShardException e) {
            throw new KeyTypeException("split " + describe + " of table " + table + " has no table for value "
                    + Keys.describe(value));
        }
    }

    @Override
    public List<String> suffixes() {
        return suffixes;
    }

    @Override
    public List<String> suffixesBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive) {
        return null;
    }

    @Override
    public String reason(Object value) {
        String s;
        try {
            s = suffix("?", value);
        } catch (ShardException e) {
            return Keys.text(value) + " cannot be mapped by " + describe;
        }
        return switch (kind) {
            case "mod" -> Keys.text(value) + " mod " + suffixes.size() + " = " + s;
            case "hash" -> "fnv1a64('" + Keys.text(value) + "') mod " + suffixes.size() + " = " + s;
            case "list" -> "list '" + Keys.text(value) + "' = " + s;
            default -> Keys.text(value) + " in range " + s;
        };
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StrategySplit s && s.kind.equals(kind) && s.strategy.equals(strategy)
                && s.suffixes.equals(suffixes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, strategy, suffixes);
    }

    @Override
    public String toString() {
        return describe;
    }
}
