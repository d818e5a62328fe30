package io.shardkit.route;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.TableSplit;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SplitTemplates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How one missing physical table is made: from the split's template (its statements, written for
 * the logical table, rendered for the physical one by the split-table rewrite, so an index
 * {@code orders_by_day} becomes {@code orders_by_day_orders_202612}), or without a template like
 * the shard's newest physical table. {@link #run} makes it once however many data sources try at
 * the same moment: under a database lock, the table's existence is checked and the DDL run only
 * when it is missing. Immutable.
 */
public final class SplitCreation {
    /** How long MySQL/MariaDB waits for another data source creating the same table. */
    static final int LOCK_SECONDS = 60;

    private final String table;
    private final String name;
    private final String like;
    private final TableSplit split;

    private SplitCreation(String table, String name, String like, TableSplit split) {
        this.table = table;
        this.name = name;
        this.like = like;
        this.split = split;
    }

    /**
     * How to make physical table {@code name} of {@code table} on a shard holding {@code existing}
     * (sorted by name): from the template, else like the last of {@code existing}; {@code null}
     * when there is neither.
     */
    public static SplitCreation of(String table, TableSplit split, String name, List<String> existing) {
        if (!split.templateStatements().isEmpty()) {
            return new SplitCreation(table, name, null, split);
        }
        return existing.isEmpty() ? null : new SplitCreation(table, name, existing.get(existing.size() - 1), split);
    }

    /** The error for a shard that has neither a template nor a physical table to copy (SQLState 42P01). */
    public static ShardException nothingToCopy(String table, String shard, String name) {
        return new ShardException("split table " + table + " has no physical table on shard " + shard + " to create "
                + name + " like; create one first, or give the split a template (split.template: a SQL file with"
                + " CREATE TABLE " + table + " (...))", SqlStates.UNDEFINED_TABLE);
    }

    /** The physical table made. */
    public String name() {
        return name;
    }

    /** For explain and notes: {@code orders_202612 like orders_202611} or {@code orders_202612 from template db/orders.sql}. */
    public String describe() {
        return like != null ? name + " like " + like : name + " from template " + split.template();
    }

    /**
     * Makes the table on {@code c} (in autocommit mode, left so) unless it exists, and says whether
     * this call made it. PostgreSQL: in one transaction under {@code pg_advisory_xact_lock}, so a
     * template's statements apply together or not at all. MySQL/MariaDB: under {@code GET_LOCK}
     * (waiting at most {@value #LOCK_SECONDS} s); DDL there commits per statement, so when a later
     * statement of a template fails the table is dropped again before the lock is released.
     * SQLite: in a {@code BEGIN IMMEDIATE} transaction (the file's write lock).
     */
    public boolean run(Connection c, Dialect dialect) throws SQLException {
        List<String> ddl = like == null ? rendered(dialect) : null;
        try (Statement st = c.createStatement()) {
            return switch (dialect) {
                case POSTGRESQL -> postgres(c, st, ddl);
                case MYSQL -> mysql(c, st, ddl);
                case SQLITE -> sqlite(c, st, ddl);
                default -> throw new SQLFeatureNotSupportedException("creating physical table " + name + " on "
                        + dialect.displayName() + " (create it yourself)", SqlStates.FEATURE_NOT_SUPPORTED);
            };
        }
    }

    /** The template's statements for this physical table in {@code dialect}. */
    List<String> rendered(Dialect dialect) throws RefusedException {
        SplitTemplates templates = new SplitTemplates(Set.of(table), 2 * split.templateStatements().size() + 2);
        List<String> out = new ArrayList<>();
        for (String s : split.templateStatements()) {
            SplitTemplate t = templates.get(s, dialect);
            if (t.refusal() != null) {
                throw new RefusedException("template " + split.template() + " of split table " + table + ": "
                        + t.refusal(), s);
            }
            out.add(t.render(List.of(List.of(name))));
        }
        return out;
    }

    private boolean postgres(Connection c, Statement st, List<String> ddl) throws SQLException {
        c.setAutoCommit(false);
        try {
            st.execute("SELECT pg_advisory_xact_lock(" + (long) name.hashCode() + ")");
            boolean made = !exists(c, "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()"
                    + " AND table_name = ?");
            if (made) {
                if (ddl == null) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + name + " (LIKE " + like + " INCLUDING ALL)");
                } else {
                    for (String d : ddl) {
                        st.execute(d);
                    }
                }
            }
            c.commit();
            return made;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private boolean mysql(Connection c, Statement st, List<String> ddl) throws SQLException {
        String key = c.getCatalog() + "." + name; // GET_LOCK is per server; a lock name is at most 64 characters
        String lock = "shardkit:" + (key.length() <= 55 ? key
                : Integer.toHexString(key.hashCode()) + ":" + key.substring(key.length() - 45));
        try (PreparedStatement ps = c.prepareStatement("SELECT GET_LOCK(?, " + LOCK_SECONDS + ")")) {
            ps.setString(1, lock);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLException("waited " + LOCK_SECONDS + " s for the lock another data source holds while"
                            + " creating physical table " + name + "; try again", SqlStates.GENERAL_ERROR);
                }
            }
        }
        try {
            if (exists(c, "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?")) {
                return false;
            }
            if (ddl == null) {
                st.execute("CREATE TABLE IF NOT EXISTS " + name + " LIKE " + like);
                return true;
            }
            try {
                for (String d : ddl) {
                    st.execute(d);
                }
            } catch (SQLException e) {
                try {
                    st.execute("DROP TABLE IF EXISTS " + name); // MySQL's DDL is not transactional: undo the half
                } catch (SQLException x) {
                    e.addSuppressed(x);
                }
                throw e;
            }
            return true;
        } finally {
            try (PreparedStatement ps = c.prepareStatement("SELECT RELEASE_LOCK(?)")) {
                ps.setString(1, lock);
                ps.execute();
            }
        }
    }

    private boolean sqlite(Connection c, Statement st, List<String> ddl) throws SQLException {
        st.execute("BEGIN IMMEDIATE");
        try {
            boolean made = !exists(c, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE");
            if (made) {
                for (String d : ddl != null ? ddl : likeOnSqlite(c)) {
                    st.execute(d);
                }
            }
            st.execute("COMMIT");
            return made;
        } catch (SQLException | RuntimeException e) {
            st.execute("ROLLBACK");
            throw e;
        }
    }

    /**
     * {@code like}'s own DDL from {@code sqlite_master} for this table: its name, and the names of
     * its indexes, which hold it ({@code idx_<table>}), replaced.
     */
    private List<String> likeOnSqlite(Connection c) throws SQLException {
        List<String> ddl = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT type, sql FROM sqlite_master WHERE tbl_name = ?"
                + " COLLATE NOCASE AND sql IS NOT NULL ORDER BY type = 'table' DESC")) {
            ps.setString(1, like);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ddl.add(rs.getString(2));
                }
            }
        }
        if (ddl.isEmpty()) {
            throw new SQLException("physical table " + like + " to create " + name + " like is gone",
                    SqlStates.UNDEFINED_TABLE);
        }
        Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_])\"?" + Pattern.quote(like) + "\"?(?![A-Za-z0-9_])");
        List<String> out = new ArrayList<>(ddl.size());
        for (String d : ddl) {
            out.add(word.matcher(d).replaceAll(name).replaceAll("(?i)_" + Pattern.quote(like) + "(?![A-Za-z0-9_])",
                    "_" + name));
        }
        return out;
    }

    private boolean exists(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
