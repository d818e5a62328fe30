package io.shardkit.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shard map built in Java, part by part, as the YAML format builds it: what
 * {@link io.shardkit.ShardedDataSource.Builder} fills (its methods document each part). Settings
 * not set keep {@link Settings#DEFAULTS}' values; {@link #map()} checks each setting's range, and
 * {@link ShardMap#validated} the map as a whole. Not thread-safe.
 */
public final class MapBuilder {
    private final List<ShardSpec> shards = new ArrayList<>();
    private final Map<String, Object> pool = new LinkedHashMap<>();
    private final Map<String, TableRule> tables = new LinkedHashMap<>();
    private String defaultShard;
    private int cacheSize = Settings.DEFAULT_ANALYSIS_CACHE;
    private int scatterThreads;
    private long mergeRowLimit = Settings.DEFAULT_MERGE_ROW_LIMIT;
    private long mergeMemory = Settings.defaultMergeMemory();
    private long runtimeIdleTimeout = Settings.DEFAULTS.runtimeIdleTimeout();
    private int runtimeConnectionCap = Settings.DEFAULTS.runtimeConnectionCap();
    private Tenancy tenancy;

    public MapBuilder tenancy(Tenancy value) {
        tenancy = value;
        return this;
    }

    public MapBuilder shard(ShardSpec spec) {
        shards.add(spec);
        return this;
    }

    /** A HikariCP setting for every shard's pool (see {@link PoolSettings}). */
    public MapBuilder pool(String setting, Object value) {
        pool.put(setting, value);
        return this;
    }

    public MapBuilder table(TableRule rule) {
        tables.put(rule.table(), rule);
        return this;
    }

    public MapBuilder defaultShard(String shard) {
        defaultShard = shard;
        return this;
    }

    public MapBuilder analysisCacheSize(int entries) {
        cacheSize = entries;
        return this;
    }

    public MapBuilder scatterThreads(int threads) {
        scatterThreads = threads;
        return this;
    }

    public MapBuilder mergeRowLimit(long rows) {
        mergeRowLimit = rows;
        return this;
    }

    public MapBuilder mergeMemory(long bytes) {
        mergeMemory = bytes;
        return this;
    }

    public MapBuilder runtimeIdleTimeout(long millis) {
        runtimeIdleTimeout = millis;
        return this;
    }

    public MapBuilder runtimeConnectionCap(int connections) {
        runtimeConnectionCap = connections;
        return this;
    }

    /**
     * The map as built so far, not yet validated.
     *
     * @throws IllegalArgumentException naming a setting out of its range
     */
    public ShardMap map() {
        return new ShardMap(shards, pool, tables, defaultShard, new Settings(cacheSize, scatterThreads, mergeRowLimit,
                runtimeIdleTimeout, runtimeConnectionCap, mergeMemory), tenancy);
    }
}
