package io.shardkit.oracle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reading a result into rows and comparing two results the way the oracle promises: same width,
 * same rows (in sequence when the order is total, as multisets otherwise, plus the sequence of
 * the leading order keys of a partial order), integers exactly, decimals by value (a relative
 * 1e-9 in AVG/division columns), doubles within a relative 1e-9, and the same Java class for every
 * non-null value.
 */
final class Results {
    static final double TOLERANCE = 1e-9;

    private Results() {
    }

    /** A result as read by {@code getObject}: its width, column labels and rows. */
    record Rows(int width, List<String> labels, List<Object[]> rows) {
    }

    static Rows read(ResultSet rs) throws SQLException {
        int width = rs.getMetaData().getColumnCount();
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= width; i++) {
            labels.add(rs.getMetaData().getColumnLabel(i));
        }
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] row = new Object[width];
            for (int i = 0; i < width; i++) {
                row[i] = rs.getObject(i + 1);
            }
            rows.add(row);
        }
        return new Rows(width, labels, rows);
    }

    /** Why the two results differ, or {@code null} when they agree. */
    static String difference(Query q, Rows expected, Rows actual) {
        return difference(q, expected, actual, Equivalence.NONE);
    }

    /**
     * Like {@link #difference(Query, Rows, Rows)}, with the columns of {@link Query#valueClasses()}
     * replaced by their class representative on both sides first (the database may return any
     * member of an equal class there), and the key columns of {@link Query#keyClasses()} compared
     * under their domain in the key-sequence check.
     */
    static String difference(Query q, Rows expected, Rows actual, Equivalence eq) {
        String rows = rowDifference(q, expected, actual, eq);
        if (rows == null && q.exactScale() && !expected.labels().equals(actual.labels())) {
            // the database names its columns and applications read them by these names (checked after the rows,
            // so a wrong row is reported as such)
            return "column labels: expected " + expected.labels() + ", got " + actual.labels();
        }
        return rows;
    }

    private static String rowDifference(Query q, Rows expected, Rows actual, Equivalence eq) {
        if (!q.valueClasses().isEmpty() && expected.width() == actual.width()) {
            expected = eq.canonical(expected, q.valueClasses());
            actual = eq.canonical(actual, q.valueClasses());
        }
        if (expected.width() != actual.width()) {
            return "column count: expected " + expected.width() + ", got " + actual.width();
        }

        if (expected.rows().size() != actual.rows().size()) {
            return "row count: expected " + expected.rows().size() + ", got " + actual.rows().size();
        }
        List<Object[]> want = expected.rows();
        List<Object[]> got = actual.rows();
        if (!q.total()) {
            if (!q.keyColumns().isEmpty()) {
                for (int i = 0; i < want.size(); i++) {
                    for (int c : q.keyColumns()) {
                        String domain = q.keyClasses().get(c);
                        String d = domain != null && eq.same(domain, want.get(i)[c], got.get(i)[c]) ? null
                                : value(q, c, want.get(i)[c], got.get(i)[c]);
                        if (d != null) {
                            return "order key column " + (c + 1) + " at row " + (i + 1) + ": " + d;
                        }
                    }
                }
            }
            want = sorted(want);
            got = sorted(got);
        }
        for (int i = 0; i < want.size(); i++) {
            for (int c = 0; c < expected.width(); c++) {
                String d = value(q, c, want.get(i)[c], got.get(i)[c]);
                if (d != null) {
                    return (q.total() ? "" : "(rows compared sorted) ") + "row " + (i + 1) + " column " + (c + 1)
                            + ": " + d;
                }
            }
        }
        return null;
    }

    private static String value(Query q, int column, Object want, Object got) {
        if (want == null || got == null) {
            return want == got ? null : "expected " + show(want) + ", got " + show(got);
        }
        if (want.getClass() != got.getClass()) {
            return "Java type: expected " + show(want) + ", got " + show(got);
        }
        if (want instanceof Double || want instanceof Float) {
            return close(((Number) want).doubleValue(), ((Number) got).doubleValue()) ? null
                    : "expected " + show(want) + ", got " + show(got);
        }
        if (want instanceof BigDecimal x) {
            BigDecimal y = (BigDecimal) got;
            boolean same = x.compareTo(y) == 0 || q.approx().contains(column) && close(x, y);
            if (same && q.exactScale() && x.scale() != y.scale()) {
                return "scale: expected " + show(want) + " (scale " + x.scale() + "), got " + show(got) + " (scale "
                        + y.scale() + ")";
            }
            return same ? null : "expected " + show(want) + ", got " + show(got);
        }
        if (want instanceof byte[] x) {
            return Arrays.equals(x, (byte[]) got) ? null : "expected " + show(want) + ", got " + show(got);
        }
        return want.equals(got) ? null : "expected " + show(want) + ", got " + show(got);
    }

    /** Doubles: -0.0 equals 0.0 (as in SQL), NaN equals NaN (PostgreSQL groups and orders NaN as one value). */
    private static boolean close(double x, double y) {
        if (x == y || Double.isNaN(x) && Double.isNaN(y)) {
            return true;
        }
        return Math.abs(x - y) <= TOLERANCE * Math.max(Math.abs(x), Math.abs(y));
    }

    private static boolean close(BigDecimal x, BigDecimal y) {
        BigDecimal scale = x.abs().max(y.abs());
        return x.subtract(y).abs().compareTo(scale.multiply(BigDecimal.valueOf(TOLERANCE))) <= 0;
    }

    /** Rows in a canonical order: column by column, NULL first, numbers by value, anything else by text. */
    private static List<Object[]> sorted(List<Object[]> rows) {
        List<Object[]> copy = new ArrayList<>(rows);
        copy.sort(ROW_ORDER);
        return copy;
    }

    private static final Comparator<Object[]> ROW_ORDER = (a, b) -> {
        for (int i = 0; i < a.length; i++) {
            int c = compare(a[i], b[i]);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    };

    private static int compare(Object x, Object y) {
        if (x == null || y == null) {
            return x == y ? 0 : x == null ? -1 : 1;
        }
        if ((x instanceof Double || x instanceof Float) && (y instanceof Double || y instanceof Float)) {
            double a = ((Number) x).doubleValue();
            double b = ((Number) y).doubleValue();
            return a == b ? 0 : Double.compare(a, b);
        }
        if (x instanceof Number a && y instanceof Number b && finite(a) && finite(b)) {
            return decimal(a).compareTo(decimal(b));
        }
        if (x instanceof Number != y instanceof Number) {
            return x instanceof Number ? -1 : 1;
        }
        return String.valueOf(x).compareTo(String.valueOf(y));
    }

    private static boolean finite(Number n) {
        return !(n instanceof Double || n instanceof Float) || Double.isFinite(n.doubleValue());
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue());
        }
        return BigDecimal.valueOf(n.longValue());
    }

    static String show(Object v) {
        if (v == null) {
            return "NULL";
        }
        String text = v instanceof BigDecimal d ? d.toPlainString() : v instanceof byte[] b ? Arrays.toString(b)
                : v.toString();
        return text + " (" + v.getClass().getSimpleName() + ")";
    }

    /** The first rows of a result, one per line, for a failure message. */
    static String head(Rows rows, int max) {
        StringBuilder sb = new StringBuilder();
        sb.append("      ").append(rows.rows().size()).append(" rows, ").append(rows.width()).append(" columns\n");
        for (int i = 0; i < Math.min(max, rows.rows().size()); i++) {
            List<String> cells = new ArrayList<>();
            for (Object v : rows.rows().get(i)) {
                cells.add(show(v));
            }
            sb.append("      ").append(String.join(" | ", cells)).append('\n');
        }
        if (rows.rows().size() > max) {
            sb.append("      ...\n");
        }
        return sb.toString();
    }
}
