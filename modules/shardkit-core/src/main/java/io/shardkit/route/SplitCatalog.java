package io.shardkit.route;

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
    }

    private final ConcurrentHashMap<String, List<String>> known = new ConcurrentHashMap<>();

    /** The physical tables of {@code table} on {@code shard}, sorted by name. */
    List<String> tables(int shard, String table, TableSplit split, Reader reader) throws SQLException {
        String key = shard + ":" + table;
        List<String> t = known.get(key);
        if (t == null) {
            t = List.copyOf(reader.read(shard, split));
            known.put(key, t);
        }
        return t;
    }

    /** Forgets what was read about {@code table} (every shard), or about every table when {@code null}. */
    public void forget(String table) {
        if (table == null) {
            known.clear();
            return;
        }
        String suffix = ":" + table.toLowerCase(Locale.ROOT);
        known.keySet().removeIf(k -> k.endsWith(suffix));
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
}
