package io.shardkit.sql;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.strategy.Strategy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Parses SQL with JSqlParser and works out its {@link SqlAnalysis} against one shard map.
 * Called once per distinct SQL text (see {@link AnalysisCache}); never on the cached path.
 *
 * <p>Decides here, not at run time, everything that depends only on the SQL and the map:
 * refusals (joins of tables that are not co-located, subqueries over sharded tables, UPDATE of
 * the shard key), the shard key predicate, and the constructs a multi-shard SELECT would have
 * to merge.
 */
public final class Analyzer {

    private final ShardMap map;
    private final Dialect dialect;

    public Analyzer(ShardMap map) {
        this.map = map;
        this.dialect = map.shards().isEmpty() ? Dialect.OTHER : Dialect.fromUrl(map.shards().get(0).url());
    }

    public SqlAnalysis analyze(String sql) {
        String lexical = SqlLexer.problem(sql, dialect); // text the parser and the database may read differently
        if (lexical != null) {
            return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                    null, null, List.of(), null, lexical, dialect);
        }
        Statement statement;
        try {
            statement = parse(sql);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
            return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                    null, null, List.of(), null, "shardkit cannot parse this statement to route it (" + reason
                    + "); run it on a connection pinned to one shard (ShardedDataSource.connectionTo)", dialect);
        }
        try {
            Work work = new Work(sql);
            SqlAnalysis result = work.run(statement);
            if (returns(statement)) {
                result.withReturning();
            }
            return work.readsOnly ? result.withReadsOnly() : result;
        } catch (RuntimeException e) {
            // a statement shape the analysis does not know: refuse rather than guess
            return new SqlAnalysis(sql, StatementKind.OTHER, SqlAnalysis.Shape.REFUSED, List.of(), null, null, null,
                    null, null, List.of(), null, "shardkit cannot analyse this statement (" + e
                    + "); run it on a connection pinned to one shard (ShardedDataSource.connectionTo)", dialect);
        }
    }

    private static boolean returns(Statement st) {
        return (st instanceof Insert i && i.getReturningClause() != null)
                || (st instanceof Update u && u.getReturningClause() != null)
                || (st instanceof Delete d && d.getReturningClause() != null);
    }

    /** The fast parser first; the complex grammar only when the fast one fails. */
    static Statement parse(String sql) throws Exception {
        try {
            return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false).Statement();
        } catch (Exception | Error simpleFailure) {
            return CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true).Statement();
        }
    }

    /** Whether a function name is an aggregate (any database's), so a merge must account for it. */
    static boolean isAggregate(String function) {
        return Functions.AGGREGATES.contains(name(function));
    }

    static String name(String identifier) {
        String n = identifier;
        if (n.length() >= 2) {
            char f = n.charAt(0);
            char l = n.charAt(n.length() - 1);
            if ((f == '"' && l == '"') || (f == '`' && l == '`') || (f == '[' && l == ']')) {
                n = n.substring(1, n.length() - 1);
            }
        }
        return n.toLowerCase(Locale.ROOT);
    }

    /** Finds every table with its subquery depth (0 = the statement itself). */
    private static final class Finder extends TablesNamesFinder<Object> {
        private int depth;
        final List<String> top = new ArrayList<>();
        final List<String> nested = new ArrayList<>();
        final Set<String> cteNames = new LinkedHashSet<>();

        @Override
        public <S> Object visit(ParenthesedSelect select, S context) {
            depth++;
            try {
                return super.visit(select, context);
            } finally {
                depth--;
            }
        }

        @Override
        public <S> Object visit(WithItem<?> item, S context) {
            if (item.getAlias() != null) {
                cteNames.add(name(item.getAlias().getName()));
            }
            depth++;
            try {
                return super.visit(item, context);
            } finally {
                depth--;
            }
        }

        @Override
        public <S> Object visit(Table table, S context) {
            (depth == 0 ? top : nested).add(name(table.getName()));
            return super.visit(table, context);
        }
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

    /** The analysis of one statement. */
    private final class Work {
        final String sql;
        StatementKind kind = StatementKind.OTHER;
        final List<String> allTables = new ArrayList<>();
        final Map<String, String> aliases = new HashMap<>();
        final List<String> merge = new ArrayList<>();
        final List<Expression> conjuncts = new ArrayList<>();
        final List<String[]> usingJoins = new ArrayList<>();
        Expression updateWhere;
        Expression deleteWhere;
        String targetText;
        boolean forUpdate;
        /** The tables a write changes (its target; for multi-table UPDATE/DELETE every table it sets or deletes from). */
        final Set<String> targets = new LinkedHashSet<>();
        /** The first call of a volatile function (RANDOM(), NOW(), a sequence), or {@code null}. */
        String volatileCall;
        /** Each table reference of the statement's own FROM (not subqueries): alias, or name when unaliased. */
        final Map<String, String> instances = new LinkedHashMap<>();
        /** A SELECT every node of which the allowlist knows: it reads and changes nothing (see {@link SqlAnalysis#readsOnly}). */
        boolean readsOnly;

        Work(String sql) {
            this.sql = sql;
        }

        /** The statement, its every table reference (subqueries included) and, when pinned, its subqueries' key values. */
        Statement root;
        List<String> everyReference = List.of();
        List<ValueRef> subqueryPins;

        private int shardedReferences(Map<String, TableRule> sharded) {
            int n = 0;
            for (String t : everyReference) {
                n += sharded.containsKey(t) ? 1 : 0;
            }
            return n;
        }

        SqlAnalysis run(Statement st) {
            root = st;
            Finder finder = new Finder();
            try {
                finder.getTables(st);
            } catch (UnsupportedOperationException e) {
                // some statement kinds are not walked by the finder; their tables come from below
            }
            List<String> top = without(finder.top, finder.cteNames);
            List<String> nested = without(finder.nested, finder.cteNames);
            everyReference = concat(top, nested);
            kind = kindOf(st);
            Allowlist.Verdict verdict = Allowlist.check(st);
            if (verdict.refusal() != null) {
                return refused(distinct(concat(top, nested)), verdict.refusal());
            }
            if (verdict.anyArrayCall() != null && dialect != Dialect.POSTGRESQL) {
                // = ANY(array) is PostgreSQL's; elsewhere it stays an unknown function, as before
                return refused(distinct(concat(top, nested)), ExpressionAllowlist.unknownFunction(verdict.anyArrayCall()));
            }
            volatileCall = verdict.volatileCall();
            readsOnly = st instanceof Select && !verdict.locking();
            if (verdict.connectionStateCall() != null) {
                if (st instanceof Select && top.isEmpty() && nested.isEmpty()) {
                    return plain(StatementKind.SELECT).withConnectionState();
                }
                return refused(distinct(concat(top, nested)), verdict.connectionStateCall() + " in a statement that"
                        + " names tables (it answers for one physical connection, which the routing may not pick);"
                        + " read it alone with SELECT " + verdict.connectionStateCall() + " and bind the value");
            }
            if (st instanceof PlainSelect ps && st.getClass() == PlainSelect.class) {
                SqlAnalysis over = overSubquery(ps, top, nested);
                if (over != null) {
                    return over;
                }
            }
            if (st instanceof Select select) {
                select(select);
            } else if (st instanceof Insert insert) {
                targets.add(name(insert.getTable().getName()));
                return insert(insert, insert.getTable(), insert.getColumns(), insert.getSelect(), top, nested);
            } else if (st instanceof Upsert upsert) {
                targets.add(name(upsert.getTable().getName()));
                return insert(upsert, upsert.getTable(), upsert.getColumns(), upsert.getSelect(), top, nested);
            } else if (st instanceof Merge merge) {
                targets.add(name(merge.getTable().getName()));
                TableRule rule = map.tables().get(name(merge.getTable().getName()));
                if (rule != null && rule.isSharded()) {
                    return refused(distinct(concat(top, nested)), "MERGE into sharded table " + rule.table()
                            + " (the rows it changes are chosen by the join, not by the shard key); write them with"
                            + " INSERT ... ON CONFLICT / UPDATE by key");
                }
            } else if (st instanceof Update update) {
                updateWhere = update.getWhere();
                targetText = update.getTable().toString();
                addFrom(update.getTable());
                addFrom(update.getFromItem());
                joins(update.getStartJoins(), false);
                joins(update.getJoins(), false);
                conjuncts(update.getWhere());
                targets.add(aliasTable(update.getTable()));
                for (UpdateSet set : update.getUpdateSets()) {
                    for (Column c : set.getColumns()) {
                        if (c.getTable() != null && c.getTable().getName() != null) {
                            String t = aliases.get(name(c.getTable().getName()));
                            targets.add(t == null ? name(c.getTable().getName()) : t);
                        }
                    }
                }
                limitedWrite(update.getOrderByElements(), update.getLimit());
                SqlAnalysis refused = updatesKey(update, top, nested);
                if (refused != null) {
                    return refused;
                }
            } else if (st instanceof Delete delete) {
                deleteWhere = delete.getWhere();
                targetText = delete.getTable() == null ? null : delete.getTable().toString();
                addFrom(delete.getTable());
                if (delete.getUsingFromItemList() != null) {
                    for (FromItem item : delete.getUsingFromItemList()) {
                        addFrom(item);
                    }
                }
                joins(delete.getJoins(), false);
                conjuncts(delete.getWhere());
                if (delete.getTables() != null && !delete.getTables().isEmpty()) {
                    for (Table t : delete.getTables()) {
                        targets.add(aliasTable(t));
                    }
                } else if (delete.getTable() != null) {
                    targets.add(aliasTable(delete.getTable()));
                }
                limitedWrite(delete.getOrderByElements(), delete.getLimit());
            } else if (st instanceof CreateTable c) {
                return ddl(List.of(c.getTable()));
            } else if (st instanceof CreateIndex c) {
                return ddl(List.of(c.getTable()));
            } else if (st instanceof Drop d) {
                return "TABLE".equalsIgnoreCase(d.getType()) ? ddl(List.of(d.getName())) : everyShard();
            } else if (st instanceof Alter a) {
                return ddl(List.of(a.getTable()));
            } else if (st instanceof Truncate t) {
                return ddl(t.getTables() != null && !t.getTables().isEmpty() ? t.getTables() : List.of(t.getTable()));
            } else if (st instanceof Commit) {
                return plain(StatementKind.COMMIT);
            } else if (st instanceof RollbackStatement) {
                return plain(StatementKind.ROLLBACK);
            } else {
                return refused(distinct(concat(top, nested)), "the statement " + st.getClass().getSimpleName());
            }
            return resolve(top, nested);
        }

        /**
         * {@code SELECT EXISTS(<q>)} (jOOQ's fetchExists) and {@code SELECT COUNT(*) FROM (<q>) t} (pagination
         * counts) whose subquery is not pinned to one shard: {@code q} is analysed as a statement of its own and
         * the outer statement routed as {@code q} is. Over several shards EXISTS is true when any shard's is
         * (exact when {@code q} returns a row on one database exactly when some shard's copy does: no OFFSET,
         * HAVING, window function, set operation, WITH or unmergeable join); the count is the sum of the shards'
         * counts when {@code q}'s rows are the shards' rows concatenated (ORDER BY at most), else the count of
         * {@code q}'s rows merged as {@code q} alone would be (LIMIT/OFFSET, DISTINCT, GROUP BY; what that merge
         * cannot answer refuses when the plan is made). Other inner shapes refuse, naming the construct. {@code null} when the statement is not of these shapes, or when
         * its every sharded reference is pinned (then it is routed whole to one shard like any pinned subquery).
         */
        private SqlAnalysis overSubquery(PlainSelect ps, List<String> top, List<String> nested) {
            boolean bare = ps.getJoins() == null && ps.getWhere() == null && ps.getGroupBy() == null
                    && ps.getHaving() == null && ps.getDistinct() == null && ps.getOrderByElements() == null
                    && ps.getLimit() == null && ps.getOffset() == null && ps.getFetch() == null && ps.getTop() == null
                    && ps.getWithItemsList() == null && ps.getForMode() == null && ps.getSelectItems().size() == 1
                    && ps.getIntoTables() == null;
            if (!bare) {
                return null;
            }
            Expression item = ps.getSelectItems().get(0).getExpression();
            ParenthesedSelect q = null;
            boolean exists = false;
            if (ps.getFromItem() == null && item instanceof ExistsExpression e && !e.isNot()
                    && e.getRightExpression() instanceof ParenthesedSelect inner) {
                q = inner;
                exists = true;
            } else if (ps.getFromItem() instanceof ParenthesedSelect inner && inner.getClass() == ParenthesedSelect.class
                    && item instanceof Function f && f.getClass() == Function.class && "count".equals(name(f.getName()))
                    && !f.isDistinct() && (f.isAllColumns() || f.getParameters() != null && f.getParameters().size() == 1
                            && (f.getParameters().get(0).toString().equals("*")
                                    || f.getParameters().get(0) instanceof LongValue))) {
                // COUNT(*), and PageHelper's COUNT(0) / COUNT(1): a constant that is never NULL counts every row
                q = inner;
            }
            if (q == null) {
                return null;
            }
            boolean shardedInside = false;
            for (String n : nested) {
                TableRule rule = map.tables().get(n);
                shardedInside |= rule != null && rule.isSharded() && rule.strategy().shards().size() > 1;
            }
            if (!shardedInside || new SubqueryPins(map).of(ps, shardedReferencesOf(everyReference)) == null) {
                return null;
            }
            String what = exists ? "EXISTS(<subquery>)" : "COUNT(*) over a subquery";
            List<String> tables = distinct(concat(top, nested));
            if (exists && q.getSelect().getLimit() != null && q.getSelect().getLimit().getOffset() != null) {
                return refused(tables, what + " with OFFSET across shards");
            }
            SqlAnalysis inner = analyze(q.getSelect().toString());
            if (inner.shape() == SqlAnalysis.Shape.REFUSED || inner.shape() == SqlAnalysis.Shape.INVALID) {
                return inner.shape() == SqlAnalysis.Shape.INVALID ? invalid(tables, inner.problem())
                        : refused(tables, inner.problem());
            }
            if (inner.shape() != SqlAnalysis.Shape.SHARDED || inner.tiering() != null || inner.sameShard()) {
                return refused(tables, what + " whose subquery is " + (inner.tiering() != null ? "over a tiered table"
                        : "not one shardkit can route as a whole"));
            }
            Set<String> allowed = exists ? Set.of("ORDER BY", "DISTINCT", "GROUP BY", "LIMIT") : Set.of("ORDER BY");
            boolean merged = false;
            for (String c : inner.mergeConstructs()) {
                boolean ok = allowed.contains(c) || exists && c.startsWith("aggregate ");
                if (!ok && !exists && !c.startsWith(SqlAnalysis.UNMERGEABLE)) {
                    merged = true; // counted over q's merged rows; q's own merge refuses what it cannot merge
                } else if (!ok) {
                    String shown = c.startsWith(SqlAnalysis.UNMERGEABLE) ? c.substring(SqlAnalysis.UNMERGEABLE.length()) : c;
                    return refused(tables, what + " with " + shown + " in the subquery across shards"
                            + (exists ? "" : " (the count of the merged rows is not the sum of the shards' counts)"));
                }
            }
            List<String> constructs = exists ? List.of("EXISTS") : List.of("aggregate COUNT");
            SqlAnalysis outer = new SqlAnalysis(sql, kind, SqlAnalysis.Shape.SHARDED, tables, inner.pinnedShard(),
                    inner.shardedTable(), inner.strategy(), inner.keyValues(), null, constructs, null, null, dialect);
            return exists ? outer.withExistsAny() : merged ? outer.withCountOver(inner) : outer;
        }

        private int shardedReferencesOf(List<String> references) {
            int n = 0;
            for (String t : references) {
                TableRule rule = map.tables().get(t);
                n += rule != null && rule.isSharded() ? 1 : 0;
            }
            return n;
        }

        /** What the statement does, from its class alone (so a refused statement still counts as a write). */
        private StatementKind kindOf(Statement st) {
            if (st instanceof Select) {
                return StatementKind.SELECT;
            }
            if (st instanceof Insert || st instanceof Upsert || st instanceof Merge) {
                return StatementKind.INSERT;
            }
            if (st instanceof Update) {
                return StatementKind.UPDATE;
            }
            if (st instanceof Delete) {
                return StatementKind.DELETE;
            }
            if (st instanceof CreateTable || st instanceof CreateIndex || st instanceof Drop || st instanceof Alter
                    || st instanceof Truncate || st instanceof net.sf.jsqlparser.statement.create.view.CreateView) {
                return StatementKind.DDL;
            }
            return StatementKind.OTHER;
        }

        /** The table a write's target names: the table itself, or the one its alias stands for. */
        private String aliasTable(Table t) {
            String n = name(t.getName());
            String table = aliases.get(n);
            return table == null ? n : table;
        }

        /**
         * MySQL's {@code UPDATE/DELETE ... ORDER BY ... LIMIT n}: each shard would apply the LIMIT to
         * its own rows, so such a write may run on one shard only.
         */
        private void limitedWrite(List<net.sf.jsqlparser.statement.select.OrderByElement> order,
                net.sf.jsqlparser.statement.select.Limit limit) {
            if (limit != null) {
                merge.add(SqlAnalysis.UNMERGEABLE + kind + " ... LIMIT over several shards (each shard would apply"
                        + " the LIMIT to its own rows)");
            } else if (order != null && !order.isEmpty()) {
                merge.add("ORDER BY");
            }
        }

        private List<String> concat(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.addAll(b);
            return out;
        }

        private List<String> without(List<String> names, Set<String> cte) {
            List<String> out = new ArrayList<>();
            for (String n : names) {
                if (!cte.contains(n)) {
                    out.add(n);
                }
            }
            return out;
        }

        private SqlAnalysis plain(StatementKind k) {
            return new SqlAnalysis(sql, k, SqlAnalysis.Shape.NO_TABLE, List.of(), null, null, null, null, null,
                    List.of(), null, null, dialect);
        }

        // ---- SELECT ----

        private void select(Select select) {
            if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
                merge.add("WITH");
            }
            if (select.getOrderByElements() != null && !select.getOrderByElements().isEmpty()) {
                merge.add("ORDER BY");
            }
            if (select.getLimit() != null) {
                merge.add("LIMIT");
            }
            if (select.getOffset() != null) {
                merge.add("OFFSET");
            }
            if (select.getFetch() != null) {
                merge.add("FETCH");
            }
            if (select instanceof ParenthesedSelect p) {
                select(p.getSelect());
            } else if (select instanceof SetOperationList set) {
                for (var op : set.getOperations()) {
                    merge.add(op.toString().toUpperCase(Locale.ROOT));
                }
            } else if (select instanceof PlainSelect ps) {
                plainSelect(ps);
            } else if (select instanceof Values) {
                // a VALUES list touches no table
            }
        }

        private void plainSelect(PlainSelect ps) {
            forUpdate |= ps.getForMode() != null || ps.getForUpdateTable() != null;
            if (ps.getDistinct() != null) {
                merge.add("DISTINCT");
            }
            if (ps.getTop() != null) {
                merge.add("TOP");
            }
            if (ps.getGroupBy() != null) {
                merge.add("GROUP BY");
            }
            if (ps.getHaving() != null) {
                merge.add("HAVING");
            }
            if (ps.getQualify() != null) {
                merge.add("QUALIFY");
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
            merge.addAll(constructs.found);
            addFrom(ps.getFromItem());
            joins(ps.getJoins(), false);
            outerJoinsKeepingRowsOfEveryShard(ps.getFromItem(), ps.getJoins());
            conjuncts(ps.getWhere());
        }

        /**
         * An outer join that keeps the unmatched rows of a table every shard holds (broadcast, or
         * no sharded table on that side) against a sharded table: each shard would return those
         * rows, so a concatenation repeats them. Recorded as an unmergeable construct, refused only
         * when the statement runs on several shards.
         */
        private void outerJoinsKeepingRowsOfEveryShard(FromItem from, List<Join> joins) {
            if (from instanceof ParenthesedFromItem p) {
                outerJoinsKeepingRowsOfEveryShard(p.getFromItem(), p.getJoins());
            }
            if (joins == null) {
                return;
            }
            for (Join j : joins) {
                if (j.getRightItem() instanceof ParenthesedFromItem p) {
                    outerJoinsKeepingRowsOfEveryShard(p.getFromItem(), p.getJoins());
                }
            }
            String leftSharded = shardedTable(from);
            String leftName = from instanceof Table t ? name(t.getName()) : String.valueOf(from);
            for (Join j : joins) {
                String rightSharded = shardedTable(j.getRightItem());
                String rightName = j.getRightItem() instanceof Table t ? name(t.getName()) : String.valueOf(j.getRightItem());
                String kept = (j.isLeft() || j.isFull()) && rightSharded != null && leftSharded == null ? leftName
                        : (j.isRight() || j.isFull()) && rightSharded == null && leftSharded != null ? rightName : null;
                if (kept != null) {
                    merge.add(SqlAnalysis.UNMERGEABLE + "an outer join keeping the unmatched rows of " + kept
                            + ", which every shard holds, against sharded table "
                            + (rightSharded != null ? rightSharded : leftSharded) + " (each shard would return them)");
                }
                leftSharded = leftSharded != null ? leftSharded : rightSharded;
            }
        }

        /** A sharded table the FROM item reads (seeing through parentheses), or {@code null}. */
        private String shardedTable(FromItem item) {
            if (item instanceof ParenthesedFromItem p) {
                String found = shardedTable(p.getFromItem());
                if (p.getJoins() != null) {
                    for (Join j : p.getJoins()) {
                        found = found != null ? found : shardedTable(j.getRightItem());
                    }
                }
                return found;
            }
            if (!(item instanceof Table t)) {
                return null;
            }
            TableRule rule = map.tables().get(name(t.getName()));
            return rule != null && rule.isSharded() ? name(t.getName()) : null;
        }

        /**
         * Records a FROM item of the statement itself: each table reference is an instance (a self-join
         * has two), and a parenthesised join group adds its tables, its ON clauses linking tables only.
         */
        private void addFrom(FromItem item) {
            if (item instanceof Table t) {
                String table = name(t.getName());
                aliases.putIfAbsent(table, table);
                String instance = t.getAlias() != null ? name(t.getAlias().getName()) : table;
                if (t.getAlias() != null) {
                    aliases.put(instance, table);
                }
                instances.put(instance, table);
            } else if (item instanceof ParenthesedFromItem p) {
                addFrom(p.getFromItem());
                joins(p.getJoins(), true);
            }
        }

        /**
         * Records the joins of a FROM clause. An inner join's ON filters the joined rows, so its
         * conjuncts may carry the shard key predicate, unless a later RIGHT or FULL join keeps rows
         * the ON never saw (then they only link tables, like an outer join's ON).
         *
         * @param linksOnly every ON only links tables (joins inside parentheses)
         */
        private void joins(List<Join> joins, boolean linksOnly) {
            if (joins == null) {
                return;
            }
            int lastRightOrFull = -1;
            for (int i = 0; i < joins.size(); i++) {
                if (joins.get(i).isRight() || joins.get(i).isFull()) {
                    lastRightOrFull = i;
                }
            }
            for (int i = 0; i < joins.size(); i++) {
                Join j = joins.get(i);
                addFrom(j.getRightItem());
                boolean outer = j.isLeft() || j.isRight() || j.isFull() || j.isOuter();
                for (Expression on : j.getOnExpressions()) {
                    if (outer || linksOnly || i < lastRightOrFull) {
                        joinEdgesOnly(on);
                    } else {
                        conjuncts(on);
                    }
                }
                if (j.getUsingColumns() != null && j.getRightItem() instanceof Table right) {
                    String instance = right.getAlias() != null ? name(right.getAlias().getName()) : name(right.getName());
                    for (Column c : j.getUsingColumns()) {
                        usingJoins.add(new String[] {instance, name(c.getColumnName())});
                    }
                }
            }
        }

        private final List<Expression> edgeOnly = new ArrayList<>();

        /** An outer join's ON clause links tables but does not filter the outer side. */
        private void joinEdgesOnly(Expression on) {
            List<Expression> parts = new ArrayList<>();
            flatten(on, parts);
            edgeOnly.addAll(parts);
        }

        private void conjuncts(Expression where) {
            if (where != null) {
                flatten(where, conjuncts);
            }
        }

        private void flatten(Expression e, List<Expression> out) {
            if (e instanceof AndExpression and) {
                flatten(and.getLeftExpression(), out);
                flatten(and.getRightExpression(), out);
            } else if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
                flatten(p.get(0), out);
            } else {
                out.add(e);
            }
        }

        // ---- INSERT ----

        /**
         * An INSERT, or an upsert (REPLACE INTO, INSERT OR REPLACE) routed like one: into a sharded
         * table each row goes to its key's shard; into other tables as the tables live.
         */
        private SqlAnalysis insert(Statement insert, Table target, ExpressionList<Column> columns, Select select,
                List<String> top, List<String> nested) {
            String table = name(target.getName());
            TableRule rule = map.tables().get(table);
            Values values = select instanceof Values v ? v : null;
            if (rule == null || !rule.isSharded()) {
                return resolve(top, nested);
            }
            boolean anyUniqueKey = insert instanceof Upsert;
            if (insert instanceof Insert i) {
                var conflict = i.getConflictTarget();
                if (conflict != null && (conflict.getIndexColumnNames() == null || conflict.getIndexColumnNames().isEmpty()
                        || conflict.getIndexExpression() != null)) {
                    return refused(List.of(table), "ON CONFLICT with this target on sharded table " + table
                            + " (name the conflict columns, including the shard key " + rule.keyColumn() + ")");
                }
                if (conflict != null && !conflict.getIndexColumnNames().stream().map(Analyzer::name).toList()
                        .contains(rule.keyColumn())) {
                    return refused(List.of(table), "ON CONFLICT (" + String.join(", ", conflict.getIndexColumnNames())
                            + ") on sharded table " + table + ": the conflict target does not include the shard key "
                            + rule.keyColumn() + ", so a conflicting row may sit on another shard");
                }
                anyUniqueKey |= conflict == null && i.getConflictAction() != null || i.getDuplicateUpdateSets() != null
                        && !i.getDuplicateUpdateSets().isEmpty() || i.isModifierIgnore();
                List<UpdateSet> sets = new ArrayList<>();
                if (i.getConflictAction() != null && i.getConflictAction().getUpdateSets() != null) {
                    sets.addAll(i.getConflictAction().getUpdateSets());
                }
                if (i.getDuplicateUpdateSets() != null) {
                    sets.addAll(i.getDuplicateUpdateSets());
                }
                for (UpdateSet set : sets) {
                    for (Column c : set.getColumns()) {
                        if (name(c.getColumnName()).equals(rule.keyColumn())) {
                            return refused(List.of(table), "an upsert that changes the shard key " + table + "."
                                    + rule.keyColumn() + " (the row would stay on the old key's shard); delete the row"
                                    + " and insert it again");
                        }
                    }
                }
            }
            if (values == null) {
                return refused(List.of(table), "INSERT ... SELECT into sharded table " + table
                        + " is not supported; select the rows and insert them");
            }
            if (columns == null || columns.isEmpty()) {
                return refused(List.of(table), "INSERT into sharded table " + table
                        + " must list its columns, so that the shard key " + rule.keyColumn() + " can be found");
            }
            int keyAt = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (name(columns.get(i).getColumnName()).equals(rule.keyColumn())) {
                    keyAt = i;
                }
            }
            if (keyAt < 0) {
                return invalid(List.of(table), "INSERT into sharded table " + table + " does not set the shard key "
                        + rule.keyColumn());
            }
            for (String n : nested) {
                TableRule r = map.tables().get(n);
                if (r != null && r.isSharded()) {
                    return refused(List.of(table, n), "subquery over sharded table " + n + " in an INSERT");
                }
            }
            ExpressionList<?> list = values.getExpressions();
            List<ExpressionList<?>> rows = new ArrayList<>();
            if (list instanceof ParenthesedExpressionList<?> single) {
                rows.add(single);
            } else {
                for (Expression e : list) {
                    if (e instanceof ExpressionList<?> row) {
                        rows.add(row);
                    } else {
                        rows.add(list);
                        break;
                    }
                }
            }
            List<ValueRef> keys = new ArrayList<>();
            List<String> rowTexts = new ArrayList<>();
            int[] rowParams = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                ExpressionList<?> row = rows.get(r);
                if (row.size() != columns.size()) {
                    return invalid(List.of(table), "INSERT row " + (r + 1) + " has " + row.size() + " values for "
                            + columns.size() + " columns");
                }
                ValueRef key = value(row.get(keyAt));
                if (key == null) {
                    return refused(List.of(table), "the shard key " + rule.keyColumn() + " of INSERT row " + (r + 1)
                            + " is an expression (" + row.get(keyAt) + "); give a literal or a ? parameter");
                }
                keys.add(key);
                String text = row instanceof ParenthesedExpressionList<?> ? row.toString() : "(" + row + ")";
                rowTexts.add(text);
                rowParams[r] = SqlText.countParameters(text, dialect);
            }
            Tiering tiering = null;
            if (rule.isTiered()) {
                tiering = insertTiering(rule, target, columns, rows, insert);
                if (tiering == null) {
                    return refused(List.of(table), "the " + rule.archive().id() + " of an INSERT row into tiered table "
                            + table + " is an expression; give a literal or a ? parameter (the archive is checked for"
                            + " the id before the row is written)");
                }
            }
            values.setExpressions(new ExpressionList<>(new Column("__shardkit_rows__")));
            String template = insert.toString();
            int at = template.indexOf("__shardkit_rows__");
            String head = template.substring(0, at);
            String tail = template.substring(at + "__shardkit_rows__".length());
            InsertRows insertRows = new InsertRows(keys, head, tail, rowTexts, SqlText.countParameters(head, dialect),
                    SqlText.countParameters(tail, dialect), rowParams);
            List<String> tables = new ArrayList<>(top);
            tables.addAll(nested);
            String pinned = null;
            for (String t : tables) {
                TableRule r = map.tables().get(t);
                if (r != null && r.kind() == TableRule.Kind.PINNED) {
                    pinned = r.shard();
                }
            }
            SqlAnalysis analysis = new SqlAnalysis(sql, kind, SqlAnalysis.Shape.SHARDED, distinct(tables), pinned, table,
                    rule.strategy(), null, insertRows, List.of(), null, null, dialect);
            if (tiering != null) {
                analysis.withTiering(tiering);
            }
            return anyUniqueKey ? analysis.withAnyUniqueKey() : analysis;
        }

        /**
         * The tier facts of an INSERT into a tiered table: the probe {@code SELECT id FROM t WHERE id IN
         * (<each row's id>)} for the archive shards, so a row whose id is archived is refused instead of
         * shadowing the archived row; no probe when the INSERT leaves the id to the database. For one row
         * and a cutoff on the id column, the id is a cutoff bound (an id at or past the watermark skips
         * the archive). {@code null} when a row's id is an expression.
         */
        private Tiering insertTiering(TableRule rule, Table target, ExpressionList<Column> columns,
                List<ExpressionList<?>> rows, Statement insert) {
            String id = rule.archive().id();
            int idAt = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (name(columns.get(i).getColumnName()).equals(id)) {
                    idAt = i;
                }
            }
            boolean upsert = insert instanceof Upsert || insert instanceof Insert i && (i.getConflictAction() != null
                    || i.getDuplicateUpdateSets() != null && !i.getDuplicateUpdateSets().isEmpty() || i.isModifierIgnore());
            if (idAt < 0) {
                return new Tiering(rule.table(), rule.archive(), List.of(), false, false, null, null, upsert);
            }
            StringBuilder probe = new StringBuilder("SELECT ").append(columns.get(idAt)).append(" FROM ").append(target)
                    .append(" WHERE ").append(columns.get(idAt)).append(" IN (");
            List<Integer> params = new ArrayList<>();
            List<Tiering.CutoffBound> bounds = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                Expression e = rows.get(r).get(idAt);
                ValueRef v = value(e);
                if (v == null) {
                    return null;
                }
                if (e instanceof JdbcParameter p) {
                    params.add(p.getIndex());
                }
                probe.append(r == 0 ? "" : ", ").append(e);
                io.shardkit.config.Cutoff cutoff = rule.archive().cutoff();
                if (rows.size() == 1 && cutoff != null && !cutoff.isTime() && cutoff.column().equals(id)) {
                    bounds.add(new Tiering.CutoffBound("=", v));
                }
            }
            int[] probeParams = new int[params.size()];
            for (int i = 0; i < probeParams.length; i++) {
                probeParams[i] = params.get(i);
            }
            return new Tiering(rule.table(), rule.archive(), bounds, false, false, probe.append(')').toString(),
                    probeParams, upsert);
        }

        // ---- UPDATE ----

        private SqlAnalysis updatesKey(Update update, List<String> top, List<String> nested) {
            if (update.getUpdateSets() == null) {
                return null;
            }
            for (UpdateSet set : update.getUpdateSets()) {
                for (Column c : set.getColumns()) {
                    String column = name(c.getColumnName());
                    for (String table : resolveColumn(c, top)) {
                        TableRule rule = map.tables().get(table);
                        if (rule != null && rule.isSharded() && rule.keyColumn().equals(column)) {
                            String refusal = "UPDATE changes the shard key " + table + "." + column
                                    + "; a row cannot move between shards: delete it and insert it again";
                            ValueRef[] pinned = keyKept(update, set, table, column);
                            if (pinned == null || keySet != null) {
                                return refused(List.of(table), refusal);
                            }
                            keySet = pinned;
                            keySetRefusal = refusal;
                        }
                    }
                }
            }
            return null;
        }

        /** {SET value, WHERE value} of an UPDATE that sets the shard key to the value its WHERE pins it to. */
        ValueRef[] keySet;
        String keySetRefusal;

        /**
         * Hibernate's UPDATE sets every column, the shard key too: {@code UPDATE t SET key = v, ... WHERE
         * key = w AND ...} keeps every row it matches on its shard when {@code v} equals {@code w}, which
         * the router checks at execution. Only a one-table UPDATE whose SET gives the key a literal or
         * a ? and whose WHERE has {@code key = literal/?} as a top-level conjunct; else {@code null}.
         */
        private ValueRef[] keyKept(Update update, UpdateSet set, String table, String column) {
            if (update.getFromItem() != null || update.getJoins() != null && !update.getJoins().isEmpty()
                    || update.getStartJoins() != null && !update.getStartJoins().isEmpty()
                    || set.getColumns().size() != 1 || set.getValues() == null || set.getValues().size() != 1) {
                return null;
            }
            ValueRef to = value(set.getValues().get(0));
            if (to == null || update.getWhere() == null) {
                return null;
            }
            List<Expression> where = new ArrayList<>();
            flatten(update.getWhere(), where);
            for (Expression e : where) {
                if (e instanceof EqualsTo eq) {
                    ValueRef pin = isColumn(eq.getLeftExpression(), table, column) ? value(eq.getRightExpression())
                            : isColumn(eq.getRightExpression(), table, column) ? value(eq.getLeftExpression()) : null;
                    if (pin != null) {
                        return new ValueRef[] {to, pin};
                    }
                }
            }
            return null;
        }

        // ---- DDL ----

        private SqlAnalysis ddl(List<Table> targets) {
            kind = StatementKind.DDL;
            List<String> names = new ArrayList<>();
            List<String> shards = null;
            for (Table t : targets) {
                String table = name(t.getName());
                names.add(table);
                List<String> s = shardsHolding(table);
                if (s == null) {
                    return invalid(names, notInMap(table));
                }
                if (shards != null && !shards.equals(s)) {
                    return refused(names, "DDL over tables that live on different shards (" + shards + " and " + s
                            + "); run one statement per table");
                }
                shards = s;
            }
            return new SqlAnalysis(sql, kind, SqlAnalysis.Shape.PINNED, names, null, null, null, null, null,
                    List.of(), shards, null, dialect);
        }

        /** DDL whose table is not known (DROP INDEX, DROP VIEW): every shard, like the schema it changes. */
        private SqlAnalysis everyShard() {
            kind = StatementKind.DDL;
            return new SqlAnalysis(sql, kind, SqlAnalysis.Shape.PINNED, List.of(), null, null, null, null, null,
                    List.of(), map.shardNames(), null, dialect);
        }

        private List<String> shardsHolding(String table) {
            TableRule rule = map.tables().get(table);
            if (rule == null) {
                return map.defaultShard() == null ? null : List.of(map.defaultShard());
            }
            return switch (rule.kind()) {
                case SHARDED -> rule.strategy().shards();
                case BROADCAST -> map.shardNames();
                case PINNED -> List.of(rule.shard());
            };
        }

        // ---- shape ----

        private SqlAnalysis resolve(List<String> top, List<String> nested) {
            List<String> tables = new ArrayList<>(top);
            tables.addAll(nested);
            tables = distinct(tables);
            Set<String> pinnedShards = new LinkedHashSet<>();
            Map<String, TableRule> sharded = new LinkedHashMap<>();
            boolean broadcast = false;
            for (String t : tables) {
                TableRule rule = map.tables().get(t);
                if (rule == null) {
                    if (map.defaultShard() == null) {
                        return invalid(tables, notInMap(t));
                    }
                    pinnedShards.add(map.defaultShard());
                } else if (rule.kind() == TableRule.Kind.PINNED) {
                    pinnedShards.add(rule.shard());
                } else if (rule.kind() == TableRule.Kind.BROADCAST) {
                    broadcast = true;
                } else {
                    sharded.put(t, rule);
                }
            }
            if (pinnedShards.size() > 1) {
                return refused(tables, "the statement joins tables that live on different shards " + pinnedShards);
            }
            String pinned = pinnedShards.isEmpty() ? null : pinnedShards.iterator().next();
            String badWrite = broadcastWrite(tables);
            if (badWrite != null) {
                return refused(tables, badWrite);
            }
            if (sharded.isEmpty()) {
                SqlAnalysis.Shape shape = pinned != null ? SqlAnalysis.Shape.PINNED
                        : broadcast ? SqlAnalysis.Shape.BROADCAST : SqlAnalysis.Shape.NO_TABLE;
                return new SqlAnalysis(sql, kind, shape, tables, pinned, null, null, null, null, merge, null, null, dialect);
            }
            Strategy strategy = null;
            String first = null;
            for (TableRule rule : sharded.values()) {
                if (strategy == null) {
                    strategy = rule.strategy();
                    first = rule.table();
                } else if (!strategy.equals(rule.strategy())) {
                    return refused(tables, "tables " + first + " (" + strategy.describe() + ") and " + rule.table()
                            + " (" + rule.strategy().describe() + ") are not co-located; a statement over both is not supported");
                }
            }
            boolean multiShard = strategy.shards().size() > 1;
            for (String n : nested) {
                if (sharded.containsKey(n) && multiShard) {
                    SubqueryPins pins = new SubqueryPins(map);
                    String why = root instanceof Select select ? pins.of(select, shardedReferences(sharded))
                            : "it is in a " + kind;
                    for (TableRule rule : sharded.values()) {
                        why = why == null && rule.isTiered() ? "table " + rule.table() + " is tiered" : why;
                    }
                    if (why != null) {
                        return refused(tables, "subquery over sharded table " + n
                                + " (it would see only the rows of one shard): " + why);
                    }
                    subqueryPins = pins.values();
                    break;
                }
            }
            // every reference to a sharded table, a self-join's two aliases apart
            Map<String, String> refs = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : instances.entrySet()) {
                if (sharded.containsKey(e.getValue())) {
                    refs.put(e.getKey(), e.getValue());
                }
            }
            List<String> topSharded = new ArrayList<>();
            for (String t : distinct(top)) {
                if (sharded.containsKey(t)) {
                    topSharded.add(t);
                    if (!refs.containsValue(t)) {
                        refs.put(t, t); // named outside the FROM this analysis walks (a set operation's branch)
                    }
                }
            }
            if (refs.size() > 1 && multiShard && !joinedOnKeys(refs, sharded)) {
                return refused(tables, "tables " + describe(refs) + " are not joined on their shard keys ("
                        + keyEquality(refs, sharded) + "); the join would miss rows on other shards");
            }
            List<ValueRef> keys = subqueryPins != null ? subqueryPins : keyValues(sharded);
            String routed = !refs.isEmpty() ? refs.values().iterator().next()
                    : topSharded.isEmpty() ? sharded.keySet().iterator().next() : topSharded.get(0);
            SqlAnalysis analysis = new SqlAnalysis(sql, kind, SqlAnalysis.Shape.SHARDED, tables, pinned, routed, strategy,
                    keys, null, merge, null, null, dialect);
            if (keySet != null) {
                analysis.withKeySet(keySet[0], keySet[1], keySetRefusal);
            }
            if (subqueryPins != null) {
                analysis.withSameShard();
            }
            TableRule rule = sharded.get(routed);
            return rule.isTiered() ? analysis.withTiering(tiering(rule, sharded.size() > 1)) : analysis;
        }

        /** The tier facts: cutoff predicates, FOR UPDATE, and for UPDATE/DELETE the archive probe. */
        private Tiering tiering(TableRule rule, boolean joined) {
            List<Tiering.CutoffBound> bounds = new ArrayList<>();
            io.shardkit.config.Cutoff cutoff = rule.archive().cutoff();
            if (cutoff != null) {
                for (Expression e : conjuncts) {
                    cutoffBounds(e, rule.table(), cutoff.column(), bounds);
                }
            }
            String probe = null;
            int[] probeParams = null;
            Expression where = kind == StatementKind.UPDATE ? updateWhere : kind == StatementKind.DELETE ? deleteWhere : null;
            if (kind == StatementKind.UPDATE || kind == StatementKind.DELETE) {
                probe = "SELECT 1 FROM " + targetText + (where == null ? "" : " WHERE " + where);
                List<Integer> params = new ArrayList<>();
                if (where != null) {
                    where.accept(new ExpressionVisitorAdapter<Void>() {
                        @Override
                        public <S> Void visit(JdbcParameter p, S context) {
                            params.add(p.getIndex() == null ? 0 : p.getIndex());
                            return null;
                        }
                    }, null);
                }
                probeParams = new int[params.size()];
                for (int i = 0; i < probeParams.length; i++) {
                    probeParams[i] = params.get(i);
                }
            }
            return new Tiering(rule.table(), rule.archive(), bounds, forUpdate, joined, probe, probeParams, false);
        }

        private void cutoffBounds(Expression e, String table, String column, List<Tiering.CutoffBound> out) {
            if (e instanceof net.sf.jsqlparser.expression.operators.relational.Between b && !b.isNot()
                    && isColumn(b.getLeftExpression(), table, column)) {
                ValueRef lo = value(b.getBetweenExpressionStart());
                ValueRef hi = value(b.getBetweenExpressionEnd());
                if (lo != null) {
                    out.add(new Tiering.CutoffBound(">=", lo));
                }
                if (hi != null) {
                    out.add(new Tiering.CutoffBound("<=", hi));
                }
                return;
            }
            String op = e instanceof EqualsTo ? "=" : e instanceof net.sf.jsqlparser.expression.operators.relational.GreaterThan ? ">"
                    : e instanceof net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals ? ">="
                    : e instanceof net.sf.jsqlparser.expression.operators.relational.MinorThan ? "<"
                    : e instanceof net.sf.jsqlparser.expression.operators.relational.MinorThanEquals ? "<=" : null;
            if (op == null) {
                return;
            }
            net.sf.jsqlparser.expression.BinaryExpression b = (net.sf.jsqlparser.expression.BinaryExpression) e;
            if (isColumn(b.getLeftExpression(), table, column)) {
                ValueRef v = value(b.getRightExpression());
                if (v != null) {
                    out.add(new Tiering.CutoffBound(op, v));
                }
            } else if (isColumn(b.getRightExpression(), table, column)) {
                ValueRef v = value(b.getLeftExpression());
                String flipped = switch (op) {
                    case ">" -> "<";
                    case ">=" -> "<=";
                    case "<" -> ">";
                    case "<=" -> ">=";
                    default -> op;
                };
                if (v != null) {
                    out.add(new Tiering.CutoffBound(flipped, v));
                }
            }
        }

        private boolean isColumn(Expression e, String table, String column) {
            return e instanceof Column c && name(c.getColumnName()).equals(column)
                    && resolveColumn(c, List.of(table)).contains(table);
        }

        /**
         * Why a write to a broadcast table cannot be answered exactly, or {@code null}: every copy is
         * written on its own shard, so the statement must read only tables every shard holds alike and
         * must compute the same values on every shard.
         */
        private String broadcastWrite(List<String> tables) {
            if (!kind.isWrite() || kind == StatementKind.DDL) {
                return null;
            }
            for (String target : targets) {
                TableRule rule = map.tables().get(target);
                if (rule == null || rule.kind() != TableRule.Kind.BROADCAST) {
                    continue;
                }
                for (String t : tables) {
                    TableRule other = map.tables().get(t);
                    if (other == null || other.kind() != TableRule.Kind.BROADCAST) {
                        return "a write to broadcast table " + target + " that reads or writes " + t
                                + ", which is not on every shard alike (each shard would write its copy from its own"
                                + " rows, and the copies would differ)";
                    }
                }
                if (volatileCall != null) {
                    return "a write to broadcast table " + target + " using " + volatileCall + ", which gives each"
                            + " copy its own value; compute the value once and bind it as a ? parameter";
                }
                for (String c : merge) {
                    if (c.startsWith(SqlAnalysis.UNMERGEABLE)) {
                        return kind + " ... LIMIT on broadcast table " + target + " (each copy could change"
                                + " other rows)";
                    }
                }
            }
            return null;
        }

        /** The references by table name, or for a self-join (a table named twice) as "table alias". */
        private static String describe(Map<String, String> refs) {
            boolean selfJoin = new LinkedHashSet<>(refs.values()).size() < refs.size();
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, String> e : refs.entrySet()) {
                parts.add(!selfJoin ? e.getValue() : e.getValue() + " " + e.getKey());
            }
            return String.join(", ", parts);
        }

        private String keyEquality(Map<String, String> refs, Map<String, TableRule> sharded) {
            boolean selfJoin = new LinkedHashSet<>(refs.values()).size() < refs.size();
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, String> e : refs.entrySet()) {
                parts.add((selfJoin ? e.getKey() : e.getValue()) + "." + sharded.get(e.getValue()).keyColumn());
            }
            return String.join(" = ", parts);
        }

        /**
         * Whether key equalities (in WHERE, ON or USING) connect every reference to a sharded table.
         *
         * @param refs reference (alias, or table name) → table
         */
        private boolean joinedOnKeys(Map<String, String> refs, Map<String, TableRule> sharded) {
            Map<String, String> parent = new HashMap<>();
            for (String r : refs.keySet()) {
                parent.put(r, r);
            }
            List<Expression> all = new ArrayList<>(conjuncts);
            all.addAll(edgeOnly);
            for (Expression e : all) {
                if (e instanceof EqualsTo eq && eq.getLeftExpression() instanceof Column l
                        && eq.getRightExpression() instanceof Column r) {
                    for (String a : keyRefs(l, refs, sharded)) {
                        for (String b : keyRefs(r, refs, sharded)) {
                            union(parent, a, b);
                        }
                    }
                }
            }
            for (String[] using : usingJoins) {
                String right = using[0];
                if (!refs.containsKey(right) || !sharded.get(refs.get(right)).keyColumn().equals(using[1])) {
                    continue;
                }
                for (String r : refs.keySet()) {
                    if (!r.equals(right) && sharded.get(refs.get(r)).keyColumn().equals(using[1])) {
                        union(parent, r, right);
                    }
                }
            }
            String root = find(parent, refs.keySet().iterator().next());
            for (String r : refs.keySet()) {
                if (!find(parent, r).equals(root)) {
                    return false;
                }
            }
            return true;
        }

        /** The references whose shard key {@code c} names: its qualifier's, or every one with that key when unqualified. */
        private List<String> keyRefs(Column c, Map<String, String> refs, Map<String, TableRule> sharded) {
            String column = name(c.getColumnName());
            List<String> out = new ArrayList<>();
            Table q = c.getTable();
            if (q != null && q.getName() != null) {
                String r = name(q.getName());
                if (refs.containsKey(r) && sharded.get(refs.get(r)).keyColumn().equals(column)) {
                    out.add(r);
                }
                return out;
            }
            for (Map.Entry<String, String> e : refs.entrySet()) {
                if (sharded.get(e.getValue()).keyColumn().equals(column)) {
                    out.add(e.getKey());
                }
            }
            return out;
        }

        private void union(Map<String, String> parent, String a, String b) {
            if (parent.containsKey(a) && parent.containsKey(b)) {
                parent.put(find(parent, a), find(parent, b));
            }
        }

        private String find(Map<String, String> parent, String t) {
            String p = parent.get(t);
            return p.equals(t) ? t : find(parent, p);
        }

        /** The sharded tables whose shard key {@code c} names. */
        private List<String> keyTables(Column c, Map<String, TableRule> sharded) {
            String column = name(c.getColumnName());
            List<String> out = new ArrayList<>();
            for (String t : resolveColumn(c, new ArrayList<>(sharded.keySet()))) {
                TableRule rule = sharded.get(t);
                if (rule != null && rule.keyColumn().equals(column)) {
                    out.add(t);
                }
            }
            return out;
        }

        /** The tables a column may belong to: its qualifier's table, or every candidate when unqualified. */
        private List<String> resolveColumn(Column c, Collection<String> candidates) {
            Table q = c.getTable();
            if (q != null && q.getName() != null) {
                String t = aliases.get(name(q.getName()));
                return t == null ? List.of(name(q.getName())) : List.of(t);
            }
            return new ArrayList<>(candidates);
        }

        private List<ValueRef> keyValues(Map<String, TableRule> sharded) {
            for (Expression e : conjuncts) {
                if (e instanceof EqualsTo eq && ExpressionAllowlist.isAnyArray(eq.getRightExpression())) {
                    List<ValueRef> v = anyKeyValues(eq, sharded);
                    if (v != null) {
                        return v;
                    }
                } else if (e instanceof EqualsTo eq) {
                    List<ValueRef> v = keyValue(eq.getLeftExpression(), eq.getRightExpression(), sharded);
                    if (v == null) {
                        v = keyValue(eq.getRightExpression(), eq.getLeftExpression(), sharded);
                    }
                    if (v != null) {
                        return v;
                    }
                } else if (e instanceof InExpression in && !in.isNot() && in.getLeftExpression() instanceof Column c
                        && !keyTables(c, sharded).isEmpty() && in.getRightExpression() instanceof ExpressionList<?> list
                        && !list.isEmpty()) {
                    List<ValueRef> values = new ArrayList<>();
                    for (Expression item : list) {
                        ValueRef v = value(item);
                        if (v == null) {
                            values = null;
                            break;
                        }
                        values.add(v);
                    }
                    if (values != null) {
                        return values;
                    }
                }
            }
            return null;
        }

        /**
         * {@code key = ANY(?)}: the bound array's elements (read at execution); {@code key = ANY(ARRAY[1, 2])}:
         * its literals, like IN (an empty array matches no row). {@code null} when an element is not a value.
         */
        private List<ValueRef> anyKeyValues(EqualsTo eq, Map<String, TableRule> sharded) {
            if (!(eq.getLeftExpression() instanceof Column c) || keyTables(c, sharded).isEmpty()) {
                return null;
            }
            Expression arg = ((Function) eq.getRightExpression()).getParameters().get(0);
            if (arg instanceof JdbcParameter p) {
                return p.getIndex() == null ? null : List.of(ValueRef.arrayParameter(p.getIndex()));
            }
            List<ValueRef> values = new ArrayList<>();
            var items = ((net.sf.jsqlparser.expression.ArrayConstructor) arg).getExpressions();
            if (items != null) {
                for (Expression item : items) {
                    ValueRef v = value(item);
                    if (v == null) {
                        return null;
                    }
                    values.add(v);
                }
            }
            return values;
        }

        private List<ValueRef> keyValue(Expression side, Expression other, Map<String, TableRule> sharded) {
            if (side instanceof Column c && !keyTables(c, sharded).isEmpty()) {
                ValueRef v = value(other);
                return v == null ? null : List.of(v);
            }
            return null;
        }

        private SqlAnalysis refused(List<String> tables, String why) {
            return new SqlAnalysis(sql, kind, SqlAnalysis.Shape.REFUSED, tables, null, null, null, null, null,
                    List.of(), null, why, dialect);
        }

        private SqlAnalysis invalid(List<String> tables, String why) {
            return new SqlAnalysis(sql, kind, SqlAnalysis.Shape.INVALID, tables, null, null, null, null, null,
                    List.of(), null, why, dialect);
        }

        private String notInMap(String table) {
            return "table " + table + " is not in the shard map and the map has no defaultShard";
        }
    }

    /** A literal or parameter usable as a shard key value; {@code null} for anything else. */
    static ValueRef value(Expression e) {
        if (e instanceof JdbcParameter p) {
            return p.getIndex() == null ? null : ValueRef.parameter(p.getIndex());
        }
        if (e instanceof LongValue l) {
            return ValueRef.literal(l.getValue());
        }
        if (e instanceof StringValue s) {
            return ValueRef.literal(s.getValue());
        }
        if (e instanceof DoubleValue d) {
            return ValueRef.literal(new java.math.BigDecimal(d.toString()));
        }
        if (e instanceof SignedExpression s && s.getSign() == '-' && s.getExpression() instanceof LongValue l) {
            return ValueRef.literal(-l.getValue());
        }
        return null;
    }

    static List<String> distinct(List<String> names) {
        return new ArrayList<>(new LinkedHashSet<>(names));
    }
}
