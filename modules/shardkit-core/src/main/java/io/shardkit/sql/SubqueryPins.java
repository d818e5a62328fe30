package io.shardkit.sql;

import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;

/**
 * Whether every reference to a sharded table in a SELECT with subqueries, nested ones included,
 * is pinned by a {@code key = literal/?} of its own query (directly, or through a key equality
 * with a pinned reference of the same query): then the statement runs whole on the shard those
 * values route to, provided they all route to the same one (the router checks at execution).
 *
 * <p>An allowlist like the rest of the analysis: a construct it does not follow (WITH, an outer
 * join's ON, LATERAL, a correlated reference to an enclosing query) refuses, and so does a count of
 * sharded table references different from the parser's (a subquery it did not see).
 */
final class SubqueryPins {
    private final ShardMap map;
    private final List<ValueRef> values = new ArrayList<>();
    private int shardedSeen;

    SubqueryPins(ShardMap map) {
        this.map = map;
    }

    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Why not every sharded reference is pinned, or {@code null} when each is ({@link #values()}).
     *
     * @param shardedReferences how many references to sharded tables the parser found in the statement
     */
    String of(Select select, int shardedReferences) {
        try {
            select(select, List.of());
        } catch (Refusal r) {
            return r.getMessage();
        }
        if (shardedSeen != shardedReferences) {
            return "a subquery shardkit cannot follow (it found " + shardedSeen + " of " + shardedReferences
                    + " sharded table references)";
        }
        return null;
    }

    /** Every pinning value, of every reference; they must all route to one shard. */
    List<ValueRef> values() {
        return values;
    }

    private void select(Select s, List<Set<String>> outer) {
        if (s.getWithItemsList() != null && !s.getWithItemsList().isEmpty()) {
            throw new Refusal("WITH");
        }
        if (s instanceof ParenthesedSelect p) {
            select(p.getSelect(), outer);
        } else if (s instanceof SetOperationList set) {
            for (Select branch : set.getSelects()) {
                select(branch, outer);
            }
        } else if (s instanceof PlainSelect ps) {
            plain(ps, outer);
        } else if (!(s instanceof Values)) {
            throw new Refusal("the SELECT form " + s.getClass().getSimpleName());
        }
        scan(orderBy(s.getOrderByElements()), null, outer);
    }

    private void plain(PlainSelect ps, List<Set<String>> outer) {
        Map<String, String> instances = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        List<Select> derived = new ArrayList<>();
        List<Expression> filters = new ArrayList<>();
        List<Expression> exprs = new ArrayList<>();
        boolean outerJoin = false;
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                outerJoin |= j.isLeft() || j.isRight() || j.isFull() || j.isOuter();
            }
        }
        from(ps.getFromItem(), instances, names, derived);
        if (ps.getJoins() != null) {
            for (Join j : ps.getJoins()) {
                if (j.isApply() || j.getUsingColumns() != null) {
                    throw new Refusal("the join " + j);
                }
                from(j.getFromItem(), instances, names, derived);
                for (Expression on : j.getOnExpressions()) {
                    exprs.add(on);
                    if (!outerJoin) {
                        flatten(on, filters);
                    }
                }
            }
        }
        if (ps.getWhere() != null) {
            exprs.add(ps.getWhere());
            flatten(ps.getWhere(), filters);
        }
        for (SelectItem<?> item : ps.getSelectItems()) {
            exprs.add(item.getExpression());
        }
        if (ps.getHaving() != null) {
            exprs.add(ps.getHaving());
        }
        GroupByElement g = ps.getGroupBy();
        if (g != null && g.getGroupByExpressionList() != null) {
            for (Object e : g.getGroupByExpressionList()) {
                exprs.add((Expression) e);
            }
        }
        for (Select d : derived) {
            select(d, outer); // a derived table sees only the enclosing queries, not its siblings
        }
        List<Set<String>> scope = new ArrayList<>(outer);
        scope.add(names);
        for (Expression e : exprs) {
            scan(List.of(e), names, scope);
        }
        pins(instances, filters);
    }

    private void from(FromItem item, Map<String, String> instances, Set<String> names, List<Select> derived) {
        if (item == null) {
            return;
        }
        if (item instanceof Table t) {
            String table = Analyzer.name(t.getName());
            String instance = t.getAlias() != null ? Analyzer.name(t.getAlias().getName()) : table;
            instances.put(instance, table);
            names.add(instance); // an aliased table is named by its alias only
            TableRule rule = map.tables().get(table);
            if (rule != null && rule.isSharded()) {
                shardedSeen++;
            }
        } else if (item instanceof ParenthesedSelect p) {
            if (p.getAlias() != null) {
                names.add(Analyzer.name(p.getAlias().getName()));
            }
            derived.add(p);
        } else if (item instanceof ParenthesedFromItem p && p.getJoins() == null) {
            from(p.getFromItem(), instances, names, derived);
        } else {
            throw new Refusal("the FROM item " + item);
        }
    }

    /**
     * Walks expressions of one query: its subqueries are queries of their own (seeing {@code scope});
     * a qualified column naming none of the query's own tables refers to an enclosing query, which
     * refuses (a correlated subquery). {@code own} is {@code null} for the statement's own query.
     */
    private void scan(List<Expression> exprs, Set<String> own, List<Set<String>> scope) {
        List<Select> subs = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        ExpressionVisitorAdapter<Void> visitor = new ExpressionVisitorAdapter<>() {
            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                subs.add(s);
                return null;
            }

            @Override
            public <S> Void visit(Select s, S context) {
                subs.add(s);
                return null;
            }

            @Override
            public <S> Void visit(AnyComparisonExpression a, S context) {
                subs.add(a.getSelect());
                return null;
            }

            @Override
            public <S> Void visit(Column c, S context) {
                columns.add(c);
                return null;
            }
        };
        for (Expression e : exprs) {
            if (e != null) {
                e.accept(visitor, null);
            }
        }
        if (own != null && scope.size() > 1) {
            for (Column c : columns) {
                Table q = c.getTable();
                if (q != null && q.getName() != null && !own.contains(Analyzer.name(q.getName()))) {
                    throw new Refusal("a correlated subquery (" + c + " names a table of an enclosing query)");
                }
            }
        }
        for (Select sub : subs) {
            select(sub, scope);
        }
    }

    private static List<Expression> orderBy(List<OrderByElement> order) {
        List<Expression> out = new ArrayList<>();
        if (order != null) {
            for (OrderByElement o : order) {
                out.add(o.getExpression());
            }
        }
        return out;
    }

    /** Each sharded reference of one query must be pinned: directly by a value, or by key equality with a pinned one. */
    private void pins(Map<String, String> instances, List<Expression> filters) {
        Map<String, String> parent = new HashMap<>();
        Set<String> pinned = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : instances.entrySet()) {
            TableRule rule = map.tables().get(e.getValue());
            if (rule != null && rule.isSharded()) {
                parent.put(e.getKey(), e.getKey());
            }
        }
        for (Expression f : filters) {
            if (!(f instanceof EqualsTo eq)) {
                continue;
            }
            List<String> left = keyRefs(eq.getLeftExpression(), instances, parent);
            List<String> right = keyRefs(eq.getRightExpression(), instances, parent);
            ValueRef lv = Analyzer.value(eq.getLeftExpression());
            ValueRef rv = Analyzer.value(eq.getRightExpression());
            if (!left.isEmpty() && rv != null) {
                pinned.addAll(left);
                values.add(rv);
            } else if (!right.isEmpty() && lv != null) {
                pinned.addAll(right);
                values.add(lv);
            } else {
                for (String a : left) {
                    for (String b : right) {
                        parent.put(find(parent, a), find(parent, b));
                    }
                }
            }
        }
        Set<String> pinnedRoots = new LinkedHashSet<>();
        for (String p : pinned) {
            pinnedRoots.add(find(parent, p));
        }
        for (String r : parent.keySet()) {
            if (!pinnedRoots.contains(find(parent, r))) {
                throw new Refusal("the reference " + r + " to sharded table " + instances.get(r)
                        + " is not pinned by " + map.tables().get(instances.get(r)).keyColumn() + " = <value>");
            }
        }
    }

    /** The sharded references whose key column {@code e} is: its qualifier's, or every one with that key when unqualified. */
    private List<String> keyRefs(Expression e, Map<String, String> instances, Map<String, String> sharded) {
        List<String> out = new ArrayList<>();
        if (!(e instanceof Column c)) {
            return out;
        }
        String column = Analyzer.name(c.getColumnName());
        Table q = c.getTable();
        for (String r : sharded.keySet()) {
            boolean named = q == null || q.getName() == null || Analyzer.name(q.getName()).equals(r);
            if (named && map.tables().get(instances.get(r)).keyColumn().equals(column)) {
                out.add(r);
            }
        }
        return out;
    }

    private static String find(Map<String, String> parent, String t) {
        String p = parent.get(t);
        return p.equals(t) ? t : find(parent, p);
    }

    private static void flatten(Expression e, List<Expression> out) {
        if (e instanceof AndExpression and) {
            flatten(and.getLeftExpression(), out);
            flatten(and.getRightExpression(), out);
        } else if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
            flatten(p.get(0), out);
        } else {
            out.add(e);
        }
    }
}
