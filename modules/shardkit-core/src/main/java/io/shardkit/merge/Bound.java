package io.shardkit.merge;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A LIMIT or OFFSET value: a literal, or a parameter bound at execution, read the way the
 * database reads it ({@link Reading}).
 *
 * @param withTies for a FETCH FIRST count: {@code WITH TIES}, rows equal on the ORDER BY keys to
 *     the last one counted are returned too
 */
public record Bound(long literal, int parameter, Reading reading, boolean withTies) {

    /** What {@link #resolve} returns for "no limit". */
    public static final long ALL = Long.MAX_VALUE;

    /**
     * How each database reads a LIMIT or OFFSET value that is not a plain non-negative integer
     * (found by running each on the database itself). These are the dialect facts of LIMIT and
     * OFFSET values; what syntax each database accepts is checked by the analysis.
     */
    public enum Reading {
        /** Only a non-negative integer; anything else fails (22023). For databases not described here. */
        STRICT,
        /** SQLite LIMIT: negative is no limit; reals and text holding an integer count; NULL or other text is a datatype mismatch. */
        SQLITE_LIMIT,
        /** SQLite OFFSET: negative is no offset; otherwise as for LIMIT. */
        SQLITE_OFFSET,
        /** PostgreSQL LIMIT: NULL is no limit; negative fails (2201W); numbers round to an integer; text is a type error. */
        POSTGRESQL_LIMIT,
        /** PostgreSQL OFFSET: NULL is no offset; negative fails (2201X); otherwise as for LIMIT. */
        POSTGRESQL_OFFSET,
        /** MySQL/MariaDB: only an integer literal is LIMIT syntax; NULL, negative, reals and text are a syntax error (42000). */
        MYSQL
    }

    public Bound {
        if (reading == null) {
            reading = Reading.STRICT;
        }
    }

    public static Bound of(long value) {
        return new Bound(value, 0, Reading.STRICT, false);
    }

    public static Bound parameter(int index) {
        return new Bound(0, index, Reading.STRICT, false);
    }

    public static Bound of(long value, Reading reading) {
        return new Bound(value, 0, reading, false);
    }

    public static Bound parameter(int index, Reading reading) {
        return new Bound(0, index, reading, false);
    }

    public Bound tied() {
        return new Bound(literal, parameter, reading, true);
    }

    /** The value for one execution: a row count, or {@link #ALL}; fails as the database would. */
    public long resolve(Object[] params) throws ShardException {
        if (parameter == 0) {
            return read(literal);
        }
        Object v = params == null || parameter > params.length ? null : params[parameter - 1];
        return read(v);
    }

    private long read(Object v) throws ShardException {
        boolean offset = reading == Reading.SQLITE_OFFSET || reading == Reading.POSTGRESQL_OFFSET;
        String what = offset ? "OFFSET" : "LIMIT";
        switch (reading) {
            case SQLITE_LIMIT, SQLITE_OFFSET -> {
                BigDecimal d = v instanceof Number n ? Values.decimal(n)
                        : v instanceof String s && s.strip().matches("[+-]?\\d+") ? new BigDecimal(s.strip()) : null;
                if (d == null || d.stripTrailingZeros().scale() > 0) {
                    throw new ShardException("[SQLITE_MISMATCH] Data type mismatch (datatype mismatch): " + what + " "
                            + describe(v), null, 20, null, null);
                }
                return d.signum() < 0 ? (offset ? 0 : ALL) : clamp(d);
            }
            case POSTGRESQL_LIMIT, POSTGRESQL_OFFSET -> {
                if (v == null) {
                    return offset ? 0 : ALL;
                }
                if (!(v instanceof Number n)) {
                    throw new ShardException("ERROR: argument of " + what + " must be type bigint, not " + describe(v),
                            SqlStates.DATATYPE_MISMATCH);
                }
                BigDecimal d = v instanceof Double || v instanceof Float
                        ? BigDecimal.valueOf(Math.rint(n.doubleValue())) // float8 to bigint rounds half to even
                        : Values.decimal(n).setScale(0, RoundingMode.HALF_UP); // numeric to bigint rounds half away
                if (d.signum() < 0) {
                    throw new ShardException("ERROR: " + what + " must not be negative",
                            offset ? SqlStates.INVALID_ROW_COUNT_IN_OFFSET : SqlStates.INVALID_ROW_COUNT_IN_LIMIT);
                }
                return clamp(d);
            }
            case MYSQL -> {
                if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                        || v instanceof BigInteger || v instanceof BigDecimal b && b.scale() <= 0) {
                    BigDecimal d = Values.decimal((Number) v);
                    if (d.signum() >= 0) {
                        return clamp(d);
                    }
                }
                throw new ShardException("You have an error in your SQL syntax: " + what + " " + describe(v)
                        + " (only a non-negative integer)", SqlStates.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION);
            }
            default -> {
                if (v instanceof Number n && n.longValue() >= 0 && Values.decimal(n).stripTrailingZeros().scale() <= 0) {
                    return n.longValue();
                }
                if (v instanceof String s && s.strip().matches("\\d+")) {
                    return Long.parseLong(s.strip());
                }
                throw new ShardException("LIMIT/OFFSET parameter " + parameter + " must be a non-negative integer, got "
                        + v, SqlStates.INVALID_PARAMETER_VALUE);
            }
        }
    }

    private static long clamp(BigDecimal d) {
        return d.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? ALL : d.longValueExact();
    }

    private String describe(Object v) {
        String text = v == null ? "NULL" : v instanceof String ? "'" + v + "' (text)" : v.toString();
        return parameter == 0 ? text : text + " (parameter " + parameter + ")";
    }

    /** {@code a + b} for row counts, {@link #ALL} when either is. */
    public static long plus(long a, long b) {
        return a == ALL || b == ALL || a > ALL - b ? ALL : a + b;
    }

    @Override
    public String toString() {
        return (parameter == 0 ? Long.toString(literal) : "?" + parameter) + (withTies ? " with ties" : "");
    }
}
