package io.shardkit.merge;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;

/**
 * A merge needed to hold more than its bound ({@code mergeRowLimit} rows or {@code mergeMemory}
 * estimated bytes): raised instead of running out of memory. SQLState {@code 54000} (program
 * limit exceeded).
 */
public final class MergeLimitException extends ShardException {
    private static final long serialVersionUID = 1L;
    private static final String NARROW = " (add a shard key predicate, a WHERE clause or fewer groups)";

    public MergeLimitException(String node, long limit) {
        super(node + " needs to hold more than " + limit + " rows in memory; raise mergeRowLimit or narrow the query"
                + NARROW, SqlStates.PROGRAM_LIMIT_EXCEEDED);
    }

    private MergeLimitException(String message) {
        super(message, SqlStates.PROGRAM_LIMIT_EXCEEDED);
    }

    /** The merge state of the data source's statements together would pass {@code limit} bytes. */
    static MergeLimitException shared(String node, long limit) {
        return new MergeLimitException("merge state over " + MemoryBudget.format(limit) + " (" + MemoryBudget.SETTING
                + ", all statements of the data source together) in " + node + "; raise " + MemoryBudget.SETTING
                + ", narrow the query or run fewer such queries at once" + NARROW);
    }

    /** The statement's merge state would pass {@code limit} bytes ({@link MemoryBudget}). */
    static MergeLimitException bytes(String node, long limit) {
        return new MergeLimitException("merge state over " + MemoryBudget.format(limit) + " (" + MemoryBudget.SETTING
                + ") in " + node + "; raise " + MemoryBudget.SETTING + " or narrow the query" + NARROW);
    }
}
