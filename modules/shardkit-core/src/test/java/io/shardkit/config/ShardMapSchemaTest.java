package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion.VersionFlag;
import com.networknt.schema.ValidationMessage;
import io.shardkit.ShardChoice;
import io.shardkit.ShardChooser;
import io.shardkit.ShardMapException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code shard-config/shard-map.schema.json} describes what {@link YamlShardMap} accepts: every
 * YAML file of the repository validates against it, its pool settings are exactly
 * {@link PoolSettings#KNOWN}, and on a set of edge cases the schema and the loader agree.
 */
class ShardMapSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path root;
    private static JsonNode schemaNode;
    private static JsonSchema schema;

    @BeforeAll
    static void readSchema() throws IOException {
        String rootProperty = System.getProperty("shardkit.repo.root");
        assertThat(rootProperty).as("system property shardkit.repo.root (set by surefire)").isNotBlank();
        root = Path.of(rootProperty);
        schemaNode = JSON.readTree(root.resolve("shard-config/shard-map.schema.json").toFile());
        schema = JsonSchemaFactory.getInstance(VersionFlag.V202012).getSchema(schemaNode);
    }

    @Test
    void schemaIsValidDraft202012() {
        JsonSchema meta = JsonSchemaFactory.getInstance(VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(meta.validate(schemaNode)).isEmpty();
    }

    @Test
    void everyYamlFileOfTheRepositoryMatchesTheSchema() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).as("YAML files under " + root + " (none found: the walk is broken)").isNotEmpty();
        assertThat(files).as("the example map is among them").contains(root.resolve("shard-config/game-sqlite.yaml"));

        Map<Path, Set<String>> failures = new TreeMap<>();
        for (Path file : files) {
            Set<String> errors = errors(Files.readString(file));
            if (!errors.isEmpty()) {
                failures.put(root.relativize(file), errors);
            }
        }
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder("YAML files that do not match shard-map.schema.json:");
            failures.forEach((file, errors) -> {
                sb.append("\n").append(file);
                errors.forEach(e -> sb.append("\n    ").append(e));
            });
            fail(sb.toString());
        }
    }

    @Test
    void refusesUnknownTopLevelKeyAndShardWithoutUrl() {
        Set<String> errors = errors("""
                shards:
                  - name: s0
                tables:
                  players: {broadcast: true}
                colour: blue
                """);
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("colour"));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains("$.shards[0]").contains("url"));
    }

    /** Drift guard: the schema's pool settings and their types are those of {@link PoolSettings#KNOWN}. */
    @Test
    void poolSettingsAreThoseOfPoolSettings() {
        JsonNode props = schemaNode.at("/$defs/pool/properties");
        Set<String> names = new TreeSet<>();
        props.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(PoolSettings.KNOWN.keySet());

        Map<Class<?>, String> refs = Map.of(Integer.class, "#/$defs/int32", Long.class, "#/$defs/int64",
                Boolean.class, "#/$defs/boolean", String.class, "#/$defs/scalar");
        PoolSettings.KNOWN.forEach((name, type) ->
                assertThat(props.get(name).path("$ref").asText()).as(name).isEqualTo(refs.get(type)));
    }

    /** Every property of the schema says what it is for. */
    @Test
    void everyPropertyHasADescription() {
        List<String> missing = new ArrayList<>();
        describeCheck(schemaNode, "", missing);
        assertThat(missing).isEmpty();
    }

    /** Edge cases on which the schema and the loader must give the same verdict. */
    static List<Object[]> cases() {
        String shard = "shards:\n  - name: s0\n    url: jdbc:sqlite:target/t/s0.db\n  - name: s1\n    url: jdbc:sqlite:target/t/s1.db\n";
        String pg = "shards:\n  - name: s0\n    url: jdbc:postgresql://127.0.0.1:1/app\n";
        return List.of(
                new Object[] {"minimal", true, shard},
                new Object[] {"no shards", false, "tables: {}\n"},
                new Object[] {"empty shard list", false, "shards: []\n"},
                new Object[] {"unknown shard key", false, shard + "    colour: blue\n"},
                new Object[] {"url without jdbc:", false, "shards:\n  - name: s0\n    url: sqlite:x.db\n"},
                new Object[] {"url from a variable", true, "shards:\n  - name: s0\n    url: ${URL:-jdbc:sqlite:x.db}\n"},
                new Object[] {"tier archive", true, shard + "    tier: archive\n"},
                new Object[] {"tier warm", false, shard + "    tier: warm\n"},
                new Object[] {"readOnly as text", true, shard + "    readOnly: 'true'\n"},
                new Object[] {"readOnly yes", false, shard + "    readOnly: yes\n"},
                new Object[] {"driver properties", true, shard + "    properties: {ssl: true, loginTimeout: 5}\n"},
                new Object[] {"driver property without value", false, shard + "    properties: {ssl: }\n"},
                new Object[] {"pool", true, shard + "pool: {maximumPoolSize: 4, connectionTimeout: '30000', registerMbeans: false}\n"},
                new Object[] {"pool from variables", true, shard + "pool: {maximumPoolSize: '${POOL:-4}', registerMbeans: '${JMX:-true}'}\n"},
                new Object[] {"unknown pool setting", false, shard + "pool: {maxPoolSize: 4}\n"},
                new Object[] {"pool value not a number", false, shard + "pool: {idleTimeout: soon}\n"},
                new Object[] {"pool size too big", false, shard + "pool: {maximumPoolSize: 3000000000}\n"},
                new Object[] {"broadcast", true, shard + "tables: {items: {broadcast: true}}\n"},
                new Object[] {"broadcast false alone", false, shard + "tables: {items: {broadcast: false}}\n"},
                new Object[] {"broadcast with a key", false, shard + "tables: {items: {broadcast: true, key: id}}\n"},
                new Object[] {"pinned", true, shard + "tables: {log: {shard: s1}}\n"},
                new Object[] {"pinned and broadcast", false, shard + "tables: {log: {shard: s1, broadcast: true}}\n"},
                new Object[] {"sharded without key", false, shard + "tables: {p: {strategy: {type: mod}}}\n"},
                new Object[] {"sharded without strategy", false, shard + "tables: {p: {key: id}}\n"},
                new Object[] {"unknown table key", false, shard + "tables: {p: {key: id, strategy: {type: mod}, colour: 1}}\n"},
                new Object[] {"mod", true, shard + "tables: {p: {key: id, strategy: {type: mod, shards: [s0, s1]}}}\n"},
                new Object[] {"hash over every shard", true, shard + "tables: {p: {key: id, strategy: {type: hash}}}\n"},
                new Object[] {"mod with empty shards", false, shard + "tables: {p: {key: id, strategy: {type: mod, shards: []}}}\n"},
                new Object[] {"mod with a default", false, shard + "tables: {p: {key: id, strategy: {type: mod, default: s0}}}\n"},
                new Object[] {"unknown strategy type", false, shard + "tables: {p: {key: id, strategy: {type: modulo}}}\n"},
                new Object[] {"strategy without type", false, shard + "tables: {p: {key: id, strategy: {shards: [s0]}}}\n"},
                new Object[] {"range", true, shard + "tables: {p: {key: id, strategy: {type: range, bounds: [10, 20], shards: [s0, s1, s0]}}}\n"},
                new Object[] {"range on text", true, shard + "tables: {p: {key: id, strategy: {type: range, bounds: [g, n], shards: [s0, s1, s0]}}}\n"},
                new Object[] {"range without bounds", false, shard + "tables: {p: {key: id, strategy: {type: range, shards: [s0]}}}\n"},
                new Object[] {"range without shards", false, shard + "tables: {p: {key: id, strategy: {type: range, bounds: []}}}\n"},
                new Object[] {"range mixed bounds", false, shard + "tables: {p: {key: id, strategy: {type: range, bounds: [10, g], shards: [s0, s1, s0]}}}\n"},
                new Object[] {"range float bound", false, shard + "tables: {p: {key: id, strategy: {type: range, bounds: [1.5], shards: [s0, s1]}}}\n"},
                new Object[] {"list", true, shard + "tables: {p: {key: r, strategy: {type: list, values: {eu: s0, 7: s1}}}}\n"},
                new Object[] {"list default only", true, shard + "tables: {p: {key: r, strategy: {type: list, default: s1}}}\n"},
                new Object[] {"list with nothing", false, shard + "tables: {p: {key: r, strategy: {type: list, values: {}}}}\n"},
                new Object[] {"list with shards", false, shard + "tables: {p: {key: r, strategy: {type: list, default: s1, shards: [s0]}}}\n"},
                new Object[] {"class without type", true, shard + "tables: {p: {key: id, strategy: {class: " + Pick.class.getName() + ", props: {a: 1}}}}\n"},
                new Object[] {"class with type", true, shard + "tables: {p: {key: id, strategy: {type: class, class: " + Pick.class.getName() + ", shards: [s1]}}}\n"},
                new Object[] {"type class without class", false, shard + "tables: {p: {key: id, strategy: {type: class}}}\n"},
                new Object[] {"class with type mod", false, shard + "tables: {p: {key: id, strategy: {type: mod, class: " + Pick.class.getName() + "}}}\n"},
                new Object[] {"default shard", true, shard + "defaultShard: s1\n"},
                new Object[] {"i14 split mod", true, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: mod, count: 16}, name: 'm_{n:02}'}}}\n"},
                new Object[] {"i14 split month ahead", true, shard + "tables: {o: {key: c, strategy: {type: hash}, split: {by: at, as: {type: month, zone: Asia/Tokyo}, name: 'o_{yyyyMM}', create: {ahead: 2}}}}\n"},
                new Object[] {"i14 split ahead with a class path template", true, shard + "tables: {orders: {key: c, strategy: {type: hash}, split: {by: at, as: {type: month}, name: 'orders_{yyyyMM}', create: {ahead: '2'}, template: split/orders.sql}}}\n"},
                new Object[] {"i14 split ahead not a number", false, shard + "tables: {o: {key: c, strategy: {type: hash}, split: {by: at, as: {type: month}, name: 'o_{yyyyMM}', create: {ahead: soon}}}}\n"},
                new Object[] {"i14 split ahead unknown key", false, shard + "tables: {o: {key: c, strategy: {type: hash}, split: {by: at, as: {type: month}, name: 'o_{yyyyMM}', create: {ahead: 2, every: day}}}}\n"},
                new Object[] {"i14 split ahead too far", false, shard + "tables: {o: {key: c, strategy: {type: hash}, split: {by: at, as: {type: month}, name: 'o_{yyyyMM}', create: {ahead: 1001}}}}\n"},
                new Object[] {"i14 split template empty", false, shard + "tables: {o: {key: c, strategy: {type: hash}, split: {by: at, as: {type: month}, name: 'o_{yyyyMM}', create: onFirstWrite, template: ''}}}\n"},
                new Object[] {"i14 split md5 on one shard", true, shard + "tables: {p: {shard: s1, split: {by: k, as: {type: md5, chars: 2}, name: 'p_{hex}', create: never}}}\n"},
                new Object[] {"i14 split onFirstWrite", true, shard + "tables: {p: {shard: s1, split: {by: k, as: {type: md5, chars: 2}, name: 'p_{hex}', create: onFirstWrite}}}\n"},
                new Object[] {"i14 split list", true, shard + "tables: {r: {key: id, strategy: {type: mod}, split: {by: reg, as: {type: list, values: {eu: [de, fr], us: us}}, name: 'r_{name}'}}}\n"},
                new Object[] {"i14 split range", true, shard + "tables: {r: {key: id, strategy: {type: mod}, split: {as: {type: range, bounds: [10, 20]}, name: 'r_{n}'}}}\n"},
                new Object[] {"i14 split class", true, shard + "tables: {r: {key: id, strategy: {type: mod}, split: {as: {class: " + SplitConfigTest.Parity.class.getName() + "}, name: 'r_{name}'}}}\n"},
                new Object[] {"i14 split without name", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: mod, count: 4}}}}\n"},
                new Object[] {"i14 split without as", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {name: 'm_{n}'}}}\n"},
                new Object[] {"i14 split unknown key", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: mod, count: 4}, name: 'm_{n}', colour: 1}}}\n"},
                new Object[] {"i14 split count 0", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: mod, count: 0}, name: 'm_{n}'}}}\n"},
                new Object[] {"i14 split md5 chars 9", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: md5, chars: 9}, name: 'm_{hex}'}}}\n"},
                new Object[] {"i14 split two placeholders", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: month}, name: 'm_{yyyy}_{yyyyMM}'}}}\n"},
                new Object[] {"i14 split on broadcast", false, shard + "tables: {m: {broadcast: true, split: {as: {type: mod, count: 4}, name: 'm_{n}'}}}\n"},
                new Object[] {"i14 split by mod with archive", false, shard + "tables: {m: {key: id, strategy: {type: mod, shards: [s0]}, archive: {shards: [s1]}, split: {as: {type: mod, count: 4}, name: 'm_{n}'}}}\n"},
                new Object[] {"i14 split by month with archive", true, shard.replace("s1.db\n", "s1.db\n    readOnly: true\n    tier: archive\n") + "tables: {m: {key: id, strategy: {type: mod, shards: [s0]}, archive: {shards: [s1], cutoff: {column: at, age: 30d}}, split: {by: at, as: {type: month}, name: 'm_{yyyyMM}'}}}\n"},
                new Object[] {"i14 split by month with archive placement", false, shard + "tables: {m: {key: id, strategy: {type: mod, shards: [s0]}, archive: {shards: [s1], cutoff: {column: at, age: 30d}, placement: {column: at, strategy: {type: mod, shards: [s1]}}}, split: {by: at, as: {type: month}, name: 'm_{yyyyMM}'}}}\n"},
                new Object[] {"i14 split with strategy and shard", false, shard + "tables: {m: {key: id, shard: s0, strategy: {type: mod}, split: {as: {type: mod, count: 4}, name: 'm_{n}'}}}\n"},
                new Object[] {"i14 split create unknown", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: month}, name: 'm_{yyyyMM}', create: always}}}\n"},
                new Object[] {"i14 split mod takes no zone", false, shard + "tables: {m: {key: id, strategy: {type: mod}, split: {as: {type: mod, count: 4, zone: UTC}, name: 'm_{n}'}}}\n"},
                new Object[] {"i15 buckets", true, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 4096}}}\n"},
                new Object[] {"i15 buckets hash over shards", true, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 16, bucketOf: hash, shards: [s1, s0]}}}\n"},
                new Object[] {"i15 buckets placement", true, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 8, placement: {0-5: s0, 6: s1, '7': s0}}}}\n"},
                new Object[] {"i15 buckets not a power of two", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 1000}}}\n"},
                new Object[] {"i15 buckets too many", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 2097152}}}\n"},
                new Object[] {"i15 buckets missing", false, shard + "tables: {p: {key: id, strategy: {type: buckets}}}\n"},
                new Object[] {"i15 buckets unknown bucketOf", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 4, bucketOf: crc}}}\n"},
                new Object[] {"i15 buckets unknown key", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 4, bounds: [1]}}}\n"},
                new Object[] {"i15 buckets placement key not a range", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 2, placement: {0-1: s0, x: s1}}}}\n"},
                new Object[] {"i15 mod with buckets", false, shard + "tables: {p: {key: id, strategy: {type: mod, buckets: 4}}}\n"},
                new Object[] {"i15 resharding", true, shard + "resharding: {control: s0}\n"},
                new Object[] {"i15 resharding poll in ms", true, shard + "resharding: {control: s0, poll: 500ms}\n"},
                new Object[] {"i15 resharding poll ISO", true, shard + "resharding: {control: s0, poll: PT5S}\n"},
                new Object[] {"i15 resharding without control", false, shard + "resharding: {poll: 5s}\n"},
                new Object[] {"i15 resharding poll not a duration", false, shard + "resharding: {control: s0, poll: fast}\n"},
                new Object[] {"i15 resharding unknown key", false, shard + "resharding: {control: s0, notify: true}\n"},
                new Object[] {"i15 resharding listen", true, shard + "resharding: {control: s0, listen: false}\n"},
                new Object[] {"i15 resharding listen not a boolean", false, shard + "resharding: {control: s0, listen: maybe}\n"},
                new Object[] {"i15 idOf", true, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 16}, idOf: {column: mid, generator: bucketed}}}\n"},
                new Object[] {"i15 idOf on mod", false, shard + "tables: {p: {key: id, strategy: {type: mod}, idOf: {column: mid, generator: bucketed}}}\n"},
                new Object[] {"i15 idOf unknown generator", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 16}, idOf: {column: mid, generator: snowflake}}}\n"},
                new Object[] {"i15 idOf without column", false, shard + "tables: {p: {key: id, strategy: {type: buckets, buckets: 16}, idOf: {generator: bucketed}}}\n"},
                new Object[] {"i11_mem merge memory in MB", true, shard + "settings: {mergeMemory: 64MB}\n"},
                new Object[] {"i11_mem merge memory as a heap share", true, shard + "settings: {mergeMemory: 25%}\n"},
                new Object[] {"i11_mem merge memory in MiB", false, shard + "settings: {mergeMemory: 64 MiB}\n"},
                new Object[] {"tenancy", true, pg + "tenancy: {mode: search_path, schema: 'tenant_{tenant}',"
                        + " shared: [public.users], tenants: [client1]}\n"},
                new Object[] {"tenancy named as the tenant", true, pg + "tenancy: {schema: '{tenant}', logicalSchemas: [app]}\n"},
                new Object[] {"tenancy without schema", false, pg + "tenancy: {mode: rewrite}\n"},
                new Object[] {"tenancy unknown mode", false, pg + "tenancy: {mode: schema, schema: 't_{tenant}'}\n"},
                new Object[] {"tenancy schema without {tenant}", false, pg + "tenancy: {schema: tenants}\n"},
                new Object[] {"tenancy unknown key", false, pg + "tenancy: {schema: 't_{tenant}', colour: blue}\n"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void schemaAndLoaderAgree(String name, boolean valid, String yaml) {
        Set<String> errors = errors(yaml);
        List<String> problems;
        try {
            YamlShardMap.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), name, v -> null);
            problems = List.of();
        } catch (ShardMapException e) {
            problems = e.problems();
        }
        assertThat(errors.isEmpty()).as("schema says valid; errors: " + errors).isEqualTo(valid);
        assertThat(problems.isEmpty()).as("loader says valid; problems: " + problems).isEqualTo(valid);
    }

    /** A chooser the agreement cases can name. */
    public static final class Pick implements ShardChooser {
        @Override
        public ShardChoice chooseShard(String table, Object key) {
            return new ShardChoice("s0", "always s0");
        }
    }

    // ---- helpers ----

    /** Schema errors of a YAML text, read as plain objects the way any YAML tool would. */
    private static Set<String> errors(String yaml) {
        Object data = new Load(LoadSettings.builder().build()).loadFromString(yaml);
        JsonNode node = JSON.valueToTree(data);
        Set<String> errors = new TreeSet<>();
        for (ValidationMessage m : schema.validate(node)) {
            errors.add(m.getMessage());
        }
        return errors;
    }

    /** Every *.yaml / *.yml file of the repository, outside build output and dot-directories. */
    private static List<Path> yamlFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                boolean skip = !dir.equals(root) && (name.equals("target") || name.equals("data") || name.startsWith("."));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        files.sort(null);
        return files;
    }

    /** Walks the schema through its subschema keywords; every named property must carry a description. */
    private static void describeCheck(JsonNode schema, String path, List<String> missing) {
        if (!schema.isObject()) {
            return;
        }
        JsonNode props = schema.path("properties");
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path + "/properties/" + e.getKey();
            // a branch may narrow a property it describes elsewhere (list: values minProperties)
            boolean narrowing = !e.getValue().has("type") && !e.getValue().has("$ref") && !e.getValue().has("anyOf")
                    && !e.getValue().has("enum") && !e.getValue().has("const");
            if (!narrowing && !e.getValue().hasNonNull("description")) {
                missing.add(p);
            }
            describeCheck(e.getValue(), p, missing);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("$defs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            describeCheck(e.getValue(), path + "/$defs/" + e.getKey(), missing);
        }
        for (String keyword : List.of("items", "additionalProperties")) {
            describeCheck(schema.path(keyword), path + "/" + keyword, missing);
        }
        for (String keyword : List.of("oneOf", "anyOf", "allOf")) {
            JsonNode list = schema.path(keyword);
            for (int i = 0; i < list.size(); i++) {
                describeCheck(list.get(i), path + "/" + keyword + "/" + i, missing);
            }
        }
    }
}
