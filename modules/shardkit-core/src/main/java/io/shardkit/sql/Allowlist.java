package io.shardkit.sql;

import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Commit;
import net.sf.jsqlparser.statement.ReturningClause;
import net.sf.jsqlparser.statement.RollbackStatement;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.drop.Drop;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.Distinct;
import net.sf.jsqlparser.statement.select.Fetch;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.Offset;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.truncate.Truncate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.upsert.UpsertType;

/**
 * Walks every node of a parsed statement and accepts it only when every node is one shardkit
 * positively understands; the first node it does not know refuses the statement, naming it. A
 * construct JSqlParser adds in a new version, or one forgotten here, is therefore refused, never
 * routed by guesswork (Vitess's planbuilder works the same way: unknown AST = unsupported).
 *
 * <p>Expressions are walked by {@link ExpressionAllowlist}, which calls back here for subqueries.
 *
 * <p>Structural nodes with many optional parts (a SELECT's clauses, a join, a table reference, a
 * function call) are checked by rebuilding them from the parts this class handles and comparing
 * the SQL text: a part it does not handle prints in the original only, so the texts differ.
 *
 * <p>Runs once per SQL text (the analysis is cached). What it accepts still goes through the
 * routing and merge analyses, which refuse what they cannot answer exactly across shards.
 */
final class Allowlist {
    /** Refuses the statement being walked; carries the reason. */
    static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /** The expressions of the statement, walked by their own allowlist (which calls back for subqueries). */
    private final ExpressionAllowlist expressions = new ExpressionAllowlist(this);

    private Allowlist() {
    }

    /** The outcome: {@code refusal} is {@code null} when every node is known. */
    record Verdict(String refusal, String volatileCall, String connectionStateCall, boolean locking,
            String anyArrayCall) {
    }

    /** A SELECT of the statement (any depth) locks rows: FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE. */
    private boolean locking;

    static Verdict check(Statement st) {
        Allowlist walk = new Allowlist();
        try {
            walk.statement(st);
            return new Verdict(null, walk.expressions.volatileCall(), walk.expressions.connectionStateCall(), walk.locking,
                    walk.expressions.anyArrayCall());
        } catch (Refusal r) {
            return new Verdict(r.getMessage(), walk.expressions.volatileCall(), walk.expressions.connectionStateCall(),
                    walk.locking, walk.expressions.anyArrayCall());
        }
    }

    static Refusal unknown(String what) {
        return new Refusal(what + " is not something shardkit knows how to route; run it on a connection pinned to"
                + " one shard (ShardedDataSource.connectionTo)");
    }

    // ---------------------------------------------------------------- statements

    private void statement(Statement st) {
        if (st instanceof Select s) {
            select(s);
        } else if (st.getClass() == Insert.class) {
            insert((Insert) st);
        } else if (st.getClass() == Upsert.class) {
            upsert((Upsert) st);
        } else if (st.getClass() == Update.class) {
            update((Update) st);
        } else if (st.getClass() == Delete.class) {
            delete((Delete) st);
        } else if (st.getClass() == Merge.class) {
            return; // routed only between broadcast and pinned tables; the analyzer refuses the rest
        } else if (st.getClass() == CreateTable.class) {
            CreateTable c = (CreateTable) st;
            if (c.getSelect() != null) {
                throw new Refusal("CREATE TABLE ... AS SELECT through shardkit (each shard would fill the table from its"
                        + " own rows); create the table, then insert the rows");
            }
            table(c.getTable());
        } else if (st.getClass() == CreateIndex.class || st.getClass() == Drop.class || st.getClass() == Alter.class
                || st.getClass() == Truncate.class || st.getClass() == Commit.class) {
            return; // schema changes and COMMIT: routed by the table they name
        } else if (st.getClass() == RollbackStatement.class) {
            if (((RollbackStatement) st).getSavepointName() != null) {
                throw new Refusal("ROLLBACK TO SAVEPOINT as SQL text through shardkit; use Connection.rollback(Savepoint)");
            }
        } else if (st.getClass().getSimpleName().equals("SavepointStatement")) {
            throw new Refusal("SAVEPOINT as SQL text through shardkit; use Connection.setSavepoint()");
        } else {
            String kind = st.getClass().getSimpleName().replace("Statement", "");
            throw new Refusal("the statement " + kind + " (" + ShortText.of(st) + ") through shardkit: it may change"
                    + " the session or the transaction of a pooled connection, or act on another shard's data; use the"
                    + " JDBC API (setAutoCommit, setTransactionIsolation, setReadOnly, ...) or a connection pinned to"
                    + " one shard (ShardedDataSource.connectionTo)");
        }
    }

    private void insert(Insert insert) {
        if (insert.getOutputClause() != null || insert.getOracleHint() != null || insert.getPartitions() != null
                && !insert.getPartitions().isEmpty() || insert.isUseSet() || insert.isOverwrite()
                || insert.isOverriding() || insert.isOracleMultiInsert() || insert.getRowAlias() != null
                || insert.getWithItemsList() != null && !insert.getWithItemsList().isEmpty()) {
            throw unknown("this form of INSERT (" + ShortText.of(insert) + ")");
        }
        table(insert.getTable());
        if (insert.getSelect() != null) {
            select(insert.getSelect());
        }
        if (insert.getConflictAction() != null) {
            var action = insert.getConflictAction();
            updateSets(action.getUpdateSets());
            expressions.expression(action.getWhereExpression());
        }
        if (insert.getConflictTarget() != null) {
            expressions.expression(insert.getConflictTarget().getWhereExpression());
        }
        updateSets(insert.getDuplicateUpdateSets());
        returning(insert.getReturningClause());
    }

    private void upsert(Upsert upsert) {
        UpsertType type = upsert.getUpsertType();
        if (type != UpsertType.REPLACE && type != UpsertType.INSERT_OR_REPLACE && type != UpsertType.INSERT_OR_IGNORE
                && type != UpsertType.INSERT_OR_ABORT && type != UpsertType.INSERT_OR_FAIL) {
            throw unknown("this form of upsert (" + ShortText.of(upsert) + ")");
        }
        if (upsert.getUpdateSets() != null && !upsert.getUpdateSets().isEmpty()
                || upsert.getDuplicateUpdateSets() != null && !upsert.getDuplicateUpdateSets().isEmpty()) {
            throw unknown("this form of upsert (" + ShortText.of(upsert) + ")");
        }
        table(upsert.getTable());
        if (upsert.getSelect() != null) {
            select(upsert.getSelect());
        }
    }

    private void update(Update update) {
        if (update.getOutputClause() != null || update.getOracleHint() != null || update.getForPortionClause() != null
                || update.getPreferringClause() != null || update.getOption() != null
                || update.getWithItemsList() != null && !update.getWithItemsList().isEmpty()) {
            throw unknown("this form of UPDATE (" + ShortText.of(update) + ")");
        }
        table(update.getTable());
        updateSets(update.getUpdateSets());
        if (update.getFromItem() != null) {
            fromItem(update.getFromItem());
        }
        joins(update.getStartJoins());
        joins(update.getJoins());
        expressions.expression(update.getWhere());
        orderBy(update.getOrderByElements());
        limit(update.getLimit());
        returning(update.getReturningClause());
    }

    private void delete(Delete delete) {
        if (delete.getOutputClause() != null || delete.getOracleHint() != null || delete.getForPortionClause() != null
                || delete.getPreferringClause() != null || delete.getOption() != null
                || delete.getWithItemsList() != null && !delete.getWithItemsList().isEmpty()) {
            throw unknown("this form of DELETE (" + ShortText.of(delete) + ")");
        }
        table(delete.getTable());
        if (delete.getTables() != null) {
            for (Table t : delete.getTables()) {
                table(t);
            }
        }
        if (delete.getUsingFromItemList() != null) {
            for (FromItem f : delete.getUsingFromItemList()) {
                fromItem(f);
            }
        }
        joins(delete.getJoins());
        expressions.expression(delete.getWhere());
        orderBy(delete.getOrderByElements());
        limit(delete.getLimit());
        returning(delete.getReturningClause());
    }

    private void updateSets(List<UpdateSet> sets) {
        if (sets == null) {
            return;
        }
        for (UpdateSet set : sets) {
            for (Column c : set.getColumns()) {
                expressions.column(c);
            }
            for (Expression e : set.getValues()) {
                expressions.expression(e);
            }
        }
    }

    private void returning(ReturningClause r) {
        if (r == null) {
            return;
        }
        if (r.getDataItems() != null && !r.getDataItems().isEmpty()) {
            throw unknown("RETURNING ... INTO");
        }
        selectItems(r);
    }

    // ---------------------------------------------------------------- SELECT

    void select(Select select) {
        if (select.getWithItemsList() != null) {
            for (WithItem<?> w : select.getWithItemsList()) {
                // a data-modifying WITH (INSERT/UPDATE/DELETE in a CTE) is not a read
                if (!(w.getParenthesedStatement() instanceof ParenthesedSelect) || w.getSearchClause() != null
                        || w.getCycleClause() != null || w.getWithFunctionDeclaration() != null) {
                    throw unknown("the WITH item " + ShortText.of(w));
                }
                select(w.getSelect());
            }
        }
        if (select instanceof PlainSelect ps && select.getClass() == PlainSelect.class) {
            plainSelect(ps);
        } else if (select instanceof ParenthesedSelect p && select.getClass() == ParenthesedSelect.class) {
            if (p.getPivot() != null || p.getUnPivot() != null || p.getSampleClause() != null) {
                throw unknown("PIVOT, UNPIVOT or a sample clause");
            }
            select(p.getSelect());
        } else if (select instanceof SetOperationList set && select.getClass() == SetOperationList.class) {
            for (Select s : set.getSelects()) {
                select(s);
            }
        } else if (select.getClass() == Values.class) {
            for (Expression e : ((Values) select).getExpressions()) {
                expressions.expression(e);
            }
        } else {
            throw unknown("the SELECT form " + select.getClass().getSimpleName());
        }
        orderBy(select.getOrderByElements());
        limit(select.getLimit());
        offset(select.getOffset());
        fetch(select.getFetch());
        if (!(select instanceof PlainSelect) && (select.getForMode() != null || select.getLimitBy() != null)) {
            throw unknown("FOR UPDATE or LIMIT BY on a compound SELECT");
        }
    }

    private void plainSelect(PlainSelect ps) {
        PlainSelect known = new PlainSelect();
        known.setDistinct(ps.getDistinct());
        known.setSelectItems(ps.getSelectItems());
        known.setFromItem(ps.getFromItem());
        known.setJoins(ps.getJoins());
        known.setWhere(ps.getWhere());
        known.setGroupByElement(ps.getGroupBy());
        known.setHaving(ps.getHaving());
        known.setWindowDefinitions(ps.getWindowDefinitions());
        known.setOrderByElements(ps.getOrderByElements());
        known.setLimit(ps.getLimit());
        known.setOffset(ps.getOffset());
        known.setFetch(ps.getFetch());
        known.setWithItemsList(ps.getWithItemsList());
        known.setForMode(ps.getForMode());
        known.setForUpdateTable(ps.getForUpdateTable());
        known.setNoWait(ps.isNoWait());
        known.setSkipLocked(ps.isSkipLocked());
        known.setWait(ps.getWait());
        if (!known.toString().equals(ps.toString())) {
            throw unknown("a clause of this SELECT (" + difference(known.toString(), ps.toString()) + ")");
        }
        locking |= ps.getForMode() != null || ps.getForUpdateTable() != null;
        distinct(ps.getDistinct());
        selectItems(ps.getSelectItems());
        if (ps.getFromItem() != null) {
            fromItem(ps.getFromItem());
        }
        joins(ps.getJoins());
        expressions.expression(ps.getWhere());
        groupBy(ps.getGroupBy());
        expressions.expression(ps.getHaving());
        if (ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty()) {
            for (var w : ps.getWindowDefinitions()) {
                expressions.window(w, w.toString());
            }
        }
        if (ps.getForUpdateTable() != null) {
            table(ps.getForUpdateTable());
        }
    }

    private void distinct(Distinct d) {
        if (d == null) {
            return;
        }
        if (d.getClass() != Distinct.class || d.isUseUnique() || d.isUseDistinctRow()) {
            throw unknown("SELECT " + d);
        }
        if (d.getOnSelectItems() != null) {
            selectItems(d.getOnSelectItems());
        }
    }

    private void selectItems(List<? extends SelectItem<?>> items) {
        if (items == null) {
            return;
        }
        for (SelectItem<?> item : items) {
            if (item.getClass() != SelectItem.class || item.getAlias() != null && item.getAlias().getAliasColumns() != null) {
                throw unknown("the select item " + item);
            }
            Expression e = item.getExpression();
            if (e.getClass() == AllColumns.class) {
                AllColumns all = (AllColumns) e;
                if (!all.toString().equals("*")) {
                    throw unknown("the select item " + item);
                }
            } else if (e.getClass() == AllTableColumns.class) {
                AllTableColumns all = (AllTableColumns) e;
                if (!all.toString().equals(all.getTable().toString() + ".*")) {
                    throw unknown("the select item " + item);
                }
            } else {
                expressions.expression(e);
            }
        }
    }

    private void fromItem(FromItem item) {
        if (item.getClass() == Table.class) {
            table((Table) item);
        } else if (item.getClass() == ParenthesedSelect.class) {
            select((Select) item);
        } else if (item.getClass() == ParenthesedFromItem.class) {
            ParenthesedFromItem p = (ParenthesedFromItem) item;
            if (p.getAlias() != null || p.getPivot() != null || p.getUnPivot() != null || p.getSampleClause() != null) {
                throw unknown("the FROM item " + item);
            }
            fromItem(p.getFromItem());
            joins(p.getJoins());
        } else if (item.getClass() == TableFunction.class) {
            TableFunction f = (TableFunction) item;
            if (f.getFunction() == null || !Functions.isTableFunction(f.getFunction().getName())
                    || f.getPrefix() != null && !f.getPrefix().isEmpty()) {
                throw unknown("the table function " + item);
            }
            expressions.expressions(f.getFunction().getParameters());
        } else {
            throw unknown("the FROM item " + item + " (" + item.getClass().getSimpleName() + ")");
        }
    }

    private void table(Table t) {
        if (t == null) {
            return;
        }
        if (t.getDatabaseName() != null || t.getNameParts() != null && t.getNameParts().size() > 2) {
            // database.schema.table: routing and tenancy read the last two parts only
            throw new Refusal("the three-part table name " + t.getFullyQualifiedName() + " through shardkit (name the"
                    + " table as schema.table, or use a connection pinned to one shard)");
        }
        Table known = new Table(t.getSchemaName(), t.getName());
        if (t.getAlias() != null) {
            if (t.getAlias().getAliasColumns() != null) {
                throw unknown("a table alias with column names (" + t + ")");
            }
            known.setAlias(t.getAlias());
        }
        if (!known.toString().equals(t.toString())) {
            throw unknown("the table reference " + t);
        }
    }

    private void joins(List<Join> joins) {
        if (joins == null) {
            return;
        }
        for (Join j : joins) {
            Join known = new Join();
            known.setRightItem(j.getRightItem());
            known.setLeft(j.isLeft());
            known.setRight(j.isRight());
            known.setFull(j.isFull());
            known.setOuter(j.isOuter());
            known.setInner(j.isInner());
            known.setCross(j.isCross());
            known.setSimple(j.isSimple());
            known.setOnExpressions(j.getOnExpressions());
            known.setUsingColumns(j.getUsingColumns());
            if (!known.toString().equals(j.toString())) {
                throw unknown("the join " + j);
            }
            if (j.getOnExpressions() != null && j.getOnExpressions().size() > 1) {
                throw unknown("a join with several ON clauses (" + j + ")");
            }
            fromItem(j.getRightItem());
            for (Expression on : j.getOnExpressions()) {
                expressions.expression(on);
            }
            if (j.getUsingColumns() != null) {
                for (Column c : j.getUsingColumns()) {
                    expressions.column(c);
                }
            }
        }
    }

    private void groupBy(GroupByElement g) {
        if (g == null) {
            return;
        }
        if (g.getGroupingSets() != null && !g.getGroupingSets().isEmpty() || g.isMysqlWithRollup()) {
            expressions.expressions(g.getGroupByExpressionList());
            return; // GROUPING SETS / ROLLUP: exact on one shard; the merge refuses them across shards
        }
        expressions.expressions(g.getGroupByExpressionList());
    }

    void orderBy(List<OrderByElement> order) {
        if (order == null) {
            return;
        }
        for (OrderByElement o : order) {
            if (o.getWithFill() != null || o.isMysqlWithRollup()) {
                throw unknown("ORDER BY " + o);
            }
            expressions.expression(o.getExpression());
        }
    }

    private void limit(Limit l) {
        if (l == null) {
            return;
        }
        if (l.getByExpressions() != null && !l.getByExpressions().isEmpty()) {
            throw unknown("LIMIT ... BY");
        }
        if (!l.isLimitAll()) {
            // LIMIT ALL (PostgreSQL): no limit; where the database rejects it the merge analysis refuses it
            expressions.expression(l.getRowCount());
        }
        expressions.expression(l.getOffset());
    }

    private void offset(Offset o) {
        if (o != null) {
            expressions.expression(o.getOffset());
        }
    }

    private void fetch(Fetch f) {
        if (f != null) {
            expressions.expression(f.getExpression());
        }
    }

    /** The first place two texts differ, shown from the original's side. */
    private static String difference(String known, String original) {
        int i = 0;
        while (i < known.length() && i < original.length() && known.charAt(i) == original.charAt(i)) {
            i++;
        }
        int end = Math.min(original.length(), i + 40);
        return "near \"" + original.substring(Math.max(0, i - 10), end) + "\"";
    }

    /** A statement's text, cut short for a message. */
    static final class ShortText {
        private ShortText() {
        }

        static String of(Object node) {
            String s = String.valueOf(node).replaceAll("\\s+", " ").strip();
            return s.length() <= 60 ? s : s.substring(0, 57) + "...";
        }
    }
}
