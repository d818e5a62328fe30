package io.shardkit.config;

import io.shardkit.ShardException;
import io.shardkit.strategy.SplitRule;
import io.shardkit.strategy.SplitRules;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How one logical table is split by name inside each shard ({@code split:} in YAML): the column
 * whose value picks the physical table, the {@link SplitRule} that maps it to a suffix, and the
 * name pattern the suffix is put into ({@code matches_{n:02}} → {@code matches_07}). Also when
 * missing physical tables are created ({@link Create}) and from which template. Immutable.
 *
 * <p>A pattern has exactly one placeholder: {@code {n}} or {@code {n:0W}} (zero-padded to width W)
 * for mod, hash and range; {@code {name}} for list; {@code {hex}} for md5; for calendar rules the
 * layout of the period ({@code {yyyyMMdd}}, {@code {yyyy'w'ww}}, {@code {yyyyMM}}, {@code {yyyy}}, see
 * {@link SplitRules#calendar}). Physical names are lower case.
 */
public final class TableSplit {

    /** When a physical table a write needs is created: never (default), periods ahead of time, or on the first write. */
    public enum Create { NEVER, AHEAD, ON_FIRST_WRITE }

    /** What a pattern's placeholder says about the rule it fits. */
    public record Placeholder(String text, String kind, int width) {
        /** kind {@code number} ({n}, {n:0W}; width W), {@code name}, {@code hex}, or {@code calendar} (text = the layout). */
        public Placeholder {
            Objects.requireNonNull(kind, "kind");
        }
    }

    private final String column;
    private final SplitRule rule;
    private final String pattern;
    private final Create create;
    private final int ahead;
    private final String template;
    private final List<String> templateStatements;
    private final String prefix;
    private final String rest;

    /**
     * @param column the split column (lower-cased)
     * @param pattern the name pattern with exactly one placeholder
     * @param ahead periods created ahead; only with {@link Create#AHEAD}, otherwise 0
     * @param template {@code null}: a split made this way has no template (one with a template
     *        needs its statements, see the other constructor)
     */
    public TableSplit(String column, SplitRule rule, String pattern, Create create, int ahead, String template) {
        this(column, rule, pattern, create, ahead, template, List.of());
    }

    /**
     * @param template the template resource as written ({@code db/orders.sql}), or {@code null}
     * @param templateStatements the template's statements, written for the logical table: a
     *        CREATE TABLE first, then its indexes; empty without a template
     */
    public TableSplit(String column, SplitRule rule, String pattern, Create create, int ahead, String template,
            List<String> templateStatements) {
        this.column = Objects.requireNonNull(column, "column").toLowerCase(Locale.ROOT);
        this.rule = Objects.requireNonNull(rule, "rule");
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.create = Objects.requireNonNull(create, "create");
        if (create != Create.AHEAD && ahead != 0) {
            throw new IllegalArgumentException("ahead is only for create AHEAD, got " + ahead + " with " + create);
        }
        if (create == Create.AHEAD && !SplitRules.isCalendar(rule)) {
            throw new IllegalArgumentException("create AHEAD is for calendar splits (day, week, month, year), not "
                    + rule.describe());
        }
        if (ahead < 0) {
            throw new IllegalArgumentException("ahead must be 0 or more, got " + ahead);
        }
        this.ahead = ahead;
        this.template = template;
        this.templateStatements = List.copyOf(templateStatements);
        if ((template == null) != this.templateStatements.isEmpty()) {
            throw new IllegalArgumentException("a template needs its statements (and statements their template), got "
                    + template + " with " + this.templateStatements.size() + " statements");
        }
        placeholder(pattern);
        int open = pattern.indexOf('{');
        this.prefix = pattern.substring(0, open).toLowerCase(Locale.ROOT);
        this.rest = pattern.substring(pattern.indexOf('}', open) + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * The placeholder of a name pattern.
     *
     * @throws IllegalArgumentException unless the pattern has exactly one known placeholder
     */
    public static Placeholder placeholder(String pattern) {
        int open = pattern.indexOf('{');
        int close = open < 0 ? -1 : pattern.indexOf('}', open);
        if (open < 0 || close < 0) {
            throw new IllegalArgumentException("the name pattern '" + pattern
                    + "' has no placeholder ({n}, {n:02}, {name}, {hex}, {yyyyMM}, ...)");
        }
        if (pattern.indexOf('{', close) >= 0 || pattern.indexOf('}', close + 1) >= 0
                || pattern.substring(0, open).indexOf('}') >= 0) {
            throw new IllegalArgumentException("the name pattern '" + pattern + "' has more than one placeholder; write exactly one");
        }
        String p = pattern.substring(open + 1, close);
        if (p.equals("n")) {
            return new Placeholder(p, "number", 0);
        }
        if (p.matches("n:0[1-9]")) {
            return new Placeholder(p, "number", p.charAt(3) - '0');
        }
        if (p.equals("name") || p.equals("hex")) {
            return new Placeholder(p, p, 0);
        }
        for (var layouts : SplitRules.calendarLayouts().values()) {
            if (layouts.contains(p)) {
                return new Placeholder(p, "calendar", 0);
            }
        }
        throw new IllegalArgumentException("unknown placeholder {" + p + "} in '" + pattern
                + "' (known: {n}, {n:0W}, {name}, {hex}, {yyyyMMdd}, {yyyy_MM_dd}, {yyyy'w'ww}, {yyyyww}, {yyyy_ww},"
                + " {yyyyMM}, {yyyy_MM}, {yyyy})");
    }

    /** The split column, lower case; by default the table's key. */
    public String column() {
        return column;
    }

    public SplitRule rule() {
        return rule;
    }

    /** The name pattern as written, e.g. {@code matches_{n:02}}. */
    public String pattern() {
        return pattern;
    }

    public Create create() {
        return create;
    }

    /** Periods created ahead of the current one; 0 unless {@link Create#AHEAD}. */
    public int ahead() {
        return ahead;
    }

    /** The DDL template resource as written in the map, or {@code null}. */
    public String template() {
        return template;
    }

    /**
     * The template's statements for the logical table (CREATE TABLE first), which make a new
     * physical table once rendered for it; empty without a template (a new table is made like
     * the shard's newest one).
     */
    public List<String> templateStatements() {
        return templateStatements;
    }

    /** The physical table for a suffix: the pattern applied, lower case. */
    public String physical(String suffix) {
        return (prefix + suffix + rest).toLowerCase(Locale.ROOT);
    }

    /**
     * The suffix of a physical table name when it matches the pattern and names a table the rule
     * can produce ({@link SplitRule#produces}), else {@code null}. Case-insensitive.
     */
    public String suffixOf(String physicalName) {
        if (physicalName == null) {
            return null;
        }
        String n = physicalName.toLowerCase(Locale.ROOT);
        if (n.length() <= prefix.length() + rest.length() || !n.startsWith(prefix) || !n.endsWith(rest)) {
            return null;
        }
        String s = n.substring(prefix.length(), n.length() - rest.length());
        return rule.produces(s) ? s : null;
    }

    /**
     * The suffix for a value of the split column, as {@link SplitRule#suffix}, with the column
     * named in the error.
     */
    public String suffix(String table, Object value) throws ShardException {
        try {
            return rule.suffix(table, value);
        } catch (ShardException e) {
            throw SplitRules.naming(e, column);
        }
    }

    /** One line for explain: {@code matches_{n:02} by player_id: mod 16}. */
    public String describe() {
        return pattern + " by " + column + ": " + rule.describe();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableSplit t && t.column.equals(column) && t.rule.equals(rule) && t.pattern.equals(pattern)
                && t.create == create && t.ahead == ahead && Objects.equals(t.template, template)
                && t.templateStatements.equals(templateStatements);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, rule, pattern, create, ahead, template);
    }

    @Override
    public String toString() {
        return describe();
    }
}
