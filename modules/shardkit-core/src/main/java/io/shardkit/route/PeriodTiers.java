package io.shardkit.route;

import static io.shardkit.route.Reasons.note;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.sql.ValueRef;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tiers of one statement on a split table whose whole period tables move to archive shards
 * ({@link TableRule#isPeriodTiered}): which periods the archive holds (a period is archived once
 * an archive shard lists it in {@code shardkit_archived_tables}, the switch the archiver makes
 * under lock of the hot tables), so a read takes each period from exactly one tier (the hot
 * tables of an archived period are ignored until the archiver drops them) and merges the tiers
 * like shards, with no shadowing: hot and archive never hold the same period. Writes stay hot and
 * are refused (SQLState 25006) when they could reach an archived period. Per statement; made by
 * {@link SplitRouting} only for statements naming a period-tiered table. A read naming an archived
 * period's physical table itself goes to the archive shard listing it ({@link #physical}).
 */
final class PeriodTiers {
    private final TableRule rule;
    private final Set<String> archived;
    private final int[] shards;
    private final List<List<String>> names;

    private PeriodTiers(TableRule rule, Set<String> archived, int[] shards, List<List<String>> names) {
        this.rule = rule;
        this.archived = archived;
        this.shards = shards;
        this.names = names;
    }

    /** Whether some table of the map is period-tiered. */
    static boolean any(ShardMap map) {
        for (TableRule rule : map.tables().values()) {
            if (rule.isPeriodTiered()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tiers of a statement naming a period-tiered table ({@code null} when it names none): reads the archive shards'
     * lists (cached by the catalog) and refuses what the tiers cannot answer: a write or locking
     * read that may reach an archived period, and a read over archived periods that names another
     * table or the table twice (rows would pair within one tier only).
     */
    static PeriodTiers of(ShardMap map, ShardRegistry registry, SplitCatalog catalog, SqlAnalysis a,
            List<String> tables, Object[] params, SplitCatalog.Reader reader, StringBuilder why) throws SQLException {
        TableRule rule = null;
        for (String table : tables) {
            TableRule r = map.tables().get(table);
            rule = r != null && r.isPeriodTiered() ? r : rule;
        }
        if (rule == null) {
            return null;
        }
        for (String table : a.tables()) {
            if (archivedShard(map, registry, catalog, table, reader) >= 0) {
                throw new RefusedException("a statement naming " + String.join(", ", tables) + " and " + table + ", a"
                        + " period archived on read-only " + rule.archive().shards() + ": name the archived period"
                        + " through " + rule.table() + ", or read it alone", a.sql());
            }
        }
        List<String> archiveShards = rule.archive().shards();
        int[] shards = new int[archiveShards.size()];
        List<List<String>> names = new ArrayList<>(shards.length);
        Set<String> archived = new HashSet<>();
        for (int i = 0; i < shards.length; i++) {
            shards[i] = registry.indexOf(archiveShards.get(i));
            List<String> here = catalog.archived(shards[i], rule.table(), rule.split(), reader);
            archived.addAll(here);
            names.add(here);
        }
        boolean read = a.kind() == StatementKind.SELECT && a.readsOnly();
        List<String> reached = new ArrayList<>();
        // bounds keep one table more on each side of a range; with the hot tables in the list, that is the next period
        TreeSet<String> all = new TreeSet<>(archived);
        if (!archived.isEmpty() && !a.splitBounds().isEmpty()) {
            for (String hot : rule.strategy().shards()) {
                all.addAll(catalog.tables(registry.indexOf(hot), rule.table(), rule.split(), reader));
            }
        }
        for (int i = 0; i < shards.length; i++) {
            List<String> here = reach(rule, a, names.get(i), new ArrayList<>(all), params, why, registry.name(shards[i]));
            names.set(i, here);
            reached.addAll(here);
        }
        if (reached.isEmpty()) {
            if (!archived.isEmpty()) {
                note(why, "archive " + archiveShards + ": no archived period of " + rule.table() + " can match → hot only");
            }
            return new PeriodTiers(rule, archived, new int[0], List.of());
        }
        if (a.kind() == StatementKind.DDL || a.kind() == StatementKind.INSERT) {
            return new PeriodTiers(rule, archived, new int[0], List.of()); // DDL: hot only; INSERT: checked per row
        }
        if (!read) {
            throw new ShardException(a.kind() + (a.kind() == StatementKind.SELECT ? " ... FOR UPDATE/SHARE" : "") + " on "
                    + rule.table() + " may reach periods archived on read-only " + archiveShards + " (" + reached
                    + "); bound " + rule.split().column() + " to the hot periods [sql: " + ShardException.shorten(a.sql())
                    + "]", SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
        if (tables.size() > 1 || !a.namesEachTableOnce()) {
            throw new RefusedException("a read of " + rule.table() + " over archived periods " + reached + " that names "
                    + (tables.size() > 1 ? "another table too (" + String.join(", ", tables) + ")" : rule.table()
                    + " more than once") + ": the archive holds only " + rule.table() + ", so rows would pair within one"
                    + " tier", a.sql());
        }
        note(why, "archive " + archiveShards + " holds periods " + reached + " of " + rule.table()
                + "; read from there, their hot tables (if still there) ignored");
        return new PeriodTiers(rule, archived, shards, names);
    }

    /**
     * A statement that names an archived period's physical table itself ({@code SELECT ... FROM orders_202609}, no
     * logical split table): its hot tables are gone, or ignored until dropped, so a read naming only archived periods
     * of one archive shard runs there as written; anything else that names one is refused, naming the archive (0A000;
     * 25006 for a locking read). {@code d} when the statement names no archived period.
     */
    static RouteDecision physical(ShardMap map, ShardRegistry registry, SplitCatalog catalog, SqlAnalysis a,
            RouteDecision d, StringBuilder why, SplitCatalog.Reader reader) throws SQLException {
        List<String> named = new ArrayList<>();
        int shard = -1;
        TableRule rule = null;
        for (String table : a.tables()) {
            int at = archivedShard(map, registry, catalog, table, reader);
            if (at >= 0) {
                named.add(table);
                rule = map.tables().get(archivedOf(map, table));
                shard = shard < 0 || shard == at ? at : Integer.MAX_VALUE;
            }
        }
        if (named.isEmpty()) {
            return d;
        }
        if (a.kind() != StatementKind.SELECT || !a.readsOnly()) {
            throw new ShardException(a.kind() + (a.kind() == StatementKind.SELECT ? " ... FOR UPDATE/SHARE" : "")
                    + " naming " + named + ", archived on read-only " + rule.archive().shards() + "; write through "
                    + rule.table() + " to its hot periods [sql: " + ShardException.shorten(a.sql()) + "]",
                    SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
        if (named.size() != a.tables().size() || shard == Integer.MAX_VALUE) {
            throw new RefusedException("a read naming " + named + ", periods of " + rule.table() + " archived on "
                    + rule.archive().shards() + ", with " + (shard == Integer.MAX_VALUE ? "periods on another archive"
                    + " shard" : "tables the archive does not hold as those") + ": read the archived periods alone, or"
                    + " through " + rule.table(), a.sql());
        }
        note(why, "archive " + registry.name(shard) + " holds " + named + " of " + rule.table() + " → read there");
        return new RouteDecision(new int[] {shard}, null, null);
    }

    /** The archive shard (registry index) listing {@code table} as an archived period of a tiered table, or -1. */
    private static int archivedShard(ShardMap map, ShardRegistry registry, SplitCatalog catalog, String table,
            SplitCatalog.Reader reader) throws SQLException {
        String logical = archivedOf(map, table);
        if (logical == null) {
            return -1;
        }
        TableRule rule = map.tables().get(logical);
        for (String name : rule.archive().shards()) {
            int s = registry.indexOf(name);
            if (catalog.archived(s, rule.table(), rule.split(), reader).contains(table)) {
                return s;
            }
        }
        return -1;
    }

    /** The period-tiered table {@code table} is a physical table of, or {@code null}. */
    private static String archivedOf(ShardMap map, String table) {
        if (map.tables().containsKey(table)) {
            return null;
        }
        for (TableRule rule : map.tables().values()) {
            if (rule.isPeriodTiered() && rule.split().suffixOf(table) != null) {
                return rule.table();
            }
        }
        return null;
    }

    /** The archived tables of one archive shard a statement can reach: by its key values, else its bounds. */
    private static List<String> reach(TableRule rule, SqlAnalysis a, List<String> here, List<String> all,
            Object[] params, StringBuilder why, String shard) throws SQLException {
        if (here.isEmpty()) {
            return here;
        }
        List<ValueRef> keys = a.keyValues();
        if (keys != null && !keys.isEmpty() && rule.split().column().equals(rule.keyColumn())
                && rule.table().equals(a.shardedTable())) {
            Set<String> wanted = new HashSet<>();
            for (ValueRef ref : keys) {
                Object v = ref.resolve(params);
                Object[] values = v == null ? new Object[0] : ref.array() ? Router.elements(v) : new Object[] {v};
                if (values == null) {
                    wanted = null;
                    break;
                }
                for (Object value : values) {
                    try {
                        wanted.add(rule.split().physical(rule.split().rule().suffix(rule.table(), value)));
                    } catch (ShardException e) {
                        wanted = null; // the database compares a value the rule cannot read
                        break;
                    }
                }
                if (wanted == null) {
                    break;
                }
            }
            if (wanted != null) {
                List<String> out = new ArrayList<>();
                for (String n : here) {
                    if (wanted.contains(n)) {
                        out.add(n);
                    }
                }
                return out;
            }
        }
        if (a.splitBounds().isEmpty()) {
            return here;
        }
        List<String> out = new ArrayList<>(SplitReads.pruned(rule, all, a.splitBounds(), params, why, shard));
        out.retainAll(here);
        return out;
    }

    TableRule rule() {
        return rule;
    }

    /** Archive shards the read visits, as registry indexes. */
    int count() {
        return shards.length;
    }

    int shard(int i) {
        return shards[i];
    }

    /** The archived tables the read takes from archive shard {@code i}. */
    List<String> names(int i) {
        return names.get(i);
    }

    /** A hot shard's tables of the table without the archived periods (those are read from the archive). */
    List<String> hot(List<String> tables) {
        if (archived.isEmpty()) {
            return tables;
        }
        List<String> out = new ArrayList<>(tables.size());
        for (String n : tables) {
            if (!archived.contains(n)) {
                out.add(n);
            }
        }
        return out;
    }

    /** Refuses (25006) an INSERT row into an archived period. */
    void checkInsert(String physical, String sql) throws ShardException {
        if (archived.contains(physical)) {
            throw new ShardException("INSERT into " + rule.table() + ": the row's period " + physical + " is archived on"
                    + " read-only " + rule.archive().shards() + " [sql: " + ShardException.shorten(sql) + "]",
                    SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
    }
}
