package io.shardkit.reshard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mover's state in the control shard: {@code shardkit_moves}, one row per (source, target)
 * pair of a reshard, keyed by the group and the epoch the reshard starts from. Every row of one
 * reshard carries the same step; a step is written only after the work before it is done, so a
 * resumed mover redoes at most the step it was in (each is idempotent). The switch writes the step
 * {@code switched} in the transaction that publishes the new epoch, so a data source that reads
 * the new epoch also reads which sources still hold the moved rows ({@link #retained}).
 */
final class MoveLedger {
    static final String TABLE = "shardkit_moves";
    static final String DDL = "CREATE TABLE IF NOT EXISTS " + TABLE + " (bucket_group VARCHAR(200) NOT NULL,"
            + " epoch_from BIGINT NOT NULL, source VARCHAR(200) NOT NULL, target VARCHAR(200) NOT NULL,"
            + " buckets TEXT NOT NULL, step VARCHAR(20) NOT NULL, epoch_to BIGINT, rows_copied BIGINT NOT NULL DEFAULT 0,"
            + " updated_ms BIGINT NOT NULL, PRIMARY KEY (bucket_group, epoch_from, source, target))";

    /** The steps, in order. {@code CLEANED} and {@code ABORTED} end a reshard. */
    enum Step {
        PLANNED, PREPARED, COPIED, VERIFIED, FENCED, SWITCHED, CLEANED, ABORTED;

        String sql() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Step of(String text) {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT));
        }

        boolean done() {
            return this == CLEANED || this == ABORTED;
        }
    }

    /** One (source, target) pair of a reshard. */
    record Move(String group, long epochFrom, String source, String target, BitSet buckets, Step step, Long epochTo,
            long rowsCopied, long updatedMs) {
    }

    private MoveLedger() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(DDL);
        }
    }

    /** The moves of {@code group}'s reshard in progress (not cleaned or aborted), or an empty list. */
    static List<Move> active(Connection c, String group) throws SQLException {
        List<Move> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT bucket_group, epoch_from, source, target, buckets, step,"
                + " epoch_to, rows_copied, updated_ms FROM " + TABLE + " WHERE bucket_group = ? AND step NOT IN ('cleaned',"
                + " 'aborted') ORDER BY epoch_from, source, target")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long to = rs.getLong(7);
                    out.add(new Move(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            BucketSql.parse(rs.getString(5)), Step.of(rs.getString(6)), rs.wasNull() ? null : to,
                            rs.getLong(8), rs.getLong(9)));
                }
            }
        }
        return out;
    }

    /** Writes a new reshard's rows (replacing an aborted reshard's from the same epoch). */
    static void insert(Connection c, List<Move> moves) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE bucket_group = ? AND epoch_from = ?"
                + " AND step = 'aborted'")) {
            ps.setString(1, moves.get(0).group());
            ps.setLong(2, moves.get(0).epochFrom());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE + " (bucket_group, epoch_from, source,"
                + " target, buckets, step, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Move m : moves) {
                ps.setString(1, m.group());
                ps.setLong(2, m.epochFrom());
                ps.setString(3, m.source());
                ps.setString(4, m.target());
                ps.setString(5, BucketSql.text(m.buckets()));
                ps.setString(6, m.step().sql());
                ps.setLong(7, System.currentTimeMillis());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Sets the step of every row of the reshard of {@code group} from {@code epochFrom}. */
    static void step(Connection c, String group, long epochFrom, Step step, Long epochTo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET step = ?, updated_ms = ?"
                + (epochTo != null ? ", epoch_to = ?" : "") + " WHERE bucket_group = ? AND epoch_from = ?")) {
            int i = 1;
            ps.setString(i++, step.sql());
            ps.setLong(i++, System.currentTimeMillis());
            if (epochTo != null) {
                ps.setLong(i++, epochTo);
            }
            ps.setString(i++, group);
            ps.setLong(i, epochFrom);
            ps.executeUpdate();
        }
    }

    static void rowsCopied(Connection c, Move m, long rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + TABLE + " SET rows_copied = ?, updated_ms = ?"
                + " WHERE bucket_group = ? AND epoch_from = ? AND source = ? AND target = ?")) {
            ps.setLong(1, rows);
            ps.setLong(2, System.currentTimeMillis());
            ps.setString(3, m.group());
            ps.setLong(4, m.epochFrom());
            ps.setString(5, m.source());
            ps.setString(6, m.target());
            ps.executeUpdate();
        }
    }

    /**
     * For each group, the epoch of its switched (not yet cleaned) reshard and the buckets each
     * source still holds without owning them from that epoch on. Groups without one are absent.
     * A missing table is no move.
     */
    static Map<String, Map.Entry<Long, Map<String, BitSet>>> retained(Connection c) throws SQLException {
        Map<String, Map.Entry<Long, Map<String, BitSet>>> out = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT bucket_group, epoch_to, source, buckets FROM " + TABLE
                        + " WHERE step = 'switched'")) {
            while (rs.next()) {
                Map.Entry<Long, Map<String, BitSet>> e = out.computeIfAbsent(rs.getString(1),
                        k -> Map.entry(-1L, new LinkedHashMap<>()));
                long epoch = rs.getLong(2);
                if (epoch != e.getKey()) {
                    e = Map.entry(Math.max(epoch, e.getKey()), epoch > e.getKey() ? new LinkedHashMap<>() : e.getValue());
                    out.put(rs.getString(1), e);
                }
                if (epoch == e.getKey()) {
                    e.getValue().computeIfAbsent(rs.getString(3), k -> new BitSet()).or(BucketSql.parse(rs.getString(4)));
                }
            }
        }
        return out;
    }
}
