package io.shardkit.sql;

import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Comparisons;
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
    /** The tiered table and its row id column, or {@code null}. */
    private String tieredTable;
    private String tieredId;
    /** Visible columns of an aggregate query. */
    private int width;
    /** Collation companions of an aggregate query's group keys, which the shards also group by. */
    private final List<Expression> groupedCompanions = new ArrayList<>();
    /** The collations of the compared shard columns of an aggregate query, once worked out. */
    private Comparisons comparisons = Comparisons.NONE;
    /** The shard column of each group key: a hidden column after the visible ones, or the select item it names. */
    private List<Integer> groupKeys = List.of();
    /** The query's FROM, for the checks guarding names that may be an alias or a column. */
    private PlainSelect query;
    /** Checks the shards compute (SQL) with the refusal when one is positive, by name checked. */
    private final Map<String, String[]> guards = new LinkedHashMap<>();

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
        query = ps;
        Bound count = null;
        Bound offset = null;
        if (ps.getLimitBy() != null) {
            throw new Refusal("LIMIT BY across shards");
        }
        Limit limit = ps.getLimit();
        if (limit != null) {
            if (limit.getByExpressions() != null) {
                throw new Refusal("LIMIT ... BY across shards");
            }
            if (ps.getFetch() != null) {
                throw new Refusal("LIMIT together with FETCH across shards");
            }
            if (limit.isLimitAll() || limit.isLimitNull()) {
                if (dialect != Dialect.POSTGRESQL) {
                    // SQLite reads LIMIT NULL as a datatype mismatch, MySQL neither form
                    throw new Refusal("LIMIT " + (limit.isLimitAll() ? "ALL" : "NULL") + " on " + dialect
                            + " across shards (the database does not accept it)");
                }
            } else if (limit.getRowCount() != null) {
                count = bound(limit.getRowCount(), "LIMIT", false);
            }
            if (limit.getOffset() != null) {
                if (dialect == Dialect.POSTGRESQL) {
                    throw new Refusal("LIMIT offset, count on POSTGRESQL across shards (the database does not accept it)");
                }
                offset = bound(limit.getOffset(), "OFFSET", true);
            }
        }
        if (ps.getOffset() != null) {
            net.sf.jsqlparser.statement.select.Offset o = ps.getOffset();
            if (offset != null) {
                throw new Refusal("two OFFSET clauses across shards");
            }
            if (dialect != Dialect.POSTGRESQL && (limit == null && ps.getFetch() == null
                    || dialect == Dialect.SQLITE && o.getOffsetParam() != null)) {
                throw new Refusal("OFFSET " + o.toString().strip() + " on " + dialect
                        + " across shards (the database does not accept it)");
            }
            if (o.getOffsetParam() != null && !Set.of("ROW", "ROWS").contains(o.getOffsetParam().toUpperCase(Locale.ROOT))) {
                throw new Refusal("OFFSET ... " + o.getOffsetParam() + " across shards");
            }
            offset = bound(o.getOffset(), "OFFSET", true);
        }
        if (ps.getFetch() != null) {
            count = fetch(ps);
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

    /**
     * {@code FETCH {FIRST|NEXT} [n] {ROW|ROWS} {ONLY|WITH TIES}}, the only FETCH forms accepted.
     * WITH TIES needs the ORDER BY (the database refuses it without) and a written count.
     */
    private Bound fetch(PlainSelect ps) {
        net.sf.jsqlparser.statement.select.Fetch f = ps.getFetch();
        if (dialect == Dialect.SQLITE) {
            throw new Refusal("FETCH on SQLITE across shards (the database does not accept it)");
        }
        List<String> words = new ArrayList<>();
        for (String w : f.getFetchParameters()) {
            words.add(w.toUpperCase(Locale.ROOT).replaceAll("\\s+", " "));
        }
        boolean ties = words.equals(List.of("ROWS", "WITH TIES")) || words.equals(List.of("ROW", "WITH TIES"));
        if (!ties && !words.equals(List.of("ROWS", "ONLY")) && !words.equals(List.of("ROW", "ONLY"))) {
            throw new Refusal(f.toString().strip() + " across shards (only FETCH FIRST n ROWS ONLY or WITH TIES)");
        }
        Bound count = f.getExpression() == null ? Bound.of(1, reading(false)) : bound(f.getExpression(), "FETCH", false);
        if (!ties) {
            return count;
        }
        if (ps.getOrderByElements() == null || ps.getOrderByElements().isEmpty()) {
            throw new Refusal("FETCH ... WITH TIES without ORDER BY across shards");
        }
        if (count.parameter() != 0) {
            throw new Refusal("FETCH FIRST ? ROWS WITH TIES across shards (write the row count)");
        }
        return count.tied();
    }

    /** How this database reads a LIMIT ({@code offset} false) or OFFSET value. */
    private Bound.Reading reading(boolean offset) {
        return switch (dialect) {
            case SQLITE -> offset ? Bound.Reading.SQLITE_OFFSET : Bound.Reading.SQLITE_LIMIT;
            case POSTGRESQL -> offset ? Bound.Reading.POSTGRESQL_OFFSET : Bound.Reading.POSTGRESQL_LIMIT;
            case MYSQL -> Bound.Reading.MYSQL;
            default -> Bound.Reading.STRICT;
        };
    }

    private Bound bound(Expression e, String what, boolean offset) {
        if (e instanceof LongValue l) {
            return Bound.of(l.getValue(), reading(offset));
        }
        if (e instanceof SignedExpression s && s.getSign() == '-' && s.getExpression() instanceof LongValue l) {
            return Bound.of(-l.getValue(), reading(offset));
        }
        if (e instanceof JdbcParameter p && p.getIndex() != null) {
            return Bound.parameter(p.getIndex(), reading(offset));
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
        List<Expression> orderExprs = new ArrayList<>();
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                if (o.getExpression() instanceof JdbcParameter) {
                    throw new Refusal("ORDER BY ? across shards (a bound value is not a column position)");
                }
                if (!star) {
                    o.setExpression(aliasesInside(items, o.getExpression()));
                }
                int column = star ? (o.getExpression() instanceof LongValue ? starPosition() : 0) : itemIndex(items, o.getExpression());
                if (column == 0) {
                    if (distinct) {
                        throw new Refusal("ORDER BY " + o.getExpression() + " with SELECT DISTINCT across shards (order by a"
                                + " selected column)");
                    }
                    hidden.add(o.getExpression());
                    column = -hidden.size();
                }
                orderExprs.add(column > 0 ? items.get(column - 1).getExpression() : o.getExpression());
                order.add(new SortKey(column, !o.isAsc(), nulls(o)));
            }
        }
        MergeCollations collations = new MergeCollations(dialect, ps);
        if (distinct && !star) {
            for (int i = 0; i < items.size(); i++) {
                collations.compared(i + 1, items.get(i).getExpression());
            }
        }
        for (int i = 0; i < order.size(); i++) {
            collations.compared(order.get(i).column(), orderExprs.get(i));
        }
        Expr guard = null;
        for (String[] g : guards.values()) {
            // no guards with SELECT *: aliases are only looked for in a select list without it
            guard = and(guard, new Expr.Guard(items.size() + hidden.size() + 1, g[1], sql));
            hidden.add(parseExpression(g[0]));
        }
        int sortHidden = hidden.size(); // hidden sort keys and guards; the collation companions follow them
        List<SelectItem<?>> companions = collations.companionItems();
        int nHidden = hidden.size() + companions.size() + (tieredTable != null ? 1 : 0);
        List<SortKey> keys = new ArrayList<>();
        for (SortKey k : order) {
            // hidden key i was numbered -(i+1); counted from the end it is -(nHidden - i)
            keys.add(k.column() < 0 ? new SortKey(-(nHidden + k.column() + 1), k.descending(), k.nullsFirst()) : k);
        }
        if (!star) {
            labels(items, List.of());
        }
        for (int i = 0; i < hidden.size(); i++) {
            ps.addSelectItem(hidden.get(i), new Alias("__sk" + i));
        }
        ps.addSelectItems(companions);
        // hidden sort key i was numbered -(i+1); companions follow the sort keys, counted from the end too
        Comparisons comparisons = collations.build(j -> -(nHidden - sortHidden - j),
                c -> c < 0 ? -(nHidden + c + 1) : c);
        String archiveSql = null;
        if (tieredTable != null) {
            ps.addSelectItem(new Column(qualifier(ps) + "." + tieredId), new Alias("__id"));
            archiveSql = render(ps).sql();
        }
        limitShards(ps, offset, count);
        ShardParameters.Rendered shard = render(ps);
        return new MergeSpec(null, shard.sql(), shard.parameters(), nHidden, keys, false, List.of(), false, List.of(),
                List.of(), guard, distinct, List.of(), offset, count, archiveSql, comparisons);
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

    /**
     * Shards return offset+count rows each: enough for any global window of the merged order
     * (with ties: their ties too). No shard limit when the count reads as none; a count known only
     * at execution, or one the database fails on, becomes {@link MergeSpec#LIMIT_TOKEN}.
     */
    private void limitShards(PlainSelect ps, Bound offset, Bound count) {
        if (count == null) {
            return;
        }
        long rows = -1;
        if (count.parameter() == 0 && (offset == null || offset.parameter() == 0)) {
            try {
                rows = Bound.plus(count.resolve(null), offset == null ? 0 : offset.resolve(null));
            } catch (java.sql.SQLException fails) {
                rows = -1; // fails again, as the database would, when the statement runs
            }
        }
        if (rows == Bound.ALL) {
            return;
        }
        Expression n = rows >= 0 ? new LongValue(rows) : new Column(MergeSpec.LIMIT_TOKEN);
        if (count.withTies()) {
            net.sf.jsqlparser.statement.select.Fetch f = new net.sf.jsqlparser.statement.select.Fetch();
            f.setFetchParamFirst(true);
            f.setExpression(n);
            f.addFetchParameter("ROWS");
            f.addFetchParameter("WITH TIES");
            ps.setFetch(f);
            return;
        }
        Limit l = new Limit();
        l.setRowCount(n);
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
                groupItems.add(namedItem(items, e));
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
                out = Output.expression(i + 1, translate(items.get(i).getExpression(), aggList, groupExprs, items,
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
                o.setExpression(aliasesInside(items, o.getExpression()));
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
        Expr guard = null;
        int c = 0;
        for (String[] g : guards.values()) {
            guard = and(guard, new Expr.Guard(width + hidden.size() + 1, g[1], sql));
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
        labels(items, outputs);
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
        ShardParameters.Rendered shard = render(ps);
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
    private void comparedColumns(PlainSelect ps, List<Expression> original, List<SelectItem<?>> items,
            List<SelectItem<?>> hidden, List<Integer> groupKeys, List<AggregateSpec> specs, List<Function> aggList,
            List<SortKey> finalOrder, List<Output> outputs) {
        MergeCollations collations = new MergeCollations(dialect, ps);
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
                    dialect == Dialect.MYSQL && !isFirst(outputs, k.column()) ? null : current.get(k.column() - 1));
        }
        if (ps.getDistinct() != null) {
            for (int i = 0; i < width; i++) {
                collations.compared(i + 1, original.get(i),
                        dialect == Dialect.MYSQL && !isFirst(outputs, i + 1) ? null : current.get(i));
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
    private void neverEvaluated(List<Output> outputs, List<SelectItem<?>> items, List<SelectItem<?>> hidden) {
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

    private static boolean isFirst(List<Output> outputs, int column) {
        for (Output o : outputs) {
            if (o.column() == column) {
                return o.isFirst();
            }
        }
        return true;
    }

    /**
     * The shards label a select item without alias by the SQL shardkit sends, which is not the
     * user's: SQLite and MySQL label it with its text as written (the rewrite renders it anew),
     * PostgreSQL by what it is (a merged expression is sent as a CASE). Such items get an alias
     * equal to the label the database would give the user's item.
     */
    private void labels(List<SelectItem<?>> items, List<Output> outputs) {
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            String label = OutputNames.label(dialect, item, sql);
            if (label == null || label.length() > 200) {
                continue;
            }
            boolean sentAsWritten = !computed(outputs, i + 1)
                    && (dialect == Dialect.POSTGRESQL || label.equals(item.getExpression().toString()));
            if (!sentAsWritten && dialect == Dialect.MYSQL && hasParameters(item.getExpression())) {
                // Connector/J writes the bound values into the text, and MySQL labels the column with it
                throw new Refusal("an unaliased select item holding a ? parameter (" + item.getExpression()
                        + ") across MySQL shards (its column label is the text with the bound value, which"
                        + " differs per execution); give it an alias");
            }
            if (!sentAsWritten) {
                item.setAlias(new Alias(OutputNames.quote(dialect, label), true));
            }
        }
    }

    private static boolean computed(List<Output> outputs, int column) {
        for (Output o : outputs) {
            if (o.column() == column && o.expr() != null) {
                return true;
            }
        }
        return false;
    }

    /** {@code GROUP BY 2} and {@code GROUP BY alias} name a select item; anything else is the expression itself. */
    private Expression resolveGroupKey(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l && l.getValue() >= 1 && l.getValue() <= items.size()) {
            return items.get((int) l.getValue() - 1).getExpression();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (SelectItem<?> item : items) {
                if (OutputNames.aliasIs(dialect, item.getAlias(), c.getColumnName())) {
                    if (!sameColumn(item.getExpression(), c)) {
                        // every database groups by a column of that name first: the shards check
                        // there is none (a guard), so the alias is what the database would read
                        guard("GROUP BY", c.getColumnName(), item.getExpression());
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
                return new Expr.Column(groupKeys.get(i));
            }
        }
        if (e instanceof Column c) {
            if (having && c.getTable() == null && OutputNames.havingSeesAliases(dialect)) {
                // PostgreSQL's HAVING sees no output names; SQLite reads a column of that name first,
                // MySQL the alias (unless GROUP BY names it, then the column)
                for (SelectItem<?> item : items) {
                    if (OutputNames.aliasIs(dialect, item.getAlias(), c.getColumnName())) {
                        if (!sameColumn(item.getExpression(), c)) {
                            if (!OutputNames.havingPrefersColumns(dialect) && groupedByName(c)) {
                                throw new Refusal("HAVING " + c + ", both the alias of " + item.getExpression()
                                        + " and a GROUP BY name, across shards (write the expression)");
                            }
                            if (OutputNames.havingPrefersColumns(dialect)) {
                                guard("HAVING", c.getColumnName(), item.getExpression());
                            }
                        }
                        return translate(item.getExpression(), aggs, groups, items, false);
                    }
                }
            }
            for (int i = 0; i < groups.size(); i++) {
                if (groups.get(i) instanceof Column g && isGroupColumn(c, List.of(g))) {
                    return new Expr.Column(groupKeys.get(i));
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

    /** The 1-based select item an ORDER BY expression names (position, output name or same text), or 0. */
    private int itemIndex(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l) {
            if (l.getValue() < 1 || l.getValue() > items.size()) {
                throw new Refusal("ORDER BY position " + l.getValue() + " is not in the select list");
            }
            return (int) l.getValue();
        }
        if (e instanceof Column c && c.getTable() == null && dialect == Dialect.POSTGRESQL) {
            int named = OutputNames.postgresOrderBy(items, c);
            if (named == OutputNames.AMBIGUOUS) {
                throw new Refusal("ORDER BY " + c + ", which names several output columns (the database refuses it as"
                        + " ambiguous)");
            }
            if (named == OutputNames.UNKNOWN) {
                throw new Refusal("ORDER BY " + c + " across shards: shardkit does not know every output column's"
                        + " name, so it cannot tell whether " + c + " names one (alias the select items)");
            }
            if (named > 0) {
                return named;
            }
        } else if (e instanceof Column c && c.getTable() == null) {
            // SQLite takes the first alias of that name; MySQL fails on two that differ
            int found = 0;
            for (int i = 0; i < items.size(); i++) {
                if (OutputNames.aliasIs(dialect, items.get(i).getAlias(), c.getColumnName())) {
                    if (found == 0) {
                        found = i + 1;
                    } else if (OutputNames.sharedAliasFails(dialect) && !items.get(found - 1).getExpression().toString()
                            .equals(items.get(i).getExpression().toString())) {
                        throw new Refusal("ORDER BY " + c + ", which names several output columns (the database"
                                + " refuses it as ambiguous)");
                    }
                }
            }
            if (found > 0) {
                return found;
            }
        }
        String text = e.toString();
        for (int i = 0; i < items.size(); i++) {
            Expression x = items.get(i).getExpression();
            if (x.toString().equalsIgnoreCase(text)) {
                return i + 1;
            }
            if (x instanceof Column xc && e instanceof Column ec
                    && OutputNames.fold(dialect, xc.getColumnName()).equals(OutputNames.fold(dialect, ec.getColumnName()))
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
            return SqlParse.expression(text);
        } catch (Exception e) {
            throw new Refusal("cannot rewrite " + text + " for the shards");
        }
    }

    /** The shard SQL of the rewritten tree, with the statement parameter each of its {@code ?} takes. */
    private ShardParameters.Rendered render(Statement st) {
        try {
            return ShardParameters.render(st, SqlText.countParameters(sql, dialect), dialect);
        } catch (ShardParameters.Unmapped e) {
            throw new Refusal(e.getMessage() + " in a SELECT merged across shards");
        }
    }

    private static boolean hasParameters(Expression e) {
        List<Integer> found = new ArrayList<>();
        collectParameters(e, found);
        return !found.isEmpty();
    }

    /** The 1-based select item a GROUP BY element names by position or alias, or 0. */
    private int namedItem(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l && l.getValue() >= 1 && l.getValue() <= items.size()) {
            return (int) l.getValue();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (int i = 0; i < items.size(); i++) {
                if (OutputNames.aliasIs(dialect, items.get(i).getAlias(), c.getColumnName())) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    private static boolean sameColumn(Expression e, Column c) {
        return e instanceof Column x && Analyzer.name(x.getColumnName()).equals(Analyzer.name(c.getColumnName()));
    }

    /** Whether GROUP BY names {@code c} bare. */
    private boolean groupedByName(Column c) {
        if (query.getGroupBy() == null) {
            return false;
        }
        for (Expression g : query.getGroupBy().getGroupByExpressionList()) {
            if (g instanceof Column k && k.getTable() == null && sameColumn(k, c)) {
                return true;
            }
        }
        return false;
    }

    private static Expr and(Expr a, Expr b) {
        return a == null ? b : new Expr.Logic(true, a, b);
    }

    /**
     * {@code name} is read as the alias of {@code aliased}, which the database does only when no
     * table of FROM has a column of that name. Which tables have is not known here, so the shards
     * check it with each query (a constant subquery on the catalog) and the merge refuses the
     * statement when one does. Refused now when FROM has more than plain tables.
     */
    private void guard(String clause, String name, Expression aliased) {
        String key = Analyzer.name(name);
        if (guards.containsKey(key)) {
            return;
        }
        List<net.sf.jsqlparser.schema.Table> tables = new ArrayList<>();
        List<net.sf.jsqlparser.statement.select.FromItem> from = new ArrayList<>();
        from.add(query.getFromItem());
        if (query.getJoins() != null) {
            for (net.sf.jsqlparser.statement.select.Join j : query.getJoins()) {
                from.add(j.getRightItem());
            }
        }
        for (net.sf.jsqlparser.statement.select.FromItem f : from) {
            if (!(f instanceof net.sf.jsqlparser.schema.Table t)) {
                throw new Refusal(clause + " " + name + ", the alias of " + aliased + ", over a FROM that is not only"
                        + " tables, across shards (shardkit cannot check whether " + name + " is also a column; write the"
                        + " expression)");
            }
            tables.add(t);
        }
        String check = OutputNames.columnCheck(dialect, tables, name);
        if (check == null) {
            throw new Refusal(clause + " " + name + ", the alias of " + aliased + ", on " + dialect
                    + " across shards (write the expression)");
        }
        guards.put(key, new String[] {check, clause + " " + name + " is both the alias of " + aliased
                + " and a column of a table in FROM, which the database reads instead of the alias (rename the"
                + " alias, or write the expression)"});
    }

    /**
     * On SQLite and MySQL an ORDER BY expression may use select aliases ({@code ORDER BY s * -1});
     * the shards cannot (a hidden sort key is computed in the select list), so each alias is
     * replaced by its expression, guarded like any alias that may also be a column. PostgreSQL
     * sees no aliases inside expressions: its shards fail as the database does.
     */
    private Expression aliasesInside(List<SelectItem<?>> items, Expression e) {
        if (!OutputNames.aliasesInsideOrderBy(dialect) || e instanceof Column || e instanceof LongValue) {
            return e;
        }
        List<Column> refs = new ArrayList<>();
        List<Expression> with = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Column c, S context) {
                if (c.getTable() != null) {
                    return null;
                }
                for (SelectItem<?> item : items) {
                    if (OutputNames.aliasIs(dialect, item.getAlias(), c.getColumnName())
                            && !sameColumn(item.getExpression(), c)) {
                        refs.add(c);
                        with.add(item.getExpression());
                        return null;
                    }
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                return null;
            }
        }, null);
        if (refs.isEmpty()) {
            return e;
        }
        if (hasParameters(e)) {
            throw new Refusal("ORDER BY " + e + ", an expression over an alias holding a ? parameter, across shards");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (hasParameters(with.get(i))) {
                throw new Refusal("ORDER BY " + e + " uses the alias " + refs.get(i) + " of an expression holding a ?"
                        + " parameter, across shards");
            }
            if (dialect == Dialect.MYSQL && containsAggregate(with.get(i))) {
                // MySQL and MariaDB fail it: "reference to group function"
                throw new Refusal("ORDER BY " + e + " uses the alias " + refs.get(i) + " of an aggregate inside an"
                        + " expression (the database does not accept it)");
            }
            guard("ORDER BY", refs.get(i).getColumnName(), with.get(i));
            names.add(refs.get(i).getColumnName());
            refs.get(i).setColumnName("__shardkit_alias_" + i + "__");
        }
        String text = e.toString();
        for (int i = 0; i < refs.size(); i++) {
            refs.get(i).setColumnName(names.get(i));
            text = text.replace("__shardkit_alias_" + i + "__", "(" + with.get(i) + ")");
        }
        return parseExpression(text);
    }
}
