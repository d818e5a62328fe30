package io.shardkit.sql;

import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Expr;
import io.shardkit.merge.Output;
import io.shardkit.merge.SortKey;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnalyticType;
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
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Works out the {@link MergeSpec} of a SELECT: how to rewrite it for the shards and how to merge
 * their rows. Runs once per SQL text, on its own parse (the rewrite changes the tree).
 *
 * <p>Everything that cannot be merged exactly is named in a refusal: window functions, set
 * operations, aggregates other than COUNT/SUM/MIN/MAX/AVG, columns that are neither grouped nor
 * aggregated, expressions over aggregates using other than arithmetic, comparisons, CASE, ABS,
 * ROUND, COALESCE and NULLIF, GROUPING SETS/ROLLUP, DISTINCT ON, and parameters inside aggregates.
 */
final class MergeAnalysis {
    private static final Set<String> MERGEABLE = Set.of("count", "sum", "min", "max", "avg");

    private final String sql;
    private final Dialect dialect;
    private final Set<Integer> droppedParameters = new TreeSet<>();
    /** The tiered table and its row id column, or {@code null}. */
    private String tieredTable;
    private String tieredId;
    /** Visible columns of an aggregate query; its group keys are the hidden columns right after them. */
    private int width;

    private MergeAnalysis(String sql, Dialect dialect) {
        this.sql = sql;
        this.dialect = dialect;
    }

    static MergeSpec analyze(String sql, Dialect dialect) {
        return analyzeTiered(sql, dialect, null, null);
    }

    /**
     * The merge of a SELECT over a table with an archive tier ({@code table} non-null): as for any
     * table, plus the row id as the last, hidden shard column so archive rows a hot row shadows can
     * be dropped. Aggregates, GROUP BY and DISTINCT over both tiers are refused (a row caught
     * mid-move would count twice).
     */
    static MergeSpec analyzeTiered(String sql, Dialect dialect, String table, String id) {
        try {
            Statement st = Analyzer.parse(sql);
            if (!(st instanceof Select select)) {
                return MergeSpec.refused("this statement across shards");
            }
            MergeAnalysis analysis = new MergeAnalysis(sql, dialect);
            analysis.tieredTable = table;
            analysis.tieredId = id;
            return analysis.select(select);
        } catch (Refusal r) {
            return MergeSpec.refused(r.getMessage());
        } catch (Exception e) {
            return MergeSpec.refused("this SELECT across shards (" + e + ")");
        }
    }

    /** Thrown inside the analysis to refuse; becomes {@link MergeSpec#refusal()}. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    private MergeSpec select(Select select) {
        if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
            throw new Refusal("WITH (common table expressions) across shards");
        }
        Select body = select;
        while (body instanceof ParenthesedSelect p && p.getOrderByElements() == null && p.getLimit() == null) {
            body = p.getSelect();
        }
        if (!(body instanceof PlainSelect ps)) {
            throw new Refusal("set operations (UNION, INTERSECT, EXCEPT) across shards");
        }
        if (ps.getDistinct() != null && (ps.getDistinct().getOnSelectItems() != null)) {
            throw new Refusal("DISTINCT ON across shards");
        }
        if (ps.getTop() != null) {
            throw new Refusal("TOP across shards");
        }
        if (ps.getQualify() != null) {
            throw new Refusal("QUALIFY across shards");
        }
        windows(ps);
        Bound count = null;
        Bound offset = null;
        Limit limit = ps.getLimit();
        if (limit != null && !limit.isLimitAll() && !limit.isLimitNull() && limit.getRowCount() != null
                && !(dialect == Dialect.SQLITE && negative(limit.getRowCount()))) {
            count = bound(limit.getRowCount(), "LIMIT");
        }
        if (limit != null && limit.getOffset() != null) {
            offset = bound(limit.getOffset(), "OFFSET");
        }
        if (ps.getOffset() != null) {
            offset = bound(ps.getOffset().getOffset(), "OFFSET");
        }
        if (ps.getFetch() != null) {
            Expression e = ps.getFetch().getExpression();
            count = e != null ? bound(e, "FETCH") : Bound.of(ps.getFetch().getRowCount());
        }
        if (ps.getLimitBy() != null) {
            throw new Refusal("LIMIT BY across shards");
        }
        List<Function> calls = aggregateCalls(ps);
        boolean aggregate = !calls.isEmpty() || ps.getGroupBy() != null;
        if (tieredTable != null && (aggregate || ps.getDistinct() != null)) {
            throw new Refusal((aggregate ? "aggregates or GROUP BY" : "DISTINCT") + " over " + tieredTable
                    + " across its hot and archive tiers (a row caught mid-move would count twice; read the rows,"
                    + " or add a cutoff predicate that keeps the query in one tier)");
        }
        ps.setLimit(null);
        ps.setOffset(null);
        ps.setFetch(null);
        return aggregate ? aggregateQuery(ps, calls, offset, count) : plainQuery(ps, offset, count);
    }

    /** A negative LIMIT, which SQLite reads as no limit ({@code LIMIT -1 OFFSET n} is its idiom for OFFSET alone). */
    private static boolean negative(Expression e) {
        return e instanceof LongValue l && l.getValue() < 0
                || e instanceof SignedExpression s && s.getSign() == '-' && s.getExpression() instanceof LongValue;
    }

    private Bound bound(Expression e, String what) {
        if (e instanceof LongValue l) {
            return Bound.of(l.getValue());
        }
        if (e instanceof JdbcParameter p && p.getIndex() != null) {
            droppedParameters.add(p.getIndex());
            return Bound.parameter(p.getIndex());
        }
        throw new Refusal(what + " " + e + " across shards (only a number or a ? parameter)");
    }

    private void windows(PlainSelect ps) {
        ExpressionVisitorAdapter<Void> finder = new ExpressionVisitorAdapter<>() {
            @Override
            public <S> Void visit(AnalyticExpression e, S context) {
                String name = e.getName().toUpperCase(Locale.ROOT);
                if (e.getType() == AnalyticType.FILTER_ONLY) {
                    throw new Refusal("aggregate " + name + " with FILTER (WHERE ...) across shards");
                }
                if (e.getType() == AnalyticType.WITHIN_GROUP) {
                    throw new Refusal("aggregate " + name + " WITHIN GROUP across shards");
                }
                throw new Refusal("window function " + name
                        + " across shards (it would number or aggregate each shard's rows apart)");
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                return null;
            }
        };
        for (SelectItem<?> item : ps.getSelectItems()) {
            item.getExpression().accept(finder, null);
        }
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                o.getExpression().accept(finder, null);
            }
        }
        if (ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty()) {
            throw new Refusal("WINDOW clause across shards");
        }
    }

    // ---------------------------------------------------------------- plain SELECT

    private MergeSpec plainQuery(PlainSelect ps, Bound offset, Bound count) {
        List<SelectItem<?>> items = ps.getSelectItems();
        boolean star = hasStar(items);
        boolean distinct = ps.getDistinct() != null;
        List<SortKey> order = new ArrayList<>();
        List<Expression> hidden = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                noParameters(o.getExpression(), "a ? parameter in ORDER BY across shards");
                int column = star ? (o.getExpression() instanceof LongValue ? starPosition() : 0) : itemIndex(items, o.getExpression());
                if (column == 0) {
                    if (distinct) {
                        throw new Refusal("ORDER BY " + o.getExpression() + " with SELECT DISTINCT across shards (order by a"
                                + " selected column)");
                    }
                    hidden.add(o.getExpression());
                    column = -hidden.size();
                }
                order.add(new SortKey(column, !o.isAsc(), nulls(o)));
            }
        }
        int nHidden = hidden.size() + (tieredTable != null ? 1 : 0);
        List<SortKey> keys = new ArrayList<>();
        for (SortKey k : order) {
            // hidden key i was numbered -(i+1); counted from the end it is -(nHidden - i)
            keys.add(k.column() < 0 ? new SortKey(-(nHidden + k.column() + 1), k.descending(), k.nullsFirst()) : k);
        }
        for (int i = 0; i < hidden.size(); i++) {
            ps.addSelectItem(hidden.get(i), new Alias("__sk" + i));
        }
        String archiveSql = null;
        if (tieredTable != null) {
            ps.addSelectItem(new Column(qualifier(ps) + "." + tieredId), new Alias("__id"));
            archiveSql = ps.toString();
        }
        limitShards(ps, offset, count);
        return new MergeSpec(null, ps.toString(), shardParameters(), nHidden, keys, false, List.of(), false, List.of(),
                List.of(), null, distinct, List.of(), offset, count, archiveSql);
    }

    /** How the query names the tiered table: its alias, or its name. */
    private String qualifier(PlainSelect ps) {
        List<net.sf.jsqlparser.statement.select.FromItem> items = new ArrayList<>();
        items.add(ps.getFromItem());
        if (ps.getJoins() != null) {
            for (net.sf.jsqlparser.statement.select.Join j : ps.getJoins()) {
                items.add(j.getRightItem());
            }
        }
        for (net.sf.jsqlparser.statement.select.FromItem item : items) {
            if (item instanceof net.sf.jsqlparser.schema.Table t && Analyzer.name(t.getName()).equals(tieredTable)) {
                return t.getAlias() != null ? t.getAlias().getName() : t.getFullyQualifiedName();
            }
        }
        throw new Refusal("a query over " + tieredTable + " that does not name it in FROM");
    }

    private int starPosition() {
        throw new Refusal("ORDER BY a position with SELECT * across shards (name the column)");
    }

    /** Shards return offset+count rows each: enough for any global window of the merged order. */
    private void limitShards(PlainSelect ps, Bound offset, Bound count) {
        if (count == null) {
            return;
        }
        Limit l = new Limit();
        if (count.parameter() == 0 && (offset == null || offset.parameter() == 0)) {
            l.setRowCount(new LongValue(count.literal() + (offset == null ? 0 : offset.literal())));
        } else {
            l.setRowCount(new Column(MergeSpec.LIMIT_TOKEN));
        }
        ps.setLimit(l);
    }

    // ---------------------------------------------------------------- aggregates and GROUP BY

    private MergeSpec aggregateQuery(PlainSelect ps, List<Function> calls, Bound offset, Bound count) {
        List<SelectItem<?>> items = ps.getSelectItems();
        if (hasStar(items)) {
            throw new Refusal("SELECT * with aggregates or GROUP BY across shards");
        }
        width = items.size();
        GroupByElement groupBy = ps.getGroupBy();
        List<Expression> groupExprs = new ArrayList<>();
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
            if (f.getKeep() != null || (f.getOrderByElements() != null && !f.getOrderByElements().isEmpty())) {
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
        List<Integer> groupKeys = new ArrayList<>();
        for (int i = 0; i < groupExprs.size(); i++) {
            groupKeys.add(width + hidden.size() + 1);
            hidden.add(new SelectItem<>(groupExprs.get(i), new Alias("__g" + i)));
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
                out = Output.expression(i + 1, translate(items.get(i).getExpression(), aggList, groupExprs, items,
                        false));
            }
            outputs.add(out);
        }
        List<SortKey> finalOrder = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            int o2 = 0;
            for (OrderByElement o : ps.getOrderByElements()) {
                noParameters(o.getExpression(), "a ? parameter in ORDER BY across shards");
                int column = itemIndex(items, o.getExpression());
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
        Expr having = ps.getHaving() == null ? null : translate(ps.getHaving(), aggList, groupExprs, items, true);
        if (ps.getHaving() != null) {
            collectParameters(ps.getHaving(), droppedParameters);
        }
        // the shard query
        neverEvaluated(outputs, items, hidden);
        ps.addSelectItems(hidden);
        ps.setHaving(null);
        ps.setOrderByElements(null);
        List<Expression> shardGroups = new ArrayList<>(groupExprs);
        shardGroups.addAll(distinctArgs.values());
        if (!shardGroups.isEmpty()) {
            GroupByElement g = new GroupByElement();
            g.setGroupByExpressions(new ExpressionList<>(shardGroups));
            ps.setGroupByElement(g);
        }
        boolean streamed = dialect == Dialect.SQLITE && !groupKeys.isEmpty();
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
        return new MergeSpec(null, ps.toString(), shardParameters(), hidden.size(), shardOrder, true, groupKeys,
                streamed, specs, outputs, having, ps.getDistinct() != null, finalOrder, offset, count, null);
    }

    /**
     * The merge computes expressions over aggregates from the merged aggregates. On a shard they
     * would see only that shard's part of each group and could fail where the whole group does
     * not (a division by a COUNT that is zero on one shard, or in a group HAVING drops), so the
     * shard query keeps them only for their column type: {@code CASE WHEN 1 = 0 THEN e END},
     * never evaluated, always NULL.
     */
    private void neverEvaluated(List<Output> outputs, List<SelectItem<?>> items, List<SelectItem<?>> hidden) {
        for (Output o : outputs) {
            if (o.expr() == null) {
                continue;
            }
            List<SelectItem<?>> list = o.column() <= width ? items : hidden;
            int i = o.column() <= width ? o.column() - 1 : o.column() - width - 1;
            SelectItem<?> item = list.get(i);
            list.set(i, new SelectItem<>(parseExpression("CASE WHEN 1 = 0 THEN " + item.getExpression() + " END"),
                    item.getAlias()));
        }
    }

    /** {@code GROUP BY 2} and {@code GROUP BY alias} name a select item; anything else is the expression itself. */
    private Expression resolveGroupKey(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l && l.getValue() >= 1 && l.getValue() <= items.size()) {
            return items.get((int) l.getValue() - 1).getExpression();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (SelectItem<?> item : items) {
                if (item.getAlias() != null && Analyzer.name(item.getAlias().getName()).equals(Analyzer.name(c.getColumnName()))) {
                    if (item.getExpression() instanceof Column named
                            && !Analyzer.name(named.getColumnName()).equals(Analyzer.name(c.getColumnName()))) {
                        // databases disagree on whether such a name means the alias or a column of that name
                        throw new Refusal("GROUP BY " + c + ", the alias of column " + named
                                + ", across shards (group by " + named + " itself)");
                    }
                    return item.getExpression();
                }
            }
        }
        return e;
    }

    private Output output(int column, Expression e, List<Function> aggs, List<Expression> groups,
            List<SelectItem<?>> items) {
        if (e instanceof Function f && indexOf(aggs, f) >= 0) {
            return Output.aggregate(column, indexOf(aggs, f));
        }
        if (containsAggregate(e)) {
            return Output.expression(column, translate(e, aggs, groups, items, false));
        }
        requireGrouped(e, groups);
        return Output.first(column);
    }

    /** A value taken from any row of a group must be the same in every row: a function of the group keys. */
    private void requireGrouped(Expression e, List<Expression> groups) {
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

    private boolean isGroupColumn(Column c, List<Expression> groups) {
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
    private Expr translate(Expression e, List<Function> aggs, List<Expression> groups, List<SelectItem<?>> items,
            boolean having) {
        if (e instanceof Function f && indexOf(aggs, f) >= 0) {
            return new Expr.Aggregate(indexOf(aggs, f), f.toString());
        }
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).toString().equalsIgnoreCase(e.toString()) && !containsAggregate(e)) {
                return new Expr.Column(width + 1 + i);
            }
        }
        if (e instanceof Column c) {
            if (having && c.getTable() == null) {
                for (SelectItem<?> item : items) {
                    if (item.getAlias() != null
                            && Analyzer.name(item.getAlias().getName()).equals(Analyzer.name(c.getColumnName()))) {
                        return translate(item.getExpression(), aggs, groups, items, false);
                    }
                }
            }
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) instanceof Column g && isGroupColumn(c, List.of(g))) {
                    return new Expr.Column(width + 1 + i);
                }
            }
            throw new Refusal(c + " is neither grouped nor aggregated, so its value across shards is not defined");
        }
        if (e instanceof LongValue l) {
            return new Expr.Const(l.getValue());
        }
        if (e instanceof DoubleValue v) {
            return new Expr.Const(dialect == Dialect.SQLITE ? (Object) v.getValue() : new BigDecimal(v.toString()));
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

    // ---------------------------------------------------------------- helpers

    private static int indexOf(List<Function> aggs, Function f) {
        String text = f.toString();
        for (int i = 0; i < aggs.size(); i++) {
            if (aggs.get(i).toString().equals(text)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasStar(List<SelectItem<?>> items) {
        for (SelectItem<?> item : items) {
            if (item.getExpression() instanceof AllColumns) {
                return true;
            }
        }
        return false;
    }

    /** The 1-based select item an ORDER BY expression names (position, alias or same text), or 0. */
    private static int itemIndex(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l) {
            if (l.getValue() < 1 || l.getValue() > items.size()) {
                throw new Refusal("ORDER BY position " + l.getValue() + " is not in the select list");
            }
            return (int) l.getValue();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (int i = 0; i < items.size(); i++) {
                Alias a = items.get(i).getAlias();
                if (a != null && Analyzer.name(a.getName()).equals(Analyzer.name(c.getColumnName()))) {
                    return i + 1;
                }
            }
        }
        String text = e.toString();
        for (int i = 0; i < items.size(); i++) {
            Expression x = items.get(i).getExpression();
            if (x.toString().equalsIgnoreCase(text)) {
                return i + 1;
            }
            if (x instanceof Column xc && e instanceof Column ec
                    && Analyzer.name(xc.getColumnName()).equals(Analyzer.name(ec.getColumnName()))
                    && (xc.getTable() == null || ec.getTable() == null) && items.get(i).getAlias() == null) {
                return i + 1;
            }
        }
        return 0;
    }

    private static Boolean nulls(OrderByElement o) {
        if (o.getNullOrdering() == null) {
            return null;
        }
        return o.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
    }

    private static List<Function> aggregateCalls(PlainSelect ps) {
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

    private static boolean containsAggregate(Expression e) {
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

    private static void noParameters(Expression e, String refusal) {
        List<Integer> found = new ArrayList<>();
        collectParameters(e, found);
        if (!found.isEmpty()) {
            throw new Refusal(refusal);
        }
    }

    private static void collectParameters(Expression e, java.util.Collection<Integer> into) {
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(JdbcParameter p, S context) {
                into.add(p.getIndex() == null ? 0 : p.getIndex());
                return null;
            }
        }, null);
    }

    private static Expression parseExpression(String text) {
        try {
            return net.sf.jsqlparser.parser.CCJSqlParserUtil.parseExpression(text, false);
        } catch (Exception e) {
            throw new Refusal("cannot rewrite " + text + " for the shards");
        }
    }

    /** The statement's parameters the shard query keeps: all but those of HAVING, LIMIT and OFFSET. */
    private int[] shardParameters() {
        if (droppedParameters.isEmpty()) {
            return null;
        }
        int total = SqlText.countParameters(sql, dialect);
        List<Integer> kept = new ArrayList<>();
        for (int p = 1; p <= total; p++) {
            if (!droppedParameters.contains(p)) {
                kept.add(p);
            }
        }
        int[] map = new int[kept.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = kept.get(i);
        }
        return map;
    }
}
