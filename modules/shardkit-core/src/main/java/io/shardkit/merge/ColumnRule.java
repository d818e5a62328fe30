package io.shardkit.merge;

import io.shardkit.merge.TextCollation.Fold;
import io.shardkit.sql.Dialect;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison rule of one column, and how a column gets it: from its type in the shard's result
 * metadata (an allowlist per dialect) and, on SQLite, from the collation the analysis found for it.
 * A rule that cannot be reproduced refuses when a value of its column must be compared.
 */
record ColumnRule(Kind kind, Fold fold, boolean ordered, boolean equal, boolean explicit, String why, String type) {
    static final ColumnRule GENERIC = new ColumnRule(Kind.GENERIC, Fold.NONE, true, true, false, null, "");

    static ColumnRule refused(String why, String type) {
        return new ColumnRule(Kind.REFUSED, Fold.NONE, false, false, false, why, type);
    }

    /** SQLite values of any storage class, whose text collation shardkit cannot reproduce. */
    static ColumnRule sqliteRefused(String why) {
        return new ColumnRule(Kind.SQLITE, Fold.NONE, false, false, false, why, "text");
    }

    int compare(Values v, Object a, Object b) throws SQLException {
        switch (kind) {
            case REFUSED -> throw v.refusal(why);
            case ENUM -> {
                Map<String, Integer> order = v.enumOrder(type);
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
                return TextCollation.compareText(fold, x, y);
            }
            case SQLITE -> {
                if (a instanceof String x && b instanceof String y) {
                    if (!ordered) {
                        throw v.refusal(why);
                    }
                    return TextCollation.compareText(fold, x, y);
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
                return new Values.TextKey(x.toString());
            }
            case TEXT, SQLITE -> {
                if (x instanceof String s) {
                    if (!equal) {
                        throw kind == Kind.SQLITE ? v.refusal(why) : v.textEquality(why);
                    }
                    return new Values.TextKey(TextCollation.fold(fold, s));
                }
                return v.identity(x);
            }
            default -> {
                return v.identity(x);
            }
        }
    }

    enum Kind { GENERIC, NUMBER, TEXT, BYTES, BOOL, UUID, TEMPORAL, SQLITE, ENUM, REFUSED }

    private static String label(ResultSetMetaData meta, int c) throws SQLException {
        String l = meta.getColumnLabel(c);
        return l == null || l.startsWith("__") ? "column " + c : l;
    }

    static ColumnRule typeRule(Dialect dialect, ResultSetMetaData meta, int c) throws SQLException {
        if (dialect == Dialect.SQLITE) {
            return ColumnRule.sqliteRefused("the collation of " + label(meta, c) + " (a column shardkit did not analyse)");
        }
        if (dialect != Dialect.POSTGRESQL && dialect != Dialect.MYSQL) {
            return ColumnRule.GENERIC; // no type names read: the generic rules do not depend on them
        }
        String type = meta.getColumnTypeName(c);
        String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
        return dialect == Dialect.POSTGRESQL ? postgresRule(t, meta, c) : mysqlRule(t, meta.getColumnType(c), meta, c);
    }

    private static ColumnRule postgresRule(String t, ResultSetMetaData meta, int c) throws SQLException {
        switch (t) {
            case "int2", "int4", "int8", "oid", "numeric", "float4", "float8":
                return new ColumnRule(Kind.NUMBER, Fold.NONE, true, true, false, null, t);
            case "text", "varchar", "name", "unknown", "bpchar":
                // compared once the column's companion names its collation (see collation())
                return new ColumnRule(Kind.TEXT, t.equals("bpchar") ? Fold.RTRIM : Fold.NONE, false, false, false,
                        "the collation of " + label(meta, c) + " is not known", t);
            case "bool":
                return new ColumnRule(Kind.BOOL, Fold.NONE, true, true, false, null, t);
            case "bytea":
                return new ColumnRule(Kind.BYTES, Fold.NONE, true, true, false, null, t);
            case "uuid":
                return new ColumnRule(Kind.UUID, Fold.NONE, true, true, false, null, t);
            case "date", "time", "timestamp", "timestamptz":
                return new ColumnRule(Kind.TEMPORAL, Fold.NONE, true, true, false, null, t);
            default:
                // an enum is ordered by its labels' sort order (read from pg_enum when compared); any other type refuses
                return new ColumnRule(Kind.ENUM, Fold.NONE, true, true, false, "PostgreSQL type " + meta.getColumnTypeName(c)
                        + " of " + label(meta, c) + " (arrays, json, intervals and other types that are no enum are"
                        + " ordered by rules shardkit does not reproduce)", meta.getColumnTypeName(c));
        }
    }

    private static ColumnRule mysqlRule(String t, int jdbcType, ResultSetMetaData meta, int c) throws SQLException {
        if (t.startsWith("enum") || t.startsWith("set") || t.equals("uuid") || t.startsWith("inet")) {
            return ColumnRule.refused("MySQL type " + meta.getColumnTypeName(c) + " of " + label(meta, c)
                    + " (ordered by its own rules, not its text)", t);
        }
        switch (jdbcType) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.DECIMAL, Types.NUMERIC,
                    Types.DOUBLE, Types.FLOAT, Types.REAL:
                return new ColumnRule(Kind.NUMBER, Fold.NONE, true, true, false, null, t);
            case Types.BIT, Types.BOOLEAN:
                return t.startsWith("bit") && !t.equals("bit") ? ColumnRule.refused("MySQL type " + t, t)
                        : new ColumnRule(Kind.BOOL, Fold.NONE, true, true, false, null, t);
            case Types.DATE, Types.TIMESTAMP:
                return new ColumnRule(Kind.TEMPORAL, Fold.NONE, true, true, false, null, t);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return new ColumnRule(Kind.BYTES, Fold.NONE, true, true, false, null, t);
            case Types.CHAR, Types.NCHAR:
                // an ENUM or SET column reports CHAR too, and sorts by its position, not its text
                return new ColumnRule(Kind.TEXT, Fold.NONE, false, false, false,
                        "the order of CHAR, ENUM and SET columns (" + label(meta, c) + ")", t);
            case Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR, Types.LONGNVARCHAR:
                return new ColumnRule(Kind.TEXT, Fold.NONE, false, false, false, "MySQL collations", t);
            default:
                return ColumnRule.refused("MySQL type " + meta.getColumnTypeName(c) + " of " + label(meta, c), t);
        }
    }

    static ColumnRule sqliteRule(Comparisons.Entry e, Values.Declared declared) throws SQLException {
        String coll = e.collation();
        if (coll == null) {
            return ColumnRule.refused("an undetermined collation", "text");
        }
        if (coll.startsWith(Comparisons.UNKNOWN)) {
            return ColumnRule.sqliteRefused(coll.substring(Comparisons.UNKNOWN.length()));
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
                        return ColumnRule.sqliteRefused("column " + column + " of more than one table");
                    }
                    found = c;
                }
            }
            if (found == null) {
                return ColumnRule.sqliteRefused("the collation of column " + column + " (its table is not found)");
            }
            coll = found;
        }
        return switch (coll.toUpperCase(Locale.ROOT)) {
            case "BINARY" -> new ColumnRule(Kind.SQLITE, Fold.NONE, true, true, e.explicit(), null, "text");
            case "NOCASE" -> new ColumnRule(Kind.SQLITE, Fold.NOCASE, true, true, e.explicit(), null, "text");
            case "RTRIM" -> new ColumnRule(Kind.SQLITE, Fold.RTRIM, true, true, e.explicit(), null, "text");
            default -> ColumnRule.sqliteRefused("collation " + coll);
        };
    }
}
