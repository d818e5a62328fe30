package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Factories for the built-in {@link SplitRule}s, for the Java builder and the YAML reader. Each
 * rule is made for one name pattern: {@code width} is the zero padding of {@code {n:0W}} (0 for
 * {@code {n}}), a calendar {@code layout} is the text inside its placeholder ({@code yyyyMM}).
 */
public final class SplitRules {
    private SplitRules() {
    }

    /** {@code floorMod(value, count)}, integer values by the rules of the {@code mod} strategy. */
    public static SplitRule mod(int count, int width) {
        List<String> suffixes = numbered(count, width);
        return new StrategySplit("mod", "mod " + count, new ModStrategy(suffixes), suffixes);
    }

    /** FNV-1a 64 of the value's canonical text, mod {@code count}, exactly as the {@code hash} strategy. */
    public static SplitRule hash(int count, int width) {
        List<String> suffixes = numbered(count, width);
        return new StrategySplit("hash", "hash (fnv1a64) mod " + count, new HashStrategy(suffixes), suffixes);
    }

    /** Ascending bounds as the {@code range} strategy takes them; suffix = the range's index (0 below the first bound). */
    public static SplitRule range(List<?> bounds, int width) {
        List<String> suffixes = numbered(bounds.size() + 1, width);
        return new StrategySplit("range", "range bounds " + bounds, new RangeStrategy(bounds, suffixes), suffixes);
    }

    /**
     * Named tables, each for listed values (matched by canonical text, as the {@code list} strategy
     * does); a value not listed cannot be mapped. Names are lower-cased.
     */
    public static SplitRule list(Map<String, List<String>> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("list split needs at least one name with values");
        }
        Map<String, String> byValue = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            if (names.contains(name)) {
                throw new IllegalArgumentException("list split names '" + name + "' twice");
            }
            names.add(name);
            if (e.getValue().isEmpty()) {
                throw new IllegalArgumentException("list split name '" + name + "' has no values");
            }
            for (String v : e.getValue()) {
                String was = byValue.put(v, name);
                if (was != null) {
                    throw new IllegalArgumentException("list split value '" + v + "' is listed under both '" + was
                            + "' and '" + name + "'");
                }
            }
        }
        return new StrategySplit("list", "list " + values, new ListStrategy(byValue, null), names);
    }

    /** First {@code chars} (1 to 8) lower-case hex characters of MD5 of the value's canonical text; see {@link Md5Split}. */
    public static SplitRule md5(int chars) {
        return new Md5Split(chars);
    }

    /**
     * One table per {@code day}, ISO {@code week}, {@code month} or {@code year} in {@code zone}.
     * Layouts: day {@code yyyyMMdd}, {@code yyyy_MM_dd}; week {@code yyyy'w'ww} (2026w48),
     * {@code yyyyww}, {@code yyyy_ww} (ISO week-based year and week); month {@code yyyyMM},
     * {@code yyyy_MM}; year {@code yyyy}.
     */
    public static SplitRule calendar(String unit, ZoneId zone, String layout) {
        return new CalendarSplit(unit, zone, layout);
    }

    /** The placeholder layouts each calendar unit accepts. */
    public static Map<String, List<String>> calendarLayouts() {
        return CalendarSplit.LAYOUTS;
    }

    /** Whether {@code rule} is a built-in calendar rule (one whose periods can be created ahead). */
    public static boolean isCalendar(SplitRule rule) {
        return rule instanceof CalendarSplit;
    }

    /**
     * For a calendar rule: the suffixes of the period holding {@code now} and of the {@code ahead}
     * periods after it, in order; {@code null} for another rule or past year 9999.
     */
    public static List<String> periodsFrom(SplitRule rule, Instant now, int ahead) {
        return rule instanceof CalendarSplit c ? c.periodsFrom(now, ahead) : null;
    }

    /** For a calendar rule: when the period holding {@code now} ends; {@code null} for another rule. */
    public static Instant periodEnd(SplitRule rule, Instant now) {
        return rule instanceof CalendarSplit c ? c.periodEnd(now) : null;
    }

    /** For a calendar rule: when the period a suffix names ends; {@code null} for another rule or a suffix it does not make. */
    public static Instant periodEndOf(SplitRule rule, String suffix) {
        return rule instanceof CalendarSplit c ? c.endOf(suffix) : null;
    }

    /** {@code e} (from a built-in rule) with the split column named; same SQLState and type. */
    public static ShardException naming(ShardException e, String column) {
        String m = e.getMessage() + " (split column " + column + ")";
        return e instanceof KeyTypeException ? new KeyTypeException(m) : new ShardException(m, e.getSQLState());
    }

    private static List<String> numbered(int count, int width) {
        if (count < 1) {
            throw new IllegalArgumentException("split count must be at least 1, got " + count);
        }
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String s = Integer.toString(i);
            out.add(s.length() >= width ? s : "0".repeat(width - s.length()) + s);
        }
        return out;
    }
}
