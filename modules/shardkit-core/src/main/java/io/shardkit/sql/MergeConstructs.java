package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;

/**
 * The constructs of a SELECT that a multi-shard run would have to merge (WITH, ORDER BY, LIMIT,
 * OFFSET, set operations, DISTINCT, GROUP BY, HAVING, aggregates, window functions), recorded
 * while its FROM and WHERE are walked.
 */
final class MergeConstructs {
    private final StatementAnalysis a;

    MergeConstructs(StatementAnalysis a) {
        this.a = a;
    }

    void select(Select select) {
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            a.merge.add("WITH");
        }
        if (select.getOrderByElements() != null && !select.getOrderByElements().isEmpty()) {
            a.merge.add("ORDER BY");
        }
        if (select.getLimit() != null) {
            a.merge.add("LIMIT");
        }
        if (select.getOffset() != null) {
            a.merge.add("OFFSET");
        }
        if (select.getFetch() != null) {
            a.merge.add("FETCH");
        }
        if (select instanceof ParenthesedSelect p) {
            select(p.getSelect());
        } else if (select instanceof SetOperationList set) {
            for (var op : set.getOperations()) {
                a.merge.add(op.toString().toUpperCase(Locale.ROOT));
            }
        } else if (select instanceof PlainSelect ps) {
            plainSelect(ps);
        } else if (select instanceof Values) {
            // a VALUES list touches no table
        }
    }

    void plainSelect(PlainSelect ps) {
        a.forUpdate |= ps.getForMode() != null || ps.getForUpdateTable() != null;
        if (ps.getDistinct() != null) {
            a.merge.add("DISTINCT");
        }
        if (ps.getTop() != null) {
            a.merge.add("TOP");
        }
        if (ps.getGroupBy() != null) {
            a.merge.add("GROUP BY");
        }
        if (ps.getHaving() != null) {
            a.merge.add("HAVING");
        }
        if (ps.getQualify() != null) {
            a.merge.add("QUALIFY");
        }
        Constructs constructs = new Constructs();
        for (SelectItem<?> item : ps.getSelectItems()) {
            item.getExpression().accept(constructs, null);
        }
        if (ps.getOrderByElements() != null) {
            for (var o : ps.getOrderByElements()) {
                o.getExpression().accept(constructs, null);
            }
        }
        a.merge.addAll(constructs.found);
        a.from.addFrom(ps.getFromItem());
        a.from.joins(ps.getJoins(), false);
        a.from.outerJoinsKeepingRowsOfEveryShard(ps.getFromItem(), ps.getJoins());
        a.from.conjuncts(ps.getWhere());
    }

/** Finds aggregate and window functions in select items, without entering subqueries. */
private static final class Constructs extends ExpressionVisitorAdapter<Void> {
    final Set<String> found = new LinkedHashSet<>();

    @Override
    public <S> Void visit(Function function, S context) {
        String n = function.getName() == null ? "" : name(function.getName());
        if (Functions.AGGREGATES.contains(n)) {
            found.add("aggregate " + n.toUpperCase(Locale.ROOT));
        }
        return super.visit(function, context);
    }

    @Override
    public <S> Void visit(AnalyticExpression expression, S context) {
        found.add("window function " + expression.getName().toUpperCase(Locale.ROOT));
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        return null;
    }
}
}
