package io.shardkit.merge;

import io.shardkit.ShardException;

/**
 * A merge needed to hold more rows than its bound ({@code mergeRowLimit}): raised instead of
 * running out of memory. SQLState {@code 54000} (program limit exceeded).
 */
public final class MergeLimitException extends ShardException {
    private static final long serialVersionUID = 1L;

    public MergeLimitException(String node, long limit) {
        super(node + " needs to hold more than " + limit + " rows in memory; raise mergeRowLimit or narrow the query"
                + " (add a shard key predicate, a WHERE clause or fewer groups)", "54000");
    }
}
