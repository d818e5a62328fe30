package io.shardkit.jdbc;

import java.sql.SQLWarning;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Builds the warning chain of a statement or result over several shards: a fresh copy of each
 * shard's warnings, in shard order, each message prefixed with its shard, SQLState and vendor code
 * kept and the driver's warning as cause. The drivers' own objects are never linked to each other:
 * {@code setNextWarning} on them made a cycle on the second call (and Hibernate, which calls
 * {@code getWarnings} after every DDL statement, spun for ever). A driver chain that loops is read
 * once round.
 */
final class Warnings {
    private SQLWarning first;
    private SQLWarning last;

    /** Appends copies of {@code chain} (may be {@code null}) from {@code shard}. */
    Warnings add(String shard, SQLWarning chain) {
        Map<SQLWarning, Boolean> seen = new IdentityHashMap<>();
        for (SQLWarning w = chain; w != null && seen.put(w, Boolean.TRUE) == null; w = w.getNextWarning()) {
            SQLWarning copy = new SQLWarning("shard " + shard + ": " + w.getMessage(), w.getSQLState(),
                    w.getErrorCode(), w);
            if (first == null) {
                first = copy;
            } else {
                last.setNextWarning(copy);
            }
            last = copy;
        }
        return this;
    }

    /** The chain, or {@code null} when no shard warned. */
    SQLWarning chain() {
        return first;
    }
}
