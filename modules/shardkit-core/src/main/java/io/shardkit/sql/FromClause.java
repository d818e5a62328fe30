package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;

/**
 * The FROM, JOIN and WHERE of one statement (not its subqueries): each table reference with its
 * alias, the WHERE and inner-join ON conjuncts that may carry the shard key predicate, and the
 * ON/USING clauses that only link tables. Filled once per SQL text by {@link StatementAnalysis}.
 */
final class FromClause {
    private final ShardMap map;
    /** The statement's merge constructs, to which an outer join keeping every shard's rows is added. */
    private final List<String> merge;
    final Map<String, String> aliases = new HashMap<>();
    final List<Expression> conjuncts = new ArrayList<>();
    final List<String[]> usingJoins = new ArrayList<>();
    /** Each table reference of the statement's own FROM (not subqueries): alias, or name when unaliased. */
    final Map<String, String> instances = new LinkedHashMap<>();
    final List<Expression> edgeOnly = new ArrayList<>();

    FromClause(ShardMap map, List<String> merge) {
        this.map = map;
        this.merge = merge;
    }

    /** The table a write's target names: the table itself, or the one its alias stands for. */
    String aliasTable(Table t) {
        String n = name(t.getName());
        String table = aliases.get(n);
        return table == null ? n : table;
    }

    /**
     * An outer join that keeps the unmatched rows of a table every shard holds (broadcast, or
     * no sharded table on that side) against a sharded table: each shard would return those
     * rows, so a concatenation repeats them. Recorded as an unmergeable construct, refused only
     * when the statement runs on several shards.
     */
    void outerJoinsKeepingRowsOfEveryShard(FromItem from, List<Join> joins) {
        if (from instanceof ParenthesedFromItem p) {
            outerJoinsKeepingRowsOfEveryShard(p.getFromItem(), p.getJoins());
        }
        if (joins == null) {
            return;
        }
        for (Join j : joins) {
            if (j.getFromItem() instanceof ParenthesedFromItem p) {
                outerJoinsKeepingRowsOfEveryShard(p.getFromItem(), p.getJoins());
            }
        }
        String leftSharded = shardedTable(from);
        String leftName = from instanceof Table t ? name(t.getName()) : String.valueOf(from);
        for (Join j : joins) {
            String rightSharded = shardedTable(j.getFromItem());
            String rightName = j.getFromItem() instanceof Table t ? name(t.getName()) : String.valueOf(j.getFromItem());
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
    String shardedTable(FromItem item) {
        if (item instanceof ParenthesedFromItem p) {
            String found = shardedTable(p.getFromItem());
            if (p.getJoins() != null) {
                for (Join j : p.getJoins()) {
                    found = found != null ? found : shardedTable(j.getFromItem());
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
    void addFrom(FromItem item) {
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
    void joins(List<Join> joins, boolean linksOnly) {
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
            addFrom(j.getFromItem());
            boolean outer = j.isLeft() || j.isRight() || j.isFull() || j.isOuter();
            for (Expression on : j.getOnExpressions()) {
                if (outer || linksOnly || i < lastRightOrFull) {
                    joinEdgesOnly(on);
                } else {
                    conjuncts(on);
                }
            }
            if (j.getUsingColumns() != null && j.getFromItem() instanceof Table right) {
                String instance = right.getAlias() != null ? name(right.getAlias().getName()) : name(right.getName());
                for (Column c : j.getUsingColumns()) {
                    usingJoins.add(new String[] {instance, name(c.getColumnName())});
                }
            }
        }
    }

    /** An outer join's ON clause links tables but does not filter the outer side. */
    void joinEdgesOnly(Expression on) {
        List<Expression> parts = new ArrayList<>();
        flatten(on, parts);
        edgeOnly.addAll(parts);
    }

    void conjuncts(Expression where) {
        if (where != null) {
            flatten(where, conjuncts);
        }
    }

    void flatten(Expression e, List<Expression> out) {
        if (e instanceof AndExpression and) {
            flatten(and.getLeftExpression(), out);
            flatten(and.getRightExpression(), out);
        } else if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
            flatten(p.get(0), out);
        } else {
            out.add(e);
        }
    }

    boolean isColumn(Expression e, String table, String column) {
        return e instanceof Column c && name(c.getColumnName()).equals(column)
                && resolveColumn(c, List.of(table)).contains(table);
    }

    /** The tables a column may belong to: its qualifier's table, or every candidate when unqualified. */
    List<String> resolveColumn(Column c, Collection<String> candidates) {
        Table q = c.getTable();
        if (q != null && q.getName() != null) {
            String t = aliases.get(name(q.getName()));
            return t == null ? List.of(name(q.getName())) : List.of(t);
        }
        return new ArrayList<>(candidates);
    }
}
