package io.shardkit.sql;

import static io.shardkit.sql.SelectTrees.containsAggregate;
import static io.shardkit.sql.SelectTrees.hasParameters;
import static io.shardkit.sql.SelectTrees.parseExpression;
import static io.shardkit.sql.SelectTrees.sameColumn;

import io.shardkit.merge.Output;
import io.shardkit.sql.MergeAnalysis.Refusal;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * What a name or position in ORDER BY, GROUP BY and HAVING means on each database (a select item,
 * an alias, a column), the labels the shards must give unaliased items, and the guards the shards
 * compute when an alias may also be a column of a table in FROM.
 */
final class SelectNames {
    private final MergeAnalysis m;

    SelectNames(MergeAnalysis m) {
        this.m = m;
    }

    /**
     * The shards label a select item without alias by the SQL shardkit sends, which is not the
     * user's: SQLite and MySQL label it with its text as written (the rewrite renders it anew),
     * PostgreSQL by what it is (a merged expression is sent as a CASE). Such items get an alias
     * equal to the label the database would give the user's item.
     */
    void labels(List<SelectItem<?>> items, List<Output> outputs) {
        for (int i = 0; i < items.size(); i++) {
            SelectItem<?> item = items.get(i);
            String label = OutputNames.label(m.dialect, item, m.sql);
            if (label == null || label.length() > 200) {
                continue;
            }
            boolean sentAsWritten = !computed(outputs, i + 1)
                    && (m.dialect == Dialect.POSTGRESQL || label.equals(item.getExpression().toString()));
            if (!sentAsWritten && m.dialect == Dialect.MYSQL && hasParameters(item.getExpression())) {
                // Connector/J writes the bound values into the text, and MySQL labels the column with it
                throw new Refusal("an unaliased select item holding a ? parameter (" + item.getExpression()
                        + ") across MySQL shards (its column label is the text with the bound value, which"
                        + " differs per execution); give it an alias");
            }
            if (!sentAsWritten) {
                item.setAlias(new Alias(OutputNames.quote(m.dialect, label), true));
            }
        }
    }

    static boolean computed(List<Output> outputs, int column) {
        for (Output o : outputs) {
            if (o.column() == column && o.expr() != null) {
                return true;
            }
        }
        return false;
    }

    /** The 1-based select item an ORDER BY expression names (position, output name or same text), or 0. */
    int itemIndex(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l) {
            if (l.getValue() < 1 || l.getValue() > items.size()) {
                throw new Refusal("ORDER BY position " + l.getValue() + " is not in the select list");
            }
            return (int) l.getValue();
        }
        if (e instanceof Column c && c.getTable() == null && m.dialect == Dialect.POSTGRESQL) {
            int named = OutputNames.postgresOrderBy(items, c);
            if (named == OutputNames.AMBIGUOUS) {
                throw new Refusal("ORDER BY " + c + ", which names several output columns (the database refuses it as"
                        + " ambiguous)");
            }
            if (named == OutputNames.UNKNOWN) {
                throw new Refusal("ORDER BY " + c + " across shards: shardkit does not know every output column's"
                        + " name, so it cannot tell whether " + c + " names one (alias the select items)");
            }
            if (named > 0) {
                return named;
            }
        } else if (e instanceof Column c && c.getTable() == null) {
            // SQLite takes the first alias of that name; MySQL fails on two that differ
            int found = 0;
            for (int i = 0; i < items.size(); i++) {
                if (OutputNames.aliasIs(m.dialect, items.get(i).getAlias(), c.getColumnName())) {
                    if (found == 0) {
                        found = i + 1;
                    } else if (OutputNames.sharedAliasFails(m.dialect) && !items.get(found - 1).getExpression().toString()
                            .equals(items.get(i).getExpression().toString())) {
                        throw new Refusal("ORDER BY " + c + ", which names several output columns (the database"
                                + " refuses it as ambiguous)");
                    }
                }
            }
            if (found > 0) {
                return found;
            }
        }
        String text = e.toString();
        for (int i = 0; i < items.size(); i++) {
            Expression x = items.get(i).getExpression();
            if (x.toString().equalsIgnoreCase(text)) {
                return i + 1;
            }
            if (x instanceof Column xc && e instanceof Column ec
                    && OutputNames.fold(m.dialect, xc.getColumnName()).equals(OutputNames.fold(m.dialect, ec.getColumnName()))
                    && (xc.getTable() == null || ec.getTable() == null) && items.get(i).getAlias() == null) {
                return i + 1;
            }
        }
        return 0;
    }

    /** The 1-based select item a GROUP BY element names by position or alias, or 0. */
    int namedItem(List<SelectItem<?>> items, Expression e) {
        if (e instanceof LongValue l && l.getValue() >= 1 && l.getValue() <= items.size()) {
            return (int) l.getValue();
        }
        if (e instanceof Column c && c.getTable() == null) {
            for (int i = 0; i < items.size(); i++) {
                if (OutputNames.aliasIs(m.dialect, items.get(i).getAlias(), c.getColumnName())) {
                    return i + 1;
                }
            }
        }
        return 0;
    }

    /** Whether GROUP BY names {@code c} bare. */
    boolean groupedByName(Column c) {
        if (m.query.getGroupBy() == null) {
            return false;
        }
        for (Expression g : m.query.getGroupBy().getGroupByExpressionList()) {
            if (g instanceof Column k && k.getTable() == null && sameColumn(k, c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code name} is read as the alias of {@code aliased}, which the database does only when no
     * table of FROM has a column of that name. Which tables have is not known here, so the shards
     * check it with each query (a constant subquery on the catalog) and the merge refuses the
     * statement when one does. Refused now when FROM has more than plain tables.
     */
    void guard(String clause, String name, Expression aliased) {
        String key = Analyzer.name(name);
        if (m.guards.containsKey(key)) {
            return;
        }
        List<Table> tables = new ArrayList<>();
        List<FromItem> from = new ArrayList<>();
        from.add(m.query.getFromItem());
        if (m.query.getJoins() != null) {
            for (Join j : m.query.getJoins()) {
                from.add(j.getFromItem());
            }
        }
        for (FromItem f : from) {
            if (!(f instanceof Table t)) {
                throw new Refusal(clause + " " + name + ", the alias of " + aliased + ", over a FROM that is not only"
                        + " tables, across shards (shardkit cannot check whether " + name + " is also a column; write the"
                        + " expression)");
            }
            tables.add(t);
        }
        String check = OutputNames.columnCheck(m.dialect, tables, name);
        if (check == null) {
            throw new Refusal(clause + " " + name + ", the alias of " + aliased + ", on " + m.dialect
                    + " across shards (write the expression)");
        }
        m.guards.put(key, new String[] {check, clause + " " + name + " is both the alias of " + aliased
                + " and a column of a table in FROM, which the database reads instead of the alias (rename the"
                + " alias, or write the expression)"});
    }

    /**
     * On SQLite and MySQL an ORDER BY expression may use select aliases ({@code ORDER BY s * -1});
     * the shards cannot (a hidden sort key is computed in the select list), so each alias is
     * replaced by its expression, guarded like any alias that may also be a column. PostgreSQL
     * sees no aliases inside expressions: its shards fail as the database does.
     */
    Expression aliasesInside(List<SelectItem<?>> items, Expression e) {
        if (!OutputNames.aliasesInsideOrderBy(m.dialect) || e instanceof Column || e instanceof LongValue) {
            return e;
        }
        List<Column> refs = new ArrayList<>();
        List<Expression> with = new ArrayList<>();
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Column c, S context) {
                if (c.getTable() != null) {
                    return null;
                }
                for (SelectItem<?> item : items) {
                    if (OutputNames.aliasIs(m.dialect, item.getAlias(), c.getColumnName())
                            && !sameColumn(item.getExpression(), c)) {
                        refs.add(c);
                        with.add(item.getExpression());
                        return null;
                    }
                }
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                return null;
            }
        }, null);
        if (refs.isEmpty()) {
            return e;
        }
        if (hasParameters(e)) {
            throw new Refusal("ORDER BY " + e + ", an expression over an alias holding a ? parameter, across shards");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (hasParameters(with.get(i))) {
                throw new Refusal("ORDER BY " + e + " uses the alias " + refs.get(i) + " of an expression holding a ?"
                        + " parameter, across shards");
            }
            if (m.dialect == Dialect.MYSQL && containsAggregate(with.get(i))) {
                // MySQL and MariaDB fail it: "reference to group function"
                throw new Refusal("ORDER BY " + e + " uses the alias " + refs.get(i) + " of an aggregate inside an"
                        + " expression (the database does not accept it)");
            }
            guard("ORDER BY", refs.get(i).getColumnName(), with.get(i));
            names.add(refs.get(i).getColumnName());
            refs.get(i).setColumnName("__shardkit_alias_" + i + "__");
        }
        String text = e.toString();
        for (int i = 0; i < refs.size(); i++) {
            refs.get(i).setColumnName(names.get(i));
            text = text.replace("__shardkit_alias_" + i + "__", "(" + with.get(i) + ")");
        }
        return parseExpression(text);
    }
}
