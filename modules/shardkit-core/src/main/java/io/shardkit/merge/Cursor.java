package io.shardkit.merge;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A forward stream of rows: a shard's result, or the output of a merge node. All shard I/O of a
 * merge goes through this interface, so every node can be tested with a fake cursor.
 *
 * <p>Columns are numbered from 1. {@link #source()} is the shard result set positioned on the
 * current row when the row is a shard's row passed through unchanged (so the JDBC layer can read
 * it with the driver's own getters, no copy), or {@code null} when the row was computed.
 */
public interface Cursor extends AutoCloseable {

    boolean next() throws SQLException;

    /** The value of a column of the current row; SQL NULL is {@code null}. */
    Object get(int column) throws SQLException;

    int columnCount() throws SQLException;

    /** The shard result set positioned on the current row, or {@code null} for a computed row. */
    ResultSet source();

    /** Closes this cursor and every cursor under it; idempotent. */
    @Override
    void close() throws SQLException;
}
