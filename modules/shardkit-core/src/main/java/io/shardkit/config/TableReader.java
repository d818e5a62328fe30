package io.shardkit.config;

import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.Strategies;
import io.shardkit.strategy.SplitRules;
import io.shardkit.strategy.Strategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;

/**
 * Reads the {@code tables:} section of a shard map: each table sharded (key and strategy),
 * broadcast or pinned, and a sharded table's archive tier ({@code archive:} with its shards, id,
 * lookup, cutoff and placement). Problems are added to the file's {@link Problems} with their
 * YAML path, as {@link YamlNodes} does.
 */
final class TableReader {
    private static final Set<String> TABLE_KEYS = Set.of("key", "strategy", "broadcast", "shard", "archive", "split", "idOf");
    private static final Set<String> ARCHIVE_KEYS = Set.of("shards", "id", "lookup", "cutoff", "placement");
    private static final Set<String> CUTOFF_KEYS = Set.of("column", "age", "before", "below");
    private static final Set<String> PLACEMENT_KEYS = Set.of("column", "strategy");
    private static final Set<String> ID_OF_KEYS = Set.of("column", "generator");

    private final Problems problems;
    private final YamlNodes nodes;
    private final StrategyReader strategies;
    private final SplitReader splits;

    TableReader(Problems problems, YamlNodes nodes, StrategyReader strategies) {
        this.problems = problems;
        this.nodes = nodes;
        this.strategies = strategies;
        this.splits = new SplitReader(problems, nodes);
    }

    Map<String, TableRule> readTables(Node node, List<ShardSpec> shards, Set<String> known) {
        Map<String, TableRule> tables = new LinkedHashMap<>();
        MappingNode m = node == null ? null : nodes.mapping(node, "tables");
        if (m == null) {
            return tables;
        }
        for (NodeTuple t : m.getValue()) {
            String table = YamlNodes.scalar(t.getKeyNode()).toLowerCase(Locale.ROOT);
            String path = "tables." + YamlNodes.scalar(t.getKeyNode());
            if (tables.containsKey(table)) {
                problems.add(path, "duplicate table '" + table + "'");
                continue;
            }
            MappingNode tm = nodes.mapping(t.getValueNode(), path);
            if (tm == null) {
                continue;
            }
            Map<String, Node> f = nodes.fields(tm, path, TABLE_KEYS);
            boolean broadcast = nodes.bool(f.get("broadcast"), path + ".broadcast");
            String pinned = nodes.text(f.get("shard"), path + ".shard");
            if (f.containsKey("idOf") && (f.containsKey("split") || f.containsKey("archive"))) {
                problems.add(path + ".idOf", "idOf routes by the bucket in an id; it is for a table with a buckets"
                        + " strategy, without split or archive");
                continue;
            }
            if (f.containsKey("split")) {
                readSplitTable(table, path, f, broadcast, pinned, shards, known, tables);
                continue;
            }
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
                String key = nodes.required(f, path, "key",
                        "a sharded table needs a shard key column (or say broadcast: true or shard: <name>)");
                if (!f.containsKey("strategy")) {
                    problems.add(path + ".strategy", "missing: a sharded table needs a strategy (or say broadcast: true or shard: <name>)");
                    continue;
                }
                Strategy strategy = strategies.readStrategy(f.get("strategy"), path + ".strategy", shards, known);
                if (key != null && strategy != null) {
                    TableRule rule = TableRule.sharded(table, key, strategy);
                    if (f.containsKey("archive")) {
                        Archive archive = readArchive(f.get("archive"), path + ".archive", key, shards, known);
                        rule = archive == null ? rule : rule.withArchive(archive);
                    }
                    if (f.containsKey("idOf")) {
                        TableRule.IdOf idOf = readIdOf(f.get("idOf"), path + ".idOf", strategy);
                        if (idOf == null) {
                            continue;
                        }
                        rule = rule.withIdOf(idOf);
                    }
                    tables.put(table, rule);
                }
            }
        }
        return tables;
    }

    /**
     * A table with {@code split:}: over shards by its strategy and by name inside each, or without a
     * strategy whole on one database ({@code shard: name}, or the map's only shard).
     */
    private void readSplitTable(String table, String path, Map<String, Node> f, boolean broadcast, String pinned,
            List<ShardSpec> shards, Set<String> known, Map<String, TableRule> tables) {
        if (broadcast) {
            problems.add(path + ".split", "a broadcast table cannot be split by name (a full copy is on every shard)");
            return;
        }
        String key = nodes.text(f.get("key"), path + ".key");
        Strategy strategy;
        if (f.containsKey("strategy")) {
            if (pinned != null) {
                problems.add(path + ".shard", "a split table has either a strategy (over shards) or shard: <name> (one database), not both");
                return;
            }
            if (key == null || key.isBlank()) {
                problems.add(path + ".key", "missing: a table with a strategy needs a shard key column");
                return;
            }
            strategy = strategies.readStrategy(f.get("strategy"), path + ".strategy", shards, known);
        } else if (pinned != null) {
            ShardMap.checkShard(problems, path + ".shard", pinned, known);
            strategy = Strategies.single(pinned);
        } else if (shards.size() == 1) {
            strategy = Strategies.single(shards.get(0).name());
        } else {
            problems.add(path + ".shard", "missing: a split table without a strategy lives whole on one database; name it"
                    + " with shard: <name> (the map has " + shards.size() + " shards)");
            return;
        }
        TableSplit split = splits.read(f.get("split"), path + ".split", table, key,
                SplitReader.dialects(strategy, shards));
        if (strategy == null || split == null) {
            return;
        }
        String keyColumn = key == null || key.isBlank() ? split.column() : key;
        TableRule rule = TableRule.sharded(table, keyColumn, strategy).withSplit(split);
        if (f.containsKey("archive")) {
            Archive archive = readArchive(f.get("archive"), path + ".archive", keyColumn, shards, known);
            if (archive == null || !periodArchive(archive, split, path + ".archive")) {
                return;
            }
            rule = rule.withArchive(archive);
        }
        tables.put(table, rule);
    }

    /**
     * An archive of a split table moves whole period tables: the split is by calendar period, the
     * cutoff is a time on the split column, and a period goes to the first archive shard.
     */
    private boolean periodArchive(Archive archive, TableSplit split, String path) {
        boolean ok = true;
        if (!SplitRules.isCalendar(split.rule())) {
            problems.add(path, "a split table's archive moves whole period tables, so the split must be by day, week,"
                    + " month or year (this one is " + split.rule().describe() + ")");
            ok = false;
        }
        Cutoff cutoff = archive.cutoff();
        if (cutoff == null || !cutoff.isTime()) {
            problems.add(path + ".cutoff", (cutoff == null ? "missing" : "below: is for row ids")
                    + ": a split table's archive needs a time cutoff on its split column (cutoff: {column: "
                    + split.column() + ", age: 90d} or before: <date>)");
            ok = false;
        } else if (!cutoff.column().equals(split.column())) {
            problems.add(path + ".cutoff.column", "a split table's archive moves whole period tables, so its cutoff is on"
                    + " the split column " + split.column() + ", not " + cutoff.column());
            ok = false;
        }
        if (archive.placement() != null) {
            problems.add(path + ".placement", "a split table's archive moves whole period tables to its first archive"
                    + " shard; placement is not supported for split tables yet");
            ok = false;
        }
        if (archive.lookupAll()) {
            problems.add(path + ".lookup", "a split table's periods are in one tier at a time; lookup does not apply");
            ok = false;
        }
        return ok;
    }

    private Archive readArchive(Node node, String path, String key, List<ShardSpec> shards, Set<String> known) {
        MappingNode m = nodes.mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, path, ARCHIVE_KEYS);
        if (!f.containsKey("shards")) {
            problems.add(path + ".shards", "missing: name the archive shards in the order lookups try them");
            return null;
        }
        List<String> archiveShards = strategies.shardList(f.get("shards"), path + ".shards", known);
        String id = nodes.text(f.get("id"), path + ".id");
        String lookup = nodes.text(f.get("lookup"), path + ".lookup");
        if (lookup != null && !lookup.equals("first") && !lookup.equals("all")) {
            problems.add(path + ".lookup", "expected first or all, got '" + lookup + "'");
        }
        Cutoff cutoff = f.containsKey("cutoff") ? readCutoff(f.get("cutoff"), path + ".cutoff") : null;
        if (archiveShards.isEmpty()) {
            return null;
        }
        Archive archive = new Archive(archiveShards, id == null ? key : id, "all".equals(lookup), cutoff, null, null);
        if (f.containsKey("placement")) {
            MappingNode pm = nodes.mapping(f.get("placement"), path + ".placement");
            if (pm != null) {
                Map<String, Node> pf = nodes.fields(pm, path + ".placement", PLACEMENT_KEYS);
                String column = nodes.required(pf, path + ".placement", "column", "the column whose value picks the archive shard");
                Strategy placement = pf.containsKey("strategy")
                        ? strategies.readStrategy(pf.get("strategy"), path + ".placement.strategy", shards, known) : null;
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

    /** {@code idOf: {column: match_id, generator: bucketed}}, on a table with a buckets strategy only. */
    private TableRule.IdOf readIdOf(Node node, String path, Strategy strategy) {
        MappingNode m = nodes.mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, path, ID_OF_KEYS);
        String column = nodes.required(f, path, "column", "the column that holds the table's bucketed ids");
        String generator = nodes.text(f.get("generator"), path + ".generator");
        boolean ok = column != null;
        if (generator == null) {
            problems.add(path + ".generator", "missing: the generator of the ids (bucketed)");
            ok = false;
        } else if (!generator.equals("bucketed")) {
            problems.add(path + ".generator", "expected bucketed (ids sequence * B + bucket), got '" + generator + "'");
            ok = false;
        }
        if (!(strategy instanceof BucketStrategy)) {
            problems.add(path, "idOf needs a buckets strategy (an id carries its key's bucket), this table's is "
                    + strategy.describe());
            ok = false;
        }
        return ok ? new TableRule.IdOf(column, generator) : null;
    }

    private Cutoff readCutoff(Node node, String path) {
        MappingNode m = nodes.mapping(node, path);
        if (m == null) {
            return null;
        }
        Map<String, Node> f = nodes.fields(m, path, CUTOFF_KEYS);
        String column = nodes.required(f, path, "column", "the column that tells archive rows from hot rows");
        String age = nodes.text(f.get("age"), path + ".age");
        String before = nodes.text(f.get("before"), path + ".before");
        String below = nodes.text(f.get("below"), path + ".below");
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
}
