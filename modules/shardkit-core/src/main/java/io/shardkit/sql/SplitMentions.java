package io.shardkit.sql;

/**
 * Counts the identifiers equal to a name in SQL text shardkit printed, skipping string literals and
 * comments: the check that a rewrite left no mention of a split table it did not account for. A
 * construct it reads wrongly (a dollar-quoted string) can only make the count differ, which refuses.
 */
final class SplitMentions {
    private SplitMentions() {
    }

    /** How many identifiers in {@code text} resolve to {@code name} (lower-case; unquoted ones compared lower-cased). */
    static int count(String text, String name, Dialect dialect) {
        int n = text.length();
        int found = 0;
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\'' || (c == '"' && !dialect.doubleQuotedIdentifiers())) {
                i = skipQuoted(text, i, c, dialect.backslashEscapesInStrings());
            } else if (c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int end = skipQuoted(text, i, close, false);
                String inner = text.substring(i + 1, Math.max(i + 1, end - 1)).replace("" + close + close, "" + close);
                found += inner.equals(name) ? 1 : 0;
                i = end;
            } else if (c == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? n : nl + 1;
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_'
                        || text.charAt(i) == '$')) {
                    i++;
                }
                found += text.regionMatches(true, start, name, 0, name.length()) && i - start == name.length() ? 1 : 0;
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                    i++;
                }
            } else {
                i++;
            }
        }
        return found;
    }

    /** The index after the quoted token starting at {@code i} (its closing quote doubled inside). */
    private static int skipQuoted(String text, int i, char close, boolean backslash) {
        int n = text.length();
        int j = i + 1;
        while (j < n) {
            char c = text.charAt(j);
            if (backslash && c == '\\') {
                j += 2;
                continue;
            }
            if (c == close) {
                if (j + 1 < n && text.charAt(j + 1) == close) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return n;
    }
}
