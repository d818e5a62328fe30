package io.shardkit.sql;

import static io.shardkit.sql.SplitReferences.unquote;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.update.Update;

/**
 * The ownership predicate of a shard that still holds rows of buckets it no longer owns (a move's
 * source between the switch and the end of its cleanup): each reference to a bucket table of the
 * group gets a predicate that leaves out the rows of those buckets, so a scatter counts each row
 * once. Only {@code bucketOf: mod} with integer keys: the bucket is {@code floorMod(key, B)}
 * computed in SQL ({@code ((k % B) + B) % B} on SQLite and PostgreSQL, {@code MOD(MOD(k, B) + B, B)}
 * elsewhere); a row whose key is NULL belongs to no bucket and is left out too.
 *
 * <p>An allowlist: one SELECT (no WITH, no set operation) whose FROM and joins are plain tables
 * (inner, cross or LEFT joins; a LEFT-joined bucket table takes the predicate in its ON), or an
 * UPDATE / DELETE of one table without FROM, USING or joins. A bucket table named anywhere else
 * (a subquery, a derived table, a parenthesised join) is {@link Unsupported}. Cost: one parse and print per text and
 * retained set; the caller caches.
 */
public final class OwnershipFilter {
    /** What the statement has that the predicate cannot be added to, as a phrase ("a CTE"). */
    public static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String construct) {
            super(construct, null, false, false);
        }
    }

    private OwnershipFilter() {
    }

    /**
     * {@code sql} with the predicate on every reference to a table of {@code keyColumns} (table as
     * the map names it → its key column).
     *
     * @throws Unsupported naming the construct when the statement is not of a shape this class handles
     */
    public static String rewrite(String sql, Dialect dialect, Map<String, String> keyColumns, int buckets,
            BitSet retained) throws Unsupported {
        Statement st;
        try {
            st = SqlParse.statement(sql);
        } catch (Exception | Error e) {
            throw new Unsupported("a statement shardkit cannot parse");
        }
        IdentityHashMap<Table, Boolean> handled = new IdentityHashMap<>();
        try {
            if (st instanceof PlainSelect s) {
                select(s, dialect, keyColumns, buckets, retained, handled);
            } else if (st instanceof Update u) {
                update(u, dialect, keyColumns, buckets, retained, handled);
            } else if (st instanceof Delete d) {
                delete(d, dialect, keyColumns, buckets, retained, handled);
            } else if (st instanceof net.sf.jsqlparser.statement.select.Select) {
                throw new Unsupported("a set operation (UNION, INTERSECT, EXCEPT) or parenthesised query over"
                        + " bucket tables");
            } else {
                throw new Unsupported("a statement of kind " + st.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT)
                        + " over bucket tables");
            }
        } catch (Unsupported e) {
            throw e;
        } catch (Exception e) {
            throw new Unsupported("a statement shardkit cannot rewrite (" + e.getClass().getSimpleName() + ")");
        }
        return st.toString();
    }

    private static void select(PlainSelect s, Dialect dialect, Map<String, String> keys, int buckets, BitSet retained,
            IdentityHashMap<Table, Boolean> handled) throws Exception {
        noWith(s.getWithItemsList());
        if (s.getIntoTables() != null && !s.getIntoTables().isEmpty()) {
            throw new Unsupported("SELECT ... INTO");
        }
        List<Expression> where = new ArrayList<>();
        FromItem from = s.getFromItem();
        if (from != null) {
            Table t = plainTable(from);
            String column = keyColumn(t, keys);
            if (column != null) {
                where.add(predicateOf(t, column, buckets, retained, dialect));
                handled.put(t, Boolean.TRUE);
            }
        }
        if (s.getJoins() != null) {
            for (Join j : s.getJoins()) {
                Table t = plainTable(j.getRightItem());
                String column = keyColumn(t, keys);
                if (column == null) {
                    continue;
                }
                if (j.isRight() || j.isFull() || j.isNatural() || j.isApply() || j.isSemi()) {
                    throw new Unsupported("a RIGHT, FULL, NATURAL, APPLY or SEMI join of bucket table " + name(t));
                }
                Expression p = predicateOf(t, column, buckets, retained, dialect);
                if (j.isLeft() || j.isOuter()) {
                    if (j.getOnExpressions() == null || j.getOnExpressions().size() != 1) {
                        throw new Unsupported("a LEFT JOIN of bucket table " + name(t) + " without one ON condition");
                    }
                    Expression on = j.getOnExpressions().iterator().next();
                    j.setOnExpressions(List.of(and(List.of(on, p))));
                } else {
                    where.add(p);
                }
                handled.put(t, Boolean.TRUE);
            }
        }
        checkAllHandled(s, keys, handled);
        if (!where.isEmpty()) {
            if (s.getWhere() != null) {
                where.add(0, s.getWhere());
            }
            s.setWhere(and(where));
        }
    }

    private static void update(Update u, Dialect dialect, Map<String, String> keys, int buckets, BitSet retained,
            IdentityHashMap<Table, Boolean> handled) throws Exception {
        noWith(u.getWithItemsList());
        if (u.getFromItem() != null || nonEmpty(u.getJoins()) || nonEmpty(u.getStartJoins())) {
            throw new Unsupported("an UPDATE with FROM or joins");
        }
        Table t = u.getTable();
        String column = keyColumn(t, keys);
        if (column != null) {
            handled.put(t, Boolean.TRUE);
        }
        checkAllHandled(u, keys, handled);
        if (column != null) {
            Expression p = predicateOf(t, column, buckets, retained, dialect);
            u.setWhere(u.getWhere() == null ? p : and(List.of(u.getWhere(), p)));
        }
    }

    private static void delete(Delete d, Dialect dialect, Map<String, String> keys, int buckets, BitSet retained,
            IdentityHashMap<Table, Boolean> handled) throws Exception {
        noWith(d.getWithItemsList());
        if (nonEmpty(d.getTables()) || nonEmpty(d.getUsingList()) || nonEmpty(d.getJoins())
                || nonEmpty(d.getUsingFromItemList())) {
            throw new Unsupported("a DELETE of several tables, or with USING or joins");
        }
        Table t = d.getTable();
        String column = keyColumn(t, keys);
        if (column != null) {
            handled.put(t, Boolean.TRUE);
        }
        checkAllHandled(d, keys, handled);
        if (column != null) {
            Expression p = predicateOf(t, column, buckets, retained, dialect);
            d.setWhere(d.getWhere() == null ? p : and(List.of(d.getWhere(), p)));
        }
    }

    private static boolean nonEmpty(List<?> l) {
        return l != null && !l.isEmpty();
    }

    private static void noWith(List<?> with) throws Unsupported {
        if (nonEmpty(with)) {
            throw new Unsupported("a WITH clause (CTE)");
        }
    }

    /**
     * A FROM item that is a table, or {@code null} for anything else (a derived table, a function, a
     * parenthesised join): a bucket table inside one is refused by {@link #checkAllHandled}.
     */
    private static Table plainTable(FromItem item) {
        return item instanceof Table t ? t : null;
    }

    private static String keyColumn(Table t, Map<String, String> keys) {
        return t == null || t.getName() == null ? null : keys.get(unquote(t.getName()));
    }

    private static String name(Table t) {
        return unquote(t.getName());
    }

    /** Every reference to a bucket table of the group must be one given the predicate. */
    private static void checkAllHandled(Statement st, Map<String, String> keys, IdentityHashMap<Table, Boolean> handled)
            throws Unsupported {
        SplitReferences f = new SplitReferences();
        st.accept(f, null);
        for (Table t : f.tables) {
            String column = keyColumn(t, keys);
            if (column != null && !handled.containsKey(t)) {
                throw new Unsupported("bucket table " + name(t) + " inside a subquery, derived table or parenthesised join");
            }
        }
    }

    private static Expression and(List<Expression> parts) {
        Expression out = null;
        for (Expression p : parts) {
            Expression wrapped = p instanceof ParenthesedExpressionList<?> ? p : new ParenthesedExpressionList<>(p);
            out = out == null ? wrapped : new AndExpression(out, wrapped);
        }
        return out;
    }

    private static Expression predicateOf(Table t, String column, int buckets, BitSet retained, Dialect dialect)
            throws Exception {
        String qualifier = t.getAlias() != null ? t.getAlias().getName() : t.getFullyQualifiedName();
        return SqlParse.expression(predicate(qualifier + "." + column, buckets, retained, dialect));
    }

    /**
     * A predicate true for the rows whose bucket ({@code floorMod(column, buckets)}) is not in
     * {@code retained}, in the shortest of its forms: over the smallest power of two m such that
     * the retained set is a union of residue classes mod m (4 → 8 retains {@code b mod 8 = 4}),
     * the residues left out ({@code NOT (E IN (...))}) or kept ({@code E IN (...)}), as a list or
     * as ranges ({@code E BETWEEN x AND y}).
     */
    public static String predicate(String column, int buckets, BitSet retained, Dialect dialect) {
        int m = period(buckets, retained);
        BitSet out = retained.get(0, m);
        if (out.cardinality() == m) {
            return "1 = 0";
        }
        BitSet kept = new BitSet(m);
        kept.set(0, m);
        kept.andNot(out);
        String e = dialect == Dialect.SQLITE || dialect == Dialect.POSTGRESQL
                ? "((" + column + " % " + m + ") + " + m + ") % " + m
                : "MOD(MOD(" + column + ", " + m + ") + " + m + ", " + m + ")";
        String best = null;
        for (String candidate : new String[] {"NOT (" + list(e, out) + ")", list(e, kept),
                "NOT (" + ranges(e, out) + ")", "(" + ranges(e, kept) + ")"}) {
            if (best == null || candidate.length() < best.length()) {
                best = candidate;
            }
        }
        return best;
    }

    /** The smallest power of two m dividing B with {@code b ∈ retained ⇔ (b + m) mod B ∈ retained}. */
    static int period(int buckets, BitSet retained) {
        for (int m = 1; m < buckets; m <<= 1) {
            boolean periodic = true;
            for (int b = retained.nextSetBit(0); b >= 0 && periodic; b = retained.nextSetBit(b + 1)) {
                periodic = retained.get((b + m) & (buckets - 1));
            }
            if (periodic) {
                return m;
            }
        }
        return buckets;
    }

    private static String list(String e, BitSet set) {
        if (set.cardinality() == 1) {
            return e + " = " + set.nextSetBit(0);
        }
        StringBuilder sb = new StringBuilder(e).append(" IN (");
        for (int b = set.nextSetBit(0); b >= 0; b = set.nextSetBit(b + 1)) {
            sb.append(b == set.nextSetBit(0) ? "" : ", ").append(b);
        }
        return sb.append(')').toString();
    }

    private static String ranges(String e, BitSet set) {
        StringBuilder sb = new StringBuilder();
        for (int from = set.nextSetBit(0); from >= 0; from = set.nextSetBit(from)) {
            int to = set.nextClearBit(from) - 1;
            sb.append(sb.length() == 0 ? "" : " OR ").append(e)
                    .append(from == to ? " = " + from : " BETWEEN " + from + " AND " + to);
            from = to + 1;
        }
        return sb.toString();
    }
}
