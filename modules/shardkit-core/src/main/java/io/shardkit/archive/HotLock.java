package io.shardkit.archive;

import io.shardkit.ShardException;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One hot shard's period table held against writes while {@link PeriodMove} compares it with the
 * archive and drops it: PostgreSQL {@code LOCK TABLE ... IN EXCLUSIVE MODE} in a transaction (reads
 * go on; the drop commits with it), MySQL/MariaDB {@code LOCK TABLES ... WRITE}, SQLite
 * {@code BEGIN IMMEDIATE} (the file's write lock; readers go on). A lock waits at most 10 s (PostgreSQL
 * {@code lock_timeout}, MySQL {@code lock_wait_timeout}, the SQLite pool's busy timeout), so a
 * transaction of the application holding the table makes the run fail and not hang.
 */
final class HotLock {
    private static final Pattern NO_IF = Pattern.compile("(?is)^\\s*create\\s+(unique\\s+)?(table|index)\\s+(?!if\\s+not\\s+exists)");

    private final Connection c;
    private final String shard;
    private final String name;
    private final Dialect dialect;
    private boolean open = true;

    private HotLock(Connection c, String shard, String name, Dialect dialect) {
        this.c = c;
        this.shard = shard;
        this.name = name;
        this.dialect = dialect;
    }

    /** Locks {@code name} on {@code c} (a connection of the hot shard's pool, closed by {@link #dropAndCommit} or {@link #release}). */
    static HotLock take(Connection c, String shard, String name, Dialect dialect) throws SQLException {
        HotLock lock = new HotLock(c, shard, name, dialect);
        try (Statement st = c.createStatement()) {
            switch (dialect) {
                case POSTGRESQL -> {
                    c.setAutoCommit(false);
                    st.execute("SET LOCAL lock_timeout = '10s'");
                    st.execute("LOCK TABLE " + name + " IN EXCLUSIVE MODE");
                }
                case MYSQL -> {
                    st.execute("SET SESSION lock_wait_timeout = 10");
                    st.execute("LOCK TABLES " + name + " WRITE");
                }
                default -> st.execute("BEGIN IMMEDIATE");
            }
        } catch (SQLException e) {
            lock.release();
            throw ShardException.fromShard(shard, "lock " + name + " for archiving", e);
        }
        return lock;
    }

    Connection connection() {
        return c;
    }

    String shard() {
        return shard;
    }

    /** Drops the table and ends the lock (the drop commits with it where DDL is transactional). */
    void dropAndCommit() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + name);
            switch (dialect) {
                case POSTGRESQL -> c.commit();
                case MYSQL -> st.execute("UNLOCK TABLES");
                default -> st.execute("COMMIT");
            }
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, "DROP TABLE " + name, e);
        }
        close();
    }

    /** Ends the lock with nothing dropped; never throws for a connection already broken. */
    void release() throws SQLException {
        if (!open) {
            return;
        }
        try (Statement st = c.createStatement()) {
            switch (dialect) {
                case POSTGRESQL -> c.rollback();
                case MYSQL -> st.execute("UNLOCK TABLES");
                default -> st.execute("ROLLBACK");
            }
        } catch (SQLException e) {
            // no transaction (BEGIN failed) or a broken connection: closed below, the pool discards a broken one
        }
        close();
    }

    private void close() throws SQLException {
        open = false;
        try {
            if (dialect == Dialect.POSTGRESQL) {
                c.setAutoCommit(true);
            } else if (dialect == Dialect.MYSQL) {
                try (Statement st = c.createStatement()) {
                    st.execute("SET SESSION lock_wait_timeout = DEFAULT");
                }
            }
        } finally {
            c.close();
        }
    }

    /**
     * The DDL that makes a table like the hot one on another database of the same engine, with
     * {@code IF NOT EXISTS}: SQLite's own statements for the table and its indexes; MySQL's
     * {@code SHOW CREATE TABLE}; on PostgreSQL the columns (types, NOT NULL) and the primary key
     * (no defaults, other indexes or constraints: the archive is read-only and read by the period).
     */
    static List<String> definition(Connection hot, String name, Dialect dialect) throws SQLException {
        List<String> out = new ArrayList<>();
        switch (dialect) {
            case SQLITE -> {
                try (PreparedStatement ps = hot.prepareStatement("SELECT sql FROM sqlite_master WHERE tbl_name = ?"
                        + " COLLATE NOCASE AND sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END")) {
                    ps.setString(1, name);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(NO_IF.matcher(rs.getString(1)).replaceFirst("CREATE $1$2 IF NOT EXISTS "));
                        }
                    }
                }
            }
            case MYSQL -> {
                try (Statement st = hot.createStatement(); ResultSet rs = st.executeQuery("SHOW CREATE TABLE " + name)) {
                    rs.next();
                    out.add(NO_IF.matcher(rs.getString(2)).replaceFirst("CREATE $1$2 IF NOT EXISTS "));
                }
            }
            default -> out.add(postgres(hot, name));
        }
        return out;
    }

    private static String postgres(Connection hot, String name) throws SQLException {
        StringBuilder sb = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(name).append(" (");
        try (PreparedStatement ps = hot.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " a.attnotnull FROM pg_attribute a WHERE a.attrelid = ?::regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                boolean first = true;
                while (rs.next()) {
                    sb.append(first ? "" : ", ").append(Archiver.quote(rs.getString(1), Dialect.POSTGRESQL)).append(' ')
                            .append(rs.getString(2)).append(rs.getBoolean(3) ? " NOT NULL" : "");
                    first = false;
                }
            }
        }
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = hot.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                + " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass"
                + " AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(Archiver.quote(rs.getString(1), Dialect.POSTGRESQL));
                }
            }
        }
        if (!key.isEmpty()) {
            sb.append(", PRIMARY KEY (").append(String.join(", ", key)).append(')');
        }
        return sb.append(')').toString();
    }
}
