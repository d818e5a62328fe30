package io.shardkit.config;

/**
 * Engine settings of a shard map (YAML {@code settings:}): how many SQL texts keep their analysis,
 * how many threads start the shard queries of a merged read, and how much a merge may hold in
 * memory (sorting groups, hash grouping, DISTINCT, the values of DISTINCT aggregates) before it
 * fails with SQLState 54000: {@code mergeRowLimit} rows in one node, and {@code mergeMemory}
 * estimated bytes in one statement and in all statements of the data source together.
 *
 * @param scatterThreads 0 for the default, max(4, number of shards)
 * @param runtimeIdleTimeout ms without use after which a runtime shard's pool closes (it reopens on next use)
 * @param runtimeConnectionCap the most connections all runtime shards together may hold
 * @param mergeMemory the most bytes (estimated) of merge state one statement, and all statements of
 *     the data source together, may hold; default a quarter of the JVM's maximum heap
 *     ({@link #defaultMergeMemory()})
 */
public record Settings(int analysisCacheSize, int scatterThreads, long mergeRowLimit, long runtimeIdleTimeout,
        int runtimeConnectionCap, long mergeMemory) {

    /** Distinct SQL texts whose analysis is kept, by default. */
    public static final int DEFAULT_ANALYSIS_CACHE = 10_000;
    /** Rows a merge node may hold in memory (sort of groups, hash grouping, distinct) before it fails, by default. */
    public static final long DEFAULT_MERGE_ROW_LIMIT = 1_000_000;

    public static final Settings DEFAULTS = new Settings(DEFAULT_ANALYSIS_CACHE, 0, DEFAULT_MERGE_ROW_LIMIT, 60_000, 32,
            defaultMergeMemory());

    public Settings(int analysisCacheSize, int scatterThreads, long mergeRowLimit) {
        this(analysisCacheSize, scatterThreads, mergeRowLimit, DEFAULTS.runtimeIdleTimeout, DEFAULTS.runtimeConnectionCap);
    }

    public Settings(int analysisCacheSize, int scatterThreads, long mergeRowLimit, long runtimeIdleTimeout,
            int runtimeConnectionCap) {
        this(analysisCacheSize, scatterThreads, mergeRowLimit, runtimeIdleTimeout, runtimeConnectionCap,
                defaultMergeMemory());
    }

    /**
     * A quarter of the JVM's maximum heap as {@code Runtime.maxMemory()} reports it (a little under
     * {@code -Xmx}), in whole MB when it is at least 1 MB, read when called.
     */
    public static long defaultMergeMemory() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        return quarter >= 1 << 20 ? quarter >> 20 << 20 : Math.max(1, quarter);
    }

    public Settings {
        if (runtimeIdleTimeout < 1) {
            throw new IllegalArgumentException("runtimeIdleTimeout must be at least 1 ms, got " + runtimeIdleTimeout);
        }
        if (runtimeConnectionCap < 1) {
            throw new IllegalArgumentException("runtimeConnectionCap must be at least 1, got " + runtimeConnectionCap);
        }
        if (analysisCacheSize < 1) {
            throw new IllegalArgumentException("analysisCacheSize must be at least 1, got " + analysisCacheSize);
        }
        if (scatterThreads < 0) {
            throw new IllegalArgumentException("scatterThreads must be 0 (default) or more, got " + scatterThreads);
        }
        if (mergeRowLimit < 1) {
            throw new IllegalArgumentException("mergeRowLimit must be at least 1, got " + mergeRowLimit);
        }
        if (mergeMemory < 1) {
            throw new IllegalArgumentException("mergeMemory must be at least 1 byte, got " + mergeMemory);
        }
    }
}
