package io.shardkit.sql;

import java.util.List;

/**
 * The rows of an {@code INSERT ... VALUES} into a sharded table, with what is needed to send a
 * subset of them to one shard: the text before and after the row list, each row's text, and how
 * many {@code ?} each piece holds (so parameters can be renumbered per shard).
 *
 * @param keys the shard key value of each row
 * @param splitValues for a table split by name by a column other than its key: that column's value
 *     in each row; otherwise {@code null}
 */
public record InsertRows(List<ValueRef> keys, String head, String tail, List<String> rowTexts,
        int headParameters, int tailParameters, int[] rowParameters, List<ValueRef> splitValues) {

    public InsertRows {
        keys = List.copyOf(keys);
        splitValues = splitValues == null ? null : List.copyOf(splitValues);
        rowTexts = List.copyOf(rowTexts);
        rowParameters = rowParameters.clone();
    }

    public int rowCount() {
        return keys.size();
    }

    /** The SQL for the rows at {@code rows} (ascending) only. */
    public String sqlFor(int[] rows, int count) {
        StringBuilder sb = new StringBuilder(head);
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(rowTexts.get(rows[i]));
        }
        return sb.append(tail).toString();
    }

    /** For the statement {@link #sqlFor} makes: its parameter i+1 is the original's parameter map[i]. */
    public int[] parametersFor(int[] rows, int count) {
        int total = headParameters + tailParameters;
        for (int i = 0; i < count; i++) {
            total += rowParameters[rows[i]];
        }
        int[] map = new int[total];
        int k = 0;
        for (int p = 1; p <= headParameters; p++) {
            map[k++] = p;
        }
        for (int i = 0; i < count; i++) {
            int first = headParameters + 1;
            for (int r = 0; r < rows[i]; r++) {
                first += rowParameters[r];
            }
            for (int p = 0; p < rowParameters[rows[i]]; p++) {
                map[k++] = first + p;
            }
        }
        int tailFirst = headParameters + 1;
        for (int r = 0; r < rowParameters.length; r++) {
            tailFirst += rowParameters[r];
        }
        for (int p = 0; p < tailParameters; p++) {
            map[k++] = tailFirst + p;
        }
        return map;
    }
}
