package io.shardkit.route;

/**
 * Putting routing reasons into words, for explain and DEBUG logging: only when a {@code why}
 * builder is passed, so routing without one builds no text.
 */
final class Reasons {
    private Reasons() {
    }

    static String show(Object key) {
        return key instanceof String ? "'" + key + "'" : String.valueOf(key);
    }

    static void note(StringBuilder why, String reason) {
        if (why != null) {
            if (why.length() > 0) {
                why.append('\n');
            }
            why.append(reason);
        }
    }
}
