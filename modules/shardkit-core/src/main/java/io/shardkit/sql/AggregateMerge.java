package io.shardkit.sql;

import static io.shardkit.sql.SelectTrees.and;
import static io.shardkit.sql.SelectTrees.containsAggregate;
import static io.shardkit.sql.SelectTrees.hasParameters;
import static io.shardkit.sql.SelectTrees.hasStar;
import static io.shardkit.sql.SelectTrees.indexOf;
import static io.shardkit.sql.SelectTrees.noParameters;
import static io.shardkit.sql.SelectTrees.nulls;
import static io.shardkit.sql.SelectTrees.parseExpression;
import static io.shardkit.sql.SelectTrees.sameColumn;

import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Comparisons;
import io.shardkit.merge.Expr;
import io.shardkit.merge.Output;
import io.shardkit.merge.SortKey;
import io.shardkit.sql.MergeAnalysis.Refusal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The merge of a SELECT with aggregates or GROUP BY: each aggregate split into the parts the
 * shards compute (AVG as SUM and COUNT), the group keys and DISTINCT arguments as hidden shard
 * columns, HAVING and ORDER BY evaluated at merge time, and the collations the merge compares by.
 */
final class AggregateMerge {
    private static final Set<String> MERGEABLE = Set.of("count", "sum", "min", "max", "avg");

    private final MergeAnalysis m;
    private final MergedExpressions expressions;
    /** Visible columns of an aggregate query. */
    private int width;
    /** Collation companions of an aggregate query's group keys, which the shards also group by. */
    private final List<Expression> groupedCompanions = new ArrayList<>();
    /** The collations of the compared shard columns of an aggregate query, once worked out. */
    private Comparisons comparisons = Comparisons.NONE;
    /** The shard column of each group key: a hidden column after the visible ones, or the select item it names. */
    List<Integer> groupKeys = List.of();

    AggregateMerge(MergeAnalysis m) {
        this.m = m;
        this.expressions = new MergedExpressions(m, this);
    }

    MergeSpec aggregateQuery(PlainSelect ps, List<Function> calls, Bound offset, Bound count) {
        List<SelectItem<?>> items = ps.getSelectItems();
        if (hasStar(items)) {
            throw new Refusal("SELECT * with aggregates or GROUP BY across shards");
        }
        width = items.size();
        GroupByElement groupBy = ps.getGroupBy();
        List<Expression> groupExprs = new ArrayList<>();
        List<Integer> groupItems = new ArrayList<>();
        if (groupBy != null) {
            if (groupBy.getGroupingSets() != null && !groupBy.getGroupingSets().isEmpty() || groupBy.isMysqlWithRollup()) {
                throw new Refusal("GROUPING SETS / ROLLUP / CUBE across shards");
            }
            for (Expression e : groupBy.getGroupByExpressionList()) {
                if (e instanceof Function f && f.getName() != null
                        && Set.of("rollup", "cube", "grouping sets").contains(f.getName().toLowerCase(Locale.ROOT))) {
                    throw new Refusal("GROUPING SETS / ROLLUP / CUBE across shards");
                }
                groupExprs.add(resolveGroupKey(items, e));
                groupItems.add(m.names.namedItem(items, e));
            }
        }
        // aggregates, deduplicated by text
        Map<String, Function> aggregates = new LinkedHashMap<>();
        Map<String, Expression> distinctArgs = new LinkedHashMap<>();
        for (Function f : calls) {
            String name = f.getName().toLowerCase(Locale.ROOT);
            if (!MERGEABLE.contains(name)) {
                throw new Refusal("aggregate " + name.toUpperCase(Locale.ROOT) + " across shards");
            }
            noParameters(f, "a ? parameter inside aggregate " + f + " across shards");
            if (f.getKeep() != null || (f.getOrderByElements() != null && !f.getOrderByElements().isEmpty())
                    || (f.getKeywordArguments() != null && !f.getKeywordArguments().isEmpty())) {
                // e.g. MIN(x COLLATE NOCASE) parses as a keyword argument the rewrite would drop
                throw new Refusal("aggregate " + f + " across shards");
            }
            int args = f.getParameters() == null ? 0 : f.getParameters().size();
            if (!f.isAllColumns() && args != 1) {
                throw new Refusal("aggregate " + f + " with " + args + " arguments across shards");
            }
            if (f.isAllColumns() && !name.equals("count")) {
                throw new Refusal("aggregate " + f + " across shards");
            }
            aggregates.putIfAbsent(f.toString(), f);
            if (f.isDistinct()) {
                Expression arg = f.getParameters().get(0);
                distinctArgs.putIfAbsent(arg.toString(), arg);
            }
        }
        List<Function> aggList = new ArrayList<>(aggregates.values());
        // hidden shard columns: group keys, distinct arguments, order placeholders, aggregate parts
        List<SelectItem<?>> hidden = new ArrayList<>();
        groupKeys = new ArrayList<>();
        List<Expression> shardGroups = new ArrayList<>();
        for (int i = 0; i < groupExprs.size(); i++) {
            boolean parameters = hasParameters(groupExprs.get(i));
            if (parameters && groupItems.get(i) > 0) {
                // the key is a select item holding a ?: group by that column, never by a copy (on
                // PostgreSQL each ? is its own $n, and a copy would not be the same expression)
                groupKeys.add(groupItems.get(i));
                shardGroups.add(new LongValue(groupItems.get(i)));
                continue;
            }
            int column = width + hidden.size() + 1;
            groupKeys.add(column);
            hidden.add(new SelectItem<>(groupExprs.get(i), new Alias("__g" + i)));
            shardGroups.add(parameters ? new LongValue(column) : groupExprs.get(i));
        }
        Map<String, Integer> distinctColumn = new LinkedHashMap<>();
        int d = 0;
        for (Map.Entry<String, Expression> e : distinctArgs.entrySet()) {
            distinctColumn.put(e.getKey(), width + hidden.size() + 1);
            hidden.add(new SelectItem<>(e.getValue(), new Alias("__d" + d++)));
        }
        List<Output> outputs = new ArrayList<>();
        boolean shardsMayReturnNoRow = groupExprs.isEmpty() && !distinctArgs.isEmpty();
        for (int i = 0; i < width; i++) {
            Output out = output(i + 1, items.get(i).getExpression(), aggList, groupExprs, items);
            if (out.isFirst() && shardsMayReturnNoRow) {
                // the shards group by the DISTINCT arguments: when no row matches, no shard returns a
                // row to take this value from, so the merge computes it
                out = Output.expression(i + 1, expressions.translate(items.get(i).getExpression(), aggList, groupExprs, items,
                        false));
            }
            outputs.add(out);
        }
        List<SortKey> finalOrder = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            int o2 = 0;
            for (OrderByElement o : ps.getOrderByElements()) {
                if (o.getExpression() instanceof JdbcParameter) {
                    throw new Refusal("ORDER BY ? across shards (a bound value is not a column position)");
                }
                o.setExpression(m.names.aliasesInside(items, o.getExpression()));
                int column = m.names.itemIndex(items, o.getExpression());
                if (column == 0) {
                    column = width + hidden.size() + 1;
                    hidden.add(new SelectItem<>(o.getExpression(), new Alias("__o" + o2++)));
                    outputs.add(output(column, o.getExpression(), aggList, groupExprs, items));
                }
                finalOrder.add(new SortKey(column, !o.isAsc(), nulls(o)));
            }
        }
        List<AggregateSpec> specs = new ArrayList<>();
        for (int i = 0; i < aggList.size(); i++) {
            Function f = aggList.get(i);
            AggregateSpec.Kind kind = AggregateSpec.Kind.valueOf(f.getName().toUpperCase(Locale.ROOT));
            if (f.isDistinct()) {
                specs.add(new AggregateSpec(kind, true, distinctColumn.get(f.getParameters().get(0).toString()), 0,
                        f.toString()));
                continue;
            }
            String arg = f.isAllColumns() ? "*" : f.getParameters().get(0).toString();
            if (kind == AggregateSpec.Kind.AVG) {
                int sum = width + hidden.size() + 1;
                hidden.add(new SelectItem<>(parseExpression("SUM(" + arg + ")"), new Alias("__a" + i + "s")));
                hidden.add(new SelectItem<>(parseExpression("COUNT(" + arg + ")"), new Alias("__a" + i + "c")));
                specs.add(new AggregateSpec(kind, false, sum, sum + 1, f.toString()));
            } else {
                int column = width + hidden.size() + 1;
                hidden.add(new SelectItem<>(parseExpression(kind.name() + "(" + arg + ")"), new Alias("__a" + i)));
                specs.add(new AggregateSpec(kind, false, column, 0, f.toString()));
            }
        }
        Expr having = ps.getHaving() == null ? null : expressions.translate(ps.getHaving(), aggList, groupExprs, items, true);
        Expr guard = null;
        int c = 0;
        for (String[] g : m.guards.values()) {
            guard = and(guard, new Expr.Guard(width + hidden.size() + 1, g[1], m.sql));
            hidden.add(new SelectItem<>(parseExpression(g[0]), new Alias("__c" + c++)));
        }
        having = guard == null ? having : having == null ? guard : new Expr.Logic(true, guard, having);
        // the shard query
        List<Expression> original = new ArrayList<>();
        for (SelectItem<?> item : items) {
            original.add(item.getExpression());
        }
        for (SelectItem<?> item : hidden) {
            original.add(item.getExpression());
        }
        m.names.labels(items, outputs);
        neverEvaluated(outputs, items, hidden);
        comparedColumns(ps, original, items, hidden, groupKeys, specs, aggList, finalOrder, outputs);
        ps.setHaving(null);
        ps.setOrderByElements(null);
        shardGroups.addAll(distinctArgs.values());
        if (!shardGroups.isEmpty()) {
            shardGroups.addAll(groupedCompanions);
        }
        if (!shardGroups.isEmpty()) {
            GroupByElement g = new GroupByElement();
            g.setGroupByExpressions(new ExpressionList<>(shardGroups));
            ps.setGroupByElement(g);
        }
        boolean streamed = m.dialect == Dialect.SQLITE && !groupKeys.isEmpty();
        List<SortKey> shardOrder = new ArrayList<>();
        if (streamed) {
            List<OrderByElement> byKeys = new ArrayList<>();
            for (int key : groupKeys) {
                OrderByElement o = new OrderByElement();
                o.setExpression(new LongValue(key));
                byKeys.add(o);
                shardOrder.add(new SortKey(key, false, null));
            }
            ps.setOrderByElements(byKeys);
        }
        ShardParameters.Rendered shard = m.render(ps);
        return new MergeSpec(null, shard.sql(), shard.parameters(), hidden.size(), shardOrder, true, groupKeys,
                streamed, specs, outputs, having, ps.getDistinct() != null, finalOrder, offset, count, null,
                comparisons);
    }

    /**
     * Records the collations of the shard columns an aggregate merge compares (group keys, DISTINCT
     * arguments, MIN/MAX, the final order, and with SELECT DISTINCT every column), adds the
     * PostgreSQL and MySQL companions to {@code hidden}, and adds {@code hidden} to the shard query.
     * {@code original}: the select expressions before {@link #neverEvaluated} wrapped some.
     */
    void comparedColumns(PlainSelect ps, List<Expression> original, List<SelectItem<?>> items,
            List<SelectItem<?>> hidden, List<Integer> groupKeys, List<AggregateSpec> specs, List<Function> aggList,
            List<SortKey> finalOrder, List<Output> outputs) {
        MergeCollations collations = new MergeCollations(m.dialect, ps);
        List<Expression> current = new ArrayList<>();
        for (SelectItem<?> item : items) {
            current.add(item.getExpression());
        }
        for (SelectItem<?> item : hidden) {
            current.add(item.getExpression());
        }
        for (int key : groupKeys) {
            collations.compared(key, original.get(key - 1), current.get(key - 1));
        }
        for (int i = 0; i < specs.size(); i++) {
            AggregateSpec s = specs.get(i);
            boolean ordered = s.kind() == AggregateSpec.Kind.MIN || s.kind() == AggregateSpec.Kind.MAX;
            if (s.distinct()) {
                collations.compared(s.column(), original.get(s.column() - 1), current.get(s.column() - 1));
            } else if (ordered) {
                // MIN(x) is compared as x is: SQLite by x's collation, PostgreSQL by the aggregate's
                collations.compared(s.column(), aggList.get(i).getParameters().get(0), current.get(s.column() - 1));
            }
        }
        // a merged value (an aggregate or an expression over them) has no shard-side MySQL weight:
        // a companion would be some shard's, so there is none and its text comparisons refuse
        for (SortKey k : finalOrder) {
            collations.compared(k.column(), original.get(k.column() - 1),
                    m.dialect == Dialect.MYSQL && !isFirst(outputs, k.column()) ? null : current.get(k.column() - 1));
        }
        if (ps.getDistinct() != null) {
            for (int i = 0; i < width; i++) {
                collations.compared(i + 1, original.get(i),
                        m.dialect == Dialect.MYSQL && !isFirst(outputs, i + 1) ? null : current.get(i));
            }
        }
        int first = width + hidden.size() + 1;
        List<SelectItem<?>> companions = collations.companionItems();
        for (int i = 0; i < companions.size(); i++) {
            // a companion of a group key is a function of the group keys: grouping by it too keeps the
            // groups as they are, and PostgreSQL accepts it in the select list (it would not match
            // CAST((key) AS text) to the key alone)
            if (!containsAggregate(collations.companionArgument(i))) {
                groupedCompanions.add(companions.get(i).getExpression());
            }
        }
        hidden.addAll(companions);
        comparisons = collations.build(j -> first + j, c -> c);
        ps.addSelectItems(hidden);
    }

    /**
     * The merge computes expressions over aggregates from the merged aggregates. On a shard they
     * would see only that shard's part of each group and could fail where the whole group does
     * not (a division by a COUNT that is zero on one shard, or in a group HAVING drops), so the
     * shard query keeps them only for their column type: {@code CASE WHEN 1 = 0 THEN e END},
     * never evaluated, always NULL.
     */
    void neverEvaluated(List<Output> outputs, List<SelectItem<?>> items, List<SelectItem<?>> hidden) {
        for (Output o : outputs) {
            if (o.expr() == null) {
                continue;
            }
            List<SelectItem<?>> list = o.column() <= width ? items : hidden;
            int i = o.column() <= width ? o.column() - 1 : o.column() - width - 1;
            SelectItem<?> item = list.get(i);
            // built from the nodes, not re-parsed text: a ? inside keeps its place in the statement
            CaseExpression never = new CaseExpression();
            never.setWhenClauses(List.of(new WhenClause(new EqualsTo(new LongValue(1), new LongValue(0)),
                    item.getExpression())));
            list.set(i, new SelectItem<>(never, item.getAlias()));
        }
    }

    static boolean isFirst(List<Output> outputs, int column) {
        for (Output o : outputs) {
            if (o.column() == column) {
                return o.isFirst();
            }
        }
        return true;
    }

    /** {@code GROUP BY 2} and {@code GROUP BY alias} name a select item; anything else is the expression itself. */
    Expression resolveGroupKey(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l && l.getValue() >= 1 && l.getValue() <= items.size()) {
            return items.get((int) l.getValue() - 1).getExpression();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (SelectItem<?> item : items) {
                if (OutputNames.aliasIs(m.dialect, item.getAlias(), c.getColumnName())) {
                    if (!sameColumn(item.getExpression(), c)) {
                        // every database groups by a column of that name first: the shards check
                        // there is none (a guard), so the alias is what the database would read
                        m.names.guard("GROUP BY", c.getColumnName(), item.getExpression());
                    }
                    return item.getExpression();
                }
            }
        }
        return e;
    }

    Output output(int column, Expression e, List<Function> aggs, List<Expression> groups,
            List<SelectItem<?>> items) {
        if (e instanceof Function f && indexOf(aggs, f) >= 0) {
            return Output.aggregate(column, indexOf(aggs, f));
        }
        if (containsAggregate(e)) {
            return Output.expression(column, expressions.translate(e, aggs, groups, items, false));
        }
        expressions.requireGrouped(e, groups);
        return Output.first(column);
    }
}
