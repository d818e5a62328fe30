package io.shardkit.exec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The collations a SQLite CREATE TABLE declares for its columns ({@code name TEXT COLLATE NOCASE}),
 * read once per statement text by a small tokenizer (SQLite accepts column definitions without a
 * type, which a general SQL parser does not). A statement it does not read gives no columns, so
 * the merge refuses to compare them rather than guess.
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
        Map<String, String> out;
        try {
            out = parse(tokens(createTable));
        } catch (RuntimeException e) {
            out = Map.of();
        }
        if (PARSED.size() >= MAX) {
            PARSED.clear();
        }
        PARSED.put(createTable, out);
        return out;
    }

    /**
     * Reads the column definitions between the outer parentheses: each starts with the column
     * name; the last {@code COLLATE name} in it wins, as in SQLite. Table constraints are skipped.
     */
    private static Map<String, String> parse(List<String> t) {
        Map<String, String> out = new HashMap<>();
        int i = t.indexOf("(");
        if (i < 0) {
            return out; // CREATE TABLE ... AS SELECT: no declared collations shardkit can read
        }
        int depth = 0;
        List<String> def = new ArrayList<>();
        for (i = i + 1; i < t.size(); i++) {
            String x = t.get(i);
            if (x.equals("(")) {
                depth++;
            } else if (x.equals(")")) {
                if (depth == 0) {
                    definition(def, out);
                    return out;
                }
                depth--;
            } else if (x.equals(",") && depth == 0) {
                definition(def, out);
                def.clear();
                continue;
            }
            def.add(x);
        }
        throw new IllegalArgumentException("unterminated column list");
    }

    private static void definition(List<String> def, Map<String, String> out) {
        if (def.isEmpty()) {
            return;
        }
        String first = def.get(0).toUpperCase(Locale.ROOT);
        if (List.of("CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN").contains(first)) {
            return;
        }
        String coll = "BINARY";
        for (int i = 1; i + 1 < def.size(); i++) {
            if (def.get(i).equalsIgnoreCase("COLLATE")) {
                coll = key(def.get(i + 1)).toUpperCase(Locale.ROOT);
            }
        }
        out.put(key(def.get(0)), coll);
    }

    /** SQLite tokens: identifiers and keywords, quoted names, strings, numbers, punctuation; comments dropped. */
    private static List<String> tokens(String sql) {
        List<String> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int e = sql.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
            } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int j = i + 1;
                while (true) {
                    if (j >= n) {
                        throw new IllegalArgumentException("unterminated quote");
                    }
                    if (sql.charAt(j) == close) {
                        if (close != ']' && j + 1 < n && sql.charAt(j + 1) == close) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                out.add(sql.substring(i, j + 1));
                i = j + 1;
            } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 127) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_'
                        || sql.charAt(j) == '$' || sql.charAt(j) > 127)) {
                    j++;
                }
                out.add(sql.substring(i, j));
                i = j;
            } else {
                out.add(String.valueOf(c));
                i++;
            }
        }
        return out;
    }

    static String key(String column) {
        String c = column;
        if (c.length() > 1 && (c.charAt(0) == '"' || c.charAt(0) == '`' || c.charAt(0) == '[')) {
            c = c.substring(1, c.length() - 1);
        }
        return c.toLowerCase(Locale.ROOT);
    }
}
