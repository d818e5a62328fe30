package io.shardkit.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed reads of a composed YAML node tree, for {@link YamlShardMap}. Every read is given the
 * value's YAML path; a value of the wrong shape (a list where a mapping belongs, a word where a
 * number does, an unknown or duplicate key, an unset {@code ${VAR}}) is added to the file's
 * {@link Problems} under that path, which adds its line, and the read answers a neutral value
 * ({@code null}, empty, the fallback) so that reading goes on and every problem of a file is
 * reported at once. {@code ${VAR}} and {@code ${VAR:-default}} are replaced in every scalar read as text.
 */
final class YamlNodes {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,18})\\s*(B|KB|MB|GB|%)?", Pattern.CASE_INSENSITIVE);

    private final Problems problems;
    private final UnaryOperator<String> env;

    YamlNodes(Problems problems, UnaryOperator<String> env) {
        this.problems = problems;
        this.env = env;
    }

    Map<String, Node> fields(MappingNode m, String path, Set<String> allowed) {
        Map<String, Node> f = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode());
            String p = path.isEmpty() ? k : path + "." + k;
            if (!allowed.contains(k)) {
                problems.add(p, "unknown key '" + k + "' (known: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            } else if (f.containsKey(k)) {
                problems.add(p, "duplicate key '" + k + "'");
            } else {
                f.put(k, t.getValueNode());
            }
        }
        return f;
    }

    /** @param why completes "missing: ..." and "empty: ..." */
    String required(Map<String, Node> f, String path, String key, String why) {
        if (!f.containsKey(key)) {
            problems.add(path + "." + key, "missing: " + why);
            return null;
        }
        String v = text(f.get(key), path + "." + key);
        if (v == null || v.isBlank()) {
            problems.add(path + "." + key, "empty: " + why);
            return null;
        }
        return v;
    }

    /**
     * A mapping of single values (driver properties, pool settings, list values, class props),
     * in file order; absent gives an empty map. A key without a value is an error rather than
     * dropped, since {@code maximumPoolSize:} with nothing after it is a typo, not a default.
     */
    Map<String, String> values(Node node, String path) {
        Map<String, String> out = new LinkedHashMap<>();
        MappingNode m = node == null ? null : mapping(node, path);
        if (m == null) {
            return out;
        }
        for (NodeTuple t : m.getValue()) {
            String k = scalar(t.getKeyNode());
            String p = path + "." + k;
            if (out.containsKey(k)) {
                problems.add(p, "duplicate key '" + k + "'");
                continue;
            }
            String v = text(t.getValueNode(), p);
            if (v != null) {
                out.put(k, v);
            } else if (t.getValueNode() instanceof ScalarNode) {
                problems.add(p, "no value (write '' for an empty one)");
            }
        }
        return out;
    }

    MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            return m;
        }
        problems.add(path, "expected a mapping (key: value lines)");
        return null;
    }

    SequenceNode sequence(Node node, String path) {
        if (node instanceof SequenceNode s) {
            return s;
        }
        problems.add(path, "expected a list");
        return null;
    }

    /** A key's text; a mapping or list used as a key is named by its kind, not printed. */
    static String scalar(Node node) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        return node instanceof MappingNode ? "(a mapping)" : "(a list)";
    }

    /** The interpolated text of a scalar, {@code null} for a missing node or YAML null. */
    String text(Node node, String path) {
        if (node == null) {
            return null;
        }
        if (!(node instanceof ScalarNode s)) {
            problems.add(path, "expected a single value");
            return null;
        }
        if (s.getTag().equals(Tag.NULL)) {
            return null;
        }
        return interpolate(s.getValue(), path);
    }

    boolean bool(Node node, String path) {
        String v = text(node, path);
        if (v == null) {
            return false;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        problems.add(path, "expected true or false, got '" + v + "'");
        return false;
    }

    private String interpolate(String value, String path) {
        if (value.indexOf("${") < 0) {
            return value;
        }
        Matcher m = VARIABLE.matcher(value);
        StringBuilder sb = new StringBuilder();
        List<String> unset = new ArrayList<>();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                if (m.group(2) == null) {
                    unset.add(m.group(1));
                    v = "";
                } else {
                    v = m.group(3);
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        if (!unset.isEmpty()) {
            problems.add(path, (unset.size() == 1 ? "environment variable " + unset.get(0) + " is not set"
                    : "environment variables " + String.join(", ", unset) + " are not set")
                    + " (write ${" + unset.get(0) + ":-default} to give a default)");
        }
        return sb.toString();
    }

    /** A list of single values; absent gives an empty list. */
    List<String> names(Node node, String path) {
        List<String> out = new ArrayList<>();
        SequenceNode seq = node == null ? null : sequence(node, path);
        if (seq == null) {
            return out;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            String v = text(seq.getValue().get(i), path + "[" + i + "]");
            out.add(v == null ? "" : v);
        }
        return out;
    }


    /** A size in bytes: {@code 67108864}, {@code 64MB}, {@code 512 KB}, {@code 1GB} (units of 1024), or {@code 25%} of the maximum heap. */
    long bytes(Node node, String path, long fallback) {
        String v = text(node, path);
        if (v == null) {
            return fallback;
        }
        Matcher m = BYTES.matcher(v.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
            int shift = switch (unit) {
                case "KB" -> 10;
                case "MB" -> 20;
                case "GB" -> 30;
                default -> 0;
            };
            long b = unit.equals("%") ? (n <= 100 ? Runtime.getRuntime().maxMemory() / 100 * n : 0)
                    : n <= (Long.MAX_VALUE >> shift) ? n << shift : 0;
            if (b >= 1) {
                return b;
            }
        }
        problems.add(path, "expected a size in bytes of at least 1 (67108864, 64MB, 512KB, 1GB) or a share of the"
                + " maximum heap (1% to 100%), got '" + v + "'");
        return fallback;
    }

    long number(Node node, String path, long fallback, long min) {
        String v = text(node, path);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(path, "expected a whole number of at least " + min + ", got '" + v + "'");
        return fallback;
    }

    /**
     * The {@code type} of a strategy or split mapping (a {@code className} alone meaning "class"), after
     * checking that every other key is one the type takes; {@code null}, with a problem, when it is
     * missing or unknown. {@code unknown} names what an unknown type is ("strategy", "split type"),
     * {@code kind} what it is of ("strategy", "split").
     */
    String type(Map<String, Node> f, String path, String className, List<String> types,
            Map<String, Set<String>> keysByType, Set<String> otherKeys, String unknown, String kind) {
        String type = text(f.get("type"), path + ".type");
        if (type == null) {
            type = className != null ? "class" : null;
        }
        if (type == null) {
            problems.add(path + ".type", "missing (one of " + String.join(", ", types) + ")");
            return null;
        }
        if (!types.contains(type)) {
            problems.add(path + ".type", "unknown " + unknown + " '" + type + "' (known: " + String.join(", ", types)
                    + ")");
            return null;
        }
        Set<String> takes = keysByType.getOrDefault(type, otherKeys);
        for (String k : f.keySet()) {
            if (!takes.contains(k)) {
                problems.add(path + "." + k, "'" + k + "' does not apply to a " + type + " " + kind + " (" + type
                        + " takes: " + String.join(", ", new TreeSet<>(takes)) + ")");
            }
        }
        return type;
    }

    /**
     * The {@code bounds} of a range strategy or split: integers (64-bit) or strings (a quoted number
     * stays a string, to compare keys as text); {@code null}, with a problem, when missing or bad.
     */
    List<Object> rangeBounds(Map<String, Node> f, String path) {
        SequenceNode b = f.containsKey("bounds") ? sequence(f.get("bounds"), path + ".bounds") : null;
        if (b == null) {
            if (!f.containsKey("bounds")) {
                problems.add(path + ".bounds", "missing: range needs ascending bounds");
            }
            return null;
        }
        List<Object> bounds = new ArrayList<>();
        for (int i = 0; i < b.getValue().size(); i++) {
            Node n = b.getValue().get(i);
            String v = text(n, path + ".bounds[" + i + "]");
            if (v == null) {
                return null;
            }
            boolean quoted = n instanceof ScalarNode s && s.getTag().equals(Tag.STR) && !s.isPlain();
            if (!quoted && n.getTag().equals(Tag.FLOAT)) {
                problems.add(path + ".bounds[" + i + "]", "range bounds are integers or strings, got " + v
                        + " (quote it to compare keys as text)");
                return null;
            }
            if (!quoted && v.matches("-?\\d+")) {
                try {
                    bounds.add(Long.valueOf(v));
                } catch (NumberFormatException e) {
                    problems.add(path + ".bounds[" + i + "]", "bound " + v + " does not fit a 64-bit integer");
                    return null;
                }
            } else {
                bounds.add(v);
            }
        }
        return bounds;
    }
}
