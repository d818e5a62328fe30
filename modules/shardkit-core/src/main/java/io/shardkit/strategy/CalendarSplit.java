package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Calendar split: one table per day, ISO week, month or year of a date/time value, in the rule's
 * zone (UTC unless given). Values without an offset (LocalDate, LocalDateTime, {@code java.sql.Date}
 * by {@code toLocalDate()}, {@code java.sql.Timestamp} by {@code toLocalDateTime()}, ISO strings
 * without an offset) are wall-clock times in the zone; values with an offset or an instant
 * ({@code OffsetDateTime}, {@code ZonedDateTime}, {@code Instant}, {@code java.util.Date}, strings
 * ending in {@code Z} or {@code +hh:mm}) are converted to the zone first. Strings are read only in
 * the forms {@code yyyy-MM-dd}, {@code yyyy-MM-dd HH:mm:ss[.f...]} and
 * {@code yyyy-MM-ddTHH:mm:ss[.f...][Z|+hh:mm]}. The layouts are listed in {@link #LAYOUTS}.
 */
final class CalendarSplit implements SplitRule {
    /** Per unit, the placeholder layouts a name pattern may use, e.g. {@code {yyyyMM}} → {@code 202611}. */
    static final Map<String, List<String>> LAYOUTS = Map.of(
            "day", List.of("yyyyMMdd", "yyyy_MM_dd"),
            "week", List.of("yyyy'w'ww", "yyyyww", "yyyy_ww"),
            "month", List.of("yyyyMM", "yyyy_MM"),
            "year", List.of("yyyy"));
    static final int MAX_PERIODS = 10_000;
    private static final Pattern TEXT = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})?)?");

    private final String unit;
    private final ZoneId zone;
    private final String layout;
    private final String sep;
    private final Pattern suffixPattern;

    CalendarSplit(String unit, ZoneId zone, String layout) {
        List<String> layouts = LAYOUTS.get(unit);
        if (layouts == null) {
            throw new IllegalArgumentException("unknown calendar unit '" + unit + "' (known: day, week, month, year)");
        }
        if (!layouts.contains(layout)) {
            throw new IllegalArgumentException("a " + unit + " split names its tables with {" + String.join("}, {", layouts)
                    + "}, not {" + layout + "}");
        }
        this.unit = unit;
        this.zone = zone.normalized();
        this.layout = layout;
        this.sep = layout.contains("_") ? "_" : layout.contains("'w'") ? "w" : "";
        String digits = switch (unit) {
            case "day" -> "\\d{4}" + sep + "\\d{2}" + sep + "\\d{2}";
            case "week", "month" -> "\\d{4}" + sep + "\\d{2}";
            default -> "\\d{4}";
        };
        this.suffixPattern = Pattern.compile(digits);
    }

    @Override
    public String suffix(String table, Object value) throws ShardException {
        LocalDateTime t = local(value);
        if (t == null) {
            throw new KeyTypeException("split " + describe() + " of table " + table
                    + " needs a date or timestamp value, got " + Keys.describe(value));
        }
        LocalDate d = t.toLocalDate();
        int year = unit.equals("week") ? d.get(IsoFields.WEEK_BASED_YEAR) : d.getYear();
        if (year < 1 || year > 9999) {
            throw new KeyTypeException("split " + describe() + " of table " + table + " names years 0001 to 9999, got "
                    + Keys.describe(value));
        }
        return format(d);
    }

    private String format(LocalDate d) {
        return switch (unit) {
            case "day" -> pad(d.getYear(), 4) + sep + pad(d.getMonthValue(), 2) + sep + pad(d.getDayOfMonth(), 2);
            case "week" -> pad(d.get(IsoFields.WEEK_BASED_YEAR), 4) + sep + pad(d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR), 2);
            case "month" -> pad(d.getYear(), 4) + sep + pad(d.getMonthValue(), 2);
            default -> pad(d.getYear(), 4);
        };
    }

    private static String pad(int n, int width) {
        String s = Integer.toString(n);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    /** The first day of the period holding {@code d}. */
    private LocalDate start(LocalDate d) {
        return switch (unit) {
            case "day" -> d;
            case "week" -> d.with(DayOfWeek.MONDAY);
            case "month" -> d.withDayOfMonth(1);
            default -> d.withDayOfYear(1);
        };
    }

    private LocalDate next(LocalDate start) {
        return switch (unit) {
            case "day" -> start.plusDays(1);
            case "week" -> start.plusWeeks(1);
            case "month" -> start.plusMonths(1);
            default -> start.plusYears(1);
        };
    }

    /** The value as wall-clock time in the zone, or {@code null} when it is not a date/time this rule reads. */
    LocalDateTime local(Object v) {
        try {
            if (v instanceof java.sql.Timestamp ts) {
                return ts.toLocalDateTime();
            }
            if (v instanceof java.sql.Date sd) {
                return sd.toLocalDate().atStartOfDay();
            }
            if (v instanceof java.sql.Time) {
                return null;
            }
            if (v instanceof java.util.Date ud) {
                return ud.toInstant().atZone(zone).toLocalDateTime();
            }
            if (v instanceof LocalDate ld) {
                return ld.atStartOfDay();
            }
            if (v instanceof LocalDateTime ldt) {
                return ldt;
            }
            if (v instanceof OffsetDateTime odt) {
                return odt.atZoneSameInstant(zone).toLocalDateTime();
            }
            if (v instanceof ZonedDateTime zdt) {
                return zdt.withZoneSameInstant(zone).toLocalDateTime();
            }
            if (v instanceof Instant i) {
                return i.atZone(zone).toLocalDateTime();
            }
            if (v instanceof String s && TEXT.matcher(s).matches()) {
                if (s.length() == 10) {
                    return LocalDate.parse(s).atStartOfDay();
                }
                String iso = s.replace(' ', 'T');
                char last = iso.charAt(iso.length() - 1);
                boolean offset = last == 'Z' || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
                return offset ? OffsetDateTime.parse(iso).atZoneSameInstant(zone).toLocalDateTime()
                        : LocalDateTime.parse(iso);
            }
        } catch (DateTimeException | ArithmeticException e) {
            return null;
        }
        return null;
    }

    @Override
    public List<String> suffixes() {
        return null;
    }

    @Override
    public boolean produces(String suffix) {
        return first(suffix) != null;
    }

    /** The first day of the period a suffix names, or {@code null} when the rule does not make that suffix. */
    private LocalDate first(String suffix) {
        if (suffix == null || !suffixPattern.matcher(suffix).matches()) {
            return null;
        }
        String digits = sep.isEmpty() ? suffix : suffix.replace(sep, "");
        int year = Integer.parseInt(digits.substring(0, 4));
        if (year < 1) {
            return null;
        }
        try {
            LocalDate d = switch (unit) {
                case "day" -> LocalDate.of(year, Integer.parseInt(digits.substring(4, 6)), Integer.parseInt(digits.substring(6, 8)));
                case "week" -> LocalDate.of(year, 1, 4).with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(digits.substring(4, 6)));
                case "month" -> LocalDate.of(year, Integer.parseInt(digits.substring(4, 6)), 1);
                default -> LocalDate.of(year, 1, 1);
            };
            d = start(d);
            return format(d).equals(suffix) ? d : null;
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The instant the period a suffix names ends, or {@code null} when the rule does not make that suffix. */
    Instant endOf(String suffix) {
        LocalDate d = first(suffix);
        return d == null ? null : next(d).atStartOfDay(zone).toInstant();
    }

    @Override
    public List<String> suffixesBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive) {
        if (low == null || high == null) {
            return null;
        }
        LocalDateTime lo = local(low);
        LocalDateTime hi = local(high);
        if (lo == null || hi == null) {
            return null;
        }
        int c = lo.compareTo(hi);
        if (c > 0 || (c == 0 && !(lowInclusive && highInclusive))) {
            return List.of();
        }
        LocalDate first = start(lo.toLocalDate());
        LocalDate last = start(hi.toLocalDate());
        if (!highInclusive && hi.equals(last.atStartOfDay())) {
            // high is exactly where its period begins: nothing of that period is below it
            last = previous(last);
        }
        if (last.isBefore(first)) {
            return List.of();
        }
        long span = switch (unit) {
            case "day" -> ChronoUnit.DAYS.between(first, last);
            case "week" -> ChronoUnit.WEEKS.between(first, last);
            case "month" -> ChronoUnit.MONTHS.between(first, last);
            default -> ChronoUnit.YEARS.between(first, last);
        };
        if (span + 1 > MAX_PERIODS || first.getYear() < 1 || last.get(IsoFields.WEEK_BASED_YEAR) > 9999
                || last.getYear() > 9999) {
            return null;
        }
        List<String> out = new ArrayList<>((int) span + 1);
        for (LocalDate d = first; !d.isAfter(last); d = next(d)) {
            out.add(format(d));
        }
        return out;
    }

    /**
     * The suffixes of the period holding {@code now} (in the rule's zone) and of the {@code count}
     * periods after it, in order; {@code null} past year 9999.
     */
    List<String> periodsFrom(Instant now, int count) {
        LocalDate d = start(now.atZone(zone).toLocalDate());
        List<String> out = new ArrayList<>(count + 1);
        for (int i = 0; i <= count; i++, d = next(d)) {
            if (d.get(IsoFields.WEEK_BASED_YEAR) > 9999 || d.getYear() > 9999) {
                return null;
            }
            out.add(format(d));
        }
        return out;
    }

    /** The instant the period holding {@code now} ends (the next one's first moment in the rule's zone). */
    Instant periodEnd(Instant now) {
        return next(start(now.atZone(zone).toLocalDate())).atStartOfDay(zone).toInstant();
    }

    private LocalDate previous(LocalDate start) {
        return switch (unit) {
            case "day" -> start.minusDays(1);
            case "week" -> start.minusWeeks(1);
            case "month" -> start.minusMonths(1);
            default -> start.minusYears(1);
        };
    }

    @Override
    public String reason(Object value) {
        LocalDateTime t = local(value);
        if (t == null) {
            return Keys.text(value) + " is not a date or timestamp " + describe() + " can read";
        }
        return t.toLocalDate() + " in " + unit + " " + format(t.toLocalDate());
    }

    @Override
    public String describe() {
        return unit + " (" + (zone.equals(java.time.ZoneOffset.UTC) ? "UTC" : zone.getId()) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CalendarSplit c && c.unit.equals(unit) && c.zone.equals(zone) && c.layout.equals(layout);
    }

    @Override
    public int hashCode() {
        return (unit.hashCode() * 31 + zone.hashCode()) * 31 + layout.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
