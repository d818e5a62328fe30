package io.shardkit.merge;

import io.shardkit.RefusedException;
import java.sql.SQLException;

/**
 * Text comparison as the databases do it where shardkit reproduces them: code point order
 * (surrogates above U+E000..FFFF), SQLite's NOCASE and RTRIM folds (also PostgreSQL char(n)'s
 * trailing spaces), and which text values a MySQL WEIGHT_STRING orders faithfully.
 */
final class TextCollation {
    private TextCollation() {
    }

    /** How text is folded before code point comparison. */
    enum Fold { NONE, NOCASE, RTRIM }

    static String fold(Fold fold, String s) {
        return switch (fold) {
            case NONE -> s;
            case RTRIM -> rtrim(s);
            case NOCASE -> asciiLower(s);
        };
    }

    static int compareText(Fold fold, String a, String b) {
        return compareCodePoints(fold(fold, a), fold(fold, b));
    }

    /** Trailing U+0020 removed (SQLite RTRIM, PostgreSQL char(n)). */
    static String rtrim(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return end == s.length() ? s : s.substring(0, end);
    }

    /** SQLite NOCASE: only A-Z fold to a-z. */
    static String asciiLower(String s) {
        char[] c = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 'A' && ch <= 'Z') {
                if (c == null) {
                    c = s.toCharArray();
                }
                c[i] = (char) (ch + 32);
            }
        }
        return c == null ? s : new String(c);
    }

    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                // surrogates (U+D800..DFFF) sort above U+E000..FFFF in code point order
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /**
     * Refuses a text value whose WEIGHT_STRING shardkit does not trust to order as its PAD SPACE
     * collation does: one ending in a space (the weights keep it, the collation ignores it), or
     * holding a control character or a space other than U+0020, which may weigh less than or the
     * same as the padding space.
     */
    public static void checkWeighable(Object v) throws SQLException {
        if (!(v instanceof String s)) {
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == 0x85 || c != ' ' && Character.isSpaceChar(c)
                    || c == ' ' && i == s.length() - 1) {
                throw new RefusedException("comparing text holding the " + (c == ' ' ? "trailing " : "")
                        + "control or space character U+" + String.format("%04X", (int) c) + " across MySQL shards"
                        + " (WEIGHT_STRING does not reproduce how PAD SPACE collations weigh it); add a shard key"
                        + " predicate", "(merge)");
            }
        }
    }
}
