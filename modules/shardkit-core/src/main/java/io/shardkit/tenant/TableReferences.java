package io.shardkit.tenant;

import static io.shardkit.tenant.SchemaTemplates.unquote;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/** Every table reference of a statement (subqueries, joins, DML targets, DDL), and the CTE names. */
final class TableReferences extends TablesNamesFinder<Void> {
    /** Functions that name a sequence in their first, string argument. */
    private static final Set<String> SEQUENCE_FUNCTIONS = Set.of("nextval", "currval", "setval");

    final List<Table> tables = new ArrayList<>();
    private final IdentityHashMap<Table, Boolean> seen = new IdentityHashMap<>();
    final List<Table> columnTables = new ArrayList<>();
    final Set<String> ctes = new HashSet<>();
    /** The sequence each sequence function names (its string argument), or null when it is not a literal. */
    final List<String> sequences = new ArrayList<>();
    /** Schema-qualified type names of casts. */
    final List<String> castTypes = new ArrayList<>();

    TableReferences() {
        init(false);
    }

    @Override
    public <S> Void visit(Table table, S context) {
        if (table != null && !seen.containsKey(table)) {
            seen.put(table, Boolean.TRUE);
            tables.add(table);
        }
        return null;
    }

    @Override
    public <S> Void visit(Column column, S context) {
        Table t = column.getTable();
        if (t != null && t.getSchemaName() != null) {
            columnTables.add(t);
        }
        return null;
    }

    /** Sequence functions name their sequence in a string: {@code nextval('s.seq')}. */
    @Override
    public <S> Void visit(Function function, S context) {
        String n = function.getName() == null ? "" : function.getName().toLowerCase(Locale.ROOT);
        if (SEQUENCE_FUNCTIONS.contains(n)) {
            ExpressionList<?> args = function.getParameters();
            Object first = args == null || args.isEmpty() ? null : args.get(0);
            sequences.add(first instanceof StringValue v ? v.getValue() : null);
        }
        return super.visit(function, context);
    }

    /** A cast to a type of another schema ({@code '(1)'::tenant_b.t}) runs that schema's domain checks. */
    @Override
    public <S> Void visit(CastExpression cast, S context) {
        String type = cast.getColDataType() == null ? null : cast.getColDataType().getDataType();
        if (type != null && type.indexOf('.') > 0) {
            castTypes.add(type);
        }
        return super.visit(cast, context);
    }

    @Override
    public <S> Void visit(WithItem<?> item, S context) {
        if (item.getAlias() != null) {
            ctes.add(unquote(item.getAlias().getName()));
        }
        return super.visit(item, context);
    }
}
