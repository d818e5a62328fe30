package io.shardkit.config;

import io.shardkit.ShardMapException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
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
    private static final Set<String> ROOT_KEYS =
            Set.of("shards", "pool", "tables", "defaultShard", "settings", "tenancy", "resharding");
    private static final Set<String> RESHARDING_KEYS = Set.of("control", "poll", "listen");
    private static final Set<String> TENANCY_KEYS = Set.of("mode", "schema", "logicalSchemas", "shared", "tenants",
            "role");
    private static final Set<String> SETTINGS_KEYS = Set.of("analysisCacheSize", "scatterThreads", "mergeRowLimit",
            "runtimeIdleTimeout", "runtimeConnectionCap", "mergeMemory");
    private static final Set<String> SHARD_KEYS =
            Set.of("name", "url", "user", "password", "properties", "pool", "readOnly", "tier", "admin", "create");
    private static final Set<String> ADMIN_KEYS = Set.of("user", "password");

    private final String source;
    private final UnaryOperator<String> env;
    private final Map<String, Integer> lines = new HashMap<>();
    private Problems problems;
    private YamlNodes nodes;

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
        nodes = new YamlNodes(problems, env);
        MappingNode top = nodes.mapping(root.get(), "(root)");
        if (top == null) {
            problems.throwIfAny();
        }
        Map<String, Node> fields = nodes.fields(top, "", ROOT_KEYS);
        List<ShardSpec> shards = readShards(fields.get("shards"));
        Set<String> known = new TreeSet<>();
        for (ShardSpec s : shards) {
            known.add(s.name());
        }
        Map<String, Object> pool = readPool(fields.get("pool"), "pool");
        Map<String, TableRule> tables = new TableReader(problems, nodes, new StrategyReader(problems, nodes))
                .readTables(fields.get("tables"), shards, known);
        String defaultShard = nodes.text(fields.get("defaultShard"), "defaultShard");
        ShardMap map = new ShardMap(shards, pool, tables, defaultShard, readSettings(fields.get("settings")),
                fields.containsKey("tenancy") ? readTenancy(fields.get("tenancy")) : null,
                fields.containsKey("resharding") ? readResharding(fields.get("resharding")) : null);
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
                String key = YamlNodes.scalar(t.getKeyNode());
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
        SequenceNode seq = nodes.sequence(node, "shards");
        if (seq == null) {
            return shards;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "shards[" + i + "]";
            MappingNode m = nodes.mapping(seq.getValue().get(i), path);
            if (m == null) {
                continue;
            }
            Map<String, Node> f = nodes.fields(m, path, SHARD_KEYS);
            String name = nodes.required(f, path, "name", "every shard needs a name");
            String url = nodes.required(f, path, "url", "every shard needs a JDBC URL (jdbc:<driver>:<database>)");
            Map<String, String> props = nodes.values(f.get("properties"), path + ".properties");
            boolean readOnly = nodes.bool(f.get("readOnly"), path + ".readOnly");
            String tier = nodes.text(f.get("tier"), path + ".tier");
            ShardSpec spec = new ShardSpec(name == null ? "" : name, url == null ? "" : url,
                    nodes.text(f.get("user"), path + ".user"), nodes.text(f.get("password"), path + ".password"),
                    props, readPool(f.get("pool"), path + ".pool"), readOnly, tier, nodes.bool(f.get("create"), path + ".create"));
            if (f.containsKey("admin")) {
                // credentials of the archiver's writes, for a read-only shard whose user holds SELECT only
                MappingNode admin = nodes.mapping(f.get("admin"), path + ".admin");
                Map<String, Node> af = admin == null ? Map.of() : nodes.fields(admin, path + ".admin", ADMIN_KEYS);
                spec = admin == null ? spec : spec.withAdmin(nodes.text(af.get("user"), path + ".admin.user"),
                        nodes.text(af.get("password"), path + ".admin.password"));
            }
            shards.add(spec);
        }
        return shards;
    }

    /** The {@code tenancy:} section; its names are checked by {@link Tenancy}'s validation. */
    private Tenancy readTenancy(Node node) {
        MappingNode m = nodes.mapping(node, "tenancy");
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, "tenancy", TENANCY_KEYS);
        String modeName = nodes.text(f.get("mode"), "tenancy.mode");
        Tenancy.Mode mode = modeName == null ? Tenancy.Mode.REWRITE : Tenancy.Mode.fromYaml(modeName);
        if (mode == null) {
            problems.add("tenancy.mode", "unknown mode '" + modeName + "' (known: rewrite, search_path, role)");
        }
        if (f.get("schema") instanceof MappingNode) {
            problems.add("tenancy.schema", "put the pattern in quotes (schema: '{tenant}'): unquoted, YAML reads {tenant}"
                    + " as a mapping");
        }
        String schema = nodes.required(f, "tenancy", "schema",
                "the tenant's schema name, with {tenant} where the tenant's name goes (for example tenant_{tenant})");
        return new Tenancy(mode, schema == null ? Tenancy.PLACEHOLDER : schema,
                nodes.names(f.get("logicalSchemas"), "tenancy.logicalSchemas"), nodes.names(f.get("shared"), "tenancy.shared"),
                nodes.names(f.get("tenants"), "tenancy.tenants"), nodes.text(f.get("role"), "tenancy.role"));
    }

    /** The {@code resharding:} section; the control shard is checked by {@link ShardMap#validate}. */
    private Resharding readResharding(Node node) {
        MappingNode m = nodes.mapping(node, "resharding");
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, "resharding", RESHARDING_KEYS);
        String control = nodes.required(f, "resharding", "control", "the shard that holds the control table shardkit_map");
        String poll = nodes.text(f.get("poll"), "resharding.poll");
        Duration every = Resharding.DEFAULT_POLL;
        if (poll != null) {
            try {
                String t = poll.strip();
                every = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()))
                        : Cutoff.parseAge(t);
            } catch (IllegalArgumentException e) {
                problems.add("resharding.poll", "'" + poll + "' is not a duration (write 5s, 500ms, 1m or PT5S)");
            }
        }
        boolean listen = !f.containsKey("listen") || nodes.bool(f.get("listen"), "resharding.listen");
        return control == null ? null : new Resharding(control, every, listen);
    }

    private Settings readSettings(Node node) {
        Settings d = Settings.DEFAULTS;
        MappingNode m = node == null ? null : nodes.mapping(node, "settings");
        if (m == null) {
            return d;
        }
        Map<String, Node> f = nodes.fields(m, "settings", SETTINGS_KEYS);
        long cache = nodes.number(f.get("analysisCacheSize"), "settings.analysisCacheSize", d.analysisCacheSize(), 1);
        long threads = nodes.number(f.get("scatterThreads"), "settings.scatterThreads", d.scatterThreads(), 0);
        long rows = nodes.number(f.get("mergeRowLimit"), "settings.mergeRowLimit", d.mergeRowLimit(), 1);
        long idle = nodes.number(f.get("runtimeIdleTimeout"), "settings.runtimeIdleTimeout", d.runtimeIdleTimeout(), 1);
        long cap = nodes.number(f.get("runtimeConnectionCap"), "settings.runtimeConnectionCap", d.runtimeConnectionCap(), 1);
        long memory = nodes.bytes(f.get("mergeMemory"), "settings.mergeMemory", d.mergeMemory());
        return new Settings((int) Math.min(cache, Integer.MAX_VALUE), (int) Math.min(threads, 1024), rows, idle,
                (int) Math.min(cap, Integer.MAX_VALUE), memory);
    }

    private Map<String, Object> readPool(Node node, String path) {
        return new LinkedHashMap<>(nodes.values(node, path));
    }

}
