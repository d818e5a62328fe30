package io.shardkit.merge;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Numbers across Java types as SQL sees them: compared by exact value (a shard may return Integer
 * where another returns Long, a double where another returns a decimal), and as decimals for
 * arithmetic on merged values.
 */
final class Numbers {
    private Numbers() {
    }

    /**
     * Compares numbers by value, exactly (an integer with a double as SQLite does, not through a
     * rounded decimal). {@code -0.0 = 0.0}; NaN equals NaN and is above every number, +Infinity
     * included (PostgreSQL).
     */
    public static int compareNumbers(Number x, Number y) {
        if (isIntegral(x) && isIntegral(y) && !(x instanceof BigInteger) && !(y instanceof BigInteger)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        boolean fx = x instanceof Double || x instanceof Float;
        boolean fy = y instanceof Double || y instanceof Float;
        if (fx && fy) {
            double p = x.doubleValue();
            double q = y.doubleValue();
            return p == q ? 0 : Double.compare(p, q);
        }
        if (fx || fy) {
            double d = (fx ? x : y).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                int c = Double.isNaN(d) || d > 0 ? 1 : -1;
                return fx ? c : -c;
            }
        }
        return exact(x).compareTo(exact(y));
    }

    /** The exact value of a finite number (a double's binary value, not its shortest decimal form). */
    static BigDecimal exact(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return d == 0 ? BigDecimal.ZERO : new BigDecimal(d);
        }
        return decimal(n);
    }

    static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

    /**
     * A number as a decimal for arithmetic: doubles by their shortest decimal form; NaN and the
     * infinities (which arithmetic on merged doubles never reaches as decimals) as ten times the
     * largest double, with their sign.
     */
    public static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return d > 0 ? BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN) : BigDecimal.valueOf(-Double.MAX_VALUE).multiply(BigDecimal.TEN);
        }
        return new BigDecimal(Double.toString(d));
    }
}
