package io.shardkit.sql;

import io.shardkit.merge.Comparisons;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntUnaryOperator;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Collects, for {@link MergeAnalysis}, the shard columns a merge compares and how each is
 * collated ({@link Comparisons}). Works once per SQL text.
 *
 * <p>SQLite: the collation of an expression, by SQLite's rules (its "Collating Sequences"
 * documentation): a COLLATE postfix names it; a column reference (also under unary {@code +} or
 * CAST) has its declared collation, looked up when the query runs; any other expression is BINARY,
 * unless a COLLATE or a subquery is inside it, whose effect shardkit does not work out (refused
 * when its text values are compared). PostgreSQL: a hidden shard column
 * {@code pg_collation_for(expression)} per compared column, read on each shard's first row (order
 * needs a code point collation, equality a deterministic one).
 * MySQL: a hidden shard column {@code WEIGHT_STRING(expression)} per compared column; text is
 * compared by those bytes (the collation's own sort key), numbers by value.
 */
final class MergeCollations {
    private final Dialect dialect;
    private final PlainSelect select;
    private final List<Comparisons.Entry> entries = new ArrayList<>();
    /** PostgreSQL companions to add to the shard query, by the compared column. */
    private final List<Integer> companionOf = new ArrayList<>();
    private final List<Expression> companionExpr = new ArrayList<>();

    MergeCollations(Dialect dialect, PlainSelect select) {
        this.dialect = dialect;
        this.select = select;
    }

    /** A compared shard column and the expression it holds ({@code null}: unknown). */
    void compared(int column, Expression e) {
        compared(column, e, e);
    }

    /**
     * As {@link #compared(int, Expression)}, where SQLite's collation comes from {@code sqlite}
     * (the expression as written) and PostgreSQL's companion reads {@code shard} (as the shard query has it).
     */
    void compared(int column, Expression sqlite, Expression shard) {
        if (dialect == Dialect.SQLITE) {
            if (sqlite == null) {
                return;
            }
            entries.add(new Comparisons.Entry(column, sqlite(sqlite), explicit(sqlite), 0));
        } else if ((dialect == Dialect.POSTGRESQL || dialect == Dialect.MYSQL) && shard != null && !hasParameter(shard)) {
            companionOf.add(column);
            companionExpr.add(shard);
        }
    }

    /** The PostgreSQL companion items to append to the shard query, in order. */
    List<SelectItem<?>> companionItems() {
        List<SelectItem<?>> out = new ArrayList<>();
        for (int i = 0; i < companionExpr.size(); i++) {
            Expression arg = companionExpr.get(i);
            // PostgreSQL: the cast keeps a text expression's collation (a relabel) and gives other types
            // the default one, so the companion is defined for every type (numbers' rules ignore it).
            // MySQL: the collation's sort key, whose bytes order and equal as the collation does
            String text = dialect == Dialect.MYSQL ? "WEIGHT_STRING(" + arg + ")"
                    : "pg_collation_for(CAST((" + arg + ") AS text))";
            out.add(new SelectItem<>(parse(text),
                    new Alias("__c" + i)));
        }
        return out;
    }

    int companionCount() {
        return companionExpr.size();
    }

    /** The shard expression companion {@code i} is computed from. */
    Expression companionArgument(int i) {
        return companionExpr.get(i);
    }

    /** The comparisons, with companion {@code i} at shard column {@code companionColumn(i)}. */
    Comparisons build(IntUnaryOperator companionColumn, IntUnaryOperator column) {
        List<Comparisons.Entry> all = new ArrayList<>();
        for (Comparisons.Entry e : entries) {
            all.add(new Comparisons.Entry(column.applyAsInt(e.column()), e.collation(), e.explicit(), 0));
        }
        for (int i = 0; i < companionOf.size(); i++) {
            all.add(new Comparisons.Entry(column.applyAsInt(companionOf.get(i)), null, false,
                    companionColumn.applyAsInt(i)));
        }
        return new Comparisons(all);
    }

    private static Expression unwrap(Expression e) {
        while (true) {
            if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
                e = p.get(0);
            } else if (e instanceof SignedExpression s && s.getSign() == '+') {
                e = s.getExpression();
            } else if (e instanceof CastExpression c && c.getLeftExpression() != null) {
                e = c.getLeftExpression();
            } else {
                return e;
            }
        }
    }

    private static boolean explicit(Expression e) {
        Expression x = unwrap(e);
        return x instanceof CollateExpression || x instanceof Column;
    }

    private String sqlite(Expression e) {
        Expression x = unwrap(e);
        if (x instanceof CollateExpression c) {
            return name(c.getCollate());
        }
        if (x instanceof Column c) {
            return column(c);
        }
        if (x instanceof ParenthesedSelect) {
            return Comparisons.UNKNOWN + "the collation of the subquery " + x;
        }
        String[] inside = {null};
        x.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(CollateExpression c, S context) {
                inside[0] = "a COLLATE inside " + x;
                return null;
            }

            @Override
            public <S> Void visit(ParenthesedSelect s, S context) {
                inside[0] = "the collation of the subquery in " + x;
                return null;
            }
        }, null);
        return inside[0] != null ? Comparisons.UNKNOWN + inside[0] : "BINARY";
    }

    private static String name(String collation) {
        String n = collation.strip();
        if (n.length() > 1 && (n.charAt(0) == '"' || n.charAt(0) == '`' || n.charAt(0) == '\'' || n.charAt(0) == '[')) {
            n = n.substring(1, n.length() - 1);
        }
        return n.toUpperCase(Locale.ROOT);
    }

    /** The tables a column reference may belong to, for the declared-collation lookup. */
    private String column(Column c) {
        List<FromItem> from = new ArrayList<>();
        if (select.getFromItem() != null) {
            from.add(select.getFromItem());
        }
        if (select.getJoins() != null) {
            for (Join j : select.getJoins()) {
                from.add(j.getFromItem());
            }
        }
        String qualifier = c.getTable() == null || c.getTable().getName() == null ? null
                : Analyzer.name(c.getTable().getName());
        List<String> tables = new ArrayList<>();
        for (FromItem item : from) {
            String alias = item.getAlias() == null ? null : Analyzer.name(item.getAlias().getName());
            if (!(item instanceof Table t)) {
                if (qualifier == null || qualifier.equals(alias)) {
                    return Comparisons.UNKNOWN + "the collation of " + c + " (from " + item + ")";
                }
                continue;
            }
            String name = t.getFullyQualifiedName();
            if (qualifier == null || qualifier.equals(alias) || alias == null && qualifier.equals(Analyzer.name(t.getName()))) {
                tables.add(name);
            }
        }
        if (tables.isEmpty()) {
            return Comparisons.UNKNOWN + "the collation of " + c + " (its table is not in FROM)";
        }
        return Comparisons.DECLARED + String.join(",", tables) + "." + Analyzer.name(c.getColumnName());
    }

    private static boolean hasParameter(Expression e) {
        boolean[] found = {false};
        e.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(JdbcParameter p, S context) {
                found[0] = true;
                return null;
            }
        }, null);
        return found[0];
    }

    private static Expression parse(String text) {
        try {
            return SqlParse.expression(text);
        } catch (Exception e) {
            throw new IllegalStateException("cannot rewrite " + text + " for the shards", e);
        }
    }
}
