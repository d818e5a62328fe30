package io.shardkit.sql;

import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Comparisons;
import io.shardkit.merge.Expr;
import io.shardkit.merge.Output;
import io.shardkit.merge.SortKey;
import java.util.List;

/**
 * How a SELECT is answered exactly when it runs on several shards, worked out once per SQL text:
 * the SQL each shard runs (rewritten: hidden sort keys and aggregate parts added, AVG split into
 * SUM and COUNT, HAVING and OFFSET taken off, LIMIT raised to offset+count) and the merge steps
 * that turn the shards' rows into the one answer. The planner turns it into plan nodes.
 *
 * <p>A query that cannot be merged exactly has a {@link #refusal()} instead; it is refused only
 * when it actually runs on several shards (on one shard it is exact as written).
 *
 * @param shardSql the shard query; contains {@link #LIMIT_TOKEN} when its LIMIT depends on parameters
 * @param shardParameters for each {@code ?} of the shard query the statement parameter it takes, or
 *     {@code null} when they are the statement's own
 * @param hidden trailing shard columns that are not part of the result
 * @param shardOrder keys the shards sort by and the merge sort uses (column &lt; 0 counts from the end); empty: concatenate
 * @param groupKeys for aggregate queries: the group key columns (empty: one group)
 * @param outputs for aggregate queries: how each merged column is made
 * @param having for aggregate queries the HAVING over merged groups; for any query also the guards
 *     that refuse it when a name read as an alias is also a column ({@code null}: none)
 * @param finalOrder ORDER BY over merged groups (aggregate queries)
 * @param offset {@code null} when none
 * @param count {@code null} when none; {@link io.shardkit.merge.Bound#withTies()} for FETCH ... WITH TIES
 * @param archiveSql for a table with an archive tier: the query for archive shards, without the LIMIT
 *     (archive rows a hot row shadows are dropped after the query, so a LIMIT there could cut too
 *     early); its last column, like the shard query's, is the row id. {@code null} otherwise
 * @param comparisons the collations of the shard columns the merge compares
 */
public record MergeSpec(String refusal, String shardSql, int[] shardParameters, int hidden, List<SortKey> shardOrder,
        boolean aggregate, List<Integer> groupKeys, boolean streamedGroups, List<AggregateSpec> aggregates,
        List<Output> outputs, Expr having, boolean distinct, List<SortKey> finalOrder, Bound offset, Bound count,
        String archiveSql, Comparisons comparisons) {

    public MergeSpec(String refusal, String shardSql, int[] shardParameters, int hidden, List<SortKey> shardOrder,
            boolean aggregate, List<Integer> groupKeys, boolean streamedGroups, List<AggregateSpec> aggregates,
            List<Output> outputs, Expr having, boolean distinct, List<SortKey> finalOrder, Bound offset, Bound count,
            String archiveSql) {
        this(refusal, shardSql, shardParameters, hidden, shardOrder, aggregate, groupKeys, streamedGroups, aggregates,
                outputs, having, distinct, finalOrder, offset, count, archiveSql, Comparisons.NONE);
    }

    /** Stands for the shard LIMIT (offset + count) when it is only known at execution. */
    public static final String LIMIT_TOKEN = "__shardkit_limit__";

    public static MergeSpec refused(String why) {
        return new MergeSpec(why, null, null, 0, List.of(), false, List.of(), false, List.of(), List.of(), null,
                false, List.of(), null, null, null);
    }

    /** Whether this merges a tiered table: the last shard column is the row id, archive rows are shadowed. */
    public boolean isTiered() {
        return archiveSql != null;
    }

    public boolean isRefused() {
        return refusal != null;
    }

    /** Whether the merged rows are exactly the shards' rows one after the other. */
    public boolean isPlainConcat() {
        return !aggregate && !distinct && shardOrder.isEmpty() && offset == null && count == null && hidden == 0;
    }
}
