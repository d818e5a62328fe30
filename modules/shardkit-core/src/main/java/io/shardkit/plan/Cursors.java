package io.shardkit.plan;

import io.shardkit.merge.Cursor;
import java.sql.SQLException;
import java.util.List;

/** Closing several cursors: every one is closed, the first error is thrown. */
final class Cursors {
    private Cursors() {
    }

    static void closeAll(List<Cursor> cursors) throws SQLException {
        SQLException first = null;
        for (Cursor c : cursors) {
            try {
                c.close();
            } catch (SQLException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
