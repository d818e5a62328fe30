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
 * they are dropped.
 */
public final class Problems {
    private final String source;
    private final Map<String, Integer> lines;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();

    /** @param lines YAML path → 1-based line, empty for maps built in Java */
    public Problems(String source, Map<String, Integer> lines) {
        this.source = source;
        this.lines = lines;
    }

    public void add(String path, String message) {
        if (!paths.add(path)) {
            return;
        }
        Integer line = lineOf(path);
        problems.add(path + ": " + message + (line == null ? "" : " (line " + line + ")"));
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
            throw new ShardMapException(source, problems);
        }
    }
}
