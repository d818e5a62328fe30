package io.shardkit.config;

import io.shardkit.ShardMapException;
import io.shardkit.strategy.CustomStrategy;
import io.shardkit.strategy.HashStrategy;
import io.shardkit.strategy.ListStrategy;
import io.shardkit.strategy.ModStrategy;
import io.shardkit.strategy.RangeStrategy;
import io.shardkit.strategy.Strategy;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads a shard map from YAML (format: {@code shard-config/shard-map.schema.json}).
 *
 * <p>The file is composed into a node tree rather than bound to objects, so every value keeps its
 * line and every error can name its YAML path and line. All problems of a file are collected and
 * thrown together as one {@link ShardMapException}. {@code ${VAR}} and {@code ${VAR:-default}}
 * in any scalar are replaced from the environment before the value is read.
 */
public final class YamlShardMap {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");
    private static final Set<String> ROOT_KEYS =
            Set.of("shards", "pool", "tables", "defaultShard", "settings", "tenancy");
    private static final Set<String> TENANCY_KEYS = Set.of("mode", "schema", "logicalSchemas", "shared", "tenants",
            "role");
    private static final Set<String> SETTINGS_KEYS = Set.of("analysisCacheSize", "scatterThreads", "mergeRowLimit",
            "runtimeIdleTimeout", "runtimeConnectionCap", "mergeMemory");
    private static final Set<String> SHARD_KEYS =
            Set.of("name", "url", "user", "password", "properties", "pool", "readOnly", "tier", "admin", "create");
    private static final Set<String> ADMIN_KEYS = Set.of("user", "password");
    private static final Set<String> TABLE_KEYS = Set.of("key", "strategy", "broadcast", "shard", "archive");
    private static final Set<String> ARCHIVE_KEYS = Set.of("shards", "id", "lookup", "cutoff", "placement");
    private static final Set<String> CUTOFF_KEYS = Set.of("column", "age", "before", "below");
    private static final Set<String> PLACEMENT_KEYS = Set.of("column", "strategy");
    private static final Set<String> STRATEGY_KEYS =
            Set.of("type", "shards", "bounds", "values", "default", "class", "props");
    private static final List<String> TYPES = List.of("mod", "hash", "range", "list", "class");
    /** The keys each strategy type reads; any other strategy key would be silently ignored, so it is an error. */
    private static final Map<String, Set<String>> TYPE_KEYS = Map.of(
            "mod", Set.of("type", "shards"),
            "hash", Set.of("type", "shards"),
            "range", Set.of("type", "bounds", "shards"),
            "list", Set.of("type", "values", "default"),
            "class", Set.of("type", "class", "props", "shards"));

    private final String source;
    private final UnaryOperator<String> env;
    private final Map<String, Integer> lines = new HashMap<>();
    private Problems problems;

    private YamlShardMap(String source, UnaryOperator<String> env) {
        this.source = source;
        this.env = env;
    }

    /** The largest shard map read, in bytes: 10,000 shards take under 1 MiB. */
    public static final int MAX_BYTES = 2 * 1024 * 1024;

    public static ShardMap load(Path file) throws ShardMapException {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw tooLarge(file.toString(), size);
            }
        } catch (IOException e) {
            throw new ShardMapException(file.toString(), "cannot read: " + e, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString(), System::getenv);
        } catch (IOException e) {
            throw new ShardMapException(file.toString(), "cannot read: " + e, e);
        }
    }

    /**
     * @param source names the file in messages
     * @param env variable name → value, or {@code null} when unset
     */
    public static ShardMap load(InputStream in, String source, UnaryOperator<String> env) throws ShardMapException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ShardMapException(source, "cannot read: " + e, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw tooLarge(source, -1);
        }
        return new YamlShardMap(source, env).read(new String(bytes, StandardCharsets.UTF_8));
    }

    private static ShardMapException tooLarge(String source, long size) {
        return new ShardMapException(source, "(root): the file is " + (size < 0 ? "larger than " + MAX_BYTES + " bytes"
                : size + " bytes") + "; a shard map may be at most " + MAX_BYTES + " bytes (2 MiB; 10,000 shards take"
                + " under 1 MiB) (line 1)", null);
    }

    /**
     * Parses with bounds (size, depth, aliases, expansion: {@link YamlGuard}) so that a hostile
     * file is one error within milliseconds rather than a stack overflow or an exhausted heap.
     * The reader's buffer holds the whole text: with snakeyaml's default of 1,024 characters a
     * long scalar is re-copied once per kilobyte, which made a 4 MB value take seconds.
     */
    private ShardMap read(String text) throws ShardMapException {
        Optional<Node> root;
        LoadSettings settings = LoadSettings.builder().setLabel(source).setCodePointLimit(MAX_BYTES)
                .setMaxAliasesForCollections(YamlGuard.MAX_COLLECTION_ALIASES).setAllowRecursiveKeys(false)
                .setAllowDuplicateKeys(true).setBufferSize(text.length() + 1).build();
        YamlGuard guard = new YamlGuard(new ParserImpl(settings, new StreamReader(settings, text)));
        try {
            root = new Composer(settings, guard).getSingleNode();
        } catch (YamlGuard.Refusal e) {
            throw new ShardMapException(source, e.path + ": " + e.getMessage() + " (line " + e.line + ")", null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(guard.lastLine());
            String context = e.getContext() == null || e.getContext().isBlank() ? "" : e.getContext() + ", ";
            throw new ShardMapException(source, YamlGuard.shorten(guard.lastPath()) + ": not valid YAML after this value: "
                    + context + e.getProblem()
                    + " (line " + line + ")", null);
        } catch (YamlEngineException e) {
            throw new ShardMapException(source, YamlGuard.shorten(guard.lastPath()) + ": not valid YAML after this value: "
                    + firstLine(e)
                    + " (line " + guard.lastLine() + ")", null);
        } catch (StackOverflowError e) {
            // the guard's depth limit should make this unreachable; a crash must still be a map error
            throw new ShardMapException(source, YamlGuard.shorten(guard.lastPath()) + ": nested too deeply to read"
                    + " (line " + guard.lastLine() + ")", null);
        }
        if (root.isEmpty()) {
            throw new ShardMapException(source, "(root): the file is empty (line 1)", null);
        }
        index(root.get(), "");
        aliasTables();
        problems = new Problems(source, lines);
        MappingNode top = mapping(root.get(), "(root)");
        if (top == null) {
            problems.throwIfAny();
        }
        Map<String, Node> fields = fields(top, "", ROOT_KEYS);
        List<ShardSpec> shards = readShards(fields.get("shards"));
        Set<String> known = new TreeSet<>();
        for (ShardSpec s : shards) {
            known.add(s.name());
        }
        Map<String, Object> pool = readPool(fields.get("pool"), "pool");
        Map<String, TableRule> tables = readTables(fields.get("tables"), shards, known);
        String defaultShard = text(fields.get("defaultShard"), "defaultShard");
        ShardMap map = new ShardMap(shards, pool, tables, defaultShard, readSettings(fields.get("settings")),
                fields.containsKey("tenancy") ? readTenancy(fields.get("tenancy")) : null);
        map.validate(problems, false);
        problems.throwIfAny();
        return map;
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Records the line of every path, for messages. */
    private void index(Node node, String path) {
        node.getStartMark().ifPresent(m -> lines.putIfAbsent(path, m.getLine() + 1));
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                String key = scalar(t.getKeyNode());
                String child = path.isEmpty() ? key : path + "." + key;
                t.getKeyNode().getStartMark().ifPresent(mk -> lines.putIfAbsent(child, mk.getLine() + 1));
                if (t.getKeyNode() instanceof ScalarNode) {
                    index(t.getValueNode(), child);
                }
            }
        } else if (node instanceof SequenceNode s) {
            for (int i = 0; i < s.getValue().size(); i++) {
                index(s.getValue().get(i), path + "[" + i + "]");
            }
        }
    }

    /**
     * Tables are keyed in lower case, and {@link ShardMap#validate} names them so; give those
     * paths the lines of the table as written ({@code AuditLog} → {@code tables.auditlog}).
     */
    private void aliasTables() {
        Map<String, Integer> aliases = new HashMap<>();
        for (Map.Entry<String, Integer> e : lines.entrySet()) {
            String path = e.getKey();
            if (path.startsWith("tables.")) {
                int end = path.indexOf('.', 7);
                String table = end < 0 ? path.substring(7) : path.substring(7, end);
                String rest = end < 0 ? "" : path.substring(end);
                aliases.put("tables." + table.toLowerCase(Locale.ROOT) + rest, e.getValue());
            }
        }
        aliases.forEach(lines::putIfAbsent);
    }

    private List<ShardSpec> readShards(Node node) {
        List<ShardSpec> shards = new ArrayList<>();
        if (node == null) {
            problems.add("shards", "missing: at least one shard is needed");
            return shards;
        }
        SequenceNode seq = sequence(node, "shards");
        if (seq == null) {
            return shards;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "shards[" + i + "]";
            MappingNode m = mapping(seq.getValue().get(i), path);
            if (m == null) {
                continue;
            }
            Map<String, Node> f = fields(m, path, SHARD_KEYS);
            String name = required(f, path, "name", "every shard needs a name");
            String url = required(f, path, "url", "every shard needs a JDBC URL (jdbc:<driver>:<database>)");
            Map<String, String> props = values(f.get("properties"), path + ".properties");
            boolean readOnly = bool(f.get("readOnly"), path + ".readOnly");
            String tier = text(f.get("tier"), path + ".tier");
            ShardSpec spec = new ShardSpec(name == null ? "" : name, url == null ? "" : url,
                    text(f.get("user"), path + ".user"), text(f.get("password"), path + ".password"),
                    props, readPool(f.get("pool"), path + ".pool"), readOnly, tier, bool(f.get("create"), path + ".create"));
            if (f.containsKey("admin")) {
                // credentials of the archiver's writes, for a read-only shard whose user holds SELECT only
                MappingNode admin = mapping(f.get("admin"), path + ".admin");
                Map<String, Node> af = admin == null ? Map.of() : fields(admin, path + ".admin", ADMIN_KEYS);
                spec = admin == null ? spec : spec.withAdmin(text(af.get("user"), path + ".admin.user"),
                        text(af.get("password"), path + ".admin.password"));
            }
            shards.add(spec);
        }
        return shards;
    }

    /** The {@code tenancy:} section; its names are checked by {@link Tenancy}'s validation. */
    private Tenancy readTenancy(Node node) {
        MappingNode m = mapping(node, "tenancy");
        if (m == null) {
            return null;
        }
        Map<String, Node> f = fields(m, "tenancy", TENANCY_KEYS);
        String modeName = text(f.get("mode"), "tenancy.mode");
        Tenancy.Mode mode = modeName == null ? Tenancy.Mode.REWRITE : Tenancy.Mode.fromYaml(modeName);
        if (mode == null) {
            problems.add("tenancy.mode", "unknown mode '" + modeName + "' (known: rewrite, search_path, role)");
        }
        if (f.get("schema") instanceof MappingNode) {
            problems.add("tenancy.schema", "put the pattern in quotes (schema: '{tenant}'): unquoted, YAML reads {tenant}"
                    + " as a mapping");
        }
        String schema = required(f, "tenancy", "schema",
                "the tenant's schema name, with {tenant} where the tenant's name goes (for example tenant_{tenant})");
        return new Tenancy(mode, schema == null ? Tenancy.PLACEHOLDER : schema,
                names(f.get("logicalSchemas"), "tenancy.logicalSchemas"), names(f.get("shared"), "tenancy.shared"),
                names(f.get("tenants"), "tenancy.tenants"), text(f.get("role"), "tenancy.role"));
    }

    /** A list of single values; absent gives an empty list. */
    private List<String> names(Node node, String path) {
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

    private Settings readSettings(Node node) {
        Settings d = Settings.DEFAULTS;
        MappingNode m = node == null ? null : mapping(node, "settings");
        if (m == null) {
            return d;
        }
        Map<String, Node> f = fields(m, "settings", SETTINGS_KEYS);
        long cache = number(f.get("analysisCacheSize"), "settings.analysisCacheSize", d.analysisCacheSize(), 1);
        long threads = number(f.get("scatterThreads"), "settings.scatterThreads", d.scatterThreads(), 0);
        long rows = number(f.get("mergeRowLimit"), "settings.mergeRowLimit", d.mergeRowLimit(), 1);
        long idle = number(f.get("runtimeIdleTimeout"), "settings.runtimeIdleTimeout", d.runtimeIdleTimeout(), 1);
        long cap = number(f.get("runtimeConnectionCap"), "settings.runtimeConnectionCap", d.runtimeConnectionCap(), 1);
        long memory = bytes(f.get("mergeMemory"), "settings.mergeMemory", d.mergeMemory());
        return new Settings((int) Math.min(cache, Integer.MAX_VALUE), (int) Math.min(threads, 1024), rows, idle,
                (int) Math.min(cap, Integer.MAX_VALUE), memory);
    }

    private static final Pattern BYTES = Pattern.compile("(\\d{1,18})\\s*(B|KB|MB|GB|%)?", Pattern.CASE_INSENSITIVE);

    /** A size in bytes: {@code 67108864}, {@code 64MB}, {@code 512 KB}, {@code 1GB} (units of 1024), or {@code 25%} of the maximum heap. */
    private long bytes(Node node, String path, long fallback) {
        String v = text(node, path);
        if (v == null) {
            return fallback;
        }
        java.util.regex.Matcher m = BYTES.matcher(v.strip());
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

    private long number(Node node, String path, long fallback, long min) {
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

    private Map<String, Object> readPool(Node node, String path) {
        return new LinkedHashMap<>(values(node, path));
    }

    private Map<String, TableRule> readTables(Node node, List<ShardSpec> shards, Set<String> known) {
        Map<String, TableRule> tables = new LinkedHashMap<>();
        MappingNode m = node == null ? null : mapping(node, "tables");
        if (m == null) {
            return tables;
        }
        for (NodeTuple t : m.getValue()) {
            String table = scalar(t.getKeyNode()).toLowerCase(Locale.ROOT);
            String path = "tables." + scalar(t.getKeyNode());
            if (tables.containsKey(table)) {
                problems.add(path, "duplicate table '" + table + "'");
                continue;
            }
            MappingNode tm = mapping(t.getValueNode(), path);
            if (tm == null) {
                continue;
            }
            Map<String, Node> f = fields(tm, path, TABLE_KEYS);
            boolean broadcast = bool(f.get("broadcast"), path + ".broadcast");
            String pinned = text(f.get("shard"), path + ".shard");
            boolean sharded = f.containsKey("strategy") || f.containsKey("key");
            int kinds = (broadcast ? 1 : 0) + (pinned != null ? 1 : 0) + (sharded ? 1 : 0);
            if (kinds > 1) {
                problems.add(path, "a table is either sharded (key + strategy), broadcast: true, or pinned (shard: name); this one says more than one");
                continue;
            }
            if (broadcast) {
                tables.put(table, TableRule.broadcast(table));
            } else if (pinned != null) {
                tables.put(table, TableRule.pinned(table, pinned));
            } else {
                String key = required(f, path, "key",
                        "a sharded table needs a shard key column (or say broadcast: true or shard: <name>)");
                if (!f.containsKey("strategy")) {
                    problems.add(path + ".strategy", "missing: a sharded table needs a strategy (or say broadcast: true or shard: <name>)");
                    continue;
                }
                Strategy strategy = readStrategy(f.get("strategy"), path + ".strategy", shards, known);
                if (key != null && strategy != null) {
                    TableRule rule = TableRule.sharded(table, key, strategy);
                    if (f.containsKey("archive")) {
                        Archive archive = readArchive(f.get("archive"), path + ".archive", key, shards, known);
                        rule = archive == null ? rule : rule.withArchive(archive);
                    }
                    tables.put(table, rule);
                }
            }
        }
        return tables;
    }

    private Archive readArchive(Node node, String path, String key, List<ShardSpec> shards, Set<String> known) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = fields(m, path, ARCHIVE_KEYS);
        if (!f.containsKey("shards")) {
            problems.add(path + ".shards", "missing: name the archive shards in the order lookups try them");
            return null;
        }
        List<String> archiveShards = shardList(f.get("shards"), path + ".shards", known);
        String id = text(f.get("id"), path + ".id");
        String lookup = text(f.get("lookup"), path + ".lookup");
        if (lookup != null && !lookup.equals("first") && !lookup.equals("all")) {
            problems.add(path + ".lookup", "expected first or all, got '" + lookup + "'");
        }
        Cutoff cutoff = f.containsKey("cutoff") ? readCutoff(f.get("cutoff"), path + ".cutoff") : null;
        if (archiveShards.isEmpty()) {
            return null;
        }
        Archive archive = new Archive(archiveShards, id == null ? key : id, "all".equals(lookup), cutoff, null, null);
        if (f.containsKey("placement")) {
            MappingNode pm = mapping(f.get("placement"), path + ".placement");
            if (pm != null) {
                Map<String, Node> pf = fields(pm, path + ".placement", PLACEMENT_KEYS);
                String column = required(pf, path + ".placement", "column", "the column whose value picks the archive shard");
                Strategy placement = pf.containsKey("strategy")
                        ? readStrategy(pf.get("strategy"), path + ".placement.strategy", shards, known) : null;
                if (!pf.containsKey("strategy")) {
                    problems.add(path + ".placement.strategy", "missing: the strategy that picks an archive shard by "
                            + (column == null ? "the column" : column));
                }
                if (column != null && placement != null) {
                    for (String s : placement.shards()) {
                        if (!archiveShards.contains(s)) {
                            problems.add(path + ".placement.strategy", "places rows on '" + s
                                    + "', which is not one of the archive shards " + archiveShards);
                        }
                    }
                    archive = archive.placedBy(column, placement);
                }
            }
        }
        return archive;
    }

    private Cutoff readCutoff(Node node, String path) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = fields(m, path, CUTOFF_KEYS);
        String column = required(f, path, "column", "the column that tells archive rows from hot rows");
        String age = text(f.get("age"), path + ".age");
        String before = text(f.get("before"), path + ".before");
        String below = text(f.get("below"), path + ".below");
        int given = (age != null ? 1 : 0) + (before != null ? 1 : 0) + (below != null ? 1 : 0);
        if (given != 1) {
            problems.add(path, "a cutoff needs exactly one of age (90d), before (a date) or below (an id watermark)");
            return null;
        }
        try {
            if (column == null) {
                return null;
            }
            if (age != null) {
                return Cutoff.age(column, Cutoff.parseAge(age));
            }
            if (before != null) {
                return Cutoff.before(column, before);
            }
            return Cutoff.below(column, Long.parseLong(below.strip()));
        } catch (NumberFormatException e) {
            problems.add(path + ".below", "expected a whole number, got '" + below + "'");
        } catch (IllegalArgumentException e) {
            problems.add(path + (age != null ? ".age" : ".before"), e.getMessage());
        }
        return null;
    }

    private Strategy readStrategy(Node node, String path, List<ShardSpec> shards, Set<String> known) {
        MappingNode m = mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = fields(m, path, STRATEGY_KEYS);
        String type = text(f.get("type"), path + ".type");
        String className = text(f.get("class"), path + ".class");
        if (type == null) {
            type = className != null ? "class" : null;
        }
        if (type == null) {
            problems.add(path + ".type", "missing (one of " + String.join(", ", TYPES) + ")");
            return null;
        }
        if (!TYPES.contains(type)) {
            problems.add(path + ".type", "unknown strategy '" + type + "' (known: " + String.join(", ", TYPES) + ")");
            return null;
        }
        Set<String> takes = TYPE_KEYS.get(type);
        for (String k : f.keySet()) {
            if (!takes.contains(k)) {
                problems.add(path + "." + k, "'" + k + "' does not apply to a " + type + " strategy (" + type
                        + " takes: " + String.join(", ", new TreeSet<>(takes)) + ")");
            }
        }
        List<String> shardList = f.containsKey("shards") ? shardList(f.get("shards"), path + ".shards", known) : null;
        List<String> all = new ArrayList<>();
        for (ShardSpec s : shards) {
            all.add(s.name());
        }
        List<String> over = shardList == null || shardList.isEmpty() ? all : shardList;
        try {
            switch (type) {
                case "mod":
                    return new ModStrategy(over);
                case "hash":
                    return new HashStrategy(over);
                case "range":
                    return range(f, path, shardList);
                case "list":
                    return list(f, path, known);
                default:
                    return custom(f, path, className, over);
            }
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
    }

    private Strategy range(Map<String, Node> f, String path, List<String> shardList) {
        if (shardList == null) {
            problems.add(path + ".shards", "missing: range needs shards (one more than bounds)");
            return null;
        }
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
                continue;
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
        return new RangeStrategy(bounds, shardList);
    }

    private Strategy list(Map<String, Node> f, String path, Set<String> known) {
        Map<String, String> values = values(f.get("values"), path + ".values");
        for (Map.Entry<String, String> e : values.entrySet()) {
            ShardMap.checkShard(problems, path + ".values." + e.getKey(), e.getValue(), known);
        }
        String def = text(f.get("default"), path + ".default");
        if (def != null) {
            ShardMap.checkShard(problems, path + ".default", def, known);
        }
        return new ListStrategy(values, def);
    }

    private Strategy custom(Map<String, Node> f, String path, String className, List<String> shardList) {
        if (className == null) {
            problems.add(path + ".class", "missing: type class needs the name of a class implementing ShardChooser, IdChooser or QueryChooser");
            return null;
        }
        Map<String, String> props = values(f.get("props"), path + ".props");
        Object chooser = instantiate(className, path + ".class", shardList, props);
        if (chooser == null) {
            return null;
        }
        return new CustomStrategy(chooser, shardList, props);
    }

    /**
     * Makes the chooser a {@code class:} strategy names. The class is looked up without running
     * its static initializer, checked for a chooser interface, and only then initialised, so a
     * class that is not a chooser never runs code; a static initializer that throws says so.
     */
    private Object instantiate(String className, String path, List<String> shards, Map<String, String> props) {
        Class<?> type;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : YamlShardMap.class.getClassLoader();
        try {
            type = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            problems.add(path, "class " + className + " not found on the class path");
            return null;
        } catch (LinkageError e) {
            problems.add(path, "class " + className + " cannot be loaded: " + e);
            return null;
        }
        if (!io.shardkit.ShardChooser.class.isAssignableFrom(type) && !io.shardkit.IdChooser.class.isAssignableFrom(type)
                && !io.shardkit.QueryChooser.class.isAssignableFrom(type)) {
            problems.add(path, "class " + className + " implements none of ShardChooser, IdChooser, QueryChooser");
            return null;
        }
        if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers())) {
            problems.add(path, "class " + className + " is " + (type.isInterface() ? "an interface" : "abstract")
                    + "; name a concrete class");
            return null;
        }
        try {
            Class.forName(className, true, loader);
        } catch (ExceptionInInitializerError e) {
            problems.add(path, "class " + className + " failed in its static initializer: " + e.getCause());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            // NoClassDefFoundError: its static initializer failed before, in this class loader
            problems.add(path, "class " + className + " cannot be initialised: " + e);
            return null;
        }
        try {
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] p = c.getParameterTypes();
                if (p.length == 2 && p[0] == List.class && p[1] == Map.class) {
                    return c.newInstance(List.copyOf(shards), Map.copyOf(props));
                }
            }
            for (Constructor<?> c : type.getConstructors()) {
                Class<?>[] p = c.getParameterTypes();
                if (p.length == 1 && p[0] == Map.class) {
                    return c.newInstance(Map.copyOf(props));
                }
            }
            for (Constructor<?> c : type.getConstructors()) {
                if (c.getParameterCount() == 0) {
                    return c.newInstance();
                }
            }
        } catch (InvocationTargetException e) {
            problems.add(path, "class " + className + " failed to start: its constructor threw " + e.getCause());
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            problems.add(path, "class " + className + " cannot be made: " + e);
            return null;
        }
        problems.add(path, "class " + className
                + " needs a public constructor (List<String> shards, Map<String,String> props), (Map<String,String> props) or ()");
        return null;
    }

    private List<String> shardList(Node node, String path, Set<String> known) {
        SequenceNode seq = sequence(node, path);
        if (seq == null) {
            return List.of();
        }
        List<String> list = new ArrayList<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String shard = text(seq.getValue().get(i), path + "[" + i + "]");
            if (shard == null) {
                continue;
            }
            ShardMap.checkShard(problems, path + "[" + i + "]", shard, known);
            list.add(shard);
        }
        if (list.isEmpty()) {
            problems.add(path, "empty: name at least one shard");
        }
        return list;
    }

    // ---- node access with error reporting ----

    private Map<String, Node> fields(MappingNode m, String path, Set<String> allowed) {
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
    private String required(Map<String, Node> f, String path, String key, String why) {
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
    private Map<String, String> values(Node node, String path) {
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

    private MappingNode mapping(Node node, String path) {
        if (node instanceof MappingNode m) {
            return m;
        }
        problems.add(path, "expected a mapping (key: value lines)");
        return null;
    }

    private SequenceNode sequence(Node node, String path) {
        if (node instanceof SequenceNode s) {
            return s;
        }
        problems.add(path, "expected a list");
        return null;
    }

    /** A key's text; a mapping or list used as a key is named by its kind, not printed. */
    private static String scalar(Node node) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        return node instanceof MappingNode ? "(a mapping)" : "(a list)";
    }

    /** The interpolated text of a scalar, {@code null} for a missing node or YAML null. */
    private String text(Node node, String path) {
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

    private boolean bool(Node node, String path) {
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
}
