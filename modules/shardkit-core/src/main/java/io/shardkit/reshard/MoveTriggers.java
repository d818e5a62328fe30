package io.shardkit.reshard;

import io.shardkit.SqlStates;
import io.shardkit.internal.Fence;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The triggers a move installs on the source shard's moved tables (docs/RESHARDING.md, "The move",
 * steps 1 and 5): a local table {@code shardkit_moving(bucket, fenced)} names the buckets being
 * moved; while a bucket's {@code fenced} is 0, every row written in it (the old and the new row of
 * an UPDATE) appends {@code (table, pk)} to {@code shardkit_changes}, for the catch-up to re-read;
 * once it is 1, every write to a row in it is refused by the database itself, with a message
 * starting {@value #FENCE_PREFIX}: PostgreSQL {@code RAISE ... ERRCODE '40001'}, MySQL/MariaDB
 * {@code SIGNAL SQLSTATE '40001'}, SQLite {@code RAISE(ABORT, ...)} (which cannot name the bucket).
 *
 * <p>The fence waits for writers already inside. On the servers the fence trigger reads a
 * bucket's {@code shardkit_moving} row with a locking read (PostgreSQL {@code FOR SHARE}, MySQL/MariaDB
 * {@code LOCK IN SHARE MODE}), held to commit, so {@link #fence}'s update of that row waits for every
 * open transaction that wrote a row image in the bucket, and a writer that comes after the fencer's
 * update waits for the fencer, then reads {@code fenced = 1} and is refused (PostgreSQL under
 * REPEATABLE READ or SERIALIZABLE refuses it with its own 40001 serialization failure instead).
 * SQLite needs no lock of ours: a write transaction holds the database's write lock to commit, so
 * the fencer's update waits for it (within the connection's busy timeout, else SQLITE_BUSY) and a
 * writer after it waits for the fencer's commit, then sees {@code fenced = 1}.
 *
 * <p>Costs each write to a moved table one primary-key probe of {@code shardkit_moving} per row
 * image, plus a {@code shardkit_changes} insert for rows in moving buckets; on the servers the probe
 * is a share lock on the moving bucket's row (PostgreSQL writes it into the row, a MultiXact when
 * several writers share it). MySQL/MariaDB under REPEATABLE READ also take a gap lock where the
 * bucket is not in the table, so an insert of a new bucket there ({@link #moving}) waits for those
 * writers too. The bucket is {@code floorMod(key, B)} computed in SQL, so only {@code bucketOf: mod}
 * tables with an integer key. Statements run in the connection's current transaction mode (DDL
 * commits on MySQL/MariaDB). Reinstalling updates PostgreSQL's trigger bodies, not MySQL's
 * (created only when missing).
 *
 * <p>Not handled here: {@code seq} values are handed out before commit, so a reader of
 * {@link #changes} must not assume that a seq below the highest it saw cannot still appear (the
 * last drain after {@link #fence} reads from the start, or after the oldest seq it has not seen
 * committed; {@link #clearChanges} deletes named seqs); and a transaction still open when
 * {@link #moving} commits may have written rows of the bucket unlogged (its write came first, or
 * its snapshot is older): the mover waits for transactions older than that commit before it copies.
 */
final class MoveTriggers {
    /** The start of every fence error's message text. */
    static final String FENCE_PREFIX = io.shardkit.internal.Fence.PREFIX;
    static final String MOVING = "shardkit_moving";
    static final String CHANGES = "shardkit_changes";
    /** Seqs deleted by one {@link #clearChanges} statement. */
    static final int CLEAR_BATCH = 500;

    /** One logged write: the row of {@code table} whose primary key text is {@code pk} changed. */
    record Change(long seq, String table, String pk) {
    }

    private MoveTriggers() {
    }

    /**
     * Creates {@code shardkit_moving} and {@code shardkit_changes} when missing and the log and
     * fence triggers of {@code table} when missing (installing twice is installing once).
     * {@code pk} text: one column's value as text; several columns' values each written as its
     * length in characters, {@code ':'}, the value (see {@link #pkValues}).
     */
    static void install(Connection c, String table, String keyColumn, List<String> pkColumns, int buckets)
            throws SQLException {
        if (pkColumns.isEmpty()) {
            throw new IllegalArgumentException("table " + table + " has no primary key: a moved table needs one");
        }
        if (buckets < 1) {
            throw new IllegalArgumentException("buckets must be positive, not " + buckets);
        }
        Dialect kind = ControlTable.kind(c);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + MOVING + " (bucket INT PRIMARY KEY, fenced INT NOT NULL DEFAULT 0)");
            st.execute(switch (kind) {
                case SQLITE -> "CREATE TABLE IF NOT EXISTS " + CHANGES + " (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " tbl VARCHAR(200) NOT NULL, pk TEXT NOT NULL, at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)";
                case POSTGRESQL -> "CREATE TABLE IF NOT EXISTS " + CHANGES + " (seq BIGSERIAL PRIMARY KEY,"
                        + " tbl VARCHAR(200) NOT NULL, pk TEXT NOT NULL, at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)";
                default -> /* MYSQL: ControlTable.kind answers no other */ "CREATE TABLE IF NOT EXISTS " + CHANGES + " (seq BIGINT AUTO_INCREMENT PRIMARY KEY,"
                        + " tbl VARCHAR(200) NOT NULL, pk TEXT NOT NULL,"
                        + " at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))";
            });
            Sql sql = new Sql(kind, table, keyColumn, pkColumns, buckets);
            switch (kind) {
                case SQLITE -> sqlite(st, sql);
                case POSTGRESQL -> postgres(c, st, sql);
                case MYSQL -> mysql(c, st, sql);
            }
        }
    }

    /** The SQL fragments of one table's triggers. */
    private record Sql(Dialect kind, String table, String key, List<String> pk, int buckets) {
        String q(String name) {
            return quote(kind, name);
        }

        String tableLiteral() {
            return literal(table);
        }

        String bucket(String row) {
            return BucketSql.bucket(kind, row + "." + q(key), buckets);
        }

        String pkText(String row) {
            String cast = kind == Dialect.MYSQL ? "CHAR" : "TEXT";
            if (pk.size() == 1) {
                return "CAST(" + row + "." + q(pk.get(0)) + " AS " + cast + ")";
            }
            List<String> parts = new ArrayList<>();
            for (String col : pk) {
                String v = "CAST(" + row + "." + q(col) + " AS " + cast + ")";
                parts.add((kind == Dialect.MYSQL ? "CHAR_LENGTH(" : "LENGTH(") + v + ")");
                parts.add("':'");
                parts.add(v);
            }
            return kind == Dialect.MYSQL ? "CONCAT(" + String.join(", ", parts) + ")" : String.join(" || ", parts);
        }

        String inMoving(String row, int fenced) {
            return "EXISTS (SELECT 1 FROM " + MOVING + " WHERE bucket = " + bucket(row) + " AND fenced = " + fenced + ")";
        }

        String log(String row) {
            return "INSERT INTO " + CHANGES + " (tbl, pk) SELECT " + tableLiteral() + ", " + pkText(row)
                    + (kind == Dialect.MYSQL ? " FROM DUAL" : "") + " WHERE " + inMoving(row, 0);
        }

        String name(String what) {
            return "shardkit_" + what + "_" + table;
        }
    }

    private static void sqlite(Statement st, Sql s) throws SQLException {
        String[][] events = {{"ins", "INSERT"}, {"upd", "UPDATE"}, {"del", "DELETE"}};
        for (String[] e : events) {
            List<String> rows = rows(e[1]);
            StringBuilder log = new StringBuilder();
            StringBuilder fenced = new StringBuilder();
            for (String row : rows) {
                log.append(s.log(row)).append("; ");
                fenced.append(fenced.length() == 0 ? "" : " OR ").append(s.inMoving(row, 1));
            }
            st.execute("CREATE TRIGGER IF NOT EXISTS " + s.q(s.name("log_" + e[0])) + " AFTER " + e[1] + " ON "
                    + s.q(s.table()) + " FOR EACH ROW BEGIN " + log + "END");
            st.execute("CREATE TRIGGER IF NOT EXISTS " + s.q(s.name("fence_" + e[0])) + " BEFORE " + e[1] + " ON "
                    + s.q(s.table()) + " FOR EACH ROW WHEN " + fenced + " BEGIN SELECT RAISE(ABORT, "
                    + literal(FENCE_PREFIX + " table " + s.table() + ": the row's bucket is moving to another shard"
                            + " (map changed: refresh and retry)") + "); END");
        }
    }

    private static void postgres(Connection c, Statement st, Sql s) throws SQLException {
        String fenceMessage = literal(FENCE_PREFIX + " table %, bucket % is moving to another shard"
                + " (map changed: refresh and retry)");
        StringBuilder fence = new StringBuilder("DECLARE b INT; f INT; BEGIN ");
        StringBuilder log = new StringBuilder("BEGIN ");
        for (String[] r : new String[][] {{"NEW", "DELETE"}, {"OLD", "INSERT"}}) {
            // FOR SHARE: held to commit, so fence() waits for this writer; no row (NULL f) is no lock.
            fence.append("IF TG_OP <> '").append(r[1]).append("' THEN b := ").append(s.bucket(r[0]))
                    .append("; SELECT fenced INTO f FROM " + MOVING + " WHERE bucket = b FOR SHARE;")
                    .append(" IF f = 1 THEN RAISE EXCEPTION ").append(fenceMessage).append(", ")
                    .append(s.tableLiteral()).append(", b USING ERRCODE = '")
                    .append(SqlStates.SERIALIZATION_FAILURE).append("'; END IF; END IF; ");
            log.append("IF TG_OP <> '").append(r[1]).append("' THEN ").append(s.log(r[0])).append("; END IF; ");
        }
        fence.append("IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END");
        log.append("RETURN NULL; END");
        String[][] triggers = {{"fence", "BEFORE", fence.toString()}, {"log", "AFTER", log.toString()}};
        for (String[] t : triggers) {
            String name = s.name(t[0]);
            st.execute("CREATE OR REPLACE FUNCTION " + s.q(name) + "() RETURNS trigger LANGUAGE plpgsql AS $shardkit$ "
                    + t[2] + " $shardkit$");
            if (!exists(c, Dialect.POSTGRESQL, name)) {
                st.execute("CREATE TRIGGER " + s.q(name) + " " + t[1] + " INSERT OR UPDATE OR DELETE ON " + s.q(s.table())
                        + " FOR EACH ROW EXECUTE PROCEDURE " + s.q(name) + "()");
            }
        }
    }

    private static void mysql(Connection c, Statement st, Sql s) throws SQLException {
        String[][] events = {{"ins", "INSERT"}, {"upd", "UPDATE"}, {"del", "DELETE"}};
        for (String[] e : events) {
            StringBuilder log = new StringBuilder("BEGIN ");
            StringBuilder fence = new StringBuilder("BEGIN DECLARE f INT; DECLARE msg VARCHAR(300); ");
            for (String row : rows(e[1])) {
                log.append(s.log(row)).append("; ");
                // MAX: one row even when the bucket is not moving (no NOT FOUND warning); the share
                // lock is held to commit, so fence() waits for this writer.
                fence.append("SELECT COALESCE(MAX(fenced), 0) INTO f FROM " + MOVING + " WHERE bucket = ")
                        .append(s.bucket(row)).append(" LOCK IN SHARE MODE; IF f = 1 THEN SET msg = CONCAT(")
                        .append(literal(FENCE_PREFIX + " table " + s.table() + ", bucket ")).append(", ")
                        .append(s.bucket(row)).append(", ' is moving to another shard (map changed: refresh and retry)');")
                        .append(" SIGNAL SQLSTATE '").append(SqlStates.SERIALIZATION_FAILURE)
                        .append("' SET MESSAGE_TEXT = msg; END IF; ");
            }
            String[][] triggers = {{s.name("log_" + e[0]), "AFTER", log + "END"},
                    {s.name("fence_" + e[0]), "BEFORE", fence + "END"}};
            for (String[] t : triggers) {
                if (!exists(c, Dialect.MYSQL, t[0])) {
                    st.execute("CREATE TRIGGER " + s.q(t[0]) + " " + t[1] + " " + e[1] + " ON " + s.q(s.table())
                            + " FOR EACH ROW " + t[2]);
                }
            }
        }
    }

    /** The row images an event has: NEW for INSERT, OLD and NEW for UPDATE, OLD for DELETE. */
    private static List<String> rows(String event) {
        return switch (event) {
            case "INSERT" -> List.of("NEW");
            case "UPDATE" -> List.of("OLD", "NEW");
            default -> List.of("OLD");
        };
    }

    private static boolean exists(Connection c, Dialect kind, String trigger) throws SQLException {
        String schema = kind == Dialect.MYSQL ? "DATABASE()" : "current_schema()";
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.triggers WHERE trigger_schema = "
                + schema + " AND trigger_name = ?")) {
            ps.setString(1, trigger);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Marks {@code buckets} as moving (not fenced); buckets already in the table keep their state. */
    static void moving(Connection c, int[] buckets) throws SQLException {
        upsert(c, buckets, false);
    }

    /**
     * Fences {@code buckets}: once {@code c}'s transaction commits, every write to a row in them fails
     * (see {@link #isFence}). Blocks until every open transaction that wrote a row image in one of
     * them (while it was moving) has committed or rolled back, so the last drain after this commit
     * sees all their changes; a write that comes while {@code c}'s transaction is open waits for it,
     * then is refused. Set a lock timeout on {@code c} first (PostgreSQL {@code lock_timeout},
     * MySQL/MariaDB {@code innodb_lock_wait_timeout}) and retry on a timeout or a deadlock (the
     * fencer takes the buckets' locks in order, a writer in any order).
     */
    static void fence(Connection c, int[] buckets) throws SQLException {
        upsert(c, buckets, true);
    }

    /**
     * Deletes {@code buckets} from {@code shardkit_moving}: writes to their rows are neither logged nor
     * refused any more (a bucket moving back to a shard that once gave it away). Waits, like
     * {@link #fence}, for open transactions that wrote in them.
     */
    static void unfence(Connection c, int[] buckets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + MOVING + " WHERE bucket = ?")) {
            for (int b : buckets) {
                ps.setInt(1, b);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Deletes exactly the changes numbered {@code seqs}, {@value #CLEAR_BATCH} a statement: the ones
     * the mover replayed. Never "every seq up to x": a lower seq may still commit (see the class).
     */
    static void clearChanges(Connection c, long[] seqs) throws SQLException {
        for (int from = 0; from < seqs.length; from += CLEAR_BATCH) {
            int n = Math.min(CLEAR_BATCH, seqs.length - from);
            StringBuilder sql = new StringBuilder("DELETE FROM " + CHANGES + " WHERE seq IN (?");
            sql.append(", ?".repeat(n - 1)).append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < n; i++) {
                    ps.setLong(i + 1, seqs[from + i]);
                }
                ps.executeUpdate();
            }
        }
    }

    private static void upsert(Connection c, int[] buckets, boolean fenced) throws SQLException {
        Dialect kind = ControlTable.kind(c);
        String sql = "INSERT INTO " + MOVING + " (bucket, fenced) VALUES (?, " + (fenced ? 1 : 0) + ") " + switch (kind) {
            case MYSQL -> "ON DUPLICATE KEY UPDATE " + (fenced ? "fenced = 1" : "bucket = bucket");
            default -> "ON CONFLICT (bucket) DO " + (fenced ? "UPDATE SET fenced = 1" : "NOTHING");
        };
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int b : buckets) {
                ps.setInt(1, b);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The changes logged with a seq above {@code afterSeq}, in seq order. */
    static List<Change> changes(Connection c, long afterSeq) throws SQLException {
        List<Change> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, tbl, pk FROM " + CHANGES + " WHERE seq > ? ORDER BY seq")) {
            ps.setLong(1, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /**
     * Drops {@code table}'s triggers (and PostgreSQL's trigger functions); when no table has
     * shardkit triggers any more, drops {@code shardkit_moving} and {@code shardkit_changes} too.
     */
    static void uninstall(Connection c, String table) throws SQLException {
        Dialect kind = ControlTable.kind(c);
        Sql s = new Sql(kind, table, "", List.of(""), 1);
        try (Statement st = c.createStatement()) {
            if (kind == Dialect.POSTGRESQL) {
                for (String what : List.of("fence", "log")) {
                    st.execute("DROP TRIGGER IF EXISTS " + s.q(s.name(what)) + " ON " + s.q(table));
                    st.execute("DROP FUNCTION IF EXISTS " + s.q(s.name(what)) + "()");
                }
            } else {
                for (String what : List.of("log_ins", "log_upd", "log_del", "fence_ins", "fence_upd", "fence_del")) {
                    st.execute("DROP TRIGGER IF EXISTS " + s.q(s.name(what)));
                }
            }
            String left = switch (kind) {
                case SQLITE -> "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'shardkit!_%' ESCAPE '!'";
                case POSTGRESQL -> "SELECT 1 FROM information_schema.triggers WHERE trigger_schema = current_schema()"
                        + " AND trigger_name LIKE 'shardkit!_%' ESCAPE '!'";
                default -> /* MYSQL: ControlTable.kind answers no other */ "SELECT 1 FROM information_schema.triggers WHERE trigger_schema = DATABASE()"
                        + " AND trigger_name LIKE 'shardkit!_%' ESCAPE '!'";
            };
            boolean any;
            try (ResultSet rs = st.executeQuery(left)) {
                any = rs.next();
            }
            if (!any) {
                st.execute("DROP TABLE IF EXISTS " + MOVING);
                st.execute("DROP TABLE IF EXISTS " + CHANGES);
            }
        }
    }

    /**
     * True when {@code e}, or an exception it chains, is a fence trigger's refusal: its message
     * holds {@value #FENCE_PREFIX} (pgjdbc prefixes {@code ERROR: }, the SQLite driver wraps the
     * RAISE text, MariaDB Connector/J prefixes the connection id).
     */
    static boolean isFence(SQLException e) {
        return Fence.is(e);
    }

    /** The values of a {@code pk} text of a {@code columns}-column primary key, as text. */
    static List<String> pkValues(String pk, int columns) {
        if (columns == 1) {
            return List.of(pk);
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < pk.length()) {
            int colon = pk.indexOf(':', i);
            int n = Integer.parseInt(pk.substring(i, colon));
            int end = pk.offsetByCodePoints(colon + 1, n);
            out.add(pk.substring(colon + 1, end));
            i = end;
        }
        if (out.size() != columns) {
            throw new IllegalArgumentException("pk text " + pk + " holds " + out.size() + " values, not " + columns);
        }
        return out;
    }

    private static String quote(Dialect kind, String name) {
        return BucketSql.quote(kind, name);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
