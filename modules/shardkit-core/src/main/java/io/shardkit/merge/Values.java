package io.shardkit.merge;

import io.shardkit.RefusedException;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Locale;
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
 */
public final class Values {
    private final Dialect dialect;
    private final boolean binaryTextOrder;
    private final boolean binaryTextEquality;
    /** Rules by shard column (1-based), once prepared; {@code null} before (fake executions in tests). */
    private Rule[] rules;
    /** PostgreSQL: the labels of an enum type in their order, looked up when first compared. */
    private Enums enums;
    private java.util.Map<String, java.util.Map<String, Integer>> enumOrders;

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
        Rule[] r = new Rule[width + 1];
        for (int c = 1; c <= width; c++) {
            r[c] = typeRule(meta, c);
        }
        for (Comparisons.Entry e : comparisons.entries()) {
            int c = e.column() < 0 ? width + 1 + e.column() : e.column();
            if (c < 1 || c > width) {
                continue;
            }
            if (dialect == Dialect.SQLITE) {
                r[c] = sqliteRule(e, declared);
            }
            int h = e.companion() < 0 ? width + 1 + e.companion() : e.companion();
            if (dialect == Dialect.MYSQL && h >= 1 && h <= width && r[c].kind == Kind.TEXT && r[h].kind == Kind.BYTES) {
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
        Rule r = rules[column];
        if (r.kind != Kind.TEXT) {
            return;
        }
        String name = collation.startsWith("\"") && collation.endsWith("\"") && collation.length() > 1
                ? collation.substring(1, collation.length() - 1) : collation;
        boolean codePoint = name.equals("C") || name.equals("POSIX") || name.equals("ucs_basic") || name.equals("pg_c_utf8");
        if (codePoint) {
            rules[column] = new Rule(Kind.TEXT, r.fold, true, true, false, null, r.type);
        } else if (name.equals("default")) {
            rules[column] = new Rule(Kind.TEXT, r.fold, binaryTextOrder, true, false,
                    binaryTextOrder ? null : "the database's default collation", r.type);
        } else {
            // ordered by rules shardkit does not reproduce; told apart as bytes only if deterministic
            boolean equal = deterministic != null && Boolean.TRUE.equals(deterministic.deterministic(collation));
            rules[column] = new Rule(Kind.TEXT, r.fold, false, equal, false, "collation " + collation + " of " + label
                    + "; only C, POSIX, ucs_basic, pg_c_utf8 or a C default collation order as code points", r.type);
        }
    }

    /** The order of a PostgreSQL enum type's labels. */
    public interface Enums {
        /** Label to position for an enum type, the same on every shard; {@code null} when not an enum or they differ. */
        java.util.Map<String, Integer> order(String type) throws SQLException;
    }

    private java.util.Map<String, Integer> enumOrder(String type) throws SQLException {
        if (enumOrders == null) {
            enumOrders = new java.util.HashMap<>();
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

    private static String label(ResultSetMetaData meta, int c) throws SQLException {
        String l = meta.getColumnLabel(c);
        return l == null || l.startsWith("__") ? "column " + c : l;
    }

    private Rule typeRule(ResultSetMetaData meta, int c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            return Rule.sqliteRefused("the collation of " + label(meta, c) + " (a column shardkit did not analyse)");
        }
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MYSQL) {
            return Rule.GENERIC; // no type names read: the generic rules do not depend on them
        }
        String type = meta.getColumnTypeName(c);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        return dialect == Dialect.POSTGRESQL ? postgresRule(t, meta, c) : mysqlRule(t, meta.getColumnType(c), meta, c);
    }

    private Rule postgresRule(String t, ResultSetMetaData meta, int c) throws SQLException {
        switch (t) {
            case "int2", "int4", "int8", "oid", "numeric", "float4", "float8":
                return new Rule(Kind.NUMBER, Fold.NONE, true, true, false, null, t);
            case "text", "varchar", "name", "unknown", "bpchar":
                // compared once the column's companion names its collation (see collation())
                return new Rule(Kind.TEXT, t.equals("bpchar") ? Fold.RTRIM : Fold.NONE, false, false, false,
                        "the collation of " + label(meta, c) + " is not known", t);
            case "bool":
                return new Rule(Kind.BOOL, Fold.NONE, true, true, false, null, t);
            case "bytea":
                return new Rule(Kind.BYTES, Fold.NONE, true, true, false, null, t);
            case "uuid":
                return new Rule(Kind.UUID, Fold.NONE, true, true, false, null, t);
            case "date", "time", "timestamp", "timestamptz":
                return new Rule(Kind.TEMPORAL, Fold.NONE, true, true, false, null, t);
            default:
                // an enum is ordered by its labels' sort order (read from pg_enum when compared); any other type refuses
                return new Rule(Kind.ENUM, Fold.NONE, true, true, false, "PostgreSQL type " + meta.getColumnTypeName(c)
                        + " of " + label(meta, c) + " (arrays, json, intervals and other types that are no enum are"
                        + " ordered by rules shardkit does not reproduce)", meta.getColumnTypeName(c));
        }
    }

    private Rule mysqlRule(String t, int jdbcType, ResultSetMetaData meta, int c) throws SQLException {
        if (t.startsWith("enum") || t.startsWith("set") || t.equals("uuid") || t.startsWith("inet")) {
            return Rule.refused("MySQL type " + meta.getColumnTypeName(c) + " of " + label(meta, c)
                    + " (ordered by its own rules, not its text)", t);
        }
        switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC,
                    Types.DOUBLE, Types.FLOAT, Types.REAL:
                return new Rule(Kind.NUMBER, Fold.NONE, true, true, false, null, t);
            case Types.BIT, Types.BOOLEAN:
                return t.startsWith("bit") && !t.equals("bit") ? Rule.refused("MySQL type " + t, t)
                        : new Rule(Kind.BOOL, Fold.NONE, true, true, false, null, t);
            case Types.DATE, Types.TIMESTAMP:
                return new Rule(Kind.TEMPORAL, Fold.NONE, true, true, false, null, t);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return new Rule(Kind.BYTES, Fold.NONE, true, true, false, null, t);
            case Types.CHAR, Types.NCHAR:
                // an ENUM or SET column reports CHAR too, and sorts by its position, not its text
                return new Rule(Kind.TEXT, Fold.NONE, false, false, false,
                        "the order of CHAR, ENUM and SET columns (" + label(meta, c) + ")", t);
            case Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR, Types.LONGNVARCHAR:
                return new Rule(Kind.TEXT, Fold.NONE, false, false, false, "MySQL collations", t);
            default:
                return Rule.refused("MySQL type " + meta.getColumnTypeName(c) + " of " + label(meta, c), t);
        }
    }

    private static Rule sqliteRule(Comparisons.Entry e, Declared declared) throws SQLException {
        String coll = e.collation();
        if (coll == null) {
            return Rule.refused("an undetermined collation", "text");
        }
        if (coll.startsWith(Comparisons.UNKNOWN)) {
            return Rule.sqliteRefused(coll.substring(Comparisons.UNKNOWN.length()));
        }
        if (coll.startsWith(Comparisons.DECLARED)) {
            String ref = coll.substring(Comparisons.DECLARED.length());
            int dot = ref.lastIndexOf('.');
            String column = ref.substring(dot + 1);
            String found = null;
            for (String table : ref.substring(0, dot).split(",")) {
                String c = declared == null ? null : declared.collation(table, column);
                if (c != null) {
                    if (found != null && !found.equals(c)) {
                        return Rule.sqliteRefused("column " + column + " of more than one table");
                    }
                    found = c;
                }
            }
            if (found == null) {
                return Rule.sqliteRefused("the collation of column " + column + " (its table is not found)");
            }
            coll = found;
        }
        return switch (coll.toUpperCase(Locale.ROOT)) {
            case "BINARY" -> new Rule(Kind.SQLITE, Fold.NONE, true, true, e.explicit(), null, "text");
            case "NOCASE" -> new Rule(Kind.SQLITE, Fold.NOCASE, true, true, e.explicit(), null, "text");
            case "RTRIM" -> new Rule(Kind.SQLITE, Fold.RTRIM, true, true, e.explicit(), null, "text");
            default -> Rule.sqliteRefused("collation " + coll);
        };
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

    /**
     * Refuses a text value whose WEIGHT_STRING shardkit does not trust to order as its PAD SPACE
     * collation does: one ending in a space (the weights keep it, the collation ignores it), or
     * holding a control character or a space other than U+0020, which may weigh less than or the
     * same as the padding space.
     */
    public static void checkWeighable(Object v) throws SQLException {
        if (!(v instanceof String s)) {
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x85 || c != ' ' && Character.isSpaceChar(c)
                    || c == ' ' && i == s.length() - 1) {
                throw new RefusedException("comparing text holding the " + (c == ' ' ? "trailing " : "")
                        + "control or space character U+" + String.format("%04X", (int) c) + " across MySQL shards"
                        + " (WEIGHT_STRING does not reproduce how PAD SPACE collations weigh it); add a shard key"
                        + " predicate", "(merge)");
            }
        }
    }

    private Rule rule(int column) {
        return rules == null || column <= 0 || column >= rules.length ? null : rules[column];
    }

    /** Whether comparisons of this column follow its own collation (a column or COLLATE clause; SQLite HAVING). */
    public boolean explicitCollation(int column) {
        Rule r = rule(column);
        return r != null && r.explicit;
    }

    /** Compares two non-null values of one shard column in the dialect's order; refuses what it cannot order exactly. */
    public int compare(int column, Object a, Object b) throws SQLException {
        Rule r = rule(column);
        return r == null ? compare(a, b) : r.compare(this, a, b);
    }

    /** A key for hash grouping of one shard column's values under SQL equality. */
    public Object identity(int column, Object v) throws SQLException {
        Rule r = rule(column);
        return r == null || v == null ? identity(v) : r.identity(this, v);
    }

    private enum Kind { GENERIC, NUMBER, TEXT, BYTES, BOOL, UUID, TEMPORAL, SQLITE, ENUM, REFUSED }

    /** How text is folded before code point comparison. */
    private enum Fold { NONE, NOCASE, RTRIM }

    /** The comparison rule of one column. */
    private record Rule(Kind kind, Fold fold, boolean ordered, boolean equal, boolean explicit, String why, String type) {
        static final Rule GENERIC = new Rule(Kind.GENERIC, Fold.NONE, true, true, false, null, "");

        static Rule refused(String why, String type) {
            return new Rule(Kind.REFUSED, Fold.NONE, false, false, false, why, type);
        }

        /** SQLite values of any storage class, whose text collation shardkit cannot reproduce. */
        static Rule sqliteRefused(String why) {
            return new Rule(Kind.SQLITE, Fold.NONE, false, false, false, why, "text");
        }

        int compare(Values v, Object a, Object b) throws SQLException {
            switch (kind) {
                case REFUSED -> throw v.refusal(why);
                case ENUM -> {
                    java.util.Map<String, Integer> order = v.enumOrder(type);
                    Integer x = order == null ? null : order.get(a.toString());
                    Integer y = order == null ? null : order.get(b.toString());
                    if (x == null || y == null) {
                        throw v.refusal(why);
                    }
                    return Integer.compare(x, y);
                }
                case TEXT -> {
                    if (!(a instanceof String x) || !(b instanceof String y)) {
                        return v.compare(a, b);
                    }
                    if (!ordered) {
                        throw v.textOrder(why);
                    }
                    return compareText(fold, x, y);
                }
                case SQLITE -> {
                    if (a instanceof String x && b instanceof String y) {
                        if (!ordered) {
                            throw v.refusal(why);
                        }
                        return compareText(fold, x, y);
                    }
                    return v.compare(a, b);
                }
                default -> {
                    return v.compare(a, b);
                }
            }
        }

        Object identity(Values v, Object x) throws SQLException {
            switch (kind) {
                case REFUSED -> throw v.refusal(why);
                case ENUM -> {
                    if (v.enumOrder(type) == null) {
                        throw v.refusal(why);
                    }
                    return new TextKey(x.toString());
                }
                case TEXT, SQLITE -> {
                    if (x instanceof String s) {
                        if (!equal) {
                            throw kind == Kind.SQLITE ? v.refusal(why) : v.textEquality(why);
                        }
                        return new TextKey(Values.fold(fold, s));
                    }
                    return v.identity(x);
                }
                default -> {
                    return v.identity(x);
                }
            }
        }
    }

    /** Text identity under a collation (a distinct class, so text never equals a number's key). */
    record TextKey(String folded) {
    }

    static String fold(Fold fold, String s) {
        return switch (fold) {
            case NONE -> s;
            case RTRIM -> rtrim(s);
            case NOCASE -> asciiLower(s);
        };
    }

    static int compareText(Fold fold, String a, String b) {
        return compareCodePoints(fold(fold, a), fold(fold, b));
    }

    /** Trailing U+0020 removed (SQLite RTRIM, PostgreSQL char(n)). */
    static String rtrim(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /** SQLite NOCASE: only A-Z fold to a-z. */
    static String asciiLower(String s) {
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if (c == null) {
                    c = s.toCharArray();
                }
                c[i] = (char) (ch + 32);
            }
        }
        return c == null ? s : new String(c);
    }

    private RefusedException refusal(String why) {
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
            return compareCodePoints(x, y);
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
                && (a instanceof java.util.Date || a instanceof java.time.temporal.Temporal)) {
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

    private RefusedException textOrder(String why) {
        return new RefusedException("ordering text across shards needs a binary (code point) collation, and the "
                + dialect + " shards may collate otherwise" + (why == null ? "" : " (" + why + ")")
                + "; order by a number, or add a shard key predicate", "(merge)");
    }

    private RefusedException textEquality(String why) {
        return new RefusedException("telling text values apart across shards needs a binary collation, and "
                + dialect + " collations may ignore case" + (why == null ? "" : " (" + why + ")")
                + "; group by a number, or add a shard key predicate", "(merge)");
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
    private static BigDecimal exact(Number n) {
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
            BigDecimal d = exact(n).stripTrailingZeros();
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
