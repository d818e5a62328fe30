package io.shardkit.sql;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Every table reference of a statement, every column (with its qualifier), every {@code t.*}, the
 * CTE names and the output aliases: what {@link SplitTemplates} renames and what it counts to make
 * sure it renamed every mention of a split table. A column's qualifier is not taken for a table.
 */
final class SplitReferences extends TablesNamesFinder<Void> {
    final List<Table> tables = new ArrayList<>();
    final List<Column> columns = new ArrayList<>();
    final List<AllTableColumns> allTableColumns = new ArrayList<>();
    final List<String> ctes = new ArrayList<>();
    final List<String> outputAliases = new ArrayList<>();
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();

    SplitReferences() {
        init(false);
    }

    @Override
    public <S> Void visit(Table table, S context) {
        if (table != null && seen.put(table, Boolean.TRUE) == null) {
            tables.add(table);
        }
        return null;
    }

    @Override
    public <S> Void visit(Column column, S context) {
        if (seen.put(column, Boolean.TRUE) == null) {
            columns.add(column);
        }
        return null;
    }

    @Override
    public <S> Void visit(AllTableColumns all, S context) {
        if (seen.put(all, Boolean.TRUE) == null) {
            allTableColumns.add(all);
        }
        return null;
    }

    @Override
    public <S> Void visit(SelectItem<?> item, S context) {
        if (item.getAlias() != null && seen.put(item, Boolean.TRUE) == null) {
            outputAliases.add(unquote(item.getAlias().getName()));
        }
        item.getExpression().accept(this, context);
        return null;
    }

    @Override
    public <S> Void visit(WithItem<?> item, S context) {
        if (item.getAlias() != null) {
            ctes.add(unquote(item.getAlias().getName()));
        }
        return super.visit(item, context);
    }

    /** An identifier as the analysis resolves it: quoted exactly as written, unquoted lower-cased. */
    static String unquote(String identifier) {
        if (identifier == null) {
            return null;
        }
        int n = identifier.length();
        if (n >= 2) {
            char f = identifier.charAt(0);
            char l = identifier.charAt(n - 1);
            if ((f == '"' && l == '"') || (f == '`' && l == '`') || (f == '[' && l == ']')) {
                return identifier.substring(1, n - 1);
            }
        }
        return identifier.toLowerCase(Locale.ROOT);
    }
}
