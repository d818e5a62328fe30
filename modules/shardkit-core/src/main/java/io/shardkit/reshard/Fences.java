package io.shardkit.reshard;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.internal.IdBlockTable;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.StringJoiner;

/**
 * The mover's statements on a source shard around {@link MoveTriggers}: the fence with a lock
 * timeout, the wait for transactions older than the move, the change log read and cleared a chunk
 * at a time, the mover's own deletes past the fence, and the release of an aborted move.
 */
final class Fences {
    /** How long the fence and the wait for older writers wait for open transactions. */
    static final int WAIT_SECONDS = 10;

    /** Work done inside the mover's window. */
    @FunctionalInterface
    interface Work {
        int run() throws SQLException;
    }

    private Fences() {
    }

    /**
     * Fences {@code buckets} on {@code s}; the fence's UPDATE waits (at most {@value #WAIT_SECONDS}
     * s) for the writers holding a moving row's lock, so once it returns every write to those
     * buckets either committed (and logged) or will be refused.
     */
    static void fence(Connection s, int[] buckets) throws SQLException {
        Dialect kind = ControlTable.kind(s);
        try (Statement st = s.createStatement()) {
            switch (kind) {
                case POSTGRESQL -> {
                    s.setAutoCommit(false);
                    try {
                        st.execute("SET LOCAL lock_timeout = '" + WAIT_SECONDS + "s'");
                        MoveTriggers.fence(s, buckets);
                        s.commit();
                    } catch (SQLException e) {
                        s.rollback();
                        throw e;
                    } finally {
                        s.setAutoCommit(true);
                    }
                }
                case MYSQL -> {
                    long before;
                    try (ResultSet rs = st.executeQuery("SELECT @@SESSION.innodb_lock_wait_timeout")) {
                        rs.next();
                        before = rs.getLong(1);
                    }
                    st.execute("SET SESSION innodb_lock_wait_timeout = " + WAIT_SECONDS);
                    try {
                        MoveTriggers.fence(s, buckets);
                    } finally {
                        st.execute("SET SESSION innodb_lock_wait_timeout = " + before);
                    }
                }
                default -> MoveTriggers.fence(s, buckets);
            }
        }
    }

    /**
     * Waits until no transaction that began before now is open on {@code s}'s database: one that
     * took its snapshot before the moving buckets were named would write them without logging.
     * SQLite needs no wait (one writer at a time, and the move's own write waited for it).
     */
    static void waitForOlderWriters(Connection s) throws SQLException {
        Dialect kind = ControlTable.kind(s);
        if (kind == Dialect.SQLITE) {
            return;
        }
        long deadline = System.nanoTime() + WAIT_SECONDS * 1_000_000_000L;
        try (Statement st = s.createStatement()) {
            String check;
            if (kind == Dialect.POSTGRESQL) {
                long x;
                try (ResultSet rs = st.executeQuery("SELECT txid_current() % 4294967296")) {
                    rs.next();
                    x = rs.getLong(1);
                }
                String xid = "age('" + x + "'::xid)";
                check = "SELECT COUNT(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND datname = current_database()"
                        + " AND ((backend_xid IS NOT NULL AND age(backend_xid) >= " + xid + ")"
                        + " OR (backend_xmin IS NOT NULL AND age(backend_xmin) >= " + xid + "))";
            } else {
                // At REPEATABLE READ (InnoDB's default) the fence trigger's locking read of a bucket that
                // is not moving takes a gap lock, so naming the buckets (an insert into that gap) already
                // waited for every writer in flight: nothing to wait for. At READ COMMITTED there is no
                // gap lock: wait for this database's transactions begun at or before now (trx ids of
                // read-only transactions are reused, so compare start times, to the second)
                String iso = isolation(st);
                if (iso.startsWith("REPEATABLE") || iso.startsWith("SERIALIZABLE")) {
                    return;
                }
                String now;
                try (ResultSet rs = st.executeQuery("SELECT NOW()")) {
                    rs.next();
                    now = rs.getString(1);
                }
                check = "SELECT COUNT(*) FROM information_schema.innodb_trx t JOIN information_schema.processlist p"
                        + " ON p.id = t.trx_mysql_thread_id WHERE t.trx_mysql_thread_id <> CONNECTION_ID()"
                        + " AND p.db = DATABASE() AND t.trx_started <= '" + now + "'";
            }
            while (true) {
                try (ResultSet rs = st.executeQuery(check)) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new ShardException("a transaction older than the move is still open after " + WAIT_SECONDS
                            + " s; its writes to the moving buckets might not be logged. Commit or end it, then start"
                            + " again (the move resumes). Open: " + sessions(st, kind),
                            SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE);
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ShardException("interrupted while waiting for older transactions", SqlStates.QUERY_CANCELED);
                }
            }
        }
    }

    /** The server's default isolation level (MariaDB {@code tx_isolation}, MySQL 8 {@code transaction_isolation}). */
    private static String isolation(Statement st) throws SQLException {
        for (String v : new String[] {"@@GLOBAL.tx_isolation", "@@GLOBAL.transaction_isolation"}) {
            try (ResultSet rs = st.executeQuery("SELECT " + v)) {
                rs.next();
                return String.valueOf(rs.getString(1)).toUpperCase(java.util.Locale.ROOT);
            } catch (SQLException e) {
                // the other name
            }
        }
        return "";
    }

    /** This database's other sessions with a transaction open, for the message of a wait that gave up. */
    private static String sessions(Statement st, Dialect kind) throws SQLException {
        String sql = kind == Dialect.POSTGRESQL
                ? "SELECT pid, state, xact_start, LEFT(query, 80) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid() AND xact_start IS NOT NULL ORDER BY xact_start LIMIT 5"
                : "SELECT t.trx_mysql_thread_id, CONCAT(t.trx_state, ' ro=', t.trx_is_read_only, ' acnl=', t.trx_autocommit_non_locking,"
                        + " ' ', p.command, ' ', p.user, ' ', p.host), t.trx_started, LEFT(p.info, 80) FROM information_schema.innodb_trx t"
                        + " JOIN information_schema.processlist p ON p.id = t.trx_mysql_thread_id WHERE p.db = DATABASE()"
                        + " AND t.trx_mysql_thread_id <> CONNECTION_ID() ORDER BY t.trx_started LIMIT 5";
        StringJoiner out = new StringJoiner("; ");
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add("session " + rs.getString(1) + " " + rs.getString(2) + " since " + rs.getString(3) + ": "
                        + rs.getString(4));
            }
        }
        if (kind == Dialect.MYSQL) {
            try (ResultSet rs = st.executeQuery("SELECT r.trx_mysql_thread_id, b.trx_mysql_thread_id, b.trx_state,"
                    + " LEFT(bp.info, 60), bp.command, l.lock_table, l.lock_mode FROM information_schema.innodb_lock_waits w"
                    + " JOIN information_schema.innodb_trx r ON r.trx_id = w.requesting_trx_id"
                    + " JOIN information_schema.innodb_trx b ON b.trx_id = w.blocking_trx_id"
                    + " LEFT JOIN information_schema.processlist bp ON bp.id = b.trx_mysql_thread_id"
                    + " LEFT JOIN information_schema.innodb_locks l ON l.lock_id = w.blocking_lock_id")) {
                while (rs.next()) {
                    out.add("session " + rs.getString(1) + " waits for session " + rs.getString(2) + " (" + rs.getString(3)
                            + ", " + rs.getString(5) + ": " + rs.getString(4) + ") on " + rs.getString(6) + " " + rs.getString(7));
                }
            } catch (SQLException e) {
                out.add("(lock waits not readable: " + e.getMessage() + ")");
            }
        }
        return out.toString();
    }

    /** Up to {@code limit} logged changes of {@code tables}, oldest seq first. */
    static List<MoveTriggers.Change> changes(Connection s, Collection<String> tables, int limit) throws SQLException {
        List<MoveTriggers.Change> out = new ArrayList<>();
        try (PreparedStatement ps = s.prepareStatement("SELECT seq, tbl, pk FROM " + MoveTriggers.CHANGES + " WHERE tbl IN ("
                + marks(tables.size()) + ") ORDER BY seq LIMIT " + limit)) {
            bindTables(ps, tables);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new MoveTriggers.Change(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** Deletes exactly the given log entries (never "seq up to": seqs are taken before their transactions commit). */
    static void clear(Connection s, List<MoveTriggers.Change> changes) throws SQLException {
        MoveTriggers.clearChanges(s, changes.stream().mapToLong(MoveTriggers.Change::seq).toArray());
    }

    /** How many changes of {@code tables} wait in {@code s}'s log (0 when there is no log). */
    static long pending(Connection s, Collection<String> tables) throws SQLException {
        if (!exists(s, MoveTriggers.CHANGES)) {
            return 0;
        }
        try (PreparedStatement ps = s.prepareStatement("SELECT COUNT(*) FROM " + MoveTriggers.CHANGES + " WHERE tbl IN ("
                + marks(tables.size()) + ")")) {
            bindTables(ps, tables);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Deletes the log entries of {@code tables} on {@code s}. */
    static void clearLog(Connection s, Collection<String> tables) throws SQLException {
        if (!exists(s, MoveTriggers.CHANGES)) {
            return;
        }
        try (PreparedStatement ps = s.prepareStatement("DELETE FROM " + MoveTriggers.CHANGES + " WHERE tbl IN ("
                + marks(tables.size()) + ")")) {
            bindTables(ps, tables);
            ps.executeUpdate();
        }
    }

    /**
     * Runs {@code work} (the mover's deletes of fenced rows) in one transaction in which
     * {@code buckets} are neither fenced nor logged ({@code fenced = 2}), fenced again before it
     * commits: other writers wait on the moving rows' locks (or SQLite's write lock) and never see
     * the buckets unfenced.
     */
    static int asMover(Connection s, int[] buckets, Work work) throws SQLException {
        String in = list(buckets);
        s.setAutoCommit(false);
        try (Statement st = s.createStatement()) {
            st.executeUpdate("UPDATE " + MoveTriggers.MOVING + " SET fenced = 2 WHERE bucket IN (" + in + ")");
            int n = work.run();
            st.executeUpdate("UPDATE " + MoveTriggers.MOVING + " SET fenced = 1 WHERE bucket IN (" + in + ")");
            s.commit();
            return n;
        } catch (SQLException | RuntimeException e) {
            s.rollback();
            throw e;
        } finally {
            s.setAutoCommit(true);
        }
    }

    /**
     * An aborted move on source {@code s}: {@code buckets} stop being logged or fenced, their log
     * entries go, and the triggers of {@code tables} go when no bucket is moving or fenced any more.
     */
    static void release(Connection s, int[] buckets, Collection<String> tables) throws SQLException {
        if (!exists(s, MoveTriggers.MOVING)) {
            return;
        }
        try (Statement st = s.createStatement()) {
            MoveTriggers.unfence(s, buckets);
            clearLog(s, tables);
            boolean left;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + MoveTriggers.MOVING)) {
                rs.next();
                left = rs.getLong(1) > 0;
            }
            if (!left) {
                for (String t : tables) {
                    MoveTriggers.uninstall(s, t);
                }
            }
        }
    }

    /** A target that once gave {@code buckets} away (and kept their fence) takes them back unfenced. */
    static void unfenceOnTarget(Connection t, int[] buckets) throws SQLException {
        if (exists(t, MoveTriggers.MOVING)) {
            MoveTriggers.unfence(t, buckets);
        }
    }

    static void createIdBlocks(Connection s, Connection t) throws SQLException {
        for (Connection c : List.of(s, t)) {
            try (Statement st = c.createStatement()) {
                st.execute(IdBlockTable.CREATE);
            }
        }
    }

    static boolean exists(Connection c, String table) throws SQLException {
        Dialect kind = ControlTable.kind(c);
        String catalog = kind == Dialect.MYSQL ? c.getCatalog() : null;
        String schema = kind == Dialect.POSTGRESQL ? c.getSchema() : null;
        try (ResultSet rs = c.getMetaData().getTables(catalog, schema, table, null)) {
            while (rs.next()) {
                if (table.equalsIgnoreCase(rs.getString("TABLE_NAME"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String list(int[] buckets) {
        StringJoiner j = new StringJoiner(", ");
        for (int b : buckets) {
            j.add(Integer.toString(b));
        }
        return j.toString();
    }

    private static void bindTables(PreparedStatement ps, Collection<String> tables) throws SQLException {
        int i = 1;
        for (String t : tables) {
            ps.setString(i++, t);
        }
    }

    private static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
