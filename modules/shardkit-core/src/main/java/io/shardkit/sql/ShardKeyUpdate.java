package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;
import static io.shardkit.sql.Analyzer.value;

import io.shardkit.config.TableRule;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * An UPDATE that sets a shard key: refused (a row cannot move between shards) unless it sets the
 * key to the value its WHERE pins it to, which the router checks at execution. One that sets an
 * {@code idOf} column is refused (the id would name another bucket than the row's key).
 */
final class ShardKeyUpdate {
    private final StatementAnalysis a;

    ShardKeyUpdate(StatementAnalysis a) {
        this.a = a;
    }

    SqlAnalysis updatesKey(Update update, List<String> top, List<String> nested) {
        if (update.getUpdateSets() == null) {
            return null;
        }
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column c : set.getColumns()) {
                String column = name(c.getColumnName());
                for (String table : a.from.resolveColumn(c, top)) {
                    TableRule rule = a.map.tables().get(table);
                    if (rule != null && rule.isSplit() && !rule.split().column().equals(rule.keyColumn())
                            && rule.split().column().equals(column)) {
                        return a.refused(List.of(table), "UPDATE changes " + table + "." + column + ", which picks the"
                                + " row's physical table (the row would stay in the old one): delete it and insert it"
                                + " again");
                    }
                    if (rule != null && rule.idOf() != null && rule.idOf().column().equals(column)) {
                        return a.refused(List.of(table), "UPDATE changes " + table + "." + column + ", the table's"
                                + " idOf column: an id carries its row's bucket (id mod B) and routes by it, so ids are"
                                + " made once, by ds.ids(\"" + table + "\").next(key), and never change");
                    }
                    if (rule != null && rule.isSharded() && rule.keyColumn().equals(column)) {
                        String refusal = "UPDATE changes the shard key " + table + "." + column
                                + "; a row cannot move between shards: delete it and insert it again";
                        ValueRef[] pinned = keyKept(update, set, table, column);
                        if (pinned == null || a.keySet != null) {
                            return a.refused(List.of(table), refusal);
                        }
                        a.keySet = pinned;
                        a.keySetRefusal = refusal;
                    }
                }
            }
        }
        return null;
    }

    /**
     * Hibernate's UPDATE sets every column, the shard key too: {@code UPDATE t SET key = v, ... WHERE
     * key = w AND ...} keeps every row it matches on its shard when {@code v} equals {@code w}, which
     * the router checks at execution. Only a one-table UPDATE whose SET gives the key a literal or
     * a ? and whose WHERE has {@code key = literal/?} as a top-level conjunct; else {@code null}.
     */
    ValueRef[] keyKept(Update update, UpdateSet set, String table, String column) {
        if (update.getFromItem() != null || update.getJoins() != null && !update.getJoins().isEmpty()
                || update.getStartJoins() != null && !update.getStartJoins().isEmpty()
                || set.getColumns().size() != 1 || set.getValues() == null || set.getValues().size() != 1) {
            return null;
        }
        ValueRef to = value(set.getValues().get(0));
        if (to == null || update.getWhere() == null) {
            return null;
        }
        List<Expression> where = new ArrayList<>();
        a.from.flatten(update.getWhere(), where);
        for (Expression e : where) {
            if (e instanceof EqualsTo eq) {
                ValueRef pin = a.from.isColumn(eq.getLeftExpression(), table, column) ? value(eq.getRightExpression())
                        : a.from.isColumn(eq.getRightExpression(), table, column) ? value(eq.getLeftExpression()) : null;
                if (pin != null) {
                    return new ValueRef[] {to, pin};
                }
            }
        }
        return null;
    }
}
