package io.shardkit.sql;

import static io.shardkit.sql.Analyzer.name;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/** Finds every table with its subquery depth (0 = the statement itself). */
final class TableFinder extends TablesNamesFinder<Object> {
    private int depth;
    final List<String> top = new ArrayList<>();
    final List<String> nested = new ArrayList<>();
    final Set<String> cteNames = new LinkedHashSet<>();

    @Override
    public <S> Object visit(ParenthesedSelect select, S context) {
        depth++;
        try {
            return super.visit(select, context);
        } finally {
            depth--;
        }
    }

    @Override
    public <S> Object visit(WithItem<?> item, S context) {
        if (item.getAlias() != null) {
            cteNames.add(name(item.getAlias().getName()));
        }
        depth++;
        try {
            return super.visit(item, context);
        } finally {
            depth--;
        }
    }

    @Override
    public <S> Object visit(Table table, S context) {
        (depth == 0 ? top : nested).add(name(table.getName()));
        return super.visit(table, context);
    }
}
