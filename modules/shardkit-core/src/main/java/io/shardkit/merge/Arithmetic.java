package io.shardkit.merge;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.sql.SQLException;

/**
 * SQL arithmetic on merged values, following one dialect's rules, for expressions over
 * aggregates ({@code MAX(score) - MIN(score)}, {@code SUM(a) / COUNT(*)}) and HAVING.
 *
 * <p>Integers stay integers and never overflow silently (a long that overflows becomes a
 * decimal). Integer division truncates on SQLite and PostgreSQL; on MySQL {@code /} is decimal
 * division. Division by zero is NULL on SQLite and MySQL and an error (22012) on PostgreSQL.
 * Decimals stay exact; PostgreSQL's numeric division scale is reproduced. SQLite's {@code %} with a
 * real operand casts both operands to integers first ({@code 3.24 % 2} is 1.0).
 */
public final class Arithmetic {
    private final Dialect dialect;

    public Arithmetic(Dialect dialect) {
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Object apply(char op, Object a, Object b) throws SQLException {
        if (a == null || b == null) {
            return null;
        }
        Number x = number(a);
        Number y = number(b);
        if (op == '%' && dialect == Dialect.SQLITE && (isFloat(x) || isFloat(y))) {
            // SQLite's remainder casts both operands to integers (saturating) and answers a real
            long p = (long) x.doubleValue();
            long q = (long) y.doubleValue();
            return q == 0 ? null : (Object) (double) (p % q);
        }
        if (isFloat(x) || isFloat(y)) {
            double p = x.doubleValue();
            double q = y.doubleValue();
            return switch (op) {
                case '+' -> p + q;
                case '-' -> p - q;
                case '*' -> p * q;
                case '/' -> q == 0 ? divisionByZero() : (Object) (p / q);
                default -> q == 0 ? divisionByZero() : (Object) (p % q);
            };
        }
        if (Values.isIntegral(x) && Values.isIntegral(y) && !(op == '/' && dialect == Dialect.MYSQL)) {
            long p = x.longValue();
            long q = y.longValue();
            try {
                return switch (op) {
                    case '+' -> Math.addExact(p, q);
                    case '-' -> Math.subtractExact(p, q);
                    case '*' -> Math.multiplyExact(p, q);
                    case '/' -> q == 0 ? divisionByZero() : (Object) (p / q);
                    default -> q == 0 ? divisionByZero() : (Object) (p % q);
                };
            } catch (ArithmeticException overflow) {
                if (dialect == Dialect.SQLITE) {
                    return apply(op, (double) p, (double) q);
                }
                throw new ShardException("integer out of range in " + p + " " + op + " " + q,
                        SqlStates.NUMERIC_VALUE_OUT_OF_RANGE);
            }
        }
        BigDecimal p = Values.decimal(x);
        BigDecimal q = Values.decimal(y);
        return switch (op) {
            case '+' -> p.add(q);
            case '-' -> p.subtract(q);
            case '*' -> p.multiply(q);
            case '/' -> q.signum() == 0 ? divisionByZero() : divide(p, q);
            default -> q.signum() == 0 ? divisionByZero() : (Object) p.remainder(q);
        };
    }

    public Object negate(Object a) throws SQLException {
        if (a == null) {
            return null;
        }
        Number x = number(a);
        if (x instanceof Long || x instanceof Integer || x instanceof Short || x instanceof Byte) {
            return Math.negateExact(x.longValue());
        }
        if (isFloat(x)) {
            return -x.doubleValue();
        }
        return Values.decimal(x).negate();
    }

    /** Decimal division with the dialect's result scale. */
    public BigDecimal divide(BigDecimal p, BigDecimal q) {
        if (dialect == Dialect.MYSQL) {
            return p.divide(q, p.scale() + 4, RoundingMode.HALF_UP);
        }
        if (dialect == Dialect.POSTGRESQL) {
            return p.divide(q, postgresDivScale(p, q), RoundingMode.HALF_UP);
        }
        return p.divide(q, MathContext.DECIMAL128);
    }

    /**
     * PostgreSQL's {@code select_div_scale}: at least 16 significant digits, at least the scale
     * of either operand, counted in base-10000 digit groups as numeric does.
     */
    static int postgresDivScale(BigDecimal p, BigDecimal q) {
        int weight1 = weight(p);
        int weight2 = weight(q);
        int qweight = weight1 - weight2;
        int first1 = firstGroup(p);
        int first2 = firstGroup(q);
        if (first1 <= first2) {
            // equal first groups: numeric cannot tell yet, and assumes the quotient is below one
            qweight--;
        }
        int rscale = 16 - qweight * 4;
        rscale = Math.max(rscale, Math.max(p.scale(), 0));
        rscale = Math.max(rscale, Math.max(q.scale(), 0));
        return Math.min(Math.max(rscale, 0), 1000);
    }

    /** The base-10000 weight of a non-zero decimal: the exponent of its first digit group. */
    private static int weight(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        BigDecimal a = v.abs();
        int digitsBeforePoint = a.precision() - a.scale();
        return Math.floorDiv(digitsBeforePoint - 1, 4);
    }

    /** The value of the first base-10000 digit group. */
    private static int firstGroup(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        BigDecimal a = v.abs();
        int w = weight(a);
        return a.movePointLeft(4 * w).intValue();
    }

    private Object divisionByZero() throws SQLException {
        if (dialect == Dialect.POSTGRESQL || dialect == Dialect.OTHER) {
            throw new ShardException("division by zero", SqlStates.DIVISION_BY_ZERO);
        }
        return null;
    }

    private static boolean isFloat(Number n) {
        return n instanceof Double || n instanceof Float;
    }

    private static Number number(Object v) throws SQLException {
        if (v instanceof Number n) {
            return n;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof String s) {
            try {
                return new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                return 0L;
            }
        }
        throw new ShardException("cannot compute with a " + v.getClass().getSimpleName() + " value when merging shards",
                SqlStates.DATA_EXCEPTION);
    }
}
