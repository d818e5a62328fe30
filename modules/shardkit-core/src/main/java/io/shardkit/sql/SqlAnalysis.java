package io.shardkit.sql;

import io.shardkit.strategy.Strategy;
import java.util.List;

/**
 * Everything routing needs to know about one SQL text, worked out once and cached by that text:
 * what kind of statement it is, which tables it touches and how they live (its {@link Shape}),
 * the shard key values it names, and which constructs would need a merge across shards.
 *
 * <p>Immutable and shared between threads. Depends on the shard map it was analysed against.
 */
public final class SqlAnalysis {

    /** How the tables of a statement live, which decides how it is routed. */
    public enum Shape {
        /** No table: runs on the default shard (or the first). */
        NO_TABLE,
        /** Only broadcast tables: reads run on any one shard, writes on every shard. */
        BROADCAST,
        /** Only tables living whole on one shard (pinned, or unnamed tables on the default shard). */
        PINNED,
        /** Tables of one strategy (co-located), optionally with broadcast tables. */
        SHARDED,
        /** A statement shardkit cannot route or answer exactly; {@link #problem()} says why. */
        REFUSED,
        /** A statement that cannot be routed because of bad input; {@link #problem()} says why. */
        INVALID
    }

    private final String sql;
    private final StatementKind kind;
    private final Shape shape;
    private final List<String> tables;
    private final String pinnedShard;
    private final String shardedTable;
    private final Strategy strategy;
    private final List<ValueRef> keyValues;
    private final InsertRows insertRows;
    private final List<String> mergeConstructs;
    private final List<String> ddlShards;
    private final String problem;
    private final int parameterCount;
    private final Dialect dialect;
    private volatile MergeSpec merge;
    /** Set once by the analyzer before the analysis is published; {@code null} for untiered tables. */
    private Tiering tiering;
    /** What the router keeps for this text (the split rewrite's template, its keyed data nodes): racy, idempotent. */
    private Object routeCache;

    SqlAnalysis(String sql, StatementKind kind, Shape shape, List<String> tables, String pinnedShard,
            String shardedTable, Strategy strategy, List<ValueRef> keyValues, InsertRows insertRows,
            List<String> mergeConstructs, List<String> ddlShards, String problem, Dialect dialect) {
        this.sql = sql;
        this.kind = kind;
        this.shape = shape;
        this.tables = List.copyOf(tables);
        this.pinnedShard = pinnedShard;
        this.shardedTable = shardedTable;
        this.strategy = strategy;
        this.keyValues = keyValues == null ? null : List.copyOf(keyValues);
        this.insertRows = insertRows;
        this.mergeConstructs = List.copyOf(mergeConstructs);
        this.ddlShards = ddlShards == null ? null : List.copyOf(ddlShards);
        this.problem = problem;
        this.parameterCount = SqlText.countParameters(sql, dialect);
        this.dialect = dialect;
    }

    /** Prefix of a merge construct no merge can answer exactly; the rest is the refusal. */
    static final String UNMERGEABLE = "unmergeable: ";

    /** Marks "no merge needed" in the lazily filled {@link #merge} field. */
    private static final MergeSpec CONCAT = MergeSpec.refused("(plain concatenation)");

    /** What {@link #routeCache(Object)} last kept, or {@code null}; only the router reads and writes it. */
    public Object routeCache() {
        return routeCache;
    }

    public void routeCache(Object value) {
        this.routeCache = value;
    }

    /**
     * How this SELECT is merged when it runs on several shards, or {@code null} when the shards'
     * rows are simply concatenated (nothing in it needs a merge). Worked out on first use, since a
     * point query never needs it, and kept.
     */
    /** The tier facts of a statement on a table with an archive tier, or {@code null}. */
    public Tiering tiering() {
        return tiering;
    }

    SqlAnalysis withTiering(Tiering value) {
        this.tiering = value;
        return this;
    }

    /** Set once by the analyzer before the analysis is published. */
    private boolean anyUniqueKey;

    /**
     * Whether this is an upsert into a sharded table that reacts to any unique key (ON DUPLICATE KEY
     * UPDATE, REPLACE, INSERT OR REPLACE, INSERT IGNORE, ON CONFLICT without a target): exact only
     * when every unique key of the table includes the shard key, which is checked before it runs.
     */
    public boolean anyUniqueKey() {
        return anyUniqueKey;
    }

    /** Set once by the analyzer before the analysis is published. */
    private boolean connectionState;

    /**
     * Whether this is a {@code SELECT} of a connection-state function ({@code last_insert_rowid()},
     * {@code lastval()}, {@code LAST_INSERT_ID()}, ...) naming no table: it must run on the physical
     * connection of the connection's last write.
     */
    public boolean connectionState() {
        return connectionState;
    }

    SqlAnalysis withConnectionState() {
        this.connectionState = true;
        return this;
    }

    /** Set once by the analyzer before the analysis is published. */
    private boolean readsOnly;

    /**
     * Whether the statement only reads: a SELECT that parsed and whose every node the allowlist
     * knows, so it calls no function that changes the session or evaluates SQL ({@code set_config},
     * {@code query_to_xml}, a user function), selects INTO nothing, locks no rows (FOR UPDATE, FOR
     * SHARE) and has no data-modifying WITH.
     * It may still be refused for routing. The only statements a connection pinned to a read-only
     * shard runs.
     */
    public boolean readsOnly() {
        return readsOnly;
    }

    SqlAnalysis withReadsOnly() {
        this.readsOnly = true;
        return this;
    }

    private boolean returning;

    /** Whether the statement is a write with a RETURNING clause (it answers rows). */
    public boolean returning() {
        return returning;
    }

    SqlAnalysis withReturning() {
        this.returning = true;
        return this;
    }

    /** Set once by the analyzer before the analysis is published (see {@link #keySet()}). */
    private ValueRef keySet;
    private ValueRef keyPin;
    private String keyRefusal;

    /**
     * For {@code UPDATE t SET key = v ... WHERE key = w ...} (an ORM setting every column): the value
     * {@code v} the SET gives the shard key, which must equal the WHERE's {@link #keyPin()} {@code w} at
     * execution (else the statement is refused with {@link #keyRefusal()}); {@code null} otherwise.
     */
    public ValueRef keySet() {
        return keySet;
    }

    public ValueRef keyPin() {
        return keyPin;
    }

    public String keyRefusal() {
        return keyRefusal;
    }

    SqlAnalysis withKeySet(ValueRef set, ValueRef pin, String refusal) {
        this.keySet = set;
        this.keyPin = pin;
        this.keyRefusal = refusal;
        return this;
    }

    /** Set once by the analyzer before the analysis is published (see {@link #splitBounds()}). */
    private List<SplitBounds.Bound> splitBounds = List.of();

    /** For a calendar-split table named once: the bounds the statement puts on its split column (for pruning). */
    public List<SplitBounds.Bound> splitBounds() {
        return splitBounds;
    }

    SqlAnalysis withSplitBounds(List<SplitBounds.Bound> bounds) {
        this.splitBounds = List.copyOf(bounds);
        return this;
    }

    /** Set once by the analyzer before the analysis is published (see {@link #namesEachTableOnce()}). */
    private boolean eachOnce;

    /**
     * Whether the statement names each of its tables once (no self-join, no table both outside and
     * inside a subquery) and defines no CTE (a CTE read twice is a self-join): then its result rows
     * partition like its split tables' rows, so co-located physical tables can be read node by node.
     */
    public boolean namesEachTableOnce() {
        return eachOnce;
    }

    SqlAnalysis withEachTableOnce(boolean once) {
        this.eachOnce = once;
        return this;
    }

    /** Set once by the analyzer before the analysis is published (see {@link #idValues()}). */
    private List<ValueRef> idValues;
    private String idColumn;

    /**
     * For a table with {@code idOf}: the values a statement without {@link #keyValues()} pins the id
     * column to (they route by the bucket {@code id mod B}); for an INSERT, each row's id (an entry
     * {@code null} when the row's id is an expression); {@code null} when none.
     */
    public List<ValueRef> idValues() {
        return idValues;
    }

    /** The {@code idOf} column {@link #idValues()} are of. */
    public String idColumn() {
        return idColumn;
    }

    SqlAnalysis withIdValues(String column, List<ValueRef> values) {
        this.idColumn = column;
        this.idValues = values == null ? null : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        return this;
    }

    /** Set once by the analyzer before the analysis is published. */
    private boolean sameShard;

    /**
     * Whether the statement has subqueries over sharded tables, every reference pinned by its own
     * {@code key = v}: {@link #keyValues()} are all those values, and they must all route to one and
     * the same shard (else the statement is refused at execution).
     */
    public boolean sameShard() {
        return sameShard;
    }

    SqlAnalysis withSameShard() {
        this.sameShard = true;
        return this;
    }

    /** Set once by the analyzer before the analysis is published. */
    private SqlAnalysis countOver;

    /**
     * For {@code SELECT COUNT(*) FROM (<q>) t} over sharded tables where {@code q} needs a merge: the
     * analysis of {@code q} alone (its parameters are the statement's, in order), whose merged rows are
     * counted when the statement runs on several shards; else {@code null}.
     */
    public SqlAnalysis countOver() {
        return countOver;
    }

    SqlAnalysis withCountOver(SqlAnalysis inner) {
        this.countOver = inner;
        return this;
    }

    /** Set once by the analyzer before the analysis is published. */
    private boolean existsAny;

    /**
     * Whether this is {@code SELECT EXISTS(<q>)} over sharded tables: over several shards its answer
     * is "any shard says true".
     */
    public boolean existsAny() {
        return existsAny;
    }

    SqlAnalysis withExistsAny() {
        this.existsAny = true;
        return this;
    }

    SqlAnalysis withAnyUniqueKey() {
        this.anyUniqueKey = true;
        return this;
    }

    public MergeSpec merge() {
        MergeSpec m = merge;
        if (m == null) {
            m = mergeConstructs.isEmpty() ? CONCAT : null;
            for (String c : mergeConstructs) {
                if (c.startsWith(UNMERGEABLE) && m == null) {
                    m = MergeSpec.refused(c.substring(UNMERGEABLE.length()));
                }
            }
            if (tiering != null && (m == null || m == CONCAT)) {
                m = MergeAnalysis.analyzeTiered(sql, dialect, tiering.table(), tiering.archive().id());
            }
            m = m != null ? m : MergeAnalysis.analyze(sql, dialect);
            merge = m;
        }
        return m == CONCAT ? null : m;
    }

    public String sql() {
        return sql;
    }

    public StatementKind kind() {
        return kind;
    }

    public Shape shape() {
        return shape;
    }

    /** Every table the statement names (lower case, unqualified), subqueries included. */
    public List<String> tables() {
        return tables;
    }

    /**
     * The one shard that pinned tables live on: the route for {@link Shape#PINNED}, and for
     * {@link Shape#SHARDED} a constraint (the key must route there too). {@code null} if none.
     */
    public String pinnedShard() {
        return pinnedShard;
    }

    /** The sharded table whose choosers route the statement ({@link Shape#SHARDED}). */
    public String shardedTable() {
        return shardedTable;
    }

    public Strategy strategy() {
        return strategy;
    }

    /** The shard key values of a {@code key = v} or {@code key IN (...)} predicate; {@code null} when none. */
    public List<ValueRef> keyValues() {
        return keyValues;
    }

    /** The rows of an INSERT ... VALUES into a sharded table, else {@code null}. */
    public InsertRows insertRows() {
        return insertRows;
    }

    /**
     * Constructs that need a merge when the statement runs on several shards ({@code ORDER BY},
     * {@code LIMIT}, {@code aggregate COUNT}, ...). Empty when plain concatenation is exact.
     */
    public List<String> mergeConstructs() {
        return mergeConstructs;
    }

    /**
     * Why this statement must not run on several shards (for a write, e.g. {@code UPDATE ... LIMIT}),
     * or {@code null}. A SELECT's cross-shard refusals come from {@link #merge()} instead.
     */
    public String multiShardRefusal() {
        for (String c : mergeConstructs) {
            if (c.startsWith(UNMERGEABLE)) {
                return c.substring(UNMERGEABLE.length());
            }
        }
        return null;
    }

    /** For DDL: the shards that hold the table; {@code null} for other statements. */
    public List<String> ddlShards() {
        return ddlShards;
    }

    /** Why the statement is {@link Shape#REFUSED} or {@link Shape#INVALID}; else {@code null}. */
    public String problem() {
        return problem;
    }

    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public String toString() {
        return "SqlAnalysis[" + kind + " " + shape + " tables=" + tables
                + (keyValues != null ? " key=" + keyValues : "")
                + (mergeConstructs.isEmpty() ? "" : " merge=" + mergeConstructs)
                + (problem != null ? " problem=" + problem : "") + "]";
    }
}
