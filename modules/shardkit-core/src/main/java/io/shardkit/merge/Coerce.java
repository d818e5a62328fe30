package io.shardkit.merge;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Gives a merged value the Java type the shards return for that column, so a merged COUNT is a
 * Long where PostgreSQL returns bigint, and an Integer where SQLite returns a small integer.
 */
public final class Coerce {
    private Coerce() {
    }

    /**
     * The type SQLite's driver gives this value. SQLite types values, not columns: one column
     * holds integers and reals side by side (a DECIMAL column stores 12.00 as the integer 12), and
     * the driver returns an Integer for an integer that fits in 32 bits, else a Long, and a Double
     * for a real. So a merged value takes the type of its own value, never another row's.
     */
    public static Object sqlite(Object v) {
        if (v instanceof Number n && Values.isIntegral(n) && !(n instanceof BigInteger)) {
            long l = n.longValue();
            return l == (int) l ? (Object) (int) l : (Object) l;
        }
        return v;
    }

    public static Object to(Object v, Class<?> hint) {
        if (v == null || hint == null || hint.isInstance(v) || !(v instanceof Number n)) {
            return v;
        }
        if (hint == Integer.class) {
            if (Values.isIntegral(n) && !(n instanceof BigInteger) && n.longValue() == (int) n.longValue()) {
                return (int) n.longValue();
            }
            return Values.isIntegral(n) ? (Object) n.longValue() : v;
        }
        if (hint == Long.class) {
            if (Values.isIntegral(n) && !(n instanceof BigInteger)) {
                return n.longValue();
            }
            if (n instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0 && d.toBigInteger().bitLength() < 63) {
                return d.longValueExact();
            }
            return v;
        }
        if (hint == BigDecimal.class) {
            return Values.decimal(n);
        }
        if (hint == Double.class) {
            return n.doubleValue();
        }
        if (hint == Float.class) {
            return n.floatValue();
        }
        if (hint == Short.class && Values.isIntegral(n) && n.longValue() == (short) n.longValue()) {
            return (short) n.longValue();
        }
        return v;
    }
}
