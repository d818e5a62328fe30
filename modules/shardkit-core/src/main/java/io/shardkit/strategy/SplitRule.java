package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.util.List;

/**
 * Which physical table inside a shard holds a row: maps a value of the split column to a
 * <em>suffix</em>, the varying part of the physical table name ({@code 02} in {@code matches_02}).
 * The suffix comes already formatted for the table's name pattern (zero padding, date layout), so
 * a rule is built for one pattern. {@link SplitRules} makes the built-in rules; a user class
 * implementing this interface, with a public no-arg constructor, can be named in YAML
 * ({@code as: {class: com.acme.MySplit}}).
 *
 * <p>Two split tables are co-located inside a shard when their rules are {@link Object#equals equal}.
 * Implementations must be thread-safe and should not allocate in {@link #suffix} beyond the answer.
 */
public interface SplitRule {

    /**
     * The suffix for a value of the split column; {@code value} is never {@code null}.
     *
     * @throws ShardException with SQLState {@link ShardException#ROUTING} (a {@link KeyTypeException}
     *         for the built-in rules) naming the table and the value's type, when the value cannot be mapped
     */
    String suffix(String table, Object value) throws ShardException;

    /** Every suffix the rule can produce, in order, or {@code null} when open-ended (calendar) or too many to list. */
    List<String> suffixes();

    /**
     * For a calendar rule: the suffixes of every period overlapping the range from {@code low} to
     * {@code high}, in order; empty when the range is empty. {@code null} when the rule cannot say:
     * an unbounded side, a value it cannot read, more than 10,000 periods, or a non-calendar rule.
     */
    List<String> suffixesBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive);

    /** For explain: how a value maps, e.g. {@code 1042 mod 16 = 02}. */
    String reason(Object value);

    /** One line for explain and errors, e.g. {@code mod 16}. */
    String describe();

    /**
     * Whether {@code suffix} is one this rule can produce (used to recognise physical tables found
     * in a catalog or written in SQL). The default looks it up in {@link #suffixes()}; a rule with
     * no list answers {@code false} unless it overrides this.
     */
    default boolean produces(String suffix) {
        List<String> all = suffixes();
        return all != null && all.contains(suffix);
    }
}
