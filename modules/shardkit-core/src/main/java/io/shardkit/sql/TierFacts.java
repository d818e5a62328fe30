package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;
import static io.shardkit.sql.Analyzer.value;

import io.shardkit.config.Cutoff;
import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * The {@link Tiering} facts of a statement over a tiered table: the cutoff bounds its WHERE gives,
 * FOR UPDATE, and the archive probe an UPDATE, DELETE or INSERT runs before it writes.
 */
final class TierFacts {
    private final StatementAnalysis a;

    TierFacts(StatementAnalysis a) {
        this.a = a;
    }

    /**
     * The tier facts of an INSERT into a tiered table: the probe {@code SELECT id FROM t WHERE id IN
     * (<each row's id>)} for the archive shards, so a row whose id is archived is refused instead of
     * shadowing the archived row; no probe when the INSERT leaves the id to the database. For one row
     * and a cutoff on the id column, the id is a cutoff bound (an id at or past the watermark skips
     * the archive). {@code null} when a row's id is an expression.
     */
    Tiering insertTiering(TableRule rule, Table target, ExpressionList<Column> columns,
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
            Cutoff cutoff = rule.archive().cutoff();
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

    /** The tier facts: cutoff predicates, FOR UPDATE, and for UPDATE/DELETE the archive probe. */
    Tiering tiering(TableRule rule, boolean joined) {
        List<Tiering.CutoffBound> bounds = new ArrayList<>();
        Cutoff cutoff = rule.archive().cutoff();
        if (cutoff != null) {
            for (Expression e : a.from.conjuncts) {
                cutoffBounds(e, rule.table(), cutoff.column(), bounds);
            }
        }
        String probe = null;
        int[] probeParams = null;
        Expression where = a.kind == StatementKind.UPDATE ? a.updateWhere : a.kind == StatementKind.DELETE ? a.deleteWhere : null;
        if (a.kind == StatementKind.UPDATE || a.kind == StatementKind.DELETE) {
            probe = "SELECT 1 FROM " + a.targetText + (where == null ? "" : " WHERE " + where);
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
        return new Tiering(rule.table(), rule.archive(), bounds, a.forUpdate, joined, probe, probeParams, false);
    }

    void cutoffBounds(Expression e, String table, String column, List<Tiering.CutoffBound> out) {
        if (e instanceof Between b && !b.isNot()
                && a.from.isColumn(b.getLeftExpression(), table, column)) {
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
        String op = e instanceof EqualsTo ? "=" : e instanceof GreaterThan ? ">"
                : e instanceof GreaterThanEquals ? ">="
                : e instanceof MinorThan ? "<"
                : e instanceof MinorThanEquals ? "<=" : null;
        if (op == null) {
            return;
        }
        BinaryExpression b = (BinaryExpression) e;
        if (a.from.isColumn(b.getLeftExpression(), table, column)) {
            ValueRef v = value(b.getRightExpression());
            if (v != null) {
                out.add(new Tiering.CutoffBound(op, v));
            }
        } else if (a.from.isColumn(b.getRightExpression(), table, column)) {
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
}
