package io.shardkit.ids;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.internal.IdBlockTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases blocks of sequence values from {@code shardkit_id_blocks(id_table, bucket, next_value)} on a shard, creating
 * the table the first time a shard is asked. One lease is one atomic statement or transaction on that shard, so any
 * number of data sources (application instances) leasing from it get disjoint blocks:
 *
 * <ul>
 *   <li>PostgreSQL, SQLite (3.35 and later) and others: {@code UPDATE ... SET next_value = next_value + n ...
 *       RETURNING next_value} (a single statement; SQLite takes its write lock for it);</li>
 *   <li>MySQL and MariaDB (no {@code UPDATE ... RETURNING}): {@code SELECT ... FOR UPDATE}, then {@code UPDATE}, in
 *       one transaction.</li>
 * </ul>
 *
 * A missing row is inserted with {@code next_value = 1} (conflicts ignored) and the lease retried. Cost: one round
 * trip (two on MySQL) per block. Thread-safe.
 */
final class IdBlocks {
    static final String TABLE = IdBlockTable.TABLE;
    private static final String CREATE = IdBlockTable.CREATE;

    private final ShardedDataSource ds;
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    IdBlocks(ShardedDataSource ds) {
        this.ds = ds;
    }

    /**
     * The first of {@code size} sequence values leased for {@code bucket} of {@code table} on {@code shard}; the
     * values from it to {@code first + size - 1} are this caller's alone.
     */
    long lease(String shard, String table, int bucket, int size) throws SQLException {
        boolean mysql = isMysql(shard);
        try (Connection c = ds.connectionTo(shard)) {
            if (!created.contains(shard)) {
                try (Statement st = c.createStatement()) {
                    st.execute(CREATE); // IF NOT EXISTS: threads racing here all succeed
                }
                created.add(shard);
            }
            for (int attempt = 0; attempt < 3; attempt++) {
                Long next = mysql ? leaseInTransaction(c, table, bucket, size) : leaseReturning(c, table, bucket, size);
                if (next != null) {
                    return next - size;
                }
                try (PreparedStatement ps = c.prepareStatement((mysql ? "INSERT IGNORE INTO " : "INSERT INTO ") + TABLE
                        + " (id_table, bucket, next_value) VALUES (?, ?, 1)" + (mysql ? "" : " ON CONFLICT DO NOTHING"))) {
                    ps.setString(1, table);
                    ps.setInt(2, bucket);
                    ps.executeUpdate();
                }
            }
        }
        throw new ShardException("could not lease ids for bucket " + bucket + " of " + table + " on " + shard
                + ": the row of " + TABLE + " vanished while leasing", SqlStates.INTERNAL_ERROR);
    }

    /** The new {@code next_value}, or {@code null} when the row is missing. */
    private static Long leaseReturning(Connection c, String table, int bucket, int size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET next_value = next_value + ?"
                + " WHERE id_table = ? AND bucket = ? RETURNING next_value")) {
            ps.setLong(1, size);
            ps.setString(2, table);
            ps.setInt(3, bucket);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static Long leaseInTransaction(Connection c, String table, int bucket, int size) throws SQLException {
        c.setAutoCommit(false);
        try {
            long current;
            try (PreparedStatement ps = c.prepareStatement("SELECT next_value FROM " + TABLE
                    + " WHERE id_table = ? AND bucket = ? FOR UPDATE")) {
                ps.setString(1, table);
                ps.setInt(2, bucket);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        c.commit();
                        return null;
                    }
                    current = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET next_value = ?"
                    + " WHERE id_table = ? AND bucket = ?")) {
                ps.setLong(1, current + size);
                ps.setString(2, table);
                ps.setInt(3, bucket);
                ps.executeUpdate();
            }
            c.commit();
            return current + size;
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private boolean isMysql(String shard) {
        for (var spec : ds.shardMap().shards()) {
            if (spec.name().equals(shard)) {
                return spec.url().startsWith("jdbc:mysql:") || spec.url().startsWith("jdbc:mariadb:");
            }
        }
        return false;
    }
}
