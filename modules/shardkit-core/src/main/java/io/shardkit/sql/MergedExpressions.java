package io.shardkit.sql;

import static io.shardkit.sql.SelectTrees.containsAggregate;
import static io.shardkit.sql.SelectTrees.indexOf;
import static io.shardkit.sql.SelectTrees.sameColumn;

import io.shardkit.merge.Expr;
import io.shardkit.sql.MergeAnalysis.Refusal;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The merge-time form ({@link Expr}) of a select item or HAVING over aggregates and group keys,
 * and the check that a value taken from any row of a group is a function of the group keys.
 */
final class MergedExpressions {
    private final MergeAnalysis m;
    private final AggregateMerge agg;

    MergedExpressions(MergeAnalysis m, AggregateMerge agg) {
        this.m = m;
        this.agg = agg;
    }

    /** A value taken from any row of a group must be the same in every row: a function of the group keys. */
    void requireGrouped(Expression e, List<Expression> groups) {
        for (Expression g : groups) {
            if (g.toString().equalsIgnoreCase(e.toString())) {
                return;
            }
        }
        List<Column> columns = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Column c, S context) {
                columns.add(c);
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                throw new Refusal("a subquery in the select list of an aggregate query across shards");
            }
        }, null);
        for (Column c : columns) {
            if (!isGroupColumn(c, groups)) {
                throw new Refusal(c + " is neither grouped nor aggregated, so its value across shards is not defined");
            }
        }
    }

    boolean isGroupColumn(Column c, List<Expression> groups) {
        for (Expression g : groups) {
            if (g instanceof Column k && Analyzer.name(k.getColumnName()).equals(Analyzer.name(c.getColumnName()))
                    && (k.getTable() == null || c.getTable() == null
                    || Analyzer.name(k.getTable().getName()).equals(Analyzer.name(c.getTable().getName())))) {
                return true;
            }
        }
        return false;
    }

    /** The merge-time form of an expression over aggregates and group keys. */
    Expr translate(Expression e, List<Function> aggs, List<Expression> groups, List<SelectItem<?>> items,
            boolean having) {
        if (e instanceof Function f && indexOf(aggs, f) >= 0) {
            return new Expr.Aggregate(indexOf(aggs, f), f.toString());
        }
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).toString().equalsIgnoreCase(e.toString()) && !containsAggregate(e)) {
                return new Expr.Column(agg.groupKeys.get(i));
            }
        }
        if (e instanceof Column c) {
            if (having && c.getTable() == null && OutputNames.havingSeesAliases(m.dialect)) {
                // PostgreSQL's HAVING sees no output names; SQLite reads a column of that name first,
                // MySQL the alias (unless GROUP BY names it, then the column)
                for (SelectItem<?> item : items) {
                    if (OutputNames.aliasIs(m.dialect, item.getAlias(), c.getColumnName())) {
                        if (!sameColumn(item.getExpression(), c)) {
                            if (!OutputNames.havingPrefersColumns(m.dialect) && m.names.groupedByName(c)) {
                                throw new Refusal("HAVING " + c + ", both the alias of " + item.getExpression()
                                        + " and a GROUP BY name, across shards (write the expression)");
                            }
                            if (OutputNames.havingPrefersColumns(m.dialect)) {
                                m.names.guard("HAVING", c.getColumnName(), item.getExpression());
                            }
                        }
                        return translate(item.getExpression(), aggs, groups, items, false);
                    }
                }
            }
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) instanceof Column g && isGroupColumn(c, List.of(g))) {
                    return new Expr.Column(agg.groupKeys.get(i));
                }
            }
            throw new Refusal(c + " is neither grouped nor aggregated, so its value across shards is not defined");
        }
        if (e instanceof LongValue l) {
            return new Expr.Const(l.getValue());
        }
        if (e instanceof DoubleValue v) {
            return new Expr.Const(m.dialect == Dialect.SQLITE ? (Object) v.getValue() : new BigDecimal(v.toString()));
        }
        if (e instanceof StringValue s) {
            return new Expr.Const(s.getValue());
        }
        if (e instanceof NullValue) {
            return new Expr.Const(null);
        }
        if (e instanceof JdbcParameter p && p.getIndex() != null) {
            return new Expr.Param(p.getIndex());
        }
        if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
            return translate(p.get(0), aggs, groups, items, having);
        }
        if (e instanceof SignedExpression s) {
            Expr inner = translate(s.getExpression(), aggs, groups, items, having);
            return s.getSign() == '-' ? new Expr.Negate(inner) : inner;
        }
        if (e instanceof Addition || e instanceof Subtraction || e instanceof Multiplication || e instanceof Division
                || e instanceof Modulo) {
            BinaryExpression b = (BinaryExpression) e;
            char op = e instanceof Addition ? '+' : e instanceof Subtraction ? '-' : e instanceof Multiplication ? '*'
                    : e instanceof Division ? '/' : '%';
            if (e instanceof Division div && div.toString().contains(" DIV ")) {
                throw new Refusal("DIV over aggregates across shards");
            }
            return new Expr.Binary(op, translate(b.getLeftExpression(), aggs, groups, items, having),
                    translate(b.getRightExpression(), aggs, groups, items, having));
        }
        String compare = e instanceof EqualsTo ? "=" : e instanceof NotEqualsTo ? "<>" : e instanceof GreaterThan ? ">"
                : e instanceof GreaterThanEquals ? ">=" : e instanceof MinorThan ? "<" : e instanceof MinorThanEquals ? "<="
                : null;
        if (compare != null) {
            BinaryExpression b = (BinaryExpression) e;
            return new Expr.Compare(compare, translate(b.getLeftExpression(), aggs, groups, items, having),
                    translate(b.getRightExpression(), aggs, groups, items, having));
        }
        if (e instanceof AndExpression || e instanceof OrExpression) {
            BinaryExpression b = (BinaryExpression) e;
            return new Expr.Logic(e instanceof AndExpression, translate(b.getLeftExpression(), aggs, groups, items, having),
                    translate(b.getRightExpression(), aggs, groups, items, having));
        }
        if (e instanceof NotExpression n) {
            return new Expr.Not(translate(n.getExpression(), aggs, groups, items, having));
        }
        if (e instanceof IsNullExpression n) {
            return new Expr.IsNull(translate(n.getLeftExpression(), aggs, groups, items, having), n.isNot());
        }
        if (e instanceof Between b) {
            return new Expr.Between(translate(b.getLeftExpression(), aggs, groups, items, having),
                    translate(b.getBetweenExpressionStart(), aggs, groups, items, having),
                    translate(b.getBetweenExpressionEnd(), aggs, groups, items, having), b.isNot());
        }
        if (e instanceof InExpression in && in.getRightExpression() instanceof ExpressionList<?> list) {
            List<Expr> values = new ArrayList<>();
            for (Expression x : list) {
                values.add(translate(x, aggs, groups, items, having));
            }
            return new Expr.In(translate(in.getLeftExpression(), aggs, groups, items, having), values, in.isNot());
        }
        if (e instanceof CaseExpression c && c.getSwitchExpression() == null) {
            List<Expr> when = new ArrayList<>();
            List<Expr> then = new ArrayList<>();
            for (WhenClause w : c.getWhenClauses()) {
                when.add(translate(w.getWhenExpression(), aggs, groups, items, having));
                then.add(translate(w.getThenExpression(), aggs, groups, items, having));
            }
            return new Expr.Case(when, then,
                    c.getElseExpression() == null ? null : translate(c.getElseExpression(), aggs, groups, items, having));
        }
        if (e instanceof Function f && f.getName() != null && !f.isDistinct() && !f.isAllColumns()
                && Expr.Call.SUPPORTED.contains(f.getName().toLowerCase(Locale.ROOT)) && f.getParameters() != null) {
            List<Expr> args = new ArrayList<>();
            for (Expression x : f.getParameters()) {
                args.add(translate(x, aggs, groups, items, having));
            }
            String n = f.getName().toLowerCase(Locale.ROOT);
            int arity = args.size();
            boolean ok = switch (n) {
                case "abs" -> arity == 1;
                case "round" -> arity == 1 || arity == 2;
                case "nullif" -> arity == 2;
                default -> arity >= 1;
            };
            if (ok) {
                return new Expr.Call(n, args);
            }
        }
        throw new Refusal("the expression " + e + " over aggregates across shards (shardkit evaluates arithmetic,"
                + " comparisons, AND/OR/NOT, IS NULL, BETWEEN, IN, CASE WHEN, ABS, ROUND, COALESCE, IFNULL and NULLIF)");
    }
}
