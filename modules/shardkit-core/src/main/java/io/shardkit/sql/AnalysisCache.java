package io.shardkit.sql;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Analyses by SQL text, bounded. Two generations: lookups hit the young map, then the old one
 * (promoting the entry); when the young map is full it becomes the old one and the previous old
 * one is dropped. Reads take no lock; a burst of one-off SQL texts cannot grow memory past
 * twice the bound, and texts in steady use survive every rotation.
 */
public final class AnalysisCache {
    private final Analyzer analyzer;
    private final int generationSize;
    private volatile ConcurrentHashMap<String, SqlAnalysis> young = new ConcurrentHashMap<>();
    private volatile ConcurrentHashMap<String, SqlAnalysis> old = new ConcurrentHashMap<>();

    public AnalysisCache(Analyzer analyzer, int maxEntries) {
        this.analyzer = analyzer;
        this.generationSize = Math.max(1, maxEntries / 2);
    }

    /** The analysis of {@code sql}, parsing it only the first time it is seen. */
    public SqlAnalysis get(String sql) {
        SqlAnalysis a = young.get(sql);
        if (a != null) {
            return a;
        }
        a = old.get(sql);
        if (a == null) {
            a = analyzer.analyze(sql);
        }
        put(sql, a);
        return a;
    }

    private void put(String sql, SqlAnalysis a) {
        ConcurrentHashMap<String, SqlAnalysis> y = young;
        if (y.size() >= generationSize) {
            synchronized (this) {
                if (young == y) {
                    old = y;
                    young = new ConcurrentHashMap<>();
                }
            }
        }
        young.put(sql, a);
    }

    /** Entries currently held, both generations. */
    public int size() {
        return young.size() + old.size();
    }
}
