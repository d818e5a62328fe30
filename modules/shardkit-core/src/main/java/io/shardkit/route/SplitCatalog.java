package io.shardkit.route;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.TableSplit;
import io.shardkit.strategy.SplitRules;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical tables of each split table on each shard, read from the shard's catalog when first
 * needed and kept until a DDL statement through shardkit names the table or
 * {@code ds.tables().refresh(table)} forgets it. One per data source; thread-safe.
 *
 * <p>For a split with {@code create: {ahead: N}} a read also makes the tables of the current period
 * and the next N that the shard lacks, and the entry is kept only until the current period ends
 * (by the data source's {@link #clock}): the check on each use is one clock read and a compare.
 */
public final class SplitCatalog {
    /** Reads a shard's catalog on a connection to it. */
    public interface Reader {
        List<String> read(int shard, TableSplit split) throws SQLException;

        /**
         * Creates a missing physical table on a shard ({@link SplitCreation#run}, on a connection
         * in autocommit mode); an explain only says it would.
         */
        void create(int shard, SplitCreation how) throws SQLException;

        /** The periods of {@code table} archived on archive shard {@code shard} ({@link #readArchived}). */
        List<String> readArchived(int shard, String table, TableSplit split) throws SQLException;

        /**
         * The schema (MySQL: database) whose catalog this reader reads: a tenant's, or {@code null}
         * for the shards' own. What is read is kept per schema.
         */
        default String schema() {
            return null;
        }
    }

    /** The archive shards' lists of archived period tables (period-tiered split tables); the archiver writes it. */
    public static final String ARCHIVED = "shardkit_archived_tables";

    /** What was read of one shard: its tables, and until when (epoch ms) they stand for the present. */
    private record Known(List<String> tables, long until) {
    }

    /** By table, then shard index: no key is built per statement. The shards' own schemas. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, Known>> known = new ConcurrentHashMap<>();
    /** Tenants' schemas ({@link Reader#schema}): by schema, then as {@link #known}. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<Integer, Known>>> bySchema =
            new ConcurrentHashMap<>();
    /** Archived periods, by table, then archive shard index. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, List<String>>> archived = new ConcurrentHashMap<>();
    private volatile Clock clock = Clock.systemUTC();

    /** The physical tables of {@code table} on {@code shard}, sorted by name. */
    List<String> tables(int shard, String table, TableSplit split, Reader reader) throws SQLException {
        String schema = reader.schema();
        ConcurrentHashMap<String, ConcurrentHashMap<Integer, Known>> byTable = schema == null ? known
                : bySchema.computeIfAbsent(schema, k -> new ConcurrentHashMap<>());
        ConcurrentHashMap<Integer, Known> byShard = byTable.computeIfAbsent(table, k -> new ConcurrentHashMap<>());
        Known k = byShard.get(shard);
        if (k != null && (k.until == Long.MAX_VALUE || clock.millis() < k.until)) {
            return k.tables;
        }
        k = split.create() == TableSplit.Create.AHEAD ? ensure(shard, table, split, reader)
                : new Known(List.copyOf(reader.read(shard, split)), Long.MAX_VALUE);
        byShard.put(shard, k);
        return k.tables;
    }

    /** The archived period tables of {@code table} on archive shard {@code shard}, sorted by name; cached like {@link #tables}. */
    List<String> archived(int shard, String table, TableSplit split, Reader reader) throws SQLException {
        ConcurrentHashMap<Integer, List<String>> byShard = archived.computeIfAbsent(table, k -> new ConcurrentHashMap<>());
        List<String> k = byShard.get(shard);
        if (k == null) {
            k = List.copyOf(reader.readArchived(shard, table, split));
            byShard.put(shard, k);
        }
        return k;
    }

    /**
     * {@code create: {ahead: N}}: reads the shard's tables and makes those of the current period
     * and the next N it lacks. A shard with neither a template nor a table to copy gets none (a write
     * there says why). When a creation is refused (SQLite inside a transaction) or did not happen
     * (explain), the entry is kept for this statement only, so the next one tries again.
     */
    private Known ensure(int shard, String table, TableSplit split, Reader reader) throws SQLException {
        Instant now = clock.instant();
        List<String> window = ahead(split, now);
        List<String> tables = List.copyOf(reader.read(shard, split));
        long until = SplitRules.periodEnd(split.rule(), now).toEpochMilli();
        boolean tried = false;
        for (String name : window) {
            if (tables.contains(name)) {
                continue;
            }
            SplitCreation how = SplitCreation.of(table, split, name, tables);
            if (how == null) {
                break;
            }
            try {
                reader.create(shard, how);
            } catch (RefusedException e) {
                return new Known(tables, 0);
            }
            tried = true;
        }
        if (tried) {
            tables = List.copyOf(reader.read(shard, split));
            if (!tables.containsAll(window)) {
                until = 0;
            }
        }
        return new Known(tables, until);
    }

    /**
     * {@code create: {ahead: N}}: the physical tables of the period holding {@code now} and of the
     * N after it, in order.
     */
    public static List<String> ahead(TableSplit split, Instant now) throws ShardException {
        List<String> suffixes = SplitRules.periodsFrom(split.rule(), now, split.ahead());
        if (suffixes == null) {
            throw new ShardException("split " + split.describe() + " cannot name the " + split.ahead()
                    + " periods after " + now, ShardException.ROUTING);
        }
        List<String> out = new ArrayList<>(suffixes.size());
        for (String s : suffixes) {
            out.add(split.physical(s));
        }
        return out;
    }

    /**
     * {@code create: {ahead: N}}: throws (SQLState 42P01) unless physical table {@code name}, which
     * shard {@code shard} lacks, is one of the periods the rule creates now (the current one and the
     * N after it).
     */
    void checkAhead(String table, TableSplit split, String shard, String name) throws ShardException {
        List<String> window = ahead(split, clock.instant());
        if (!window.contains(name)) {
            throw new ShardException("physical table " + name + " of split table " + table + " does not exist on shard "
                    + shard + ", and create: {ahead: " + split.ahead() + "} (" + split.describe() + ") creates only the"
                    + " current period and the " + split.ahead() + " after it (" + window.get(0)
                    + (window.size() > 1 ? " to " + window.get(window.size() - 1) : "") + "); create " + name
                    + " first", SqlStates.UNDEFINED_TABLE);
        }
    }

    /** The clock that says which period is current ({@code create: {ahead: N}}); UTC system time by default. */
    public Clock clock() {
        return clock;
    }

    /** Sets the clock (for tests, or a job creating for another day) and forgets what was read, so the next use ensures again. */
    public void clock(Clock value) {
        clock = Objects.requireNonNull(value, "clock");
        forget(null);
    }

    /** Forgets what was read about {@code table} (every shard, every schema), or about every table when {@code null}. */
    public void forget(String table) {
        if (table == null) {
            known.clear();
            archived.clear();
            bySchema.clear();
        } else {
            String t = table.toLowerCase(Locale.ROOT);
            known.remove(t);
            archived.remove(t);
            for (ConcurrentHashMap<String, ConcurrentHashMap<Integer, Known>> byTable : bySchema.values()) {
                byTable.remove(t);
            }
        }
    }

    /** Forgets what was read in a tenant's schema (the tenant was dropped, or its DDL run by hand). */
    public void forgetSchema(String schema) {
        bySchema.remove(schema);
    }

    /**
     * Reads the tables of a split table from one connection's catalog: every table of the
     * connection's schema (PostgreSQL) or database (MySQL; SQLite's main database) whose name the
     * split's pattern produces, sorted by name.
     */
    public static List<String> read(Connection c, TableSplit split) throws SQLException {
        return read(c, split, null);
    }

    /** {@link #read(Connection, TableSplit)} in schema (MySQL: database) {@code schema}, or the connection's when {@code null}. */
    public static List<String> read(Connection c, TableSplit split, String schema) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String name : tableNames(c, schema)) {
            if (split.suffixOf(name) != null) {
                out.add(name);
            }
        }
        Collections.sort(out);
        return out;
    }

    /**
     * The period tables of {@code table} an archive shard holds as archived: those listed in its
     * {@value #ARCHIVED} (written by the archiver when a period's copy is complete) that exist there,
     * sorted by name; none when the list does not exist yet. A table merely present on the archive
     * shard is not archived: it may be a copy in progress, or made by hand.
     */
    public static List<String> readArchived(Connection c, String table, TableSplit split) throws SQLException {
        List<String> present = read(c, split);
        if (present.isEmpty() || !hasTable(c, ARCHIVED)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT physical_table FROM " + ARCHIVED
                + " WHERE logical_table = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1).toLowerCase(Locale.ROOT);
                    if (present.contains(name)) {
                        out.add(name);
                    }
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Whether the connection's schema (PostgreSQL), database (MySQL) or main file (SQLite) has a table of this name. */
    public static boolean hasTable(Connection c, String name) throws SQLException {
        return tableNames(c).contains(name.toLowerCase(Locale.ROOT));
    }

    /** Every table of the connection's schema (PostgreSQL), database (MySQL) or main file (SQLite), lower case. */
    public static List<String> tableNames(Connection c) throws SQLException {
        return tableNames(c, null);
    }

    private static List<String> tableNames(Connection c, String in) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String product = md.getDatabaseProductName().toLowerCase(Locale.ROOT);
        String schema = product.contains("postgres") ? pattern(md, in != null ? in : c.getSchema()) : null;
        String catalog = product.contains("mysql") || product.contains("mariadb") ? (in != null ? in : c.getCatalog()) : null;
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name != null) {
                    out.add(name.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    /** A schema name as a {@code getTables} pattern: {@code _} and {@code %} (a tenant's {@code t_a} would match {@code tXa}) escaped. */
    private static String pattern(DatabaseMetaData md, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String esc = md.getSearchStringEscape();
        return esc == null || esc.isEmpty() ? name : name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }
}
