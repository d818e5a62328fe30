package io.shardkit.reshard;

import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A table's shape as the JDBC catalog gives it: columns in order (lower case), their JDBC types and
 * type names, and the primary key's column positions in key order. The mover compares the source's
 * and the target's before it moves a row.
 */
record TableShape(List<String> columns, int[] types, String[] typeNames, int[] pk) {
    String describe() {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(columns.get(i)).append(' ').append(typeNames[i]);
        }
        b.append("; primary key");
        for (int i : pk) {
            b.append(' ').append(columns.get(i));
        }
        return b.append(')').toString();
    }

    /** The table's columns in order, their types and primary key positions; null when missing. */
    static TableShape of(Connection c, Dialect kind, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String catalog = kind == Dialect.MYSQL ? c.getCatalog() : null;
        String schema = kind == Dialect.POSTGRESQL ? c.getSchema() : null;
        List<String> cols = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (ResultSet rs = md.getColumns(catalog, schema, table, null)) {
            while (rs.next()) {
                if (!table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    continue; // '_' is a LIKE wildcard in the table name pattern
                }
                cols.add(rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT));
                types.add(rs.getInt("DATA_TYPE"));
                names.add(rs.getString("TYPE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (cols.isEmpty()) {
            return null;
        }
        List<String[]> keys = new ArrayList<>();
        try (ResultSet rs = md.getPrimaryKeys(catalog, schema, table)) {
            while (rs.next()) {
                keys.add(new String[] {rs.getString("COLUMN_NAME").toLowerCase(java.util.Locale.ROOT),
                        String.valueOf(rs.getInt("KEY_SEQ"))});
            }
        }
        keys.sort((a, b) -> Integer.compare(Integer.parseInt(a[1]), Integer.parseInt(b[1])));
        int[] pk = new int[keys.size()];
        for (int i = 0; i < pk.length; i++) {
            pk[i] = cols.indexOf(keys.get(i)[0]);
        }
        return new TableShape(cols, types.stream().mapToInt(Integer::intValue).toArray(), names.toArray(new String[0]), pk);
    }
}
