package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;
import static io.shardkit.sql.Analyzer.value;

import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.ArrayConstructor;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;

/**
 * The shard key predicates of one statement's FROM and WHERE: the key values its conjuncts pin
 * ({@code key = v}, {@code key IN (...)}, {@code key = ANY(...)}), and whether key equalities join
 * every reference to a sharded table (a self-join's two aliases apart).
 */
final class ShardKeyPredicates {
    private final FromClause from;

    ShardKeyPredicates(FromClause from) {
        this.from = from;
    }

    /** The references by table name, or for a self-join (a table named twice) as "table alias". */
    static String describe(Map<String, String> refs) {
        boolean selfJoin = new LinkedHashSet<>(refs.values()).size() < refs.size();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : refs.entrySet()) {
            parts.add(!selfJoin ? e.getValue() : e.getValue() + " " + e.getKey());
        }
        return String.join(", ", parts);
    }

    String keyEquality(Map<String, String> refs, Map<String, TableRule> sharded) {
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
    boolean joinedOnKeys(Map<String, String> refs, Map<String, TableRule> sharded) {
        Map<String, String> parent = new HashMap<>();
        for (String r : refs.keySet()) {
            parent.put(r, r);
        }
        List<Expression> all = new ArrayList<>(from.conjuncts);
        all.addAll(from.edgeOnly);
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
        for (String[] using : from.usingJoins) {
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
    List<String> keyRefs(Column c, Map<String, String> refs, Map<String, TableRule> sharded) {
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

    void union(Map<String, String> parent, String a, String b) {
        if (parent.containsKey(a) && parent.containsKey(b)) {
            parent.put(find(parent, a), find(parent, b));
        }
    }

    String find(Map<String, String> parent, String t) {
        String p = parent.get(t);
        return p.equals(t) ? t : find(parent, p);
    }

    /** The sharded tables whose shard key {@code c} names. */
    List<String> keyTables(Column c, Map<String, TableRule> sharded) {
        return keyTables(c, sharded, false);
    }

    /** The sharded tables whose shard key ({@code byId}: whose {@code idOf} column) {@code c} names. */
    List<String> keyTables(Column c, Map<String, TableRule> sharded, boolean byId) {
        String column = name(c.getColumnName());
        List<String> out = new ArrayList<>();
        for (String t : from.resolveColumn(c, new ArrayList<>(sharded.keySet()))) {
            TableRule rule = sharded.get(t);
            if (rule != null && (byId ? rule.idOf() != null && rule.idOf().column().equals(column)
                    : rule.keyColumn().equals(column))) {
                out.add(t);
            }
        }
        return out;
    }

    List<ValueRef> keyValues(Map<String, TableRule> sharded) {
        return values(sharded, false);
    }

    /**
     * The values a conjunct pins an {@code idOf} column to ({@code id = v}, {@code id IN (...)},
     * {@code id = ANY(...)}), found like the key's; {@code null} when none.
     */
    List<ValueRef> idValues(Map<String, TableRule> sharded) {
        return values(sharded, true);
    }

    private List<ValueRef> values(Map<String, TableRule> sharded, boolean byId) {
        for (Expression e : from.conjuncts) {
            if (e instanceof EqualsTo eq && ExpressionAllowlist.isAnyArray(eq.getRightExpression())) {
                List<ValueRef> v = anyKeyValues(eq, sharded, byId);
                if (v != null) {
                    return v;
                }
            } else if (e instanceof EqualsTo eq) {
                List<ValueRef> v = keyValue(eq.getLeftExpression(), eq.getRightExpression(), sharded, byId);
                if (v == null) {
                    v = keyValue(eq.getRightExpression(), eq.getLeftExpression(), sharded, byId);
                }
                if (v != null) {
                    return v;
                }
            } else if (e instanceof InExpression in && !in.isNot() && in.getLeftExpression() instanceof Column c
                    && !keyTables(c, sharded, byId).isEmpty() && in.getRightExpression() instanceof ExpressionList<?> list
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
    List<ValueRef> anyKeyValues(EqualsTo eq, Map<String, TableRule> sharded, boolean byId) {
        if (!(eq.getLeftExpression() instanceof Column c) || keyTables(c, sharded, byId).isEmpty()) {
            return null;
        }
        Expression arg = ((Function) eq.getRightExpression()).getParameters().get(0);
        if (arg instanceof JdbcParameter p) {
            return p.getIndex() == null ? null : List.of(ValueRef.arrayParameter(p.getIndex()));
        }
        List<ValueRef> values = new ArrayList<>();
        var items = ((ArrayConstructor) arg).getExpressions();
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

    List<ValueRef> keyValue(Expression side, Expression other, Map<String, TableRule> sharded, boolean byId) {
        if (side instanceof Column c && !keyTables(c, sharded, byId).isEmpty()) {
            ValueRef v = value(other);
            return v == null ? null : List.of(v);
        }
        return null;
    }
}
