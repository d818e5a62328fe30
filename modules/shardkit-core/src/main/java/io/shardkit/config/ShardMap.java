package io.shardkit.config;

import io.shardkit.ShardMapException;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whole shard map: shards, pool defaults, table rules and the default shard. Immutable; made
 * by {@link YamlShardMap} from a file or by {@code ShardedDataSource.builder()} in Java, and
 * checked by {@link #validate} either way.
 *
 * @param tables lower-case table name → rule
 * @param defaultShard where tables the map does not name live; {@code null} means such tables are an error
 * @param tenancy schema-per-tenant settings (YAML {@code tenancy:}), or {@code null} when there are none
 * @param resharding the versioned map of bucket tables (YAML {@code resharding:}), or {@code null}
 */
public record ShardMap(List<ShardSpec> shards, Map<String, Object> pool, Map<String, TableRule> tables,
        String defaultShard, Settings settings, Tenancy tenancy, Resharding resharding) {

    public ShardMap(List<ShardSpec> shards, Map<String, Object> pool, Map<String, TableRule> tables, String defaultShard,
            Settings settings, Tenancy tenancy) {
        this(shards, pool, tables, defaultShard, settings, tenancy, null);
    }

    public ShardMap(List<ShardSpec> shards, Map<String, Object> pool, Map<String, TableRule> tables, String defaultShard) {
        this(shards, pool, tables, defaultShard, Settings.DEFAULTS);
    }

    public ShardMap(List<ShardSpec> shards, Map<String, Object> pool, Map<String, TableRule> tables, String defaultShard,
            Settings settings) {
        this(shards, pool, tables, defaultShard, settings, null);
    }

    public ShardMap {
        settings = settings == null ? Settings.DEFAULTS : settings;
        shards = List.copyOf(shards);
        pool = Collections.unmodifiableMap(new LinkedHashMap<>(pool));
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
    }

    /** This map with a versioned map of its bucket tables ({@code null}: none). */
    public ShardMap withResharding(Resharding value) {
        return new ShardMap(shards, pool, tables, defaultShard, settings, tenancy, value);
    }

    /** This map with other table rules (the versioned map binds each data source's own bucket strategies). */
    public ShardMap withTables(Map<String, TableRule> value) {
        return new ShardMap(shards, pool, value, defaultShard, settings, tenancy, resharding);
    }

    public List<String> shardNames() {
        List<String> names = new ArrayList<>(shards.size());
        for (ShardSpec s : shards) {
            names.add(s.name());
        }
        return names;
    }

    /** Checks a map built in Java; throws with every problem found. */
    public ShardMap validated(String source) throws ShardMapException {
        Problems problems = new Problems(source, Map.of());
        validate(problems, true);
        problems.throwIfAny();
        return this;
    }

    /**
     * Adds every problem of this map to {@code problems}.
     *
     * @param checkStrategyShards false when the YAML loader already checked strategy shard lists at their exact paths
     */
    public void validate(Problems problems, boolean checkStrategyShards) {
        Set<String> known = new TreeSet<>();
        Map<String, Integer> first = new HashMap<>();
        if (shards.isEmpty()) {
            problems.add("shards", "at least one shard is needed");
        }
        for (int i = 0; i < shards.size(); i++) {
            ShardSpec s = shards.get(i);
            String path = "shards[" + i + "]";
            if (s.name().isBlank()) {
                problems.add(path + ".name", "shard name is empty");
            } else if (first.containsKey(s.name())) {
                problems.add(path + ".name", "duplicate shard '" + s.name() + "' (also shards[" + first.get(s.name()) + "])");
            } else {
                first.put(s.name(), i);
                known.add(s.name());
            }
            checkUrl(problems, path + ".url", s.url());
            checkPool(problems, path + ".pool", s.pool());
            checkIdle(problems, path, s.pool());
            if (!ShardSpec.HOT.equals(s.tier()) && !ShardSpec.ARCHIVE.equals(s.tier())) {
                problems.add(path + ".tier", "unknown tier '" + s.tier() + "' (known: hot, archive)");
            }
        }
        checkPool(problems, "pool", pool);
        for (TableRule rule : tables.values()) {
            String path = "tables." + rule.table();
            switch (rule.kind()) {
                case SHARDED -> {
                    if (rule.keyColumn() == null || rule.keyColumn().isBlank()) {
                        problems.add(path + ".key", "sharded table needs a shard key column");
                    }
                    if (checkStrategyShards) {
                        List<String> used = rule.strategy().shards();
                        for (int i = 0; i < used.size(); i++) {
                            checkShard(problems, path + ".strategy.shards[" + i + "]", used.get(i), known);
                        }
                    }
                    if (rule.archive() != null) {
                        checkArchive(problems, path + ".archive", rule, known, checkStrategyShards);
                    }
                }
                case PINNED -> checkShard(problems, path + ".shard", rule.shard(), known);
                case BROADCAST -> { }
            }
        }
        if (defaultShard != null) {
            checkShard(problems, "defaultShard", defaultShard, known);
        }
        if (tenancy != null) {
            tenancy.validate(problems, this);
        }
        if (resharding != null) {
            checkShard(problems, "resharding.control", resharding.control(), known);
            for (ShardSpec s : shards) {
                if (s.name().equals(resharding.control()) && s.readOnly()) {
                    problems.add("resharding.control", "shard '" + s.name() + "' is readOnly: the control table"
                            + " shardkit_map is written there (seeded at start, an epoch per publish)");
                }
            }
            if (resharding.poll().isNegative() || resharding.poll().isZero()) {
                problems.add("resharding.poll", "the poll interval must be positive, got " + resharding.poll());
            }
        }
    }

    /** Archive shards exist, are read-only, and are not also hot shards of the table. */
    private void checkArchive(Problems problems, String path, TableRule rule, Set<String> known, boolean checkNames) {
        List<String> archive = rule.archive().shards();
        for (int i = 0; i < archive.size(); i++) {
            String name = archive.get(i);
            String at = path + ".shards[" + i + "]";
            if (!known.contains(name)) {
                if (checkNames) {
                    checkShard(problems, at, name, known);
                }
                continue;
            }
            ShardSpec spec = shards.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
            if (!spec.readOnly()) {
                problems.add(at, "archive shard '" + name + "' must be readOnly: true (the archive refuses writes)");
            }
            if (rule.strategy().shards().contains(name)) {
                problems.add(at, "shard '" + name + "' is both a hot shard and an archive shard of " + rule.table());
            }
        }
    }

    static void checkShard(Problems problems, String path, String shard, Set<String> known) {
        if (!known.contains(shard)) {
            problems.add(path, "unknown shard '" + shard + "' (known: " + String.join(", ", known) + ")");
        }
    }

    private static void checkPool(Problems problems, String path, Map<String, Object> settings) {
        for (Map.Entry<String, Object> e : settings.entrySet()) {
            try {
                PoolSettings.convert(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                problems.add(path + "." + e.getKey(), ex.getMessage());
            }
        }
    }

    /** minimumIdle above maximumPoolSize (HikariCP would quietly lower it), with map-wide values under a shard's own. */
    private void checkIdle(Problems problems, String shardPath, Map<String, Object> own) {
        Object min = own.containsKey("minimumIdle") ? own.get("minimumIdle") : pool.get("minimumIdle");
        if (min == null) {
            return;
        }
        Object max = own.containsKey("maximumPoolSize") ? own.get("maximumPoolSize") : pool.get("maximumPoolSize");
        try {
            int lo = (Integer) PoolSettings.convert("minimumIdle", min);
            int hi = max == null ? 10 : (Integer) PoolSettings.convert("maximumPoolSize", max);
            if (lo > hi) {
                problems.add(own.containsKey("minimumIdle") ? shardPath + ".pool.minimumIdle" : "pool.minimumIdle",
                        "minimumIdle " + lo + " is more than maximumPoolSize " + hi
                                + (max == null ? " (the default)" : "") + " of shard at " + shardPath);
            }
        } catch (IllegalArgumentException e) {
            // reported by checkPool
        }
    }

    private static void checkUrl(Problems problems, String path, String url) {
        if (url == null || url.isBlank()) {
            problems.add(path, "missing JDBC URL");
            return;
        }
        if (!url.startsWith("jdbc:") || url.indexOf(':', 5) < 0) {
            problems.add(path, "malformed JDBC URL '" + Secrets.maskUrl(url) + "' (expected jdbc:<driver>:<database>)");
            return;
        }
        if (!anyDriverAccepts(url)) {
            problems.add(path, "no JDBC driver on the class path accepts '" + Secrets.maskUrl(url) + "'");
        }
    }

    private static boolean anyDriverAccepts(String url) {
        try {
            Driver d = DriverManager.getDriver(url);
            return d != null;
        } catch (SQLException e) {
            return false;
        }
    }
}
