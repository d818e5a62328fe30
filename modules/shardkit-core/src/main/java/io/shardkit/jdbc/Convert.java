package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.SQLException;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * JDBC getter conversions for values shardkit computed (merged aggregates), following what
 * drivers do: numbers convert between widths (failing rather than truncating silently when a
 * value does not fit), text parses, and {@code getString} of a number is its plain decimal form.
 */
final class Convert {
    private Convert() {
    }

    static String string(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return v.toString();
    }

    static BigDecimal decimal(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Number n) {
            if ((n instanceof Double || n instanceof Float) && !Double.isFinite(n.doubleValue())) {
                throw new SQLException("value " + n + " is not a decimal number", SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
            }
            return io.shardkit.merge.Values.decimal(n);
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(v.toString().strip());
        } catch (NumberFormatException e) {
            throw new SQLException("cannot convert '" + v + "' to a number",
                    SqlStates.INVALID_CHARACTER_VALUE_FOR_CAST);
        }
    }

    static long integer(Object v, long min, long max, String type) throws SQLException {
        if (v == null) {
            return 0;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            long l = ((Number) v).longValue();
            if (l < min || l > max) {
                throw new SQLException("value " + l + " does not fit in " + type, SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
            }
            return l;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (d < min || d > max) {
                throw new SQLException("value " + d + " does not fit in " + type, SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
            }
            return (long) d;
        }
        BigDecimal d = decimal(v).setScale(0, RoundingMode.DOWN);
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new SQLException("value " + v + " does not fit in " + type, SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
        }
        return d.longValue();
    }

    static double floating(Object v) throws SQLException {
        if (v == null) {
            return 0;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return decimal(v).doubleValue();
    }

    static boolean bool(Object v) throws SQLException {
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return io.shardkit.merge.Values.compareNumbers(n, 0L) != 0;
        }
        String s = v.toString().strip();
        if (s.equalsIgnoreCase("true") || s.equals("1") || s.equalsIgnoreCase("t")) {
            return true;
        }
        if (s.equalsIgnoreCase("false") || s.equals("0") || s.equalsIgnoreCase("f")) {
            return false;
        }
        throw new SQLException("cannot convert '" + v + "' to a boolean", SqlStates.INVALID_CHARACTER_VALUE_FOR_CAST);
    }

    static byte[] bytes(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        return v.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Timestamp timestamp(Object v) throws SQLException {
        if (v == null || v instanceof Timestamp) {
            return (Timestamp) v;
        }
        if (v instanceof java.util.Date d) {
            return new Timestamp(d.getTime());
        }
        if (v instanceof LocalDateTime t) {
            return Timestamp.valueOf(t);
        }
        if (v instanceof OffsetDateTime t) {
            return Timestamp.from(t.toInstant());
        }
        if (v instanceof LocalDate d) {
            return Timestamp.valueOf(d.atStartOfDay());
        }
        if (v instanceof Number n) {
            return new Timestamp(n.longValue());
        }
        try {
            return Timestamp.valueOf(v.toString().strip().replace('T', ' '));
        } catch (IllegalArgumentException e) {
            throw new SQLException("cannot convert '" + v + "' to a timestamp", SqlStates.INVALID_DATETIME_FORMAT);
        }
    }

    static Date date(Object v) throws SQLException {
        if (v == null || v instanceof Date) {
            return (Date) v;
        }
        if (v instanceof LocalDate d) {
            return Date.valueOf(d);
        }
        if (v instanceof String s && s.strip().length() == 10) {
            try {
                return Date.valueOf(s.strip());
            } catch (IllegalArgumentException e) {
                throw new SQLException("cannot convert '" + v + "' to a date", SqlStates.INVALID_DATETIME_FORMAT);
            }
        }
        Timestamp t = timestamp(v);
        return Date.valueOf(t.toLocalDateTime().toLocalDate());
    }

    static Time time(Object v) throws SQLException {
        if (v == null || v instanceof Time) {
            return (Time) v;
        }
        if (v instanceof LocalTime t) {
            return Time.valueOf(t);
        }
        if (v instanceof String s && s.strip().length() <= 8) {
            try {
                return Time.valueOf(s.strip());
            } catch (IllegalArgumentException e) {
                throw new SQLException("cannot convert '" + v + "' to a time", SqlStates.INVALID_DATETIME_FORMAT);
            }
        }
        return Time.valueOf(timestamp(v).toLocalDateTime().toLocalTime());
    }

    @SuppressWarnings("unchecked")
    static <T> T as(Object v, Class<T> type) throws SQLException {
        if (v == null) {
            return null;
        }
        if (type.isInstance(v)) {
            return (T) v;
        }
        if (type == String.class) {
            return (T) string(v);
        }
        if (type == Long.class) {
            return (T) Long.valueOf(integer(v, Long.MIN_VALUE, Long.MAX_VALUE, "long"));
        }
        if (type == Integer.class) {
            return (T) Integer.valueOf((int) integer(v, Integer.MIN_VALUE, Integer.MAX_VALUE, "int"));
        }
        if (type == Short.class) {
            return (T) Short.valueOf((short) integer(v, Short.MIN_VALUE, Short.MAX_VALUE, "short"));
        }
        if (type == Byte.class) {
            return (T) Byte.valueOf((byte) integer(v, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte"));
        }
        if (type == Double.class) {
            return (T) Double.valueOf(floating(v));
        }
        if (type == Float.class) {
            return (T) Float.valueOf((float) floating(v));
        }
        if (type == BigDecimal.class) {
            return (T) decimal(v);
        }
        if (type == Boolean.class) {
            return (T) Boolean.valueOf(bool(v));
        }
        if (type == byte[].class) {
            return (T) bytes(v);
        }
        if (type == Timestamp.class) {
            return (T) timestamp(v);
        }
        if (type == Date.class) {
            return (T) date(v);
        }
        if (type == Time.class) {
            return (T) time(v);
        }
        if (type == LocalDateTime.class) {
            return (T) timestamp(v).toLocalDateTime();
        }
        if (type == LocalDate.class) {
            return (T) date(v).toLocalDate();
        }
        throw new SQLException("cannot convert a " + v.getClass().getSimpleName() + " to " + type.getName(),
                SqlStates.INVALID_CHARACTER_VALUE_FOR_CAST);
    }
}
