package io.shardkit.merge;

import java.util.List;

/**
 * What the analysis knows, from the SQL text, about how the shard columns a merge compares
 * (sort keys, group keys, DISTINCT columns, MIN/MAX and COUNT(DISTINCT) arguments) are collated.
 * {@link Values#prepare} joins it with the shards' column types when a scatter opens.
 *
 * @param entries one per compared shard column
 */
public record Comparisons(List<Entry> entries) {

    public static final Comparisons NONE = new Comparisons(List.of());

    /** SQLite collation of a plain column reference: its declared collation, looked up when the query runs. */
    public static final String DECLARED = "declared:";

    /** SQLite collation shardkit cannot determine from the text (a subquery's column, a nested COLLATE). */
    public static final String UNKNOWN = "unknown:";

    public Comparisons {
        entries = List.copyOf(entries);
    }

    /**
     * One compared shard column.
     *
     * @param column the shard column (&lt; 0 counts from the end, -1 = last)
     * @param collation SQLite: {@code BINARY}, {@code NOCASE}, {@code RTRIM} (or another name as written),
     *     {@link #DECLARED} + {@code "t1,t2.column"} (the tables the column may belong to), or
     *     {@link #UNKNOWN} + the reason; {@code null} on other dialects
     * @param explicit SQLite: whether the collation is the expression's own (a COLLATE clause or a
     *     column), which wins over BINARY when the column is compared with a constant in HAVING
     * @param companion PostgreSQL: the hidden shard column holding {@code pg_collation_for} of this
     *     column's expression (&lt; 0 counts from the end), or 0
     */
    public record Entry(int column, String collation, boolean explicit, int companion) {
    }
}
