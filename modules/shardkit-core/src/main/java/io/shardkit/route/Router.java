package io.shardkit.route;

import static io.shardkit.route.Reasons.note;
import static io.shardkit.route.Reasons.show;

import io.shardkit.Candidates;
import io.shardkit.RefusedException;
import io.shardkit.ShardChoice;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.Targets;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.sql.InsertRows;
import io.shardkit.sql.SplitTemplates;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.sql.ValueRef;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.KeyTypeException;
import io.shardkit.strategy.Strategy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns an analysis plus this execution's parameters into shards, by asking the table's
 * choosers. Thread-safe and stateless but for a round-robin counter for broadcast reads.
 *
 * <p>The hot path (one key, one candidate) allocates nothing: decisions for one shard are
 * pre-built. Reasons are only put into words when a {@code why} builder is passed (explain, or
 * DEBUG logging).
 */
public final class Router {
    /** SQLState for a statement that names a table the map does not know, or lacks a shard key. */
    public static final String INVALID = SqlStates.SYNTAX_ERROR_OR_ACCESS_RULE_VIOLATION;

    private final ShardMap map;
    private final ShardRegistry registry;
    private final int defaultShard;
    private final RouteDecision[] single;
    private final RouteDecision all;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final ShardNames shardNames;
    private final TierRouting tiers;
    /** The data nodes of split tables; {@code null} when no table of the map is split (nothing to do per statement). */
    private final SplitRouting splits;
    private final OwnedScatter owned;

    public Router(ShardMap map, ShardRegistry registry) {
        this.map = map;
        this.registry = registry;
        this.shardNames = new ShardNames(registry);
        this.tiers = new TierRouting(map, shardNames);
        Set<String> split = new HashSet<>();
        for (TableRule rule : map.tables().values()) {
            if (rule.isSplit()) {
                split.add(rule.table());
            }
        }
        this.splits = split.isEmpty() ? null : new SplitRouting(map, registry,
                new SplitTemplates(split, map.settings().analysisCacheSize()), new SplitCatalog());
        this.owned = new OwnedScatter(map, registry);
        this.defaultShard = map.defaultShard() == null ? -1 : registry.indexOf(map.defaultShard());
        int n = registry.size();
        single = new RouteDecision[n];
        int[] every = new int[n];
        for (int i = 0; i < n; i++) {
            single[i] = new RouteDecision(new int[] {i}, null, null);
            every[i] = i;
        }
        all = new RouteDecision(every, null, null);
    }

    /** A decision over these shards, running the statement's own SQL on each. */
    public RouteDecision overShards(int[] shards) {
        return new RouteDecision(shards, null, null);
    }

    /** Whether some table of the map is split by name (then {@link #dataNodes} must follow {@link #route}). */
    public boolean hasSplitTables() {
        return splits != null;
    }

    public ShardMap map() {
        return map;
    }

    /** What is known of the split tables' physical tables, or {@code null} when no table is split. */
    public SplitCatalog splitCatalog() {
        return splits == null ? null : splits.catalog();
    }

    /**
     * A decision over shards made one over data nodes: for a statement naming split tables, each
     * part's SQL names the physical tables of its shard (see {@link SplitRouting}); any other
     * decision unchanged.
     */
    public RouteDecision dataNodes(SqlAnalysis a, RouteDecision d, Object[] params, StringBuilder why,
            SplitCatalog.Reader reader) throws SQLException {
        if (splits == null || a.shape() == SqlAnalysis.Shape.NO_TABLE || a.shape() == SqlAnalysis.Shape.BROADCAST) {
            return d;
        }
        return splits.expand(a, d, params, why, reader);
    }

    /**
     * The decision for running the statement's own SQL on one shard: pre-built for the map's
     * shards, made on demand for runtime shards.
     */
    public RouteDecision single(int shard) {
        return shard < single.length ? single[shard] : new RouteDecision(new int[] {shard}, null, null);
    }

    /**
     * @param params parameter values by 0-based index, or {@code null} for a plain statement
     * @param preferred a shard the connection already uses (for reads that may run anywhere), or -1
     * @param why receives the reasons, or {@code null}
     */
    public RouteDecision route(SqlAnalysis a, Object[] params, int preferred, StringBuilder why) throws SQLException {
        switch (a.shape()) {
            case REFUSED:
                throw new RefusedException(a.problem(), a.sql());
            case INVALID:
                throw new ShardException(a.problem() + " [sql: " + ShardException.shorten(a.sql()) + "]", INVALID);
            case NO_TABLE:
                return noTable(a, preferred, why);
            case PINNED:
                return pinned(a, why);
            case BROADCAST:
                return broadcast(a, preferred, why);
            default:
                return sharded(a, params, why);
        }
    }

    private RouteDecision noTable(SqlAnalysis a, int preferred, StringBuilder why) throws SQLException {
        if (a.kind() == StatementKind.SELECT) {
            int s = preferred >= 0 ? preferred : defaultShard >= 0 ? defaultShard : 0;
            note(why, "no table → " + registry.name(s) + (preferred >= 0 ? " (already in use by this connection)"
                    : defaultShard >= 0 ? " (the default shard)" : " (the first shard)"));
            return single[s];
        }
        if (defaultShard >= 0) {
            note(why, "no table → the default shard " + registry.name(defaultShard));
            return single[defaultShard];
        }
        if (registry.size() == 1) {
            note(why, "no table → the only shard " + registry.name(0));
            return single[0];
        }
        throw new RefusedException("cannot tell which shard this statement is for: it names no table and the map has"
                + " no defaultShard; use ShardedDataSource.connectionTo(shard)", a.sql());
    }

    private RouteDecision pinned(SqlAnalysis a, StringBuilder why) throws SQLException {
        List<String> ddl = a.ddlShards();
        if (ddl != null) {
            note(why, "DDL on " + (a.tables().isEmpty() ? "an unnamed object" : String.join(", ", a.tables()))
                    + " → every shard that holds it: " + ddl);
            return ddl.size() == registry.size() ? all : decision(shardNames.indexes(ddl, "DDL target"));
        }
        int s = shardNames.index(a.pinnedShard(), "pinned table");
        note(why, String.join(", ", a.tables()) + " live(s) on " + a.pinnedShard());
        return single[s];
    }

    private RouteDecision broadcast(SqlAnalysis a, int preferred, StringBuilder why) {
        if (a.kind().isWrite()) {
            note(why, "write to broadcast table " + String.join(", ", a.tables()) + " → every shard");
            return all;
        }
        int s = preferred >= 0 ? preferred : Math.floorMod(roundRobin.getAndIncrement(), registry.size());
        note(why, "read of broadcast table " + String.join(", ", a.tables()) + " → any one shard: " + registry.name(s));
        return single[s];
    }

    /** A statement over several shards of a bucket group some shard of which retains buckets: see {@link OwnedScatter#route}. */
    private RouteDecision sharded(SqlAnalysis a, Object[] params, StringBuilder why) throws SQLException {
        int mark = why == null ? 0 : why.length();
        RouteDecision d = routeSharded(a, params, why);
        if (d.isSingle() || !(a.strategy() instanceof BucketStrategy b) || b.ownership().retained().isEmpty()) {
            return d;
        }
        return owned.route(a, b, d, why, mark, () -> routeSharded(a, params, why));
    }

    private RouteDecision routeSharded(SqlAnalysis a, Object[] params, StringBuilder why) throws SQLException {
        Strategy strategy = a.strategy();
        String table = a.shardedTable();
        RouteDecision d;
        List<String> byId = null;
        if (a.insertRows() != null) {
            IdRouting.checkInsert(a, params);
            d = insert(a, strategy, table, params, why);
        } else if (a.kind() == StatementKind.DDL) {
            d = decision(shardNames.indexes(strategy.shards(), "strategy", table));
        } else if (a.keyValues() != null) {
            d = keyed(a, strategy, table, params, why);
        } else if (a.idValues() != null && (byId = IdRouting.shards(a, params, why)) != null) {
            d = decision(shardNames.indexes(byId, "idOf", table));
        } else {
            Targets t = strategy.chooseShards(table, a.sql());
            if (t == null) {
                throw new ShardException("the QueryChooser of table " + table + " returned null", ShardException.ROUTING);
            }
            note(why, table + ": " + t.reason());
            d = t.all() ? decision(shardNames.indexes(strategy.shards(), "strategy", table))
                    : decision(shardNames.indexes(t.shards(), "QueryChooser", table));
        }
        if (a.sameShard() && !d.isSingle()) {
            throw new RefusedException("subquery over sharded table " + table + " (it would see only the rows of one"
                    + " shard): its references are pinned to key values on " + d.size() + " shards", a.sql());
        }
        if (a.keySet() != null && !sameKey(a.keySet().resolve(params), a.keyPin().resolve(params))) {
            throw new RefusedException(a.keyRefusal(), a.sql());
        }
        if (a.tiering() != null) {
            d = tiers.tiered(a, a.tiering(), d, params, why);
        }
        if (a.pinnedShard() != null) {
            int p = shardNames.index(a.pinnedShard(), "pinned table");
            if (!d.isSingle() || d.shard(0) != p) {
                throw new RefusedException("the statement combines tables pinned to " + a.pinnedShard()
                        + " with sharded table " + table + " whose rows here are not all on " + a.pinnedShard(), a.sql());
            }
        }
        return d;
    }

    private RouteDecision keyed(SqlAnalysis a, Strategy strategy, String table, Object[] params, StringBuilder why)
            throws SQLException {
        List<ValueRef> keys = a.keyValues();
        if (keys.size() == 1 && !keys.get(0).array()) {
            Object key = keys.get(0).resolve(params);
            if (key == null) {
                return nullKey(a, strategy, table, why);
            }
            Candidates c;
            try {
                c = strategy.candidates(table, key);
            } catch (KeyTypeException e) {
                return unmappable(a, strategy, table, key, why);
            }
            checkAnswer(c, "IdChooser", table);
            if (why != null) {
                note(why, table + "." + keyName(a) + " = " + show(key) + ": " + c.reason());
            }
            if (c.shards().size() == 1) {
                return single[shardNames.index(c.shards().get(0), "IdChooser", table)];
            }
            return decision(shardNames.indexes(c.shards(), "IdChooser", table));
        }
        List<String> shards = new ArrayList<>();
        for (ValueRef ref : keys) {
            Object key = ref.resolve(params);
            if (key == null) {
                continue;
            }
            if (ref.array()) {
                Object[] elements = elements(key);
                if (elements == null) {
                    return unmappable(a, strategy, table, key, why);
                }
                for (Object element : elements) {
                    if (element != null && !addCandidates(a, strategy, table, element, shards, why)) {
                        return unmappable(a, strategy, table, element, why);
                    }
                }
            } else if (!addCandidates(a, strategy, table, key, shards, why)) {
                return unmappable(a, strategy, table, key, why);
            }
        }
        if (shards.isEmpty()) {
            return nullKey(a, strategy, table, why);
        }
        return decision(shardNames.indexes(shards, "IdChooser", table));
    }

    /**
     * Whether the value an UPDATE's SET gives the shard key is the one its WHERE pins the key to, so
     * every row it matches keeps its key: equal values of one type, or numbers of equal value
     * ({@code 5} and {@code 5L}). A string and a number differ (each database converts by its own
     * rules), as do NULL and a value.
     */
    static boolean sameKey(Object set, Object pin) {
        if (set == null || pin == null) {
            return set == null && pin == null; // WHERE key = NULL matches no row
        }
        if (set instanceof Number x && pin instanceof Number y) {
            try {
                return decimal(x).compareTo(decimal(y)) == 0;
            } catch (NumberFormatException e) {
                return false; // NaN, infinity
            }
        }
        return set.getClass() == pin.getClass() && set.equals(pin)
                || set instanceof byte[] x && pin instanceof byte[] y && Arrays.equals(x, y);
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : n instanceof BigInteger b ? new BigDecimal(b)
                : n instanceof Double || n instanceof Float ? new BigDecimal(n.toString())
                : BigDecimal.valueOf(n.longValue());
    }

    /** Adds the key's candidate shards; {@code false} when the strategy cannot map the key. */
    private boolean addCandidates(SqlAnalysis a, Strategy strategy, String table, Object key, List<String> shards,
            StringBuilder why) throws SQLException {
        Candidates c;
        try {
            c = strategy.candidates(table, key);
        } catch (KeyTypeException e) {
            return false;
        }
        checkAnswer(c, "IdChooser", table);
        if (why != null) {
            note(why, table + "." + keyName(a) + " = " + show(key) + ": " + c.reason());
        }
        for (String s : c.shards()) {
            if (!shards.contains(s)) {
                shards.add(s);
            }
        }
        return true;
    }

    /**
     * The elements of an array bound to {@code key = ANY(?)}: a {@link java.sql.Array}'s, an
     * {@code Object[]}, or a primitive array boxed; {@code null} for any other value.
     */
    static Object[] elements(Object value) throws SQLException {
        Object v = value instanceof java.sql.Array array ? array.getArray() : value;
        if (v instanceof Object[] objects) {
            return objects;
        }
        if (v == null || !v.getClass().isArray()) {
            return null;
        }
        int n = java.lang.reflect.Array.getLength(v); // primitive arrays: once per execution of a batch load
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = java.lang.reflect.Array.get(v, i);
        }
        return out;
    }

    /**
     * A key the strategy cannot map ({@code id = 5.5} on a {@code mod} table): the database decides
     * what it matches (an error, nothing, or a converted value), so every shard of the table runs it.
     */
    private RouteDecision unmappable(SqlAnalysis a, Strategy strategy, String table, Object key, StringBuilder why)
            throws SQLException {
        note(why, table + "." + keyName(a) + " = " + show(key) + ": the strategy cannot map this value to a shard"
                + " → every shard of " + table + " (each database compares it by its own rules)");
        return decision(shardNames.indexes(strategy.shards(), "strategy", table));
    }

    /** {@code key = NULL} matches no row anywhere: one shard answers exactly (with nothing). */
    private RouteDecision nullKey(SqlAnalysis a, Strategy strategy, String table, StringBuilder why)
            throws SQLException {
        String s = strategy.shards().get(0);
        note(why, table + "." + keyName(a) + " = NULL matches no row → any one shard: " + s);
        return single[shardNames.index(s, "strategy", table)];
    }

    private RouteDecision insert(SqlAnalysis a, Strategy strategy, String table, Object[] params, StringBuilder why)
            throws SQLException {
        InsertRows rows = a.insertRows();
        int n = rows.rowCount();
        int[] shardOfRow = new int[n];
        int first = -1;
        boolean oneShard = true;
        for (int r = 0; r < n; r++) {
            Object key = rows.keys().get(r).resolve(params);
            if (key == null) {
                throw new ShardException("INSERT into " + table + ": row " + (r + 1) + " has no value for the shard key ("
                        + "NULL or unbound) [sql: " + ShardException.shorten(a.sql()) + "]", INVALID);
            }
            ShardChoice c = strategy.chooseShard(table, key);
            if (c == null) {
                throw new ShardException("the ShardChooser of table " + table + " returned null", ShardException.ROUTING);
            }
            int s = shardNames.index(c.shard(), "ShardChooser", table);
            if (why != null) {
                note(why, (n > 1 ? "row " + (r + 1) + ": " : "") + table + "." + keyName(a) + " = " + show(key) + ": " + c.reason());
            }
            shardOfRow[r] = s;
            if (first < 0) {
                first = s;
            } else if (s != first) {
                oneShard = false;
            }
        }
        if (oneShard) {
            return single[first];
        }
        List<Integer> order = new ArrayList<>();
        for (int s : shardOfRow) {
            if (!order.contains(s)) {
                order.add(s);
            }
        }
        int parts = order.size();
        int[] shards = new int[parts];
        String[] sql = new String[parts];
        int[][] maps = new int[parts][];
        int[][] rowsOfPart = new int[parts][];
        int[] picked = new int[n];
        for (int p = 0; p < parts; p++) {
            int s = order.get(p);
            int count = 0;
            for (int r = 0; r < n; r++) {
                if (shardOfRow[r] == s) {
                    picked[count++] = r;
                }
            }
            shards[p] = s;
            sql[p] = rows.sqlFor(picked, count);
            maps[p] = rows.parametersFor(picked, count);
            rowsOfPart[p] = Arrays.copyOf(picked, count);
        }
        return new RouteDecision(shards, sql, maps, rowsOfPart);
    }

    private void checkAnswer(Candidates c, String chooser, String table) throws ShardException {
        if (c == null) {
            throw new ShardException("the " + chooser + " of table " + table + " returned null", ShardException.ROUTING);
        }
    }

    private RouteDecision decision(int[] shards) {
        if (shards.length == 1) {
            return single[shards[0]];
        }
        if (shards.length == registry.size()) {
            int[] sorted = shards.clone();
            Arrays.sort(sorted);
            boolean every = true;
            for (int i = 0; i < sorted.length; i++) {
                every &= sorted[i] == i;
            }
            if (every && Arrays.equals(sorted, shards)) {
                return all;
            }
        }
        return new RouteDecision(shards, null, null);
    }

    /**
     * The shards that hold a table of the map: a sharded table's strategy shards, a pinned table's
     * shard, every hot shard for a broadcast table. {@code null} for a table the map does not name.
     */
    public int[] shardsHolding(String table) {
        TableRule rule = table == null ? null : map.tables().get(table.toLowerCase(Locale.ROOT));
        if (rule == null) {
            return null;
        }
        return switch (rule.kind()) {
            case SHARDED -> shardNames.indexesOf(rule.strategy().shards());
            case PINNED -> new int[] {registry.indexOf(rule.shard())};
            case BROADCAST -> hotShards();
        };
    }

    /** The map's shards that are not archive shards (where every table but a tiered one's archive lives). */
    public int[] hotShards() {
        int n = 0;
        int[] out = new int[registry.size()];
        for (int i = 0; i < registry.size(); i++) {
            if (!ShardSpec.ARCHIVE.equals(registry.spec(i).tier())) {
                out[n++] = i;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The shard key column of a sharded table, or {@code null}. */
    public String keyColumn(String table) {
        TableRule rule = map.tables().get(table);
        return rule == null ? null : rule.keyColumn();
    }

    private String keyName(SqlAnalysis a) {
        TableRule rule = map.tables().get(a.shardedTable());
        return rule == null ? "key" : rule.keyColumn();
    }
}
