package io.shardkit.reshard;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.sql.Dialect;
import io.shardkit.strategy.BucketPlacement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL of table {@code shardkit_map} on the control shard: one row per (epoch, bucket group,
 * bucket range, shard); a group's live epoch is its highest. Epochs count per group. The primary
 * key (epoch, group, first bucket) makes two publishers of the same epoch collide on bucket 0's
 * row, so at most one epoch n+1 of a group ever commits. Plain SQL of SQLite, PostgreSQL and
 * MySQL/MariaDB; no state.
 */
final class ControlTable {
    static final String TABLE = "shardkit_map";
    static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " (epoch BIGINT NOT NULL,"
            + " bucket_group VARCHAR(200) NOT NULL, bucket_from INT NOT NULL, bucket_to INT NOT NULL,"
            + " shard VARCHAR(200) NOT NULL, PRIMARY KEY (epoch, bucket_group, bucket_from))";
    /** A constant of PostgreSQL's advisory lock space, the same in every data source. */
    private static final long PG_LOCK = 0x73686172646d6170L; // "shardmap"
    private static final int LOCK_SECONDS = 10;

    /** The databases whose lock statements are known. */
    private ControlTable() {
    }

    static Dialect kind(Connection c) throws SQLException {
        Dialect d = Dialect.of(c);
        if (d != Dialect.OTHER) {
            return d;
        }
        String product = c.getMetaData().getDatabaseProductName();
        throw new ShardException("the control table needs SQLite, PostgreSQL, MySQL or MariaDB, not " + product,
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    /**
     * Creates the table when missing and writes epoch 1 of every group that has no row yet, all
     * under a database lock so that data sources starting together create and seed once:
     * SQLite {@code BEGIN IMMEDIATE} (the file's write lock), PostgreSQL
     * {@code pg_advisory_xact_lock} in a transaction, MySQL/MariaDB {@code GET_LOCK} (DDL commits
     * there, so the lock, not the transaction, serialises). A lock waits at most 10 s.
     *
     * @return the groups this call seeded
     */
    static List<String> createAndSeed(Connection c, Map<String, BucketPlacement> groups) throws SQLException {
        Dialect kind = kind(c);
        boolean auto = c.getAutoCommit();
        List<String> seeded = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            switch (kind) {
                case SQLITE -> st.execute("BEGIN IMMEDIATE");
                case POSTGRESQL -> {
                    c.setAutoCommit(false);
                    st.execute("SET LOCAL lock_timeout = '" + LOCK_SECONDS + "s'");
                    st.execute("SELECT pg_advisory_xact_lock(" + PG_LOCK + ")");
                }
                case MYSQL -> {
                    try (ResultSet rs = st.executeQuery("SELECT GET_LOCK('shardkit:" + TABLE + "', " + LOCK_SECONDS + ")")) {
                        if (!rs.next() || rs.getInt(1) != 1) {
                            throw new SQLException("waited " + LOCK_SECONDS + " s for the lock on " + TABLE
                                    + " another data source holds", SqlStates.CONNECTION_FAILURE);
                        }
                    }
                }
            }
            boolean done = false;
            try {
                st.execute(DDL);
                st.execute(MoveLedger.DDL);
                if (kind == Dialect.MYSQL) {
                    c.setAutoCommit(false);
                }
                Map<String, Long> live = liveEpochs(c);
                for (Map.Entry<String, Long> e : live.entrySet()) {
                    if (!groups.containsKey(e.getKey()) && e.getValue() > 1) {
                        // its published placement would be ignored and its tables routed by the map's: refuse
                        throw new ShardException(TABLE + " holds epoch " + e.getValue() + " of bucket group " + e.getKey()
                                + ", which this map has no group named (groups are named after their first table in the"
                                + " map: were tables reordered or renamed?); this map's groups: " + groups.keySet()
                                + ". Put the group's first table first again, or delete that group's rows if it is gone",
                                SqlStates.DATA_CORRUPTED);
                    }
                }
                for (Map.Entry<String, BucketPlacement> g : groups.entrySet()) {
                    if (!live.containsKey(g.getKey())) {
                        insert(c, g.getKey(), 1, g.getValue());
                        seeded.add(g.getKey());
                    }
                }
                if (kind == Dialect.SQLITE) {
                    st.execute("COMMIT");
                } else {
                    c.commit();
                }
                done = true;
            } finally {
                if (!done) {
                    rollback(c, st, kind);
                }
                if (kind == Dialect.MYSQL) {
                    st.execute("SELECT RELEASE_LOCK('shardkit:" + TABLE + "')");
                }
                c.setAutoCommit(auto);
            }
        }
        return seeded;
    }

    private static void rollback(Connection c, Statement st, Dialect kind) {
        try {
            if (kind == Dialect.SQLITE) {
                st.execute("ROLLBACK");
            } else {
                c.rollback();
            }
        } catch (SQLException e) {
            // the first error is the one to report
        }
    }

    /** Each group's live (highest) epoch. */
    static Map<String, Long> liveEpochs(Connection c) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT bucket_group, MAX(epoch) FROM " + TABLE + " GROUP BY bucket_group")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /**
     * The placement of {@code group} at {@code epoch}, of {@code buckets} buckets.
     *
     * @throws ShardException SQLState {@value SqlStates#DATA_CORRUPTED} when the rows leave a
     *         bucket unplaced, place one twice, or name a bucket outside 0..B-1
     */
    static BucketPlacement read(Connection c, String group, long epoch, int buckets) throws SQLException {
        String[] of = new String[buckets];
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket_from, bucket_to, shard FROM " + TABLE
                + " WHERE bucket_group = ? AND epoch = ? ORDER BY bucket_from")) {
            ps.setString(1, group);
            ps.setLong(2, epoch);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int from = rs.getInt(1);
                    int to = rs.getInt(2);
                    String shard = rs.getString(3);
                    if (from < 0 || to < from || to >= buckets) {
                        throw corrupt(group, epoch, "range " + from + "-" + to + " is not within buckets 0-" + (buckets - 1));
                    }
                    for (int b = from; b <= to; b++) {
                        if (of[b] != null) {
                            throw corrupt(group, epoch, "bucket " + b + " is placed twice");
                        }
                        of[b] = shard;
                    }
                }
            }
        }
        for (int b = 0; b < buckets; b++) {
            if (of[b] == null) {
                throw corrupt(group, epoch, "bucket " + b + " is not placed");
            }
        }
        try {
            return BucketPlacement.of(Arrays.asList(of));
        } catch (IllegalArgumentException e) {
            throw corrupt(group, epoch, e.getMessage()); // an empty shard name
        }
    }

    private static ShardException corrupt(String group, long epoch, String what) {
        return new ShardException(TABLE + " epoch " + epoch + " of bucket group " + group + ": " + what,
                SqlStates.DATA_CORRUPTED);
    }

    /** Writes {@code placement} as epoch {@code epoch} of {@code group}, one row per bucket range. */
    static void insert(Connection c, String group, long epoch, BucketPlacement placement) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                + " (epoch, bucket_group, bucket_from, bucket_to, shard) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, String> r : placement.ranges().entrySet()) {
                String range = r.getKey();
                int dash = range.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
                ps.setLong(1, epoch);
                ps.setString(2, group);
                ps.setInt(3, from);
                ps.setInt(4, to);
                ps.setString(5, r.getValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
