package io.shardkit.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as an aligned text table, numbers right-aligned, NULL as {@code NULL}. */
final class Table {
    /** Rows printed before the rest are only counted. */
    static final int MAX_ROWS = 1000;

    private Table() {
    }

    /** Prints a result set; returns the number of rows. */
    static long print(ResultSet rs, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String[]> rows = new ArrayList<>();
        boolean[] numeric = new boolean[n];
        String[] header = new String[n];
        for (int i = 0; i < n; i++) {
            header[i] = md.getColumnLabel(i + 1);
        }
        long count = 0;
        while (rs.next()) {
            count++;
            if (rows.size() >= MAX_ROWS) {
                continue;
            }
            String[] row = new String[n];
            for (int i = 0; i < n; i++) {
                Object v = rs.getObject(i + 1);
                row[i] = v == null ? "NULL" : v instanceof BigDecimal d ? d.toPlainString() : String.valueOf(v);
                numeric[i] |= v instanceof Number;
            }
            rows.add(row);
        }
        List<String[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        print(all, numeric, out);
        if (count > rows.size()) {
            out.println("... " + (count - rows.size()) + " more rows");
        }
        out.println("(" + count + (count == 1 ? " row)" : " rows)"));
        return count;
    }

    /** Prints a header row and rows, aligned. */
    static void print(List<String[]> rows, boolean[] numeric, PrintStream out) {
        int n = rows.get(0).length;
        int[] width = new int[n];
        for (String[] row : rows) {
            for (int i = 0; i < n; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String cell = rows.get(r)[i];
                String pad = " ".repeat(width[i] - cell.length());
                line.append(i == 0 ? "" : " | ").append(numeric[i] && r > 0 ? pad + cell : cell + pad);
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
                }
                out.println(rule);
            }
        }
    }
}
