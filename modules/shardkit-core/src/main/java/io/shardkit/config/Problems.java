package io.shardkit.config;

import io.shardkit.ShardMapException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects every problem of a shard map, each as {@code path: message (line N)}, so that a file
 * with three mistakes is reported once with three lines rather than three times.
 *
 * <p>One problem per path: the first one found is the cause, and later ones at the same path are
 * its consequences (an unset variable leaves the URL empty, which is then also "missing"), so
 * they are dropped. A hostile file cannot make the report huge: at most {@link #MAX_LISTED} problems
 * are listed (the count of the rest follows), each cut to {@link #MAX_CHARS} characters.
 */
public final class Problems {
    private final String source;
    private final Map<String, Integer> lines;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();
    private int unlisted;

    /** Problems listed in one report. */
    public static final int MAX_LISTED = 50;
    /** Longest problem text listed. */
    public static final int MAX_CHARS = 500;

    /** @param lines YAML path → 1-based line, empty for maps built in Java */
    public Problems(String source, Map<String, Integer> lines) {
        this.source = source;
        this.lines = lines;
    }

    /** What the map was read from, as named in messages (a file's path, or e.g. {@code <stream>}). */
    String source() {
        return source;
    }

    public void add(String path, String message) {
        if (!paths.add(path)) {
            return;
        }
        if (problems.size() >= MAX_LISTED) {
            unlisted++;
            return;
        }
        Integer line = lineOf(path);
        String where = line == null ? "" : " (line " + line + ")";
        String text = YamlGuard.shorten(path) + ": " + message;
        if (text.length() + where.length() > MAX_CHARS) {
            text = text.substring(0, MAX_CHARS - where.length() - 3) + "...";
        }
        problems.add(text + where);
    }

    private Integer lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null || p.isEmpty()) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public List<String> list() {
        return List.copyOf(problems);
    }

    public void throwIfAny() throws ShardMapException {
        if (!problems.isEmpty()) {
            List<String> all = problems;
            if (unlisted > 0) {
                all = new ArrayList<>(problems);
                all.add("... and " + unlisted + " more problems");
            }
            throw new ShardMapException(source, all);
        }
    }
}
