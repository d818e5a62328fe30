package io.shardkit.sql;

import java.util.Set;

/** STUB (replaced by the split-rewrite branch). */
public final class SplitTemplates {
    public SplitTemplates(Set<String> splitTables, int maxEntries) {
    }

    public SplitTemplate get(String sql, Dialect dialect) {
        throw new UnsupportedOperationException();
    }

    public long parses() {
        return 0;
    }
}
