package io.shardkit.config;

import io.shardkit.sql.Dialect;
import io.shardkit.strategy.Strategy;
import io.shardkit.strategy.SplitRule;
import io.shardkit.strategy.SplitRules;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a table's {@code split:} mapping ({@code by}, {@code as}, {@code name}, {@code create},
 * {@code template}) into a {@link TableSplit}. The rule is built for the name pattern's
 * placeholder, which must fit the rule's type. Problems are added with their YAML path.
 */
final class SplitReader {
    private static final Set<String> SPLIT_KEYS = Set.of("by", "as", "name", "create", "template");
    private static final Set<String> AS_KEYS = Set.of("type", "class", "count", "bounds", "values", "chars", "zone");
    private static final List<String> TYPES =
            List.of("mod", "hash", "range", "list", "md5", "day", "week", "month", "year", "class");
    private static final Map<String, Set<String>> TYPE_KEYS = Map.of(
            "mod", Set.of("type", "count"),
            "hash", Set.of("type", "count"),
            "range", Set.of("type", "bounds"),
            "list", Set.of("type", "values"),
            "md5", Set.of("type", "chars"),
            "class", Set.of("type", "class"));
    private static final Set<String> CALENDAR_KEYS = Set.of("type", "zone");
    /** The most periods {@code create: {ahead: N}} makes ahead of the current one. */
    static final int MAX_AHEAD = 1000;

    private final Problems problems;
    private final YamlNodes nodes;

    SplitReader(Problems problems, YamlNodes nodes) {
        this.problems = problems;
        this.nodes = nodes;
    }

    /**
     * @param key the table's key column, the default split column; may be {@code null}
     * @param dialects the dialects of the table's shards, which a template must suit
     */
    TableSplit read(Node node, String path, String table, String key, Set<Dialect> dialects) {
        MappingNode m = nodes.mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, path, SPLIT_KEYS);
        String by = nodes.text(f.get("by"), path + ".by");
        if (by == null || by.isBlank()) {
            by = key;
        }
        if (by == null) {
            problems.add(path + ".by", "missing: the column whose value picks the physical table (the table has no key to default to)");
        }
        String name = nodes.required(f, path, "name", "the physical table name pattern, e.g. \"" + table + "_{n:02}\"");
        if (!f.containsKey("as")) {
            problems.add(path + ".as", "missing: the split rule, e.g. {type: mod, count: 16} (types: "
                    + String.join(", ", TYPES) + ")");
        }
        TableSplit.Placeholder placeholder = null;
        if (name != null) {
            try {
                placeholder = TableSplit.placeholder(name);
            } catch (IllegalArgumentException e) {
                problems.add(path + ".name", e.getMessage());
            }
        }
        String[] type = new String[1];
        SplitRule rule = f.containsKey("as") && placeholder != null
                ? readRule(f.get("as"), path + ".as", path + ".name", placeholder, type) : null;
        boolean calendar = rule != null && SplitRules.isCalendar(rule);
        TableSplit.Create create = TableSplit.Create.NEVER;
        int ahead = 0;
        Node c = f.get("create");
        if (c instanceof MappingNode cm) {
            Map<String, Node> cf = nodes.fields(cm, path + ".create", Set.of("ahead"));
            if (!cf.containsKey("ahead")) {
                problems.add(path + ".create.ahead", "missing: how many periods ahead of the current one to create");
            }
            long n = nodes.number(cf.get("ahead"), path + ".create.ahead", 0, 0);
            if (n > MAX_AHEAD) {
                problems.add(path + ".create.ahead", "at most " + MAX_AHEAD + " periods ahead, got " + n);
            }
            ahead = (int) Math.min(n, MAX_AHEAD);
            create = TableSplit.Create.AHEAD;
            if (rule != null && !calendar) {
                problems.add(path + ".create", "create: {ahead: N} is for calendar splits (day, week, month, year), not "
                        + rule.describe() + "; use never or onFirstWrite");
                rule = null;
            }
        } else if (c != null) {
            String v = nodes.text(c, path + ".create");
            if ("onFirstWrite".equals(v)) {
                create = TableSplit.Create.ON_FIRST_WRITE;
            } else if (v != null && !"never".equals(v)) {
                problems.add(path + ".create", "expected never, onFirstWrite or {ahead: N}, got '" + v + "'");
            }
        }
        String template = nodes.text(f.get("template"), path + ".template");
        List<String> statements = List.of();
        if (template != null) {
            template = template.strip();
            if (template.isEmpty()) {
                problems.add(path + ".template", "empty: name a SQL file written for table " + table
                        + " (CREATE TABLE " + table + " (...); CREATE INDEX ...)");
                return null;
            }
            if (create == TableSplit.Create.NEVER) {
                problems.add(path + ".template", "a template makes the tables shardkit creates, and create is never"
                        + " (the default): set create to onFirstWrite or {ahead: N}, or remove the template");
                return null;
            }
            statements = SplitTemplateFile.load(problems, path + ".template", template, table, dialects);
            if (statements == null) {
                return null;
            }
        }
        if (rule == null || by == null || name == null) {
            return null;
        }
        TableSplit split;
        try {
            split = new TableSplit(by, rule, name, create, ahead, template, statements);
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
        if (split.suffixOf(table) != null || producesTable(split, table)) {
            problems.add(path + ".name", "the pattern '" + name + "' names a physical table '" + table
                    + "', the same as the logical table; give the physical tables a different name");
            return null;
        }
        return split;
    }

    /** The dialects of the map's shards a strategy places rows on (none when it is not known). */
    static Set<Dialect> dialects(Strategy strategy, List<ShardSpec> shards) {
        Set<Dialect> out = EnumSet.noneOf(Dialect.class);
        for (ShardSpec s : shards) {
            if (strategy != null && s.url() != null && strategy.shards().contains(s.name())) {
                out.add(Dialect.fromUrl(s.url()));
            }
        }
        return out;
    }

    private static boolean producesTable(TableSplit split, String table) {
        List<String> all = split.rule().suffixes();
        if (all == null || all.size() > 100_000) {
            return false;
        }
        for (String s : all) {
            if (split.physical(s).equals(table)) {
                return true;
            }
        }
        return false;
    }

    private SplitRule readRule(Node node, String path, String namePath, TableSplit.Placeholder p, String[] typeOut) {
        MappingNode m = nodes.mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, path, AS_KEYS);
        String className = nodes.text(f.get("class"), path + ".class");
        String type = nodes.type(f, path, className, TYPES, TYPE_KEYS, CALENDAR_KEYS, "split type", "split");
        if (type == null) {
            return null;
        }
        typeOut[0] = type;
        String wanted = switch (type) {
            case "mod", "hash", "range" -> "number";
            case "list" -> "name";
            case "md5" -> "hex";
            case "class" -> p.kind().equals("calendar") ? "name" : p.kind();
            default -> "calendar";
        };
        if (!wanted.equals(p.kind())) {
            problems.add(namePath, "the placeholder {" + p.text() + "} does not fit a " + type + " split (use "
                    + switch (wanted) {
                        case "number" -> "{n} or {n:0W}";
                        case "name" -> type.equals("class") ? "{name}, {n} or {hex}" : "{name}";
                        case "hex" -> "{hex}";
                        default -> "{" + String.join("}, {", SplitRules.calendarLayouts().get(type)) + "}";
                    } + ")");
            return null;
        }
        try {
            return switch (type) {
                case "mod", "hash" -> {
                    int n = count(f, path);
                    yield n < 1 ? null : type.equals("mod") ? SplitRules.mod(n, p.width()) : SplitRules.hash(n, p.width());
                }
                case "range" -> range(f, path, p.width());
                case "list" -> list(f, path);
                case "md5" -> md5(f, path);
                case "class" -> custom(className, path + ".class");
                default -> calendar(type, f, path, namePath, p.text());
            };
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    private int count(Map<String, Node> f, String path) {
        if (!f.containsKey("count")) {
            problems.add(path + ".count", "missing: how many physical tables (at least 1)");
            return 0;
        }
        long n = nodes.number(f.get("count"), path + ".count", 0, 1);
        if (n > 100_000) {
            problems.add(path + ".count", "at most 100000 physical tables per shard, got " + n);
            return 0;
        }
        return (int) n;
    }

    private SplitRule md5(Map<String, Node> f, String path) {
        if (!f.containsKey("chars")) {
            problems.add(path + ".chars", "missing: how many hex characters of the MD5 name a table (1 to 8)");
            return null;
        }
        long n = nodes.number(f.get("chars"), path + ".chars", 0, 1);
        if (n > 8) {
            problems.add(path + ".chars", "expected 1 to 8 hex characters, got " + n);
        }
        return n < 1 || n > 8 ? null : SplitRules.md5((int) n);
    }

    private SplitRule calendar(String type, Map<String, Node> f, String path, String namePath, String layout) {
        ZoneId zone = ZoneOffset.UTC;
        String z = nodes.text(f.get("zone"), path + ".zone");
        if (z != null) {
            try {
                zone = ZoneId.of(z.strip());
            } catch (DateTimeException e) {
                problems.add(path + ".zone", "unknown time zone '" + z + "' (write a region such as Asia/Tokyo, or UTC)");
                return null;
            }
        }
        if (!SplitRules.calendarLayouts().get(type).contains(layout)) {
            problems.add(namePath, "the placeholder {" + layout + "} does not fit a " + type + " split (use {"
                    + String.join("}, {", SplitRules.calendarLayouts().get(type)) + "})");
            return null;
        }
        return SplitRules.calendar(type, zone, layout);
    }

    private SplitRule range(Map<String, Node> f, String path, int width) {
        List<Object> bounds = nodes.rangeBounds(f, path);
        if (bounds == null) {
            return null;
        }
        return SplitRules.range(bounds, width);
    }

    private SplitRule list(Map<String, Node> f, String path) {
        MappingNode m = f.containsKey("values") ? nodes.mapping(f.get("values"), path + ".values") : null;
        if (m == null) {
            if (!f.containsKey("values")) {
                problems.add(path + ".values", "missing: table name → values, e.g. {eu: [de, fr], us: [us]}");
            }
            return null;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = YamlNodes.scalar(t.getKeyNode());
            String p = path + ".values." + k;
            if (!k.matches("[A-Za-z0-9_]+")) {
                problems.add(p, "a list split name is letters, digits and _ (it becomes part of a table name), got '" + k + "'");
                return null;
            }
            List<String> vs;
            if (t.getValueNode() instanceof SequenceNode) {
                vs = nodes.names(t.getValueNode(), p);
            } else {
                String v = nodes.text(t.getValueNode(), p);
                vs = v == null ? List.of() : List.of(v);
            }
            values.put(k, vs);
        }
        return SplitRules.list(values);
    }

    /** A user's {@link SplitRule}: checked to be one before it is initialised, made with its public no-arg constructor. */
    private SplitRule custom(String className, String path) {
        if (className == null) {
            problems.add(path, "missing: type class needs the name of a class implementing io.shardkit.strategy.SplitRule");
            return null;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : SplitReader.class.getClassLoader();
        Class<?> type;
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            problems.add(path, "class " + className + " not found on the class path");
            return null;
        } catch (LinkageError e) {
            problems.add(path, "class " + className + " cannot be loaded: " + e);
            return null;
        }
        if (!SplitRule.class.isAssignableFrom(type)) {
            problems.add(path, "class " + className + " does not implement io.shardkit.strategy.SplitRule");
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            problems.add(path, "class " + className + " is " + (type.isInterface() ? "an interface" : "abstract")
                    + "; name a concrete class");
            return null;
        }
        try {
            Constructor<?> c = type.getConstructor();
            return (SplitRule) c.newInstance();
        } catch (NoSuchMethodException e) {
            problems.add(path, "class " + className + " needs a public no-arg constructor");
        } catch (InvocationTargetException e) {
            problems.add(path, "class " + className + " failed to start: its constructor threw " + e.getCause());
        } catch (ExceptionInInitializerError e) {
            problems.add(path, "class " + className + " failed in its static initializer: " + e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            problems.add(path, "class " + className + " cannot be made: " + e);
        }
        return null;
    }
}
