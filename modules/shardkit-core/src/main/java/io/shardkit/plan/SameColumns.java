package io.shardkit.plan;

import io.shardkit.RefusedException;
import io.shardkit.merge.Cursor;
import io.shardkit.sql.Dialect;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;

/**
 * Refuses to merge shards whose results have different columns: a schema change that reached some
 * shards only (an {@code ALTER TABLE ... ADD COLUMN} run on hot, not on the archive) would make
 * {@code SELECT *} hand out one shard's values under another shard's column names. Every shard of a
 * merge must return the same number of columns, with the same labels (ignoring case) and, where the
 * driver reports types from the query rather than from the current row's value (PostgreSQL, MySQL;
 * not SQLite, whose types follow each value), the same JDBC types.
 *
 * <p>Compared once per execution from each shard's {@link ResultSetMetaData}, never per row: one
 * metadata read per column and shard when the merge opens. Cursors without a shard result set
 * (computed rows, test cursors) are not compared.
 */
final class SameColumns {
    private final String shard;
    private final String[] labels;
    private final int[] types;

    private SameColumns(String shard, String[] labels, int[] types) {
        this.shard = shard;
        this.labels = labels;
        this.types = types;
    }

    /** Refuses (0A000) unless every cursor has the columns of the first; {@code cursors.get(i)} reads {@code routes.get(i)}. */
    static void check(List<Cursor> cursors, List<Route> routes, Dialect dialect) throws SQLException {
        if (cursors.size() < 2) {
            return;
        }
        SameColumns first = of(cursors.get(0), routes.get(0).shard(), dialect);
        if (first == null) {
            return;
        }
        for (int i = 1; i < cursors.size(); i++) {
            first.require(cursors.get(i), routes.get(i), dialect);
        }
    }

    /** The columns of a cursor's shard result, or {@code null} when it has none to compare. */
    static SameColumns of(Cursor c, String shard, Dialect dialect) throws SQLException {
        ResultSet rs = c.source();
        if (rs == null) {
            return null;
        }
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        String[] labels = new String[n];
        int[] types = new int[n];
        boolean typed = dialect != Dialect.SQLITE;
        for (int i = 0; i < n; i++) {
            labels[i] = md.getColumnLabel(i + 1);
            types[i] = typed ? md.getColumnType(i + 1) : 0;
        }
        return new SameColumns(shard, labels, types);
    }

    /** Refuses (0A000, naming both shards and the first differing column) unless {@code c} has these columns. */
    void require(Cursor c, Route route, Dialect dialect) throws SQLException {
        ResultSet rs = c.source();
        if (rs == null) {
            return;
        }
        // compared in place: nothing is allocated unless the columns differ
        ResultSetMetaData md = rs.getMetaData();
        boolean typed = dialect != Dialect.SQLITE;
        int n = md.getColumnCount();
        boolean same = n == labels.length;
        for (int i = 0; same && i < n; i++) {
            same = labels[i].equalsIgnoreCase(md.getColumnLabel(i + 1)) && (!typed || types[i] == md.getColumnType(i + 1));
        }
        if (same) {
            return;
        }
        SameColumns other = of(c, route.shard(), dialect);
        int width = Math.max(labels.length, other.labels.length);
        for (int i = 0; i < width; i++) {
            String a = i < labels.length ? describe(labels[i], types[i]) : null;
            String b = i < other.labels.length ? describe(other.labels[i], other.types[i]) : null;
            if (a == null || b == null || !labels[i].equalsIgnoreCase(other.labels[i]) || types[i] != other.types[i]) {
                throw new RefusedException("a merge of shards whose results have different columns: shard " + shard
                        + " returns " + labels.length + " columns, shard " + route.shard() + " " + other.labels.length
                        + "; column " + (i + 1) + " is " + (a == null ? "missing" : a) + " on " + shard + " but "
                        + (b == null ? "missing" : b) + " on " + route.shard() + " (a schema change that reached some"
                        + " shards only, such as ALTER TABLE on the hot tier but not the archive: make the tables alike,"
                        + " or name the columns)", route.sql());
            }
        }
    }

    private static String describe(String label, int type) {
        return type == 0 ? label : label + " (" + typeName(type) + ")";
    }

    private static String typeName(int type) {
        for (JDBCType t : JDBCType.values()) {
            if (t.getVendorTypeNumber() == type) {
                return t.getName();
            }
        }
        return "type " + type;
    }
}
