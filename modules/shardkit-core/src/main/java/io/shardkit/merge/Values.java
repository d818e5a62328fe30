package io.shardkit.merge;

import io.shardkit.RefusedException;
import io.shardkit.merge.ColumnRule.Kind;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * How one dialect compares and identifies SQL values when shardkit merges rows: the order a
 * merge sort and MIN/MAX use, NULL placement, and the equality GROUP BY, DISTINCT and
 * COUNT(DISTINCT) use.
 *
 * <p>When a scatter opens, {@link #prepare} gives every compared shard column a rule from its
 * type in the shard's result metadata and its collation (see README, "How values are compared"):
 * an allowlist per dialect. A column whose type or collation shardkit cannot reproduce exactly
 * refuses as soon as one of its values must be compared. Values of columns without a rule
 * (expressions over merged aggregates) are compared by their Java type.
 *
 * <p>Numbers compare by value across Java types (a shard may return Integer where another returns
 * Long; SQLite compares integers and reals exactly); {@code -0.0 = 0.0}; NaN equals NaN and is
 * greater than every number (PostgreSQL's order; SQLite and MySQL store no NaN). Text is
 * compared by code point only where that is the database's own order: SQLite's BINARY collation
 * (NOCASE and RTRIM are reproduced), a PostgreSQL expression whose collation is C or POSIX (or the
 * database default, when that is C; equality needs only a deterministic collation). On MySQL
 * text is compared by its WEIGHT_STRING, read from a hidden companion column ({@link #keyColumn}).
 * PostgreSQL enums are ordered by their labels' declared order.
 *
 * <p>Each column's rule is a {@link ColumnRule}; text folds and code point order are
 * {@link TextCollation}'s, comparison and conversion of numbers {@link Numbers}'.
 */
public final class Values {
    private final Dialect dialect;
    private final boolean binaryTextOrder;
    private final boolean binaryTextEquality;
    /** Rules by shard column (1-based), once prepared; {@code null} before (fake executions in tests). */
    private ColumnRule[] rules;
    /** PostgreSQL: the labels of an enum type in their order, looked up when first compared. */
    private Enums enums;
    private Map<String, Map<String, Integer>> enumOrders;

    /** MySQL: the column holding a text column's WEIGHT_STRING, by column; 0 for none. */
    private int[] weights;
    /** MySQL: whether a weighted column may also be ordered by its weights (not CHAR, which may be an ENUM). */
    private boolean[] orderedByWeight;

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

    /** Looks up the collation a SQLite table declares for a column, on the shards. */
    public interface Declared {
        /** The declared collation name (upper case; BINARY when none), or {@code null} when the table or column is not found. */
        String collation(String table, String column) throws SQLException;
    }

    // ---------------------------------------------------------------- per-column rules

    /**
     * Gives each shard column its comparison rule, from the shard's result metadata and what the
     * analysis knows of the compared columns' collations. Called once per execution, when the
     * first scatter opens; {@code meta} may be {@code null} (no rule then: values decide).
     */
    public void prepare(ResultSetMetaData meta, Comparisons comparisons, Declared declared) throws SQLException {
        prepare(meta, comparisons, declared, null);
    }

    /**
     * Drops the column rules the first scatter prepared, so the next scatter's columns prepare them:
     * for a plan whose first scatter only describes the result ({@code COUNT(*)} over a merged subquery).
     */
    public void forget() {
        rules = null;
        weights = null;
        orderedByWeight = null;
    }

    /** As {@link #prepare(ResultSetMetaData, Comparisons, Declared)}, with PostgreSQL enums ordered by {@code enums}. */
    public void prepare(ResultSetMetaData meta, Comparisons comparisons, Declared declared, Enums enums)
            throws SQLException {
        if (meta == null || rules != null) {
            return;
        }
        this.enums = enums;
        int width = meta.getColumnCount();
        ColumnRule[] r = new ColumnRule[width + 1];
        for (int c = 1; c <= width; c++) {
            r[c] = ColumnRule.typeRule(dialect, meta, c);
        }
        for (Comparisons.Entry e : comparisons.entries()) {
            int c = e.column() < 0 ? width + 1 + e.column() : e.column();
            if (c < 1 || c > width) {
                continue;
            }
            if (dialect == Dialect.SQLITE) {
                r[c] = ColumnRule.sqliteRule(e, declared);
            }
            int h = e.companion() < 0 ? width + 1 + e.companion() : e.companion();
            if (dialect == Dialect.MYSQL && h >= 1 && h <= width && r[c].kind() == Kind.TEXT && r[h].kind() == Kind.BYTES) {
                if (weights == null) {
                    weights = new int[width + 1];
                    orderedByWeight = new boolean[width + 1];
                }
                weights[c] = h;
                orderedByWeight[c] = meta.getColumnType(c) != Types.CHAR && meta.getColumnType(c) != Types.NCHAR;
            }
        }
        rules = r;
    }

    /**
     * Reports the collation PostgreSQL gives a compared column's expression ({@code pg_collation_for},
     * read from its hidden companion column), and refuses one whose order or equality shardkit does
     * not reproduce. {@code null} is a type without collation.
     */
    public void collation(int column, String collation, String label, Deterministic deterministic)
            throws SQLException {
        if (rules == null || column >= rules.length || collation == null) {
            return;
        }
        ColumnRule r = rules[column];
        if (r.kind() != Kind.TEXT) {
            return;
        }
        String name = collation.startsWith("\"") && collation.endsWith("\"") && collation.length() > 1
                ? collation.substring(1, collation.length() - 1) : collation;
        boolean codePoint = name.equals("C") || name.equals("POSIX") || name.equals("ucs_basic") || name.equals("pg_c_utf8");
        if (codePoint) {
            rules[column] = new ColumnRule(Kind.TEXT, r.fold(), true, true, false, null, r.type());
        } else if (name.equals("default")) {
            rules[column] = new ColumnRule(Kind.TEXT, r.fold(), binaryTextOrder, true, false,
                    binaryTextOrder ? null : "the database's default collation", r.type());
        } else {
            // ordered by rules shardkit does not reproduce; told apart as bytes only if deterministic
            boolean equal = deterministic != null && Boolean.TRUE.equals(deterministic.deterministic(collation));
            rules[column] = new ColumnRule(Kind.TEXT, r.fold(), false, equal, false, "collation " + collation + " of " + label
                    + "; only C, POSIX, ucs_basic, pg_c_utf8 or a C default collation order as code points", r.type());
        }
    }

    /** The order of a PostgreSQL enum type's labels. */
    public interface Enums {
        /** Label to position for an enum type, the same on every shard; {@code null} when not an enum or they differ. */
        Map<String, Integer> order(String type) throws SQLException;
    }

    Map<String, Integer> enumOrder(String type) throws SQLException {
        if (enumOrders == null) {
            enumOrders = new HashMap<>();
        }
        if (!enumOrders.containsKey(type)) {
            enumOrders.put(type, enums == null ? null : enums.order(type));
        }
        return enumOrders.get(type);
    }

    /** Whether a PostgreSQL collation is deterministic (equal only when byte-equal), on every shard. */
    public interface Deterministic {
        /** {@code null} when unknown. */
        Boolean deterministic(String collation) throws SQLException;
    }

    /**
     * The column a merge reads to tell values of {@code column} apart: itself, or on MySQL the
     * hidden column holding its WEIGHT_STRING (compared as unsigned bytes: the collation's equality,
     * and its order where {@link #orderColumn} says so).
     */
    public int keyColumn(int column) {
        return weights == null || column <= 0 || column >= weights.length || weights[column] == 0 ? column
                : weights[column];
    }

    /** The column a merge reads to order values of {@code column} (see {@link #keyColumn}). */
    public int orderColumn(int column) {
        int k = keyColumn(column);
        return k != column && orderedByWeight[column] ? k : column;
    }

    /** Whether {@code column} is compared by a MySQL weight column. */
    public boolean weighted(int column) {
        return keyColumn(column) != column;
    }

    private ColumnRule rule(int column) {
        return rules == null || column <= 0 || column >= rules.length ? null : rules[column];
    }

    /** Whether comparisons of this column follow its own collation (a column or COLLATE clause; SQLite HAVING). */
    public boolean explicitCollation(int column) {
        ColumnRule r = rule(column);
        return r != null && r.explicit();
    }

    /** Compares two non-null values of one shard column in the dialect's order; refuses what it cannot order exactly. */
    public int compare(int column, Object a, Object b) throws SQLException {
        ColumnRule r = rule(column);
        return r == null ? compare(a, b) : r.compare(this, a, b);
    }

    /** A key for hash grouping of one shard column's values under SQL equality. */
    public Object identity(int column, Object v) throws SQLException {
        ColumnRule r = rule(column);
        return r == null || v == null ? identity(v) : r.identity(this, v);
    }

    /** Text identity under a collation (a distinct class, so text never equals a number's key). */
    record TextKey(String folded) {
    }

    /** Refuses text whose MySQL WEIGHT_STRING may not order as its PAD SPACE collation does ({@link TextCollation}). */
    public static void checkWeighable(Object v) throws SQLException {
        TextCollation.checkWeighable(v);
    }

    /** Compares numbers by exact value across Java types: {@code -0.0 = 0.0}, NaN = NaN above all ({@link Numbers}). */
    public static int compareNumbers(Number x, Number y) {
        return Numbers.compareNumbers(x, y);
    }

    /** A number as a decimal for arithmetic (doubles by their shortest decimal form; see {@link Numbers}). */
    public static BigDecimal decimal(Number n) {
        return Numbers.decimal(n);
    }

    static boolean isIntegral(Number n) {
        return Numbers.isIntegral(n);
    }

    RefusedException refusal(String why) {
        return new RefusedException("comparing values across shards needs their order and equality, and shardkit"
                + " does not reproduce " + why + " on " + dialect + "; add a shard key predicate", "(merge)");
    }

    // ---------------------------------------------------------------- values by Java type

    /** Compares two non-null values in the dialect's order by their Java types; refuses what it cannot order exactly. */
    public int compare(Object a, Object b) throws SQLException {
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof String x && b instanceof String y) {
            if (!binaryTextOrder) {
                throw textOrder(null);
            }
            return TextCollation.compareCodePoints(x, y);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof UUID x && b instanceof UUID y) {
            // PostgreSQL compares the 16 bytes unsigned; UUID.compareTo is signed
            int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb && dialect == Dialect.SQLITE && ra > 0 && rb > 0) {
            return Integer.compare(ra, rb);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable<?>
                && (a instanceof Date || a instanceof Temporal)) {
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

    RefusedException textOrder(String why) {
        return new RefusedException("ordering text across shards needs a binary (code point) collation, and the "
                + dialect + " shards may collate otherwise" + (why == null ? "" : " (" + why + ")")
                + "; order by a number, or add a shard key predicate", "(merge)");
    }

    RefusedException textEquality(String why) {
        return new RefusedException("telling text values apart across shards needs a binary collation, and "
                + dialect + " collations may ignore case" + (why == null ? "" : " (" + why + ")")
                + "; group by a number, or add a shard key predicate", "(merge)");
    }

    /**
     * A key for hash grouping under SQL equality by Java type: numbers by exact value (1 = 1.0,
     * -0.0 = 0.0, NaN = NaN, NaN and the infinities apart from every number), blobs by content,
     * uuids by value, text exactly (refused on MySQL, whose default collations ignore case). NULL
     * is its own key.
     */
    public Object identity(Object v) throws SQLException {
        if (v == null) {
            return NullKey.NULL;
        }
        if (v instanceof Number n) {
            if (n instanceof Double || n instanceof Float) {
                double d = n.doubleValue();
                if (Double.isNaN(d)) {
                    return NullKey.NAN;
                }
                if (Double.isInfinite(d)) {
                    return d > 0 ? NullKey.PLUS_INFINITY : NullKey.MINUS_INFINITY;
                }
            }
            BigDecimal d = Numbers.exact(n).stripTrailingZeros();
            return d.signum() == 0 ? BigDecimal.ZERO : d;
        }
        if (v instanceof String s) {
            if (!binaryTextEquality) {
                throw textEquality(null);
            }
            return new TextKey(s);
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

    /** Keys of values that are no number's key. */
    private enum NullKey { NULL, NAN, PLUS_INFINITY, MINUS_INFINITY }
}
