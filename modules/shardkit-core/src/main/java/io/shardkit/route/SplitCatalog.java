package io.shardkit.route;

import java.util.regex.Pattern;

import java.sql.Statement;

import java.sql.SQLFeatureNotSupportedException;

import java.sql.PreparedStatement;

import io.shardkit.sql.Dialect;

import io.shardkit.SqlStates;

import io.shardkit.config.TableSplit;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical tables of each split table on each shard, read from the shard's catalog when first
 * needed and kept until a DDL statement through shardkit names the table or
 * {@code ds.tables().refresh(table)} forgets it. One per data source; thread-safe.
 */
public final class SplitCatalog {
    /** Reads a shard's catalog on a connection to it. */
    public interface Reader {
        List<String> read(int shard, TableSplit split) throws SQLException;

        /**
         * Creates physical table {@code name} on a shard like its existing physical table
         * {@code like} ({@link SplitCatalog#create}); an explain only says it would.
         */
        void create(int shard, String like, String name) throws SQLException;
    }

    /** By table, then shard index: no key is built per statement. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, List<String>>> known = new ConcurrentHashMap<>();

    /** The physical tables of {@code table} on {@code shard}, sorted by name. */
    List<String> tables(int shard, String table, TableSplit split, Reader reader) throws SQLException {
        ConcurrentHashMap<Integer, List<String>> byShard = known.computeIfAbsent(table, k -> new ConcurrentHashMap<>());
        List<String> t = byShard.get(shard);
        if (t == null) {
            t = List.copyOf(reader.read(shard, split));
            byShard.put(shard, t);
        }
        return t;
    }

    /** Forgets what was read about {@code table} (every shard), or about every table when {@code null}. */
    public void forget(String table) {
        if (table == null) {
            known.clear();
        } else {
            known.remove(table.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Reads the tables of a split table from one connection's catalog: every table of the
     * connection's schema (PostgreSQL) or database (MySQL; SQLite's main database) whose name the
     * split's pattern produces, sorted by name.
     */
    public static List<String> read(Connection c, TableSplit split) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String product = md.getDatabaseProductName().toLowerCase(Locale.ROOT);
        String schema = product.contains("postgres") ? c.getSchema() : null;
        String catalog = product.contains("mysql") || product.contains("mariadb") ? c.getCatalog() : null;
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name != null && split.suffixOf(name.toLowerCase(Locale.ROOT)) != null) {
                    out.add(name.toLowerCase(Locale.ROOT));
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * Creates physical table {@code name} with the columns and indexes of {@code like}, safe when
     * several data sources create the same table at once: PostgreSQL under an advisory transaction
     * lock ({@code CREATE TABLE IF NOT EXISTS ... (LIKE ... INCLUDING ALL)}), MySQL/MariaDB with
     * {@code CREATE TABLE IF NOT EXISTS ... LIKE ...}, SQLite in a {@code BEGIN IMMEDIATE}
     * transaction from {@code like}'s own DDL in {@code sqlite_master} (its name, and the names of
     * its indexes, which hold it, replaced). Runs on {@code c} in autocommit mode.
     */
    public static void create(Connection c, Dialect dialect, String like, String name) throws SQLException {
        try (Statement st = c.createStatement()) {
            switch (dialect) {
                case POSTGRESQL -> {
                    c.setAutoCommit(false);
                    try {
                        st.execute("SELECT pg_advisory_xact_lock(" + (long) name.hashCode() + ")");
                        st.execute("CREATE TABLE IF NOT EXISTS " + name + " (LIKE " + like + " INCLUDING ALL)");
                        c.commit();
                    } catch (SQLException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                }
                case MYSQL -> st.execute("CREATE TABLE IF NOT EXISTS " + name + " LIKE " + like);
                case SQLITE -> sqliteCreate(c, st, like, name);
                default -> throw new SQLFeatureNotSupportedException("creating physical table " + name + " on "
                        + dialect.displayName() + " (create it like " + like + ")", SqlStates.FEATURE_NOT_SUPPORTED);
            }
        }
    }

    private static void sqliteCreate(Connection c, Statement st, String like, String name) throws SQLException {
        st.execute("BEGIN IMMEDIATE");
        try {
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
            boolean exists;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
                    + " COLLATE NOCASE")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (ddl.isEmpty()) {
                throw new SQLException("physical table " + like + " to create " + name + " like is gone",
                        SqlStates.UNDEFINED_TABLE);
            }
            if (!exists) {
                Pattern word = Pattern.compile("(?i)(?<![A-Za-z0-9_])\"?" + Pattern.quote(like) + "\"?(?![A-Za-z0-9_])");
                for (String d : ddl) {
                    // the table's name, and index names made from it (idx_<table>), become the new table's
                    st.execute(word.matcher(d).replaceAll(name).replaceAll("(?i)_" + Pattern.quote(like)
                            + "(?![A-Za-z0-9_])", "_" + name));
                }
            }
            st.execute("COMMIT");
        } catch (SQLException | RuntimeException e) {
            st.execute("ROLLBACK");
            throw e;
        }
    }
}
