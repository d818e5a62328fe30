package io.shardkit.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Plain JDBC over one sharding {@link DataSource} (shardkit or ShardingSphere): one logical
 * connection held for the whole run, each SQL text prepared once on it and reused.
 */
final class LogicalClient extends Client {
    private final DataSource ds;
    private final Connection conn;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private PreparedStatement point;
    private PreparedStatement insert;
    private PreparedStatement insertRows;

    LogicalClient(DataSource ds) throws SQLException {
        this.ds = ds;
        this.conn = ds.getConnection();
    }

    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = conn.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        return ps;
    }

    @Override
    long point(long id) throws SQLException {
        if (point == null) {
            point = prepared(POINT);
        }
        point.setLong(1, id);
        return readPoint(point);
    }

    static long readPoint(PreparedStatement ps) throws SQLException {
        long h = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                h = mix(mix(h, rs.getString(1).hashCode()), rs.getLong(2));
            }
        }
        return h;
    }

    @Override
    long pointFresh(long id) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(POINT)) {
            ps.setLong(1, id);
            return readPoint(ps);
        }
    }

    @Override
    void insert(long id, long seq) throws SQLException {
        if (insert == null) {
            insert = prepared(INSERT);
        }
        insert.setLong(1, id);
        insert.setLong(2, seq);
        insert.setLong(3, seq & 1023);
        insert.executeUpdate();
    }

    @Override
    void insertRows(long first, long seq) throws SQLException {
        if (insertRows == null) {
            insertRows = prepared(INSERT_ROWS);
        }
        int p = 1;
        for (int r = 0; r < ROWS; r++) {
            insertRows.setLong(p++, first + r);
            insertRows.setLong(p++, seq);
            insertRows.setLong(p++, seq & 1023);
        }
        int n = insertRows.executeUpdate();
        if (n != ROWS) {
            throw new IllegalStateException("multi-row INSERT reported " + n + " rows, expected " + ROWS);
        }
    }

    @Override
    long leaderboard() throws SQLException {
        long h = 0;
        try (ResultSet rs = prepared(LEADERBOARD).executeQuery()) {
            while (rs.next()) {
                h = mix(mix(mix(h, rs.getLong(1)), rs.getString(2).hashCode()), rs.getLong(3));
            }
        }
        return h;
    }

    @Override
    long groupBy() throws SQLException {
        long h = 0;
        try (ResultSet rs = prepared(GROUP_BY).executeQuery()) {
            while (rs.next()) {
                h = mix(h, rs.getInt(1));
                h = mix(h, rs.getLong(2));
                h = mix(h, rs.getLong(3));
                h = mix(h, rs.getLong(4));
                h = mix(h, rs.getLong(5));
                h = mix(h, Math.round(rs.getDouble(6))); // whole units: ShardingSphere rounds AVG to 4 places
            }
        }
        return h;
    }

    @Override
    long page(int offset) throws SQLException {
        long h = 0;
        try (ResultSet rs = prepared(pageSql(offset)).executeQuery()) {
            while (rs.next()) {
                h = mix(mix(h, rs.getLong(1)), rs.getLong(2));
            }
        }
        return h;
    }

    @Override
    public void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Contenders.close(ds);
    }
}
