package io.shardkit.sql;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.deparser.ExpressionDeParser;
import net.sf.jsqlparser.util.deparser.SelectDeParser;
import net.sf.jsqlparser.util.deparser.StatementDeParser;

/**
 * Renders a rewritten statement and works out, from the rewritten tree itself, which statement
 * parameter each {@code ?} of the rendered text takes. The merge rewrite copies expressions (a
 * select item becomes a hidden group key), moves them and drops them (HAVING, LIMIT), so the
 * shard SQL's i-th {@code ?} is not the statement's i-th: counting cannot say which it is, the
 * tree can. Every parameter node keeps the index the parse gave it (its place in the user's text);
 * rendering with those indexes written out ({@code ?3}) and reading them back in text order gives
 * the map. A {@code ?} that renders without its index (a node the walk did not reach) is refused,
 * never guessed. Runs once per SQL text.
 */
final class ShardParameters {
    private ShardParameters() {
    }

    /** The shard SQL and, for each of its {@code ?}, the 1-based statement parameter; {@code null} map when unchanged. */
    record Rendered(String sql, int[] parameters) {
    }

    /** Thrown when the rendered text holds a parameter whose origin is not known. */
    static final class Unmapped extends Exception {
        private static final long serialVersionUID = 1L;

        Unmapped(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param statementParameters how many {@code ?} the user's statement has
     * @throws Unmapped when a parameter of the rendered text cannot be traced to the statement's
     */
    static Rendered render(Statement st, int statementParameters, Dialect dialect) throws Unmapped {
        List<JdbcParameter> marked = new ArrayList<>();
        StringBuilder ignored = new StringBuilder();
        ExpressionDeParser expressions = new ExpressionDeParser() {
            @Override
            public <S> StringBuilder visit(JdbcParameter p, S context) {
                if (p.isUseFixedIndex()) {
                    // the user wrote ?N (or the walk met this node twice): its number is not its place
                    if (!contains(marked, p)) {
                        marked.add(null);
                    }
                } else if (p.getIndex() != null) {
                    p.setUseFixedIndex(true);
                    marked.add(p);
                }
                return super.visit(p, context);
            }
        };
        SelectDeParser selects = new SelectDeParser(expressions, ignored);
        expressions.setSelectVisitor(selects);
        String text;
        try {
            st.accept(new StatementDeParser(expressions, selects, ignored));
            if (marked.contains(null)) {
                throw new Unmapped("numbered parameters (?N)");
            }
            text = st.toString();
        } finally {
            for (JdbcParameter p : marked) {
                if (p != null) {
                    p.setUseFixedIndex(false);
                }
            }
        }
        return strip(text, statementParameters, dialect);
    }

    private static boolean contains(List<JdbcParameter> marked, JdbcParameter p) {
        for (JdbcParameter m : marked) {
            if (m == p) {
                return true;
            }
        }
        return false;
    }

    /** Replaces each {@code ?N} marker (outside literals and comments) by {@code ?} and records N. */
    static Rendered strip(String text, int statementParameters, Dialect dialect) throws Unmapped {
        StringBuilder out = new StringBuilder(text.length());
        List<Integer> order = new ArrayList<>();
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            int end = i + 1;
            if (c == '\'' || c == '"' || c == '`') {
                end = skipQuoted(text, i, c) + 1;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int nl = text.indexOf('\n', i);
                end = nl < 0 ? n : nl;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int close = text.indexOf("*/", i + 2);
                end = close < 0 ? n : close + 2;
            } else if (c == '?') {
                int d = i + 1;
                while (d < n && Character.isDigit(text.charAt(d))) {
                    d++;
                }
                if (d == i + 1) {
                    throw new Unmapped("a parameter the rewrite cannot trace");
                }
                int index = Integer.parseInt(text.substring(i + 1, d));
                if (index < 1 || index > statementParameters) {
                    throw new Unmapped("parameter ?" + index + " of " + statementParameters);
                }
                order.add(index);
                out.append('?');
                i = d;
                continue;
            }
            out.append(text, i, Math.min(end, n));
            i = end;
        }
        int[] map = new int[order.size()];
        boolean identity = map.length == statementParameters;
        for (int k = 0; k < map.length; k++) {
            map[k] = order.get(k);
            identity &= map[k] == k + 1;
        }
        String sql = out.toString();
        if (SqlText.countParameters(sql, dialect) != map.length) {
            // a marker hidden by quoting the scan and the driver may read differently
            throw new Unmapped("a parameter inside text shardkit cannot scan");
        }
        return new Rendered(sql, identity ? null : map);
    }

    /** Same rules as {@link SqlText#countParameters}, so both read the same {@code ?} as parameters. */
    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '"' && i + 1 < sql.length()) {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }
}
