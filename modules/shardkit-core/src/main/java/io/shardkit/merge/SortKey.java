package io.shardkit.merge;

import java.util.List;

/**
 * One key of an ORDER BY as the merge sees it: a column of the row, the direction, and where
 * NULLs go ({@code null} = the dialect's default for the direction).
 */
public record SortKey(int column, boolean descending, Boolean nullsFirst) {

    /** Whether NULL comes first for this key under the given rules. */
    public boolean nullsFirst(Values values) {
        if (nullsFirst != null) {
            return nullsFirst;
        }
        return descending != values.nullsFirstWhenAscending();
    }

    /** The keys for explain, comma-separated. */
    public static String describe(List<SortKey> keys) {
        StringBuilder sb = new StringBuilder();
        for (SortKey k : keys) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.describe());
        }
        return sb.toString();
    }

    public String describe() {
        return "#" + column + (descending ? " DESC" : " ASC")
                + (nullsFirst == null ? "" : nullsFirst ? " NULLS FIRST" : " NULLS LAST");
    }
}
