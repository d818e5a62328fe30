package io.shardkit.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.Node;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Dialect facts about the names of select items, in one place: the name each database gives an
 * item (its result column label), and which item a bare name in ORDER BY, GROUP BY or HAVING
 * denotes. Found by running each form on the databases:
 *
 * <ul>
 * <li>PostgreSQL folds unquoted identifiers to lower case and compares names exactly, so
 *     {@code AS "Score"} is not named {@code score}. An item without alias is named by what it is
 *     (FigureColname): a column by its name, a function call by the function's name, CASE
 *     {@code case}, a cast by its operand's name (else by the type's), anything else
 *     {@code ?column?}. ORDER BY a bare name means the output column of that name when there is
 *     one (invented names included: {@code CAST(score AS TEXT)} is {@code score}), else the input
 *     column; GROUP BY prefers the input column; HAVING sees no output names. Output names are not
 *     visible inside expressions.
 * <li>SQLite compares names case-insensitively. ORDER BY a bare name means an item's AS alias
 *     first; GROUP BY and HAVING resolve a name as a column first and as an alias only when no
 *     column has that name. Aliases are visible inside ORDER BY, GROUP BY and HAVING expressions.
 *     An item without alias is labelled with its text as written.
 * <li>MySQL and MariaDB compare column aliases case-insensitively; ORDER BY and HAVING prefer
 *     the alias; aliases are visible inside ORDER BY and HAVING expressions. An item without
 *     alias is labelled with its text as written (a column by its name).
 * </ul>
 */
final class OutputNames {
    /** ORDER BY names no output column: it is an expression over the input columns. */
    static final int NONE = 0;
    /** ORDER BY names several output columns that are not the same expression (the database refuses it). */
    static final int AMBIGUOUS = -1;
    /** An output column's name is not known to shardkit, so whether the name is one cannot be told. */
    static final int UNKNOWN = -2;

    /** PostgreSQL's names for the types of a cast whose operand has no name. */
    private static final Map<String, String> PG_TYPES = Map.ofEntries(Map.entry("int", "int4"),
            Map.entry("integer", "int4"), Map.entry("int4", "int4"), Map.entry("bigint", "int8"), Map.entry("int8", "int8"),
            Map.entry("smallint", "int2"), Map.entry("int2", "int2"), Map.entry("text", "text"),
            Map.entry("varchar", "varchar"), Map.entry("character varying", "varchar"), Map.entry("char", "bpchar"),
            Map.entry("character", "bpchar"), Map.entry("numeric", "numeric"), Map.entry("decimal", "numeric"),
            Map.entry("real", "float4"), Map.entry("float4", "float4"), Map.entry("double precision", "float8"),
            Map.entry("float8", "float8"), Map.entry("boolean", "bool"), Map.entry("bool", "bool"),
            Map.entry("date", "date"), Map.entry("timestamp", "timestamp"));

    private OutputNames() {
    }

    /** Whether HAVING may name a select alias (not on PostgreSQL). */
    static boolean havingSeesAliases(Dialect d) {
        return d != Dialect.POSTGRESQL;
    }

    /** Whether a HAVING name that is an alias and a column means the column (SQLite; MySQL means the alias). */
    static boolean havingPrefersColumns(Dialect d) {
        return d != Dialect.MYSQL;
    }

    /** Whether ORDER BY expressions may use select aliases ({@code ORDER BY s * -1}). */
    static boolean aliasesInsideOrderBy(Dialect d) {
        return d == Dialect.SQLITE || d == Dialect.MYSQL;
    }

    /** Whether ORDER BY a name two different aliases share fails (MySQL; SQLite takes the first). */
    static boolean sharedAliasFails(Dialect d) {
        return d == Dialect.MYSQL;
    }

    /** An identifier as the database compares it: PostgreSQL folds unquoted ones; the others ignore case. */
    static String fold(Dialect d, String identifier) {
        if (d == Dialect.POSTGRESQL) {
            if (identifier.length() >= 2 && identifier.charAt(0) == '"' && identifier.endsWith("\"")) {
                return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
            }
            return identifier.toLowerCase(Locale.ROOT);
        }
        return Analyzer.name(identifier);
    }

    /** Whether an item's alias is the name written. */
    static boolean aliasIs(Dialect d, Alias alias, String name) {
        return alias != null && fold(d, alias.getName()).equals(fold(d, name));
    }

    /** The name PostgreSQL gives an item (folded), or {@code null} when shardkit does not know it. */
    static String postgres(SelectItem<?> item) {
        if (item.getAlias() != null) {
            return fold(Dialect.POSTGRESQL, item.getAlias().getName());
        }
        return postgres(item.getExpression());
    }

    private static String postgres(Expression e) {
        if (e instanceof Column c) {
            return fold(Dialect.POSTGRESQL, c.getColumnName());
        }
        if (e instanceof Function f && f.getName() != null) {
            String[] parts = f.getName().split("\\.");
            return fold(Dialect.POSTGRESQL, parts[parts.length - 1]);
        }
        if (e instanceof CaseExpression) {
            return "case";
        }
        if (e instanceof CastExpression c) {
            String inner = postgres(c.getLeftExpression());
            if (inner != null && !inner.equals("?column?")) {
                return inner;
            }
            String type = c.getColDataType().getDataType().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            return PG_TYPES.get(type);
        }
        if (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) {
            return postgres(p.get(0));
        }
        if (e instanceof BinaryExpression || e instanceof SignedExpression || e instanceof NotExpression
                || e instanceof IsNullExpression || e instanceof Between || e instanceof InExpression
                || e instanceof LongValue || e instanceof DoubleValue || e instanceof StringValue
                || e instanceof NullValue || e instanceof JdbcParameter) {
            return "?column?";
        }
        return null;
    }

    /**
     * The 1-based item a bare name in a PostgreSQL ORDER BY denotes, or {@link #NONE},
     * {@link #AMBIGUOUS} or {@link #UNKNOWN}.
     */
    static int postgresOrderBy(List<SelectItem<?>> items, Column c) {
        String name = fold(Dialect.POSTGRESQL, c.getColumnName());
        int found = NONE;
        boolean unknown = false;
        for (int i = 0; i < items.size(); i++) {
            String n = postgres(items.get(i));
            if (n == null) {
                unknown = true;
            } else if (n.equals(name)) {
                if (found == NONE) {
                    found = i + 1;
                } else if (!items.get(found - 1).getExpression().toString()
                        .equals(items.get(i).getExpression().toString())) {
                    return AMBIGUOUS;
                }
            }
        }
        return found == NONE && unknown ? UNKNOWN : found;
    }

    /**
     * The label the database gives an item without alias, or {@code null} when it is the text
     * shardkit sends anyway (a column) or not known. {@code sql} is the statement as written.
     */
    static String label(Dialect d, SelectItem<?> item, String sql) {
        if (item.getAlias() != null || item.getExpression() instanceof Column) {
            return null;
        }
        if (d == Dialect.POSTGRESQL) {
            return postgres(item.getExpression());
        }
        if (d != Dialect.SQLITE && d != Dialect.MYSQL) {
            return null;
        }
        Node node = item.getASTNode();
        if (node == null || node.jjtGetFirstToken() == null || node.jjtGetLastToken() == null) {
            return null;
        }
        int from = node.jjtGetFirstToken().absoluteBegin - 1;
        int to = node.jjtGetLastToken().absoluteEnd - 1;
        if (from < 0 || to > sql.length() || from >= to) {
            return null;
        }
        return sql.substring(from, to).strip();
    }

    /**
     * SQL for the shards answering how many of {@code tables} have a column {@code name} (a
     * constant subquery on the catalog), or {@code null} for a dialect shardkit cannot ask.
     */
    static String columnCheck(Dialect d, List<Table> tables, String name) {
        StringBuilder sql = new StringBuilder();
        for (Table t : tables) {
            String table = t.getName();
            String schema = t.getSchemaName();
            sql.append(sql.length() == 0 ? "" : " + ");
            switch (d) {
                case SQLITE -> sql.append("(SELECT COUNT(*) FROM pragma_table_info(").append(literal(Analyzer.name(table)))
                        .append(schema == null ? "" : ", " + literal(Analyzer.name(schema)))
                        .append(") WHERE name = ").append(literal(Analyzer.name(name))).append(" COLLATE NOCASE)");
                case POSTGRESQL -> sql.append("(SELECT COUNT(*) FROM pg_catalog.pg_attribute WHERE attrelid = ")
                        .append(literal(t.getFullyQualifiedName())).append("::regclass AND attnum > 0 AND NOT attisdropped")
                        .append(" AND attname = ").append(literal(fold(d, name))).append(")");
                case MYSQL -> sql.append("(SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = ")
                        .append(schema == null ? "DATABASE()" : literal(dequote(schema)))
                        .append(" AND table_name = ").append(literal(dequote(table)))
                        .append(" AND column_name = ").append(literal(Analyzer.name(name))).append(")");
                default -> {
                    return null;
                }
            }
        }
        return sql.toString();
    }

    private static String dequote(String identifier) {
        if (identifier.length() >= 2 && (identifier.charAt(0) == '`' || identifier.charAt(0) == '"')
                && identifier.charAt(identifier.length() - 1) == identifier.charAt(0)) {
            return identifier.substring(1, identifier.length() - 1);
        }
        return identifier;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** An identifier quoted for the dialect, holding any text. */
    static String quote(Dialect d, String name) {
        if (d == Dialect.MYSQL) {
            return "`" + name.replace("`", "``") + "`";
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
