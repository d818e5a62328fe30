package io.shardkit.tenant;

import static io.shardkit.tenant.SchemaTemplates.unquote;

import io.shardkit.sql.SqlText;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.schema.Table;

/**
 * The calls a DDL text writes (column defaults, checks, index expressions), which the analysis
 * does not walk: a tenant's DDL may call only functions the analysis knows, so that it cannot read
 * or change what the tenant must not reach.
 */
final class DdlCalls {

    private DdlCalls() {
    }

    /** Words DDL writes before {@code (} that are not calls: types with a length, clauses. */
    private static final Set<String> DDL_WORDS = Set.of("varchar", "char", "character", "varying", "nvarchar",
            "nchar", "numeric", "decimal", "dec", "number", "bit", "varbit", "time", "timestamp", "timestamptz",
            "timetz", "interval", "float", "double", "real", "int", "integer", "smallint", "bigint", "tinyint",
            "mediumint", "binary", "varbinary", "datetime", "year", "text", "blob", "enum", "set", "key", "unique",
            "check", "references", "primary", "foreign", "index", "on", "using", "include", "with", "as", "default",
            "exclude", "range", "list", "hash", "values", "from", "to", "in", "add", "modify", "not", "and", "or",
            "where", "btree", "gin", "gist", "brin", "exists", "constraint", "column", "table", "by", "partition",
            "stored", "virtual", "always", "identity", "cast", "is", "then", "else", "when", "case", "like");

    /**
     * The first name written as a call ({@code name(}, outside string literals) in a DDL text that
     * is none of: a type or clause word, a table the statement names, a function the analysis
     * knows; or {@code null}. A schema-qualified call is never accepted (its last part is accepted
     * only as a table the statement names, as in {@code REFERENCES s.users (id)}). Comments are
     * read as code (MySQL runs {@code /*! ... *}{@code /}, and {@code --x} is no comment there), and
     * a string literal with a backslash answers {@code "\\"} (the dialects end it differently): both
     * err on the side of refusing.
     */
    static String unknownCall(String sql, List<Table> tables) {
        Set<String> names = new HashSet<>();
        for (Table t : tables) {
            if (t.getName() != null) {
                names.add(t.getSchemaName() == null ? unquote(t.getName())
                        : unquote(t.getSchemaName()) + "." + unquote(t.getName()));
            }
        }
        int n = sql.length();
        int i = 0;
        String last = null;
        boolean lastQualified = false;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'') {
                int j = i + 1;
                while (j < n && (sql.charAt(j) != '\'' || (j + 1 < n && sql.charAt(j + 1) == '\'' && j++ >= 0))) {
                    if (sql.charAt(j) == '\\') {
                        // a backslash escapes the quote on MySQL but not on PostgreSQL: the two read different code
                        return "\\";
                    }
                    j++;
                }
                i = j + 1;
                last = null;
            } else if (c == '"' || c == '`' || Character.isLetter(c) || c == '_') {
                // a name, possibly quoted, possibly dotted
                StringBuilder name = new StringBuilder();
                boolean qualified = false;
                while (i < n) {
                    char d = sql.charAt(i);
                    if (d == '"' || d == '`') {
                        int end = sql.indexOf(d, i + 1);
                        end = end < 0 ? n : end;
                        name.append(sql, i + 1, end);
                        i = end + 1;
                    } else if (Character.isLetterOrDigit(d) || d == '_' || d == '$') {
                        name.append(Character.toLowerCase(d));
                        i++;
                    } else {
                        break;
                    }
                    if (i < n && sql.charAt(i) == '.') {
                        qualified = true;
                        name.append('.');
                        i++;
                    } else if (i < n && !(Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                            || sql.charAt(i) == '$' || sql.charAt(i) == '"' || sql.charAt(i) == '`')) {
                        break;
                    }
                }
                last = name.toString();
                lastQualified = qualified;
            } else if (c == '(') {
                if (last != null && !names.contains(last)
                        && (lastQualified || !(DDL_WORDS.contains(last) || SqlText.knownFunction(last)))) {
                    return last;
                }
                last = null;
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else {
                last = null;
                i++;
            }
        }
        return null;
    }
}
