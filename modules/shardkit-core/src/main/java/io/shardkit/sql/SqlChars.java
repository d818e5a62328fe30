package io.shardkit.sql;

/**
 * Character classes and closing-quote searches of {@link SqlLexer}'s one pass: identifier and tag
 * characters, numeric literals, and where a quoted name, a string or a dollar quote ends.
 * No allocation.
 */
final class SqlChars {

    private SqlChars() {
    }

    static boolean isSpaceOrControl(char c) {
        return c <= ' ' || c == 0x7F;
    }

    static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    static boolean isIdentifierPart(char c) {
        return isIdentifierStart(c) || (c >= '0' && c <= '9') || c == '$';
    }

    static boolean isTagChar(char c, boolean first) {
        return isIdentifierStart(c) || (!first && c >= '0' && c <= '9');
    }

    /** The end of the numeric literal at {@code i}: digits, a fraction, an exponent, or 0x and hex digits. */
    static int numberEnd(String sql, int i) {
        int n = sql.length();
        int j = i;
        if (sql.charAt(j) == '0' && j + 2 < n && (sql.charAt(j + 1) == 'x' || sql.charAt(j + 1) == 'X')
                && Character.digit(sql.charAt(j + 2), 16) >= 0) {
            j += 2;
            while (j < n && Character.digit(sql.charAt(j), 16) >= 0) {
                j++;
            }
            return j;
        }
        while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
            j++;
        }
        if (j < n && sql.charAt(j) == '.') {
            j++;
            while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
                j++;
            }
        }
        if (j < n && (sql.charAt(j) == 'e' || sql.charAt(j) == 'E')) {
            int k = j + 1;
            if (k < n && (sql.charAt(k) == '+' || sql.charAt(k) == '-')) {
                k++;
            }
            if (k < n && sql.charAt(k) >= '0' && sql.charAt(k) <= '9') {
                j = k;
                while (j < n && sql.charAt(j) >= '0' && sql.charAt(j) <= '9') {
                    j++;
                }
            }
        }
        return j;
    }

    /** Whether the character at {@code i} continues an identifier or number (so a {@code $} there is not a quote). */
    static boolean identifierPart(String sql, int i) {
        return i > 0 && isIdentifierPart(sql.charAt(i - 1));
    }

    /** Whether the quote at {@code i} opens an {@code E'...'} string (an E that is a token of its own). */
    static boolean escapePrefix(String sql, int i) {
        if (i < 1) {
            return false;
        }
        char e = sql.charAt(i - 1);
        return (e == 'E' || e == 'e') && (i < 2 || !isIdentifierPart(sql.charAt(i - 2)));
    }

    /** Whether a backslash lies between {@code start} and {@code end} (the text's end when -1). */
    static boolean backslashIn(String sql, int start, int end) {
        int b = sql.indexOf('\\', start);
        return b >= 0 && (end < 0 || b < end);
    }

    /** The index after the closing quote of a quoted identifier ({@code ""} doubles), or -1. */
    static int closeQuoted(String sql, int start, char quote) {
        int n = sql.length();
        int j = start + 1;
        while (j < n) {
            if (sql.charAt(j) == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j++;
        }
        return -1;
    }

    /** The index after the closing quote of a string quoted by {@code quote} (doubled or, if escapes, backslashed), or -1. */
    static int closeString(String sql, int start, char quote, boolean escapes) {
        int n = sql.length();
        int j = start + 1;
        while (j < n) {
            char k = sql.charAt(j);
            if (k == '\\' && escapes) {
                j += 2;
            } else if (k == quote) {
                if (j + 1 < n && sql.charAt(j + 1) == quote) {
                    j += 2;
                    continue;
                }
                return j + 1;
            } else {
                j++;
            }
        }
        return -1;
    }

    /** Where the dollar quote opened by the tag at {@code tagStart} closes, searching from {@code from}; -1 if never. */
    static int closingTag(String sql, int tagStart, int tagLength, int from) {
        int n = sql.length();
        for (int j = from; j + tagLength <= n; j++) {
            if (sql.charAt(j) == '$' && sql.regionMatches(j, sql, tagStart, tagLength)) {
                return j;
            }
        }
        return -1;
    }
}
