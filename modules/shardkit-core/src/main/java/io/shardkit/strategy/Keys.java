package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** Turns shard key values, as bound or written in SQL, into what strategies compare. */
final class Keys {
    private Keys() {
    }

    /**
     * The key as a {@code long}. Integral numbers of any Java type, and strings holding a decimal
     * integer (a literal {@code '42'} compared with an integer column), are accepted.
     */
    static long toLong(String strategy, String table, Object key) throws ShardException {
        if (key instanceof Long l) {
            return l;
        }
        if (key instanceof Integer || key instanceof Short || key instanceof Byte) {
            return ((Number) key).longValue();
        }
        try {
            if (key instanceof BigInteger b) {
                return b.longValueExact();
            }
            if (key instanceof BigDecimal d) {
                return d.longValueExact();
            }
            if (key instanceof Double || key instanceof Float) {
                return new BigDecimal(key.toString()).longValueExact();
            }
            if (key instanceof String s) {
                return Long.parseLong(s.strip());
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // fall through to the error below
        }
        throw new KeyTypeException(strategy + " strategy of table " + table + " needs an integer shard key, got "
                + describe(key));
    }

    /** The canonical text of a key: integers in decimal without fraction, everything else {@code toString()}. */
    static String text(Object key) {
        if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte
                || key instanceof BigInteger) {
            return key.toString();
        }
        if (key instanceof BigDecimal d) {
            return decimal(d);
        }
        if ((key instanceof Double || key instanceof Float) && Double.isFinite(((Number) key).doubleValue())) {
            return decimal(new BigDecimal(key.toString()));
        }
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return key.toString();
    }

    private static String decimal(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigInteger().toString() : stripped.toPlainString();
    }

    static String describe(Object key) {
        return "'" + key + "' (" + key.getClass().getSimpleName() + ")";
    }
}
