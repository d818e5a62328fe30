package io.shardkit.merge;

import io.shardkit.RefusedException;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * An expression evaluated by shardkit after a merge: a select item or ORDER BY key over merged
 * aggregates, or a HAVING condition. Built once by the analysis from the parsed SQL; only the
 * operators and functions below exist, anything else is refused when the statement is planned.
 */
public sealed interface Expr {

    /** What an expression can read while it is evaluated for one merged group. */
    interface Scope {
        /** A column of the group's first row (a group key, or a value the shard computed). */
        Object column(int index) throws SQLException;

        /** The merged value of aggregate {@code index}. */
        Object aggregate(int index) throws SQLException;

        /** The value bound to parameter {@code index} (1-based). */
        Object parameter(int index);

        /** The shard column MIN/MAX aggregate {@code index} reads (whose type rules compare it), or 0. */
        default int aggregateColumn(int index) {
            return 0;
        }
    }

    Object eval(Scope scope, Values values, Arithmetic arithmetic) throws SQLException;

    String describe();

    record Const(Object value) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) {
            return value;
        }

        public String describe() {
            return value instanceof String ? "'" + value + "'" : String.valueOf(value);
        }
    }

    record Column(int index) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            return s.column(index);
        }

        public String describe() {
            return "#" + index;
        }
    }

    record Aggregate(int index, String text) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            return s.aggregate(index);
        }

        public String describe() {
            return text;
        }
    }

    record Param(int index) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) {
            return s.parameter(index);
        }

        public String describe() {
            return "?" + index;
        }
    }

    /** {@code + - * / %}. */
    record Binary(char op, Expr left, Expr right) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            return a.apply(op, left.eval(s, v, a), right.eval(s, v, a));
        }

        public String describe() {
            return "(" + left.describe() + " " + op + " " + right.describe() + ")";
        }
    }

    record Negate(Expr operand) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            return a.negate(operand.eval(s, v, a));
        }

        public String describe() {
            return "-" + operand.describe();
        }
    }

    /** {@code = <> < <= > >=} with SQL's three-valued logic. */
    record Compare(String op, Expr left, Expr right) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            Object x = left.eval(s, v, a);
            Object y = right.eval(s, v, a);
            if (x == null || y == null) {
                return null;
            }
            if (x instanceof Boolean bx && y instanceof Number n) {
                x = bx ? 1L : 0L;
                y = n;
            }
            int col = ruleColumn(left, right, s, v);
            int c = (op.equals("=") || op.equals("<>")) && x instanceof String && y instanceof String
                    ? (v.identity(col, x).equals(v.identity(col, y)) ? 0 : 1) : v.compare(col, x, y);
            return switch (op) {
                case "=" -> c == 0;
                case "<>" -> c != 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }

        /**
         * The shard column whose rule (type, collation) the comparison follows: a group key
         * operand's, or a MIN/MAX operand's (an enum, a uuid, collated text); 0 (by Java type) when
         * neither operand is one. On SQLite a column or COLLATE operand wins, the left one first, as
         * SQLite chooses the collation of a comparison; an aggregate's result there is BINARY text.
         */
        static int ruleColumn(Expr left, Expr right, Scope s, Values v) {
            boolean sqlite = v.dialect() == Dialect.SQLITE;
            int l = left instanceof Column c ? c.index() : !sqlite && left instanceof Aggregate g ? s.aggregateColumn(g.index()) : 0;
            int r = right instanceof Column c ? c.index() : !sqlite && right instanceof Aggregate g ? s.aggregateColumn(g.index()) : 0;
            if (sqlite) {
                return l != 0 && v.explicitCollation(l) ? l : r != 0 && v.explicitCollation(r) ? r : 0;
            }
            return l != 0 ? l : r;
        }

        public String describe() {
            return "(" + left.describe() + " " + op + " " + right.describe() + ")";
        }
    }

    /** AND / OR with SQL's three-valued logic. */
    record Logic(boolean and, Expr left, Expr right) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            Boolean x = truth(left.eval(s, v, a));
            if (and && Boolean.FALSE.equals(x)) {
                return false;
            }
            if (!and && Boolean.TRUE.equals(x)) {
                return true;
            }
            Boolean y = truth(right.eval(s, v, a));
            if (and) {
                return Boolean.FALSE.equals(y) ? Boolean.FALSE : x == null || y == null ? null : Boolean.TRUE;
            }
            return Boolean.TRUE.equals(y) ? Boolean.TRUE : x == null || y == null ? null : Boolean.FALSE;
        }

        public String describe() {
            return "(" + left.describe() + (and ? " AND " : " OR ") + right.describe() + ")";
        }
    }

    record Not(Expr operand) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            Boolean x = truth(operand.eval(s, v, a));
            return x == null ? null : !x;
        }

        public String describe() {
            return "NOT " + operand.describe();
        }
    }

    record IsNull(Expr operand, boolean negated) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            return (operand.eval(s, v, a) == null) != negated;
        }

        public String describe() {
            return operand.describe() + (negated ? " IS NOT NULL" : " IS NULL");
        }
    }

    record Between(Expr operand, Expr low, Expr high, boolean negated) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            Object r = new Logic(true, new Compare(">=", operand, low), new Compare("<=", operand, high)).eval(s, v, a);
            return r == null ? null : (Boolean) r != negated;
        }

        public String describe() {
            return operand.describe() + (negated ? " NOT" : "") + " BETWEEN " + low.describe() + " AND " + high.describe();
        }
    }

    record In(Expr operand, List<Expr> items, boolean negated) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            boolean unknown = false;
            for (Expr item : items) {
                Object r = new Compare("=", operand, item).eval(s, v, a);
                if (Boolean.TRUE.equals(r)) {
                    return !negated;
                }
                unknown |= r == null;
            }
            return unknown ? null : negated;
        }

        public String describe() {
            return operand.describe() + (negated ? " NOT IN " : " IN ") + items.stream().map(Expr::describe).toList();
        }
    }

    /**
     * TRUE, unless column {@code column} (a check the shard computed, such as whether a table has
     * a column of some name) is positive: then the statement is refused, since the database would
     * read it another way than the merge does.
     */
    record Guard(int column, String refusal, String sql) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            Object x = s.column(column);
            if (x instanceof Number n && n.longValue() > 0) {
                throw new RefusedException(refusal, sql);
            }
            return Boolean.TRUE;
        }

        public String describe() {
            return "guard #" + column;
        }
    }

    /** {@code CASE WHEN c THEN r ... ELSE e END}. */
    record Case(List<Expr> conditions, List<Expr> results, Expr otherwise) implements Expr {
        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            for (int i = 0; i < conditions.size(); i++) {
                if (Boolean.TRUE.equals(truth(conditions.get(i).eval(s, v, a)))) {
                    return results.get(i).eval(s, v, a);
                }
            }
            return otherwise == null ? null : otherwise.eval(s, v, a);
        }

        public String describe() {
            return "CASE";
        }
    }

    /** The few functions merged values may need: ABS, ROUND, COALESCE/IFNULL, NULLIF. */
    record Call(String name, List<Expr> args) implements Expr {
        public static final List<String> SUPPORTED = List.of("abs", "round", "coalesce", "ifnull", "nullif");

        public Call {
            name = name.toLowerCase(Locale.ROOT);
            args = List.copyOf(args);
        }

        public Object eval(Scope s, Values v, Arithmetic a) throws SQLException {
            switch (name) {
                case "coalesce", "ifnull" -> {
                    for (Expr e : args) {
                        Object x = e.eval(s, v, a);
                        if (x != null) {
                            return x;
                        }
                    }
                    return null;
                }
                case "nullif" -> {
                    Object x = args.get(0).eval(s, v, a);
                    Object y = args.get(1).eval(s, v, a);
                    return x != null && y != null && v.compare(x, y) == 0 ? null : x;
                }
                case "abs" -> {
                    Object x = args.get(0).eval(s, v, a);
                    if (x == null) {
                        return null;
                    }
                    return v.compare(x, 0L) < 0 ? a.negate(x) : x;
                }
                default -> {
                    Object x = args.get(0).eval(s, v, a);
                    Object d = args.size() > 1 ? args.get(1).eval(s, v, a) : 0L;
                    if (x == null || d == null) {
                        return null;
                    }
                    return round((Number) x, ((Number) d).intValue(), a.dialect());
                }
            }
        }

        /**
         * ROUND as the database does it. SQLite always answers a real, clamps the digits to
         * 0..30 and rounds the double's exact binary value half away from zero (2521.475 is
         * stored as 2521.474999..., so it rounds down, where its shortest decimal form would
         * round up). PostgreSQL rounds a double to an integer half to even (rint), and a
         * decimal half away from zero; MySQL rounds a double half to even at the scaled value
         * ({@link #mysqlRound}) and a decimal half away from zero.
         */
        static Object round(Number x, int digits, Dialect dialect) {
            boolean floating = x instanceof Double || x instanceof Float;
            if (dialect == Dialect.SQLITE) {
                double r = x.doubleValue();
                if (Double.isNaN(r) || Double.isInfinite(r) || Math.abs(r) > 4503599627370496.0) {
                    return r; // no fractional part to round
                }
                return new BigDecimal(r).setScale(Math.max(0, Math.min(30, digits)), RoundingMode.HALF_UP).doubleValue();
            }
            if (floating && dialect == Dialect.POSTGRESQL && digits == 0) {
                return Math.rint(x.doubleValue());
            }
            if (floating && dialect == Dialect.MYSQL) {
                return mysqlRound(x.doubleValue(), digits);
            }
            if (floating) {
                return Values.decimal(x).setScale(digits, RoundingMode.HALF_UP).doubleValue();
            }
            BigDecimal r = Values.decimal(x).setScale(digits, RoundingMode.HALF_UP);
            return Values.isIntegral(x) && digits >= 0 ? (Object) x : r;
        }

        /**
         * MySQL/MariaDB {@code my_double_round}: the double is scaled by 10^digits and rounded to an
         * integer half to even (rint), so {@code ROUND(2.5e0)} is 2 and {@code ROUND(0.125e0, 2)} is 0.12.
         */
        static double mysqlRound(double v, int digits) {
            int abs = Math.abs(digits);
            double scale = Double.parseDouble("1e" + abs);
            if (digits < 0) {
                return Double.isInfinite(scale) ? 0.0 : Math.rint(v / scale) * scale;
            }
            double scaled = v * scale;
            return Double.isInfinite(scaled) ? v : Math.rint(scaled) / scale;
        }

        public String describe() {
            return name.toUpperCase(Locale.ROOT) + args.stream().map(Expr::describe).toList();
        }
    }

    /** SQL truth of a value: NULL is unknown, numbers are true when non-zero. */
    static Boolean truth(Object v) throws SQLException {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return Values.compareNumbers(n, 0L) != 0;
        }
        throw new RefusedException("a " + v.getClass().getSimpleName() + " value used as a condition", "(merge)");
    }
}
