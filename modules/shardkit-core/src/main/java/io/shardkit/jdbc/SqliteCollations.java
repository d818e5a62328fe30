package io.shardkit.jdbc;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;

/**
 * The collations a SQLite CREATE TABLE declares for its columns ({@code name TEXT COLLATE NOCASE}),
 * parsed once per statement text. A statement the parser does not read gives no columns, so the
 * merge refuses to compare them rather than guess.
 */
final class SqliteCollations {
    private static final int MAX = 512;
    private static final Map<String, Map<String, String>> PARSED = new ConcurrentHashMap<>();

    private SqliteCollations() {
    }

    /** Column name (lower case, unquoted) to collation (upper case; BINARY when none). */
    static Map<String, String> of(String createTable) {
        Map<String, String> known = PARSED.get(createTable);
        if (known != null) {
            return known;
        }
        Map<String, String> out = new HashMap<>();
        try {
            Statement st = CCJSqlParserUtil.parse(createTable);
            if (st instanceof CreateTable ct && ct.getColumnDefinitions() != null) {
                for (ColumnDefinition d : ct.getColumnDefinitions()) {
                    out.put(key(d.getColumnName()), collation(d.getColumnSpecs()));
                }
            }
        } catch (Exception e) {
            out.clear();
        }
        if (PARSED.size() >= MAX) {
            PARSED.clear();
        }
        PARSED.put(createTable, out);
        return out;
    }

    static String key(String column) {
        String c = column;
        if (c.length() > 1 && (c.charAt(0) == '"' || c.charAt(0) == '`' || c.charAt(0) == '[')) {
            c = c.substring(1, c.length() - 1);
        }
        return c.toLowerCase(Locale.ROOT);
    }

    private static String collation(List<String> specs) {
        String coll = "BINARY";
        if (specs == null) {
            return coll;
        }
        for (int i = 0; i + 1 < specs.size(); i++) {
            if (specs.get(i).equalsIgnoreCase("COLLATE")) {
                coll = key(specs.get(i + 1)).toUpperCase(Locale.ROOT); // the last COLLATE wins, as in SQLite
            }
        }
        return coll;
    }
}
