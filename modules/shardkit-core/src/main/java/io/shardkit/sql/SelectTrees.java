package io.shardkit.sql;

import io.shardkit.merge.Expr;
import io.shardkit.sql.MergeAnalysis.Refusal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/** Static questions and rewrites over a SELECT's expression trees that the merge analysis asks. */
final class SelectTrees {

    private SelectTrees() {
    }

    static int indexOf(List<Function> aggs, Function f) {
        String text = f.toString();
        for (int i = 0; i < aggs.size(); i++) {
            if (aggs.get(i).toString().equals(text)) {
                return i;
            }
        }
        return -1;
    }

    static boolean hasStar(List<SelectItem<?>> items) {
        for (SelectItem<?> item : items) {
            if (item.getExpression() instanceof AllColumns) {
                return true;
            }
        }
        return false;
    }

    static Boolean nulls(OrderByElement o) {
        if (o.getNullOrdering() == null) {
            return null;
        }
        return o.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
    }

    static List<Function> aggregateCalls(PlainSelect ps) {
        List<Function> found = new ArrayList<>();
        ExpressionVisitorAdapter<Void> finder = new ExpressionVisitorAdapter<>() {
            @Override
            public <S> Void visit(Function f, S context) {
                if (f.getName() != null && Analyzer.isAggregate(f.getName())) {
                    found.add(f);
                    return null;
                }
                return super.visit(f, context);
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                return null;
            }
        };
        for (SelectItem<?> item : ps.getSelectItems()) {
            item.getExpression().accept(finder, null);
        }
        if (ps.getHaving() != null) {
            ps.getHaving().accept(finder, null);
        }
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                o.getExpression().accept(finder, null);
            }
        }
        return found;
    }

    static boolean containsAggregate(Expression e) {
        boolean[] found = {false};
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function f, S context) {
                if (f.getName() != null && Analyzer.isAggregate(f.getName())) {
                    found[0] = true;
                    return null;
                }
                return super.visit(f, context);
            }
        }, null);
        return found[0];
    }

    static void noParameters(Expression e, String refusal) {
        List<Integer> found = new ArrayList<>();
        collectParameters(e, found);
        if (!found.isEmpty()) {
            throw new Refusal(refusal);
        }
    }

    static void collectParameters(Expression e, Collection<Integer> into) {
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(JdbcParameter p, S context) {
                into.add(p.getIndex() == null ? 0 : p.getIndex());
                return null;
            }
        }, null);
    }

    static Expression parseExpression(String text) {
        try {
            return SqlParse.expression(text);
        } catch (Exception e) {
            throw new Refusal("cannot rewrite " + text + " for the shards");
        }
    }

    static boolean hasParameters(Expression e) {
        List<Integer> found = new ArrayList<>();
        collectParameters(e, found);
        return !found.isEmpty();
    }

    static boolean sameColumn(Expression e, Column c) {
        return e instanceof Column x && Analyzer.name(x.getColumnName()).equals(Analyzer.name(c.getColumnName()));
    }

    static Expr and(Expr a, Expr b) {
        return a == null ? b : new Expr.Logic(true, a, b);
    }
}
