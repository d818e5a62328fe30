package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.distinct;
import static io.shardkit.sql.Analyzer.name;

import io.shardkit.config.TableRule;
import io.shardkit.strategy.BucketStrategy;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;

/** {@code SELECT EXISTS(<q>)} and {@code SELECT COUNT(*) FROM (<q>) t} over a subquery not pinned to one shard. */
final class OverSubquery {
    private final StatementAnalysis a;

    OverSubquery(StatementAnalysis a) {
        this.a = a;
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
    SqlAnalysis of(PlainSelect ps, List<String> top, List<String> nested) {
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
            TableRule rule = a.map.tables().get(n);
            shardedInside |= rule != null && rule.isSharded()
                    && (rule.strategy().shards().size() > 1 || rule.strategy() instanceof BucketStrategy); // may grow
        }
        if (!shardedInside || new SubqueryPins(a.map).of(ps, shardedReferencesOf(a.everyReference)) == null) {
            return null;
        }
        String what = exists ? "EXISTS(<subquery>)" : "COUNT(*) over a subquery";
        List<String> tables = distinct(a.concat(top, nested));
        if (exists && q.getSelect().getLimit() != null && q.getSelect().getLimit().getOffset() != null) {
            return a.refused(tables, what + " with OFFSET across shards");
        }
        SqlAnalysis inner = a.analyzer.analyze(q.getSelect().toString());
        if (inner.shape() == SqlAnalysis.Shape.REFUSED || inner.shape() == SqlAnalysis.Shape.INVALID) {
            return inner.shape() == SqlAnalysis.Shape.INVALID ? a.invalid(tables, inner.problem())
                    : a.refused(tables, inner.problem());
        }
        if (inner.shape() != SqlAnalysis.Shape.SHARDED || inner.tiering() != null || inner.sameShard()) {
            return a.refused(tables, what + " whose subquery is " + (inner.tiering() != null ? "over a tiered table"
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
                return a.refused(tables, what + " with " + shown + " in the subquery across shards"
                        + (exists ? "" : " (the count of the merged rows is not the sum of the shards' counts)"));
            }
        }
        List<String> constructs = exists ? List.of("EXISTS") : List.of("aggregate COUNT");
        SqlAnalysis outer = new SqlAnalysis(a.sql, a.kind, SqlAnalysis.Shape.SHARDED, tables, inner.pinnedShard(),
                inner.shardedTable(), inner.strategy(), inner.keyValues(), null, constructs, null, null, a.dialect);
        return exists ? outer.withExistsAny() : merged ? outer.withCountOver(inner) : outer;
    }

    int shardedReferencesOf(List<String> references) {
        int n = 0;
        for (String t : references) {
            TableRule rule = a.map.tables().get(t);
            n += rule != null && rule.isSharded() ? 1 : 0;
        }
        return n;
    }
}
