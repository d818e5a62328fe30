package io.shardkit.sql;

/** Lexical helpers over SQL text that need no parse. */
public final class SqlText {
    private SqlText() {
    }

    /**
     * Counts {@code ?} parameter markers outside string literals, quoted identifiers and comments.
     */
    public static int countParameters(String sql) {
        int count = 0;
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'', '"', '`' -> i = skipQuoted(sql, i, c);
                case '-' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '-') {
                        int end = sql.indexOf('\n', i);
                        i = end < 0 ? n : end;
                    }
                }
                case '/' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '*') {
                        int end = sql.indexOf("*/", i + 2);
                        i = end < 0 ? n : end + 1;
                    }
                }
                case '?' -> count++;
                default -> { }
            }
        }
        return count;
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '"' && i + 1 < sql.length()) {
                i += 2;
                continue;
            }
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i;
            }
            i++;
        }
        return sql.length();
    }
}
