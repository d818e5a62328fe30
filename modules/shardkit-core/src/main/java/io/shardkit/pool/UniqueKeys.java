package io.shardkit.pool;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether every unique key of a sharded table includes its shard key, read once per table from a
 * shard's catalog ({@code DatabaseMetaData}) and kept until shardkit runs DDL.
 *
 * <p>An upsert that reacts to any unique key ({@code ON DUPLICATE KEY UPDATE}, {@code REPLACE INTO},
 * {@code INSERT OR REPLACE}, {@code INSERT IGNORE}, {@code ON CONFLICT DO NOTHING} without a target)
 * runs on the new row's shard only. It is exact only when a conflicting row can only be on that
 * shard, i.e. when every unique key contains the shard key; otherwise the conflicting row may sit on
 * another shard, and the upsert would insert a second row where one database would update the first.
 * Schema changes made behind shardkit's back are not seen until the next DDL through shardkit or a
 * restart.
 */
public final class UniqueKeys {
    private final Map<String, String> problems = new ConcurrentHashMap<>();

    /**
     * Refuses the upsert unless every unique key of {@code table} includes {@code key}, as the
     * catalog of the shard behind {@code c} (the connection the upsert will run on) shows them.
     */
    public void require(Connection c, String shard, String table, String key, String sql) throws SQLException {
        String problem = problems.get(table);
        if (problem == null) {
            problem = read(c, shard, table, key);
            problems.put(table, problem);
        }
        if (!problem.isEmpty()) {
            throw new RefusedException("an upsert into sharded table " + table + " that reacts to any unique key, while "
                    + problem + ": a conflicting row may sit on another shard (give ON CONFLICT a target that includes "
                    + key + ")", sql);
        }
    }

    /** Forgets what was read (the schema may have changed). */
    public void forget() {
        problems.clear();
    }

    /** "" when every unique key includes the shard key, else what is wrong. */
    private static String read(Connection c, String shard, String table, String key) throws SQLException {
        try {
            DatabaseMetaData md = c.getMetaData();
            String name = table;
            try (ResultSet rs = md.getColumns(null, null, table, null)) {
                if (!rs.next()) {
                    try (ResultSet upper = md.getColumns(null, null, table.toUpperCase(Locale.ROOT), null)) {
                        if (!upper.next()) {
                            return "shard " + shard + "'s catalog does not show the table";
                        }
                        name = table.toUpperCase(Locale.ROOT);
                    }
                }
            }
            // each unique key by its identity (schema and index), with the name shown in a refusal
            Map<String, String> names = new HashMap<>();
            Map<String, Set<String>> keys = new HashMap<>();
            try (ResultSet rs = md.getPrimaryKeys(null, null, name)) {
                while (rs.next()) {
                    names.put("", "primary key");
                    keys.computeIfAbsent("", k -> new TreeSet<>()).add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                }
            }
            try (ResultSet rs = md.getIndexInfo(null, null, name, true, false)) {
                while (rs.next()) {
                    String column = rs.getString("COLUMN_NAME");
                    if (rs.getBoolean("NON_UNIQUE") || column == null) {
                        continue;
                    }
                    String index = rs.getString("TABLE_SCHEM") + "." + rs.getString("INDEX_NAME");
                    names.put(index, "unique key " + rs.getString("INDEX_NAME"));
                    keys.computeIfAbsent(index, k -> new TreeSet<>()).add(column.toLowerCase(Locale.ROOT));
                }
            }
            for (Map.Entry<String, Set<String>> e : keys.entrySet()) {
                if (!e.getValue().contains(key)) {
                    return "its " + names.get(e.getKey()) + " (" + String.join(", ", e.getValue())
                            + ") does not include the shard key " + key;
                }
            }
            return "";
        } catch (SQLException e) {
            throw ShardException.fromShard(shard, null, e);
        }
    }
}
