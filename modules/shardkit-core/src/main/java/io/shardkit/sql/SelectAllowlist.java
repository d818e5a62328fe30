package io.shardkit.sql;

import static io.shardkit.sql.Allowlist.unknown;

import io.shardkit.sql.Allowlist.Refusal;
import io.shardkit.sql.Allowlist.ShortText;
import java.util.List;
import net.sf.jsqlparser.expression.AllValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
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

/**
 * The clause half of {@link Allowlist}: a SELECT (any depth: WITH items, set operations, derived
 * tables) and the clauses statements share (FROM items, joins, select items, GROUP BY, ORDER BY,
 * LIMIT, OFFSET, FETCH). A clause is accepted when rebuilding it from the parts handled here prints
 * the same text. Its expressions go to {@link ExpressionAllowlist}, which calls back for subqueries.
 */
final class SelectAllowlist {
    /** The expressions of the statement, walked by their own allowlist (which calls back for subqueries). */
    final ExpressionAllowlist expressions = new ExpressionAllowlist(this);

    /** A SELECT of the statement (any depth) locks rows: FOR UPDATE, FOR SHARE, LOCK IN SHARE MODE. */
    boolean locking;

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

    void plainSelect(PlainSelect ps) {
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

    void distinct(Distinct d) {
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

    void selectItems(List<? extends SelectItem<?>> items) {
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

    void fromItem(FromItem item) {
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

    void table(Table t) {
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

    void joins(List<Join> joins) {
        if (joins == null) {
            return;
        }
        for (Join j : joins) {
            Join known = new Join();
            known.setFromItem(j.getFromItem());
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
            fromItem(j.getFromItem());
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

    void groupBy(GroupByElement g) {
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

    void limit(Limit l) {
        if (l == null) {
            return;
        }
        if (l.getByExpressions() != null && !l.getByExpressions().isEmpty()) {
            throw unknown("LIMIT ... BY");
        }
        if (!(l.getRowCount() instanceof AllValue)) {
            // LIMIT ALL (PostgreSQL): no limit; where the database rejects it the merge analysis refuses it
            expressions.expression(l.getRowCount());
        }
        expressions.expression(l.getOffset());
    }

    void offset(Offset o) {
        if (o != null) {
            expressions.expression(o.getOffset());
        }
    }

    void fetch(Fetch f) {
        if (f != null) {
            expressions.expression(f.getExpression());
        }
    }

    /** The first place two texts differ, shown from the original's side. */
    static String difference(String known, String original) {
        int i = 0;
        while (i < known.length() && i < original.length() && known.charAt(i) == original.charAt(i)) {
            i++;
        }
        int end = Math.min(original.length(), i + 40);
        return "near \"" + original.substring(Math.max(0, i - 10), end) + "\"";
    }
}
