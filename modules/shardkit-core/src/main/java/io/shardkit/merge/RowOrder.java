package io.shardkit.merge;

import java.sql.SQLException;
import java.util.List;

/** Compares rows by a list of sort keys under one dialect's rules. */
public final class RowOrder {
    private final SortKey[] keys;
    private final int[] columns;
    private final boolean[] nullsFirst;
    private final Values values;

    /** Build after the scatter opened, so {@link Values#keyColumn} knows the weight columns. */
    public RowOrder(List<SortKey> keys, Values values) {
        this.keys = keys.toArray(new SortKey[0]);
        this.values = values;
        this.nullsFirst = new boolean[this.keys.length];
        this.columns = new int[this.keys.length];
        for (int i = 0; i < this.keys.length; i++) {
            nullsFirst[i] = this.keys[i].nullsFirst(values);
            columns[i] = values.orderColumn(this.keys[i].column());
        }
    }

    public int size() {
        return keys.length;
    }

    /** The column to read for key i: the key's own, or its weight column. */
    public int column(int i) {
        return columns[i];
    }

    /** Compares key values taken from two rows, in key order ({@code a[i]} is key i of row a). */
    public int compare(Object[] a, Object[] b) throws SQLException {
        for (int i = 0; i < keys.length; i++) {
            Object x = a[i];
            Object y = b[i];
            int c;
            if (x == null || y == null) {
                if (x == y) {
                    continue;
                }
                c = (x == null) == nullsFirst[i] ? -1 : 1;
                if (c != 0) {
                    return c;
                }
                continue;
            }
            c = values.compare(columns[i], x, y);
            if (c != 0) {
                return keys[i].descending() ? -c : c;
            }
        }
        return 0;
    }
}
