package io.shardkit.route;

import static io.shardkit.route.Reasons.note;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.ShardMap;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.InsertRows;
import io.shardkit.sql.SplitBounds;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SplitTemplates;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.sql.ValueRef;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns a decision over shards into one over data nodes (shard, physical table) for a statement
 * that names split tables: each part's split tables become the physical tables of that shard the
 * statement must see. Keyed by the split column (the table's key): the key's table; a row of an
 * INSERT: its table (the INSERT is split per table); otherwise every physical table of the shard
 * (read from its catalog). A read whose rows partition like its one split table's reads each
 * physical table as a part of its own, merged like shards ({@link SplitReads#nodeByNode}); any other
 * read names several tables of a shard as one derived table (UNION ALL), so the shard looks unsplit
 * to the rest of the plan; a write runs once per physical table. A
 * {@code CREATE TABLE} of a finitely split table creates every physical table on every shard.
 */
final class SplitRouting {
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^\\s*create\\s+(?:temporary\\s+|temp\\s+)?table\\b.*");

    private final ShardMap map;
    private final ShardRegistry registry;
    private final SplitTemplates templates;
    private final SplitCatalog catalog;
    /** Whether some table's archive takes whole periods ({@link PeriodTiers}); else no statement looks for one. */
    private final boolean periodTiered;
    private final KeyedNodes keyedNodes;

    SplitRouting(ShardMap map, ShardRegistry registry, SplitTemplates templates, SplitCatalog catalog) {
        this.map = map;
        this.registry = registry;
        this.templates = templates;
        this.catalog = catalog;
        this.periodTiered = PeriodTiers.any(map);
        this.keyedNodes = new KeyedNodes(map, registry, templates);
    }

    SplitCatalog catalog() {
        return catalog;
    }

    RouteDecision expand(SqlAnalysis a, RouteDecision d, Object[] params, StringBuilder why,
            SplitCatalog.Reader reader) throws SQLException {
        KeyedNodes.Kept kept = keyedNodes.kept(a, registry.dialect(d.shard(0)));
        SplitTemplate t = kept.template();
        if (t.refusal() != null) { // first: a refused text may list no table (an alias named like a split table)
            throw new RefusedException(t.refusal(), a.sql());
        }
        if (t.tables().isEmpty()) { // a physical name (orders_202609) of an archived period reads the archive
            return periodTiered ? PeriodTiers.physical(map, registry, catalog, a, d, why, reader) : d;
        }
        boolean ddl = a.kind() == StatementKind.DDL;
        PeriodTiers tiers = periodTiered ? PeriodTiers.of(map, registry, catalog, a, t.tables(), params, reader, why)
                : null;
        RouteDecision fast = ddl || a.kind() == StatementKind.INSERT || tiers != null ? null
                : keyedNodes.route(a, d, kept, params, why);
        if (fast != null) {
            return fast;
        }
        boolean create = ddl && CREATE_TABLE.matcher(a.sql()).matches();
        if (ddl) {
            for (String table : t.tables()) {
                catalog.forget(table);
            }
        }
        InsertRows rows = a.kind() == StatementKind.INSERT ? a.insertRows() : null;
        List<Integer> shards = new ArrayList<>();
        List<String> sql = new ArrayList<>();
        List<int[]> maps = new ArrayList<>();
        List<int[]> rowsOfParts = new ArrayList<>();
        List<Map<String, List<String>>> physical = new ArrayList<>();
        boolean anySql = false;
        boolean nodes = !ddl && SplitReads.nodeByNode(map, a, d, t);
        int archiveParts = tiers == null ? 0 : tiers.count();
        for (int p = 0; p < d.size() + archiveParts; p++) {
            boolean archive = p >= d.size();
            int dp = archive ? 0 : p; // an archive shard reads what the first hot part reads (a SELECT: all alike)
            int s = archive ? tiers.shard(p - d.size()) : d.shard(p);
            Map<String, List<String>> byTable = new LinkedHashMap<>();
            String multi = null;
            for (String table : t.tables()) {
                TableRule rule = map.tables().get(table);
                boolean tiered = tiers != null && tiers.rule() == rule;
                List<String> names = archive ? tiers.names(p - d.size()) : create ? every(rule)
                        : rows != null && table.equals(a.shardedTable()) ? null : keyed(a, rule, s, params, why);
                if (names == null && !(rows != null && table.equals(a.shardedTable()))) {
                    names = catalog.tables(s, table, rule.split(), reader);
                    if (!ddl && table.equals(a.shardedTable()) && !a.splitBounds().isEmpty()) {
                        names = SplitReads.pruned(rule, names, a.splitBounds(), params, why, registry.name(s));
                    }
                }
                if (tiered && !archive && names != null && !ddl) {
                    names = tiers.hot(names);
                }
                if (names != null) {
                    byTable.put(table, names);
                    if (names.size() > 1 && t.writes()) {
                        if (multi != null) {
                            throw new RefusedException("a write naming split tables " + multi + " and " + table
                                    + " over several physical tables of shard " + registry.name(s), a.sql());
                        }
                        multi = table;
                    }
                }
            }
            if (rows != null && !byTable.containsKey(a.shardedTable())) {
                insertParts(a, d, p, s, rows, params, byTable, shards, sql, maps, rowsOfParts, physical, why, reader,
                        tiers);
                anySql = true;
                continue;
            }
            String empty = emptyTable(byTable);
            if (empty != null) {
                // a shard holding no table of the statement contributes no row; one holding some of them could (an
                // outer join), so that statement fails rather than leave the shard out
                for (String table : a.tables()) {
                    List<String> p2 = byTable.get(table);
                    if (p2 == null || !p2.isEmpty()) {
                        throw new ShardException("split table " + empty + " has no physical table on shard "
                                + registry.name(s) + ", where the statement also reads " + table + "; create "
                                + map.tables().get(empty).split().pattern() + " tables there [sql: "
                                + ShardException.shorten(a.sql()) + "]", SqlStates.UNDEFINED_TABLE);
                    }
                }
                note(why, "split " + empty + ": no physical table on " + registry.name(s) + " → skipped");
                continue;
            }
            List<Map<String, List<String>>> own = nodes ? SplitReads.bySuffix(map, byTable, registry.name(s), a.sql())
                    : null;
            if (own != null) {
                for (Map<String, List<String>> node : own) {
                    add(shards, sql, maps, rowsOfParts, physical, s, d.sql(dp), d.parameters(dp), d.rows(dp), node);
                }
                if (why != null) {
                    note(why, "split on " + registry.name(s) + ": " + String.join(", ", byTable.keySet()) + " → "
                            + own.size() + " physical tables, one shard query each on the shard's connection, merged"
                            + " like shards: " + SplitReads.describe(own));
                }
            } else if (multi == null) {
                add(shards, sql, maps, rowsOfParts, physical, s, d.sql(dp), d.parameters(dp), d.rows(dp), byTable);
                note(why, "split on " + registry.name(s) + ": " + describe(byTable));
            } else {
                for (String one : byTable.get(multi)) {
                    Map<String, List<String>> single = new LinkedHashMap<>(byTable);
                    single.put(multi, List.of(one));
                    add(shards, sql, maps, rowsOfParts, physical, s, d.sql(dp), d.parameters(dp), d.rows(dp), single);
                }
                note(why, "split on " + registry.name(s) + ": " + multi + " → " + byTable.get(multi).size()
                        + " physical tables, the write runs on each: " + byTable.get(multi));
            }
        }
        if (shards.isEmpty()) {
            throw new ShardException("no physical table of split table " + String.join(", ", t.tables())
                    + " exists on the shards this statement needs (" + names(d) + "); create them first (their names: "
                    + patterns(t.tables()) + ") [sql: " + ShardException.shorten(a.sql()) + "]",
                    SqlStates.UNDEFINED_TABLE);
        }
        int n = shards.size();
        int[] shardArray = new int[n];
        Dialect[] dialects = new Dialect[n];
        for (int i = 0; i < n; i++) {
            shardArray[i] = shards.get(i);
            dialects[i] = registry.dialect(shardArray[i]);
        }
        SplitParts parts = new SplitParts(templates, dialects, physical);
        String[] rendered = new String[n];
        for (int i = 0; i < n; i++) {
            rendered[i] = parts.render(sql.get(i) == null ? a.sql() : sql.get(i), i);
        }
        boolean splitsRows = d.splitsRows() || anySql;
        return new RouteDecision(shardArray, rendered, maps.toArray(new int[0][]),
                splitsRows ? rowsOfParts.toArray(new int[0][]) : null, parts);
    }

    /** Every physical table a finite split makes (for CREATE TABLE), or a refusal for a calendar split. */
    private List<String> every(TableRule rule) throws SQLException {
        List<String> suffixes = rule.split().rule().suffixes();
        if (suffixes == null) {
            throw new RefusedException("CREATE TABLE of " + rule.table() + ", which is split by period ("
                    + rule.split().describe() + "): its tables are made per period; create them by their physical names",
                    rule.table());
        }
        List<String> out = new ArrayList<>(suffixes.size());
        for (String s : suffixes) {
            out.add(rule.split().physical(s));
        }
        return out;
    }

    /**
     * The physical tables a keyed statement needs on shard {@code s}: those of the key values that
     * route there, when the table is split by its key and every one of those values maps; else
     * {@code null} (every table of the shard).
     */
    private List<String> keyed(SqlAnalysis a, TableRule rule, int s, Object[] params, StringBuilder why)
            throws SQLException {
        TableSplit split = rule.split();
        List<ValueRef> keys = a.keyValues();
        if (keys == null || keys.isEmpty() || !split.column().equals(rule.keyColumn()) || !SplitReads.colocated(map, a, rule)) {
            return null;
        }
        Set<String> out = new TreeSet<>();
        String shard = registry.name(s);
        for (ValueRef ref : keys) {
            Object v = ref.resolve(params);
            if (v == null) {
                continue;
            }
            Object[] values = ref.array() ? Router.elements(v) : new Object[] {v};
            if (values == null) {
                return null;
            }
            for (Object value : values) {
                if (value == null) {
                    continue;
                }
                try {
                    if (rule.strategy().candidates(rule.table(), value).shards().contains(shard)) {
                        out.add(KeyedNodes.node(rule, split.rule().suffix(rule.table(), value), value, shard, why));
                    }
                } catch (ShardException e) {
                    return null; // a value the strategy or the split cannot map: the database compares it
                }
            }
        }
        return out.isEmpty() ? null : new ArrayList<>(out);
    }

    /** An INSERT into a split table: its rows of part {@code p} grouped by physical table, one part each. */
    private void insertParts(SqlAnalysis a, RouteDecision d, int p, int s, InsertRows rows, Object[] params,
            Map<String, List<String>> others, List<Integer> shards, List<String> sql, List<int[]> maps,
            List<int[]> rowsOfParts, List<Map<String, List<String>>> physical, StringBuilder why,
            SplitCatalog.Reader reader, PeriodTiers tiers) throws SQLException {
        String table = a.shardedTable();
        TableRule rule = map.tables().get(table);
        TableSplit split = rule.split();
        int[] rowsHere = d.rows(p);
        if (rowsHere == null) {
            rowsHere = new int[rows.rowCount()];
            for (int r = 0; r < rowsHere.length; r++) {
                rowsHere[r] = r;
            }
        }
        Map<String, List<Integer>> byTable = new LinkedHashMap<>();
        for (int r : rowsHere) {
            ValueRef ref = rows.splitValues() == null ? rows.keys().get(r) : rows.splitValues().get(r);
            Object v = ref.resolve(params);
            if (v == null) {
                throw new ShardException("INSERT into split table " + table + ": row " + (r + 1) + " has no value for "
                        + split.column() + " (NULL or unbound), which picks its physical table [sql: "
                        + ShardException.shorten(a.sql()) + "]", Router.INVALID);
            }
            if (why != null && rows.rowCount() > 1) {
                note(why, "row " + (r + 1) + ":");
            }
            String name = KeyedNodes.node(rule, split.rule().suffix(table, v), v, registry.name(s), why);
            if (tiers != null) {
                tiers.checkInsert(name, a.sql());
            }
            byTable.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        }
        if (split.create() != TableSplit.Create.NEVER) {
            createMissing(rule, s, byTable.keySet(), reader, why);
        }
        for (Map.Entry<String, List<Integer>> e : byTable.entrySet()) {
            int[] picked = new int[e.getValue().size()];
            for (int i = 0; i < picked.length; i++) {
                picked[i] = e.getValue().get(i);
            }
            Map<String, List<String>> one = new LinkedHashMap<>(others);
            one.put(table, List.of(e.getKey()));
            boolean all = picked.length == rows.rowCount();
            add(shards, sql, maps, rowsOfParts, physical, s, all ? null : rows.sqlFor(picked, picked.length),
                    all ? null : rows.parametersFor(picked, picked.length), picked, one);
        }
    }

    /**
     * {@code create: onFirstWrite} or {@code {ahead: N}}: the physical tables an INSERT's rows need on
     * shard {@code s} that the shard does not hold are created (from the template, else like its
     * newest one, by name, so the latest period) before the rows are written; several data sources
     * creating the same table at once make it once. Ahead, a table outside the current period and
     * the N after it is refused instead (42P01).
     */
    private void createMissing(TableRule rule, int s, Iterable<String> needed, SplitCatalog.Reader reader,
            StringBuilder why) throws SQLException {
        List<String> existing = catalog.tables(s, rule.table(), rule.split(), reader);
        boolean created = false;
        for (String name : needed) {
            if (existing.contains(name)) {
                continue;
            }
            if (rule.split().create() == TableSplit.Create.AHEAD) {
                catalog.checkAhead(rule.table(), rule.split(), registry.name(s), name);
            }
            SplitCreation how = SplitCreation.of(rule.table(), rule.split(), name, existing);
            if (how == null) {
                throw SplitCreation.nothingToCopy(rule.table(), registry.name(s), name);
            }
            note(why, "create: " + (rule.split().create() == TableSplit.Create.AHEAD ? "{ahead: " + rule.split().ahead()
                    + "}" : "onFirstWrite") + " → " + how.describe() + " on " + registry.name(s));
            reader.create(s, how);
            created = true;
        }
        if (created) {
            catalog.forget(rule.table());
        }
    }

    private static void add(List<Integer> shards, List<String> sql, List<int[]> maps, List<int[]> rowsOfParts,
            List<Map<String, List<String>>> physical, int s, String partSql, int[] map, int[] rows,
            Map<String, List<String>> byTable) {
        shards.add(s);
        sql.add(partSql);
        maps.add(map);
        rowsOfParts.add(rows);
        physical.add(byTable);
    }

    private static String emptyTable(Map<String, List<String>> byTable) {
        for (Map.Entry<String, List<String>> e : byTable.entrySet()) {
            if (e.getValue().isEmpty()) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String describe(Map<String, List<String>> byTable) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : byTable.entrySet()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(e.getKey()).append(" → ");
            List<String> p = e.getValue();
            sb.append(p.size() == 1 ? p.get(0) : p.size() + " physical tables (UNION ALL): " + p);
        }
        return sb.toString();
    }

    private String names(RouteDecision d) {
        String[] n = new String[d.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = registry.name(d.shard(i));
        }
        return String.join(", ", Arrays.asList(n));
    }

    private String patterns(List<String> tables) {
        Map<String, String> out = new HashMap<>();
        for (String t : tables) {
            out.put(t, map.tables().get(t).split().pattern());
        }
        return out.values().toString();
    }
}
