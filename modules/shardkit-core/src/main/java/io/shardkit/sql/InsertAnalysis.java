package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.distinct;
import static io.shardkit.sql.Analyzer.name;
import static io.shardkit.sql.Analyzer.value;

import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.upsert.Upsert;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * The analysis of an INSERT or upsert: into a sharded table, each VALUES row's shard key and the
 * statement cut into head, rows and tail so that the rows can be split by shard; ON CONFLICT and
 * ON DUPLICATE KEY targets checked against the shard key.
 */
final class InsertAnalysis {
    private final StatementAnalysis a;

    InsertAnalysis(StatementAnalysis a) {
        this.a = a;
    }

    /**
     * An INSERT, or an upsert (REPLACE INTO, INSERT OR REPLACE) routed like one: into a sharded
     * table each row goes to its key's shard; into other tables as the tables live.
     */
    SqlAnalysis insert(Statement insert, Table target, ExpressionList<Column> columns, Select select,
            List<String> top, List<String> nested) {
        String table = name(target.getName());
        TableRule rule = a.map.tables().get(table);
        Values values = select instanceof Values v ? v : null;
        if (rule == null || !rule.isSharded()) {
            return a.resolve(top, nested);
        }
        boolean anyUniqueKey = insert instanceof Upsert;
        if (insert instanceof Insert i) {
            var conflict = i.getConflictTarget();
            if (conflict != null && (conflict.getIndexColumnNames() == null || conflict.getIndexColumnNames().isEmpty()
                    || conflict.getIndexExpression() != null)) {
                return a.refused(List.of(table), "ON CONFLICT with this target on sharded table " + table
                        + " (name the conflict columns, including the shard key " + rule.keyColumn() + ")");
            }
            if (conflict != null && !conflict.getIndexColumnNames().stream().map(Analyzer::name).toList()
                    .contains(rule.keyColumn())) {
                return a.refused(List.of(table), "ON CONFLICT (" + String.join(", ", conflict.getIndexColumnNames())
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
                        return a.refused(List.of(table), "an upsert that changes the shard key " + table + "."
                                + rule.keyColumn() + " (the row would stay on the old key's shard); delete the row"
                                + " and insert it again");
                    }
                    if (rule.isSplit() && name(c.getColumnName()).equals(rule.split().column())) {
                        return a.refused(List.of(table), "an upsert that changes " + table + "." + rule.split().column()
                                + ", which picks the row's physical table (the row would stay in the old one); delete"
                                + " the row and insert it again");
                    }
                }
            }
        }
        if (values == null) {
            return a.refused(List.of(table), "INSERT ... SELECT into sharded table " + table
                    + " is not supported; select the rows and insert them");
        }
        if (columns == null || columns.isEmpty()) {
            return a.refused(List.of(table), "INSERT into sharded table " + table
                    + " must list its columns, so that the shard key " + rule.keyColumn() + " can be found");
        }
        int keyAt = -1;
        for (int i = 0; i < columns.size(); i++) {
            if (name(columns.get(i).getColumnName()).equals(rule.keyColumn())) {
                keyAt = i;
            }
        }
        if (keyAt < 0) {
            return a.invalid(List.of(table), "INSERT into sharded table " + table + " does not set the shard key "
                    + rule.keyColumn());
        }
        // a table split by name by another column: that column picks the physical table of each row
        String splitColumn = rule.isSplit() && !rule.split().column().equals(rule.keyColumn()) ? rule.split().column()
                : null;
        int splitAt = -1;
        for (int i = 0; splitColumn != null && i < columns.size(); i++) {
            if (name(columns.get(i).getColumnName()).equals(splitColumn)) {
                splitAt = i;
            }
        }
        if (splitColumn != null && splitAt < 0) {
            return a.invalid(List.of(table), "INSERT into split table " + table + " does not set " + splitColumn
                    + ", the column that picks its physical table");
        }
        for (String n : nested) {
            TableRule r = a.map.tables().get(n);
            if (r != null && r.isSharded()) {
                return a.refused(List.of(table, n), "subquery over sharded table " + n + " in an INSERT");
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
        int idAt = -1;
        for (int i = 0; rule.idOf() != null && i < columns.size(); i++) {
            idAt = name(columns.get(i).getColumnName()).equals(rule.idOf().column()) ? i : idAt;
        }
        List<ValueRef> ids = idAt < 0 ? null : new ArrayList<>();
        List<ValueRef> keys = new ArrayList<>();
        List<ValueRef> splitValues = splitAt < 0 ? null : new ArrayList<>();
        List<String> rowTexts = new ArrayList<>();
        int[] rowParams = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            ExpressionList<?> row = rows.get(r);
            if (row.size() != columns.size()) {
                return a.invalid(List.of(table), "INSERT row " + (r + 1) + " has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
            ValueRef key = value(row.get(keyAt));
            if (key == null) {
                return a.refused(List.of(table), "the shard key " + rule.keyColumn() + " of INSERT row " + (r + 1)
                        + " is an expression (" + row.get(keyAt) + "); give a literal or a ? parameter");
            }
            keys.add(key);
            if (ids != null) {
                ids.add(value(row.get(idAt))); // null for an expression: that row's id is not checked
            }
            if (splitValues != null) {
                ValueRef sv = value(row.get(splitAt));
                if (sv == null) {
                    return a.refused(List.of(table), "the column " + splitColumn + " that picks the physical table of"
                            + " split table " + table + " is an expression in INSERT row " + (r + 1) + " ("
                            + row.get(splitAt) + "); give a literal or a ? parameter");
                }
                splitValues.add(sv);
            }
            String text = row instanceof ParenthesedExpressionList<?> ? row.toString() : "(" + row + ")";
            rowTexts.add(text);
            rowParams[r] = SqlText.countParameters(text, a.dialect);
        }
        Tiering tiering = null;
        if (rule.isTiered()) {
            tiering = new TierFacts(a).insertTiering(rule, target, columns, rows, insert);
            if (tiering == null) {
                return a.refused(List.of(table), "the " + rule.archive().id() + " of an INSERT row into tiered table "
                        + table + " is an expression; give a literal or a ? parameter (the archive is checked for"
                        + " the id before the row is written)");
            }
        }
        values.setExpressions(new ExpressionList<>(new Column("__shardkit_rows__")));
        String template = insert.toString();
        int at = template.indexOf("__shardkit_rows__");
        String head = template.substring(0, at);
        String tail = template.substring(at + "__shardkit_rows__".length());
        InsertRows insertRows = new InsertRows(keys, head, tail, rowTexts, SqlText.countParameters(head, a.dialect),
                SqlText.countParameters(tail, a.dialect), rowParams, splitValues);
        List<String> tables = new ArrayList<>(top);
        tables.addAll(nested);
        String pinned = null;
        for (String t : tables) {
            TableRule r = a.map.tables().get(t);
            if (r != null && r.kind() == TableRule.Kind.PINNED) {
                pinned = r.shard();
            }
        }
        SqlAnalysis analysis = new SqlAnalysis(a.sql, a.kind, SqlAnalysis.Shape.SHARDED, distinct(tables), pinned, table,
                rule.strategy(), null, insertRows, List.of(), null, null, a.dialect);
        if (tiering != null) {
            analysis.withTiering(tiering);
        }
        if (ids != null) {
            analysis.withIdValues(rule.idOf().column(), ids);
        }
        return anyUniqueKey ? analysis.withAnyUniqueKey() : analysis;
    }
}
