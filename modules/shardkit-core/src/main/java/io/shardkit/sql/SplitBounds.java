package io.shardkit.sql;

import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.schema.Column;

/**
 * The bounds a statement's top-level conjuncts put on the column a table is split by
 * ({@code created_at >= ? AND created_at < '2026-12-01'}, {@code BETWEEN}, {@code =}), for pruning a
 * calendar split's physical tables. Only a literal or a {@code ?} on the other side counts; a
 * conjunct it does not read prunes nothing. A statement naming the table more than once (a
 * self-join, a subquery) gets no bounds: its references share one list of physical tables, and a
 * bound on one reference says nothing about the others; an unqualified column counts only when the
 * statement names one table.
 */
public final class SplitBounds {
    private SplitBounds() {
    }

    /** One bound: the column is at least ({@code low}) or at most the value, inclusive or not. */
    public record Bound(boolean low, boolean inclusive, ValueRef value) {
    }

    static List<Bound> of(FromClause from, List<String> everyReference, String table, String column) {
        List<Bound> out = new ArrayList<>();
        int named = 0;
        for (String t : everyReference) {
            named += t.equals(table) ? 1 : 0;
        }
        if (named != 1) {
            return out;
        }
        boolean alone = everyReference.size() == 1;
        for (Expression e : from.conjuncts) {
            if (e instanceof Between b && !b.isNot() && is(from, b.getLeftExpression(), table, column, alone)) {
                ValueRef lo = Analyzer.value(b.getBetweenExpressionStart());
                ValueRef hi = Analyzer.value(b.getBetweenExpressionEnd());
                if (lo != null) {
                    out.add(new Bound(true, true, lo));
                }
                if (hi != null) {
                    out.add(new Bound(false, true, hi));
                }
            } else if (e instanceof ComparisonOperator c) {
                boolean left = is(from, c.getLeftExpression(), table, column, alone);
                ValueRef v = Analyzer.value(left ? c.getRightExpression() : c.getLeftExpression());
                if (v == null || !left && !is(from, c.getRightExpression(), table, column, alone)) {
                    continue;
                }
                // column OP v, or v OP column (the operator read from the column's side)
                if (c instanceof EqualsTo) {
                    out.add(new Bound(true, true, v));
                    out.add(new Bound(false, true, v));
                } else if (c instanceof GreaterThanEquals || c instanceof GreaterThan) {
                    out.add(new Bound(left, c instanceof GreaterThanEquals, v));
                } else if (c instanceof MinorThanEquals || c instanceof MinorThan) {
                    out.add(new Bound(!left, c instanceof MinorThanEquals, v));
                }
            }
        }
        return out;
    }

    private static boolean is(FromClause from, Expression e, String table, String column, boolean alone) {
        if (!(e instanceof Column c) || !Analyzer.name(c.getColumnName()).equals(column)) {
            return false;
        }
        boolean qualified = c.getTable() != null && c.getTable().getName() != null;
        return (qualified || alone) && from.resolveColumn(c, List.of(table)).contains(table);
    }
}
