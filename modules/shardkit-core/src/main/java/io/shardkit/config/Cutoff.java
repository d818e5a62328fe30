package io.shardkit.config;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Objects;

/**
 * Which rows of a tiered table belong in the archive: those whose {@code column} is below a
 * boundary. The boundary is a fixed date or timestamp ({@code before}), an age measured from now
 * ({@code age}, e.g. 90 days: rows older than that are archive rows), or an id watermark
 * ({@code below}). The router uses it to skip a tier a WHERE clause cannot reach; the archiver,
 * to pick the rows it moves.
 */
public record Cutoff(String column, Duration age, String before, Long below) {

    public Cutoff {
        column = Objects.requireNonNull(column, "column").toLowerCase(Locale.ROOT);
        int given = (age != null ? 1 : 0) + (before != null ? 1 : 0) + (below != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("a cutoff needs exactly one of age, before, below");
        }
        if (before != null) {
            parseInstant(before);
        }
    }

    public static Cutoff age(String column, Duration age) {
        return new Cutoff(column, age, null, null);
    }

    public static Cutoff before(String column, String dateOrTimestamp) {
        return new Cutoff(column, null, dateOrTimestamp, null);
    }

    public static Cutoff below(String column, long watermark) {
        return new Cutoff(column, null, null, watermark);
    }

    /** Whether the boundary is a point in time (else an id watermark). */
    public boolean isTime() {
        return below == null;
    }

    /** The time boundary as of {@code now}: rows before it are archive rows. */
    public Instant boundary(Instant now) {
        return age != null ? now.minus(age) : parseInstant(before);
    }

    /**
     * Reads {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s} or an ISO-8601 duration ({@code P90D}).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Duration parseAge(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 'd':
                    return Duration.ofDays(n);
                case 'h':
                    return Duration.ofHours(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 's':
                    return Duration.ofSeconds(n);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("age '" + text + "' is not a duration (write 90d, 12h, 30m, 45s or P90D)");
    }

    /** A date ({@code 2025-01-01}, midnight UTC) or a timestamp ({@code 2025-01-01T10:00:00}, UTC). */
    public static Instant parseInstant(String text) {
        String t = text.strip();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Instant.parse(t);
            }
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a date (2025-01-01) or timestamp (2025-01-01T10:00:00)");
        }
    }

    public String describe() {
        return column + (age != null ? " older than " + age.toDays() + " days" : before != null ? " before " + before
                : " below " + below);
    }
}
