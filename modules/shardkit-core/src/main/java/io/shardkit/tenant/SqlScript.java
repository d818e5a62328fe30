package io.shardkit.tenant;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script (a tenant's DDL) into statements at {@code ;}, outside quotes
 * ({@code '...'}, {@code "..."}, {@code `...`}), PostgreSQL dollar quotes ({@code $$...$$},
 * {@code $tag$...$tag$}) and comments ({@code --}, {@code /* *}{@code /}). Statements holding
 * only comments are dropped; comments inside a statement are kept.
 */
public final class SqlScript {
    private SqlScript() {
    }

    public static List<String> split(String script) {
        List<String> out = new ArrayList<>();
        int n = script.length();
        int start = 0;
        boolean code = false;
        int i = 0;
        while (i < n) {
            char c = script.charAt(i);
            if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
                int end = script.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'' || c == '"' || c == '`') {
                i = closing(script, i, c);
                code = true;
            } else if (c == '$' && dollarTag(script, i) != null) {
                String tag = dollarTag(script, i);
                int end = script.indexOf(tag, i + tag.length());
                i = end < 0 ? n : end + tag.length();
                code = true;
            } else if (c == ';') {
                if (code) {
                    out.add(script.substring(start, i).strip());
                }
                start = i + 1;
                code = false;
                i++;
            } else {
                code |= !Character.isWhitespace(c);
                i++;
            }
        }
        if (code) {
            out.add(script.substring(start).strip());
        }
        return out;
    }

    /** The index after the quote that closes the one at {@code i}; a doubled quote is part of the text. */
    private static int closing(String s, int i, char q) {
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\' && q == '\'' && j + 1 < s.length()) {
                j += 2;
            } else if (c == q) {
                if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                    j += 2;
                } else {
                    return j + 1;
                }
            } else {
                j++;
            }
        }
        return s.length();
    }

    /** {@code $$} or {@code $tag$} starting at {@code i}, or {@code null} ({@code $1} is a parameter). */
    private static String dollarTag(String s, int i) {
        int j = i + 1;
        while (j < s.length() && (Character.isLetter(s.charAt(j)) || s.charAt(j) == '_'
                || (j > i + 1 && Character.isDigit(s.charAt(j))))) {
            j++;
        }
        return j < s.length() && s.charAt(j) == '$' ? s.substring(i, j + 1) : null;
    }
}
