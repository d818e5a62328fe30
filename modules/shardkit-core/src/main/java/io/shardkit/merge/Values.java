package io.shardkit.merge;

import io.shardkit.RefusedException;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * How one dialect compares and identifies SQL values when shardkit merges rows: the order a
 * merge sort and MIN/MAX use, NULL placement, and the equality GROUP BY, DISTINCT and
 * COUNT(DISTINCT) use.
 *
 * <p>Numbers compare by value across Java types (a shard may return Integer where another returns
 * Long). Text is compared by code point only where that is the database's own order: SQLite's
 * default BINARY collation, or a PostgreSQL database whose collation is C. Elsewhere a merge that
 * must order text is refused when it meets the first text value, and on MySQL (whose default
 * collations are case-insensitive) so is a merge that must tell text values apart.
 */
public final class Values {
    private final Dialect dialect;
    private final boolean binaryTextOrder;
    private final boolean binaryTextEquality;

    public Values(Dialect dialect, boolean binaryTextOrder) {
        this.dialect = dialect;
        this.binaryTextOrder = binaryTextOrder;
        this.binaryTextEquality = dialect != Dialect.MYSQL && dialect != Dialect.OTHER;
    }

    /** The rules for a dialect with its default collation. */
    public static Values of(Dialect dialect) {
        return new Values(dialect, dialect == Dialect.SQLITE);
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Whether NULL sorts before every value in ascending order (SQLite, MySQL) or after it (PostgreSQL). */
    public boolean nullsFirstWhenAscending() {
        return dialect != Dialect.POSTGRESQL;
    }

    /** Compares two non-null values in the dialect's order; refuses what it cannot order exactly. */
    public int compare(Object a, Object b) throws SQLException {
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            if (!binaryTextOrder) {
                throw textOrder();
            }
            return compareCodePoints(x, y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb && dialect == Dialect.SQLITE && ra > 0 && rb > 0) {
            return Integer.compare(ra, rb);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable<?>) {
            @SuppressWarnings("unchecked")
            Comparable<Object> c = (Comparable<Object>) a;
            return c.compareTo(b);
        }
        throw new RefusedException("cannot order " + a.getClass().getSimpleName() + " against "
                + b.getClass().getSimpleName() + " values when merging shards", "(merge)");
    }

    /** SQLite's order of storage classes: numbers, then text, then blobs. */
    private static int rank(Object v) {
        if (v instanceof Number) {
            return 1;
        }
        if (v instanceof String) {
            return 2;
        }
        if (v instanceof byte[]) {
            return 3;
        }
        return 0;
    }

    private RefusedException textOrder() {
        return new RefusedException("ordering text across shards needs a binary (code point) collation, and the "
                + dialect + " shards may collate otherwise; order by a number, or add a shard key predicate", "(merge)");
    }

    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // surrogates (U+D800..DFFF) sort above U+E000..FFFF in code point order
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    public static int compareNumbers(Number x, Number y) {
        if (isIntegral(x) && isIntegral(y) && !(x instanceof BigInteger) && !(y instanceof BigInteger)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        if ((x instanceof Double || x instanceof Float) && (y instanceof Double || y instanceof Float)) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        return decimal(x).compareTo(decimal(y));
    }

    static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger;
    }

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

    /**
     * A key for hash grouping under SQL equality: numbers by value (1 = 1.0), blobs by content,
     * text exactly (refused on MySQL, whose default collations ignore case). NULL is its own key.
     */
    public Object identity(Object v) throws SQLException {
        if (v == null) {
            return NullKey.NULL;
        }
        if (v instanceof Number n) {
            BigDecimal d = decimal(n).stripTrailingZeros();
            return d.signum() == 0 ? BigDecimal.ZERO : d;
        }
        if (v instanceof String && !binaryTextEquality) {
            throw new RefusedException("telling text values apart across shards needs a binary collation, and "
                    + dialect + " collations may ignore case; group by a number, or add a shard key predicate", "(merge)");
        }
        if (v instanceof byte[] b) {
            return ByteBuffer.wrap(b.clone());
        }
        return v;
    }

    /** The identity of a whole row (or of some of its columns), for DISTINCT and GROUP BY. */
    public RowKey rowKey(Object[] values) throws SQLException {
        Object[] k = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            k[i] = identity(values[i]);
        }
        return new RowKey(k);
    }

    /** Equality of row identities. */
    public record RowKey(Object[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RowKey r && Arrays.equals(r.values, values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    private enum NullKey { NULL }
}
