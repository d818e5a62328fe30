package io.shardkit.plan;

import io.shardkit.merge.Cursor;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A cursor that passes some or all rows of its input through unchanged: reading a column and
 * closing go to the input. Subclasses decide which rows pass ({@link #next()}).
 */
abstract class PassThrough implements Cursor {
    final Cursor in;

    PassThrough(Cursor in) {
        this.in = in;
    }

    @Override
    public Object get(int column) throws SQLException {
        return in.get(column);
    }

    @Override
    public int columnCount() throws SQLException {
        return in.columnCount();
    }

    @Override
    public ResultSet source() {
        return in.source();
    }

    @Override
    public void close() throws SQLException {
        in.close();
    }
}
