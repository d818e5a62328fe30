package io.shardkit.sql;

import static io.shardkit.sql.SelectTrees.and;
import static io.shardkit.sql.SelectTrees.hasStar;
import static io.shardkit.sql.SelectTrees.nulls;
import static io.shardkit.sql.SelectTrees.parseExpression;

import io.shardkit.merge.Bound;
import io.shardkit.merge.Comparisons;
import io.shardkit.merge.Expr;
import io.shardkit.merge.SortKey;
import io.shardkit.sql.MergeAnalysis.Refusal;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The merge of a SELECT without aggregates or GROUP BY: its ORDER BY keys (hidden select items
 * when not selected), DISTINCT, the alias guards, the tiered table's row id, and the shard LIMIT.
 */
final class PlainMerge {
    private final MergeAnalysis m;

    PlainMerge(MergeAnalysis m) {
        this.m = m;
    }

    MergeSpec plainQuery(PlainSelect ps, Bound offset, Bound count) {
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
                    o.setExpression(m.names.aliasesInside(items, o.getExpression()));
                }
                int column = star ? (o.getExpression() instanceof LongValue ? starPosition() : 0) : m.names.itemIndex(items, o.getExpression());
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
        MergeCollations collations = new MergeCollations(m.dialect, ps);
        if (distinct && !star) {
            for (int i = 0; i < items.size(); i++) {
                collations.compared(i + 1, items.get(i).getExpression());
            }
        }
        for (int i = 0; i < order.size(); i++) {
            collations.compared(order.get(i).column(), orderExprs.get(i));
        }
        Expr guard = null;
        for (String[] g : m.guards.values()) {
            // no guards with SELECT *: aliases are only looked for in a select list without it
            guard = and(guard, new Expr.Guard(items.size() + hidden.size() + 1, g[1], m.sql));
            hidden.add(parseExpression(g[0]));
        }
        int sortHidden = hidden.size(); // hidden sort keys and guards; the collation companions follow them
        List<SelectItem<?>> companions = collations.companionItems();
        int nHidden = hidden.size() + companions.size() + (m.tieredTable != null ? 1 : 0);
        List<SortKey> keys = new ArrayList<>();
        for (SortKey k : order) {
            // hidden key i was numbered -(i+1); counted from the end it is -(nHidden - i)
            keys.add(k.column() < 0 ? new SortKey(-(nHidden + k.column() + 1), k.descending(), k.nullsFirst()) : k);
        }
        if (!star) {
            m.names.labels(items, List.of());
        }
        for (int i = 0; i < hidden.size(); i++) {
            ps.addSelectItem(hidden.get(i), new Alias("__sk" + i));
        }
        ps.addSelectItems(companions);
        // hidden sort key i was numbered -(i+1); companions follow the sort keys, counted from the end too
        Comparisons comparisons = collations.build(j -> -(nHidden - sortHidden - j),
                c -> c < 0 ? -(nHidden + c + 1) : c);
        String archiveSql = null;
        if (m.tieredTable != null) {
            ps.addSelectItem(new Column(qualifier(ps) + "." + m.tieredId), new Alias("__id"));
            archiveSql = m.render(ps).sql();
        }
        m.limitShards(ps, offset, count);
        ShardParameters.Rendered shard = m.render(ps);
        return new MergeSpec(null, shard.sql(), shard.parameters(), nHidden, keys, false, List.of(), false, List.of(),
                List.of(), guard, distinct, List.of(), offset, count, archiveSql, comparisons);
    }

    /** How the query names the tiered table: its alias, or its name. */
    String qualifier(PlainSelect ps) {
        List<FromItem> items = new ArrayList<>();
        items.add(ps.getFromItem());
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                items.add(j.getFromItem());
            }
        }
        for (FromItem item : items) {
            if (item instanceof Table t && Analyzer.name(t.getName()).equals(m.tieredTable)) {
                return t.getAlias() != null ? t.getAlias().getName() : t.getFullyQualifiedName();
            }
        }
        throw new Refusal("a query over " + m.tieredTable + " that does not name it in FROM");
    }

    int starPosition() {
        throw new Refusal("ORDER BY a position with SELECT * across shards (name the column)");
    }
}
