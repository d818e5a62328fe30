package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows read out of a driver's result set, served again as a forward-only result set: for answers
 * that must outlive the physical connection or statement they came from (catalog metadata from a
 * short borrow, generated keys of a batch).
 */
final class CopiedRows implements Cursor {
    private final List<Object[]> rows;
    private final int width;
    private int at = -1;

    private CopiedRows(List<Object[]> rows, int width) {
        this.rows = rows;
        this.width = width;
    }

    /** The current row's values, read with {@code getObject}. */
    static Object[] row(ResultSet rs, int width) throws SQLException {
        Object[] row = new Object[width];
        for (int i = 0; i < width; i++) {
            row[i] = rs.getObject(i + 1);
        }
        return row;
    }

    /** Every remaining row of {@code rs} (which is then closed). */
    static List<Object[]> readAll(ResultSet rs) throws SQLException {
        try (ResultSet in = rs) {
            int width = in.getMetaData().getColumnCount();
            List<Object[]> out = new ArrayList<>();
            while (in.next()) {
                out.add(row(in, width));
            }
            return out;
        }
    }

    /**
     * The rows as a result set described by {@code metaData} (a copy: the source may be closed).
     *
     * @param owner the statement {@code getStatement()} answers, or {@code null}
     */
    static ResultSet resultSet(Statement owner, ResultSetMetaData metaData, List<Object[]> rows) throws SQLException {
        int width = metaData.getColumnCount();
        return new MergedResultSet(owner, new CopiedRows(rows, width), metaData, 0);
    }

    @Override
    public boolean next() {
        if (at < rows.size()) {
            at++;
        }
        return at < rows.size();
    }

    @Override
    public Object get(int column) throws SQLException {
        if (at < 0 || at >= rows.size()) {
            throw new SQLException("no current row", SqlStates.INVALID_CURSOR_STATE);
        }
        return rows.get(at)[column - 1];
    }

    @Override
    public int columnCount() {
        return width;
    }

    @Override
    public ResultSet source() {
        return null;
    }

    @Override
    public void close() {
        at = rows.size();
    }
}
