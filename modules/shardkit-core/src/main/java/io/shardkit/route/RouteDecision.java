package io.shardkit.route;

/**
 * Where one execution of a statement runs: shard indexes, and for a multi-row INSERT split by
 * shard, the SQL and parameter numbering of each shard's part. Single-shard decisions with the
 * statement's own SQL are pre-built per shard, so the hot path allocates none.
 */
public final class RouteDecision {
    private final int[] shards;
    private final String[] sql;
    private final int[][] parameters;
    private final int hotCount;
    private final boolean firstHit;
    private final int[] archiveProbe;
    private final int[][] rows;
    private final SplitParts splits;
    private final OwnedParts owned;

    RouteDecision(int[] shards, String[] sql, int[][] parameters) {
        this(shards, sql, parameters, -1, false, null);
    }

    /** A multi-row INSERT split by shard: part {@code i} holds the statement's rows {@code rows[i]} (0-based). */
    RouteDecision(int[] shards, String[] sql, int[][] parameters, int[][] rows) {
        this(shards, sql, parameters, -1, false, null, rows);
    }

    /**
     * @param hotCount for a read of a tiered table: how many leading shards are hot (the rest are
     *     archive shards, whose rows hot rows shadow); -1 for any other statement
     * @param firstHit try the shards in order and answer from the first that has rows
     * @param archiveProbe for a write to a tiered table: archive shards to check first (a matching
     *     row there refuses the write), or {@code null}
     */
    RouteDecision(int[] shards, String[] sql, int[][] parameters, int hotCount, boolean firstHit, int[] archiveProbe) {
        this(shards, sql, parameters, hotCount, firstHit, archiveProbe, null);
    }

    /** Over the data nodes of split tables: part {@code i}'s SQL names its physical tables ({@link #render}). */
    RouteDecision(int[] shards, String[] sql, int[][] parameters, int[][] rows, SplitParts splits) {
        this(shards, sql, parameters, -1, false, null, rows, splits);
    }

    private RouteDecision(int[] shards, String[] sql, int[][] parameters, int hotCount, boolean firstHit,
            int[] archiveProbe, int[][] rows) {
        this(shards, sql, parameters, hotCount, firstHit, archiveProbe, rows, null);
    }

    /** Over shards some of which hold buckets they no longer own: their texts carry the ownership predicate. */
    RouteDecision(int[] shards, String[] sql, int[][] parameters, OwnedParts owned) {
        this(shards, sql, parameters, -1, false, null, null, null, owned);
    }

    private RouteDecision(int[] shards, String[] sql, int[][] parameters, int hotCount, boolean firstHit,
            int[] archiveProbe, int[][] rows, SplitParts splits) {
        this(shards, sql, parameters, hotCount, firstHit, archiveProbe, rows, splits, null);
    }

    private RouteDecision(int[] shards, String[] sql, int[][] parameters, int hotCount, boolean firstHit,
            int[] archiveProbe, int[][] rows, SplitParts splits, OwnedParts owned) {
        this.owned = owned;
        this.splits = splits;
        this.rows = rows;
        this.shards = shards;
        this.sql = sql;
        this.parameters = parameters;
        this.hotCount = hotCount;
        this.firstHit = firstHit;
        this.archiveProbe = archiveProbe;
    }

    /** This decision, checked first against archive shards (a split INSERT keeps its parts' rows). */
    RouteDecision withArchiveProbe(int[] archive) {
        return new RouteDecision(shards, sql, parameters, -1, false, archive, rows, splits, owned);
    }

    /** For a read of a tiered table, the number of leading hot shards; -1 otherwise. */
    public int hotCount() {
        return hotCount;
    }

    /** Whether the shards are tried in order, the first with rows answering (a key lookup over tiers). */
    public boolean firstHit() {
        return firstHit;
    }

    /** Archive shards a write must be checked against before it runs, or {@code null}. */
    public int[] archiveProbe() {
        return archiveProbe;
    }

    public int size() {
        return shards.length;
    }

    public boolean isSingle() {
        return shards.length == 1;
    }

    /** Whether some part of this decision runs on a shard (by index). */
    public boolean reaches(int shard) {
        for (int s : shards) {
            if (s == shard) {
                return true;
            }
        }
        return false;
    }

    /** The shard index of part {@code i}. */
    public int shard(int i) {
        return shards[i];
    }

    /** The SQL of part {@code i}, or {@code null} for the statement's own SQL. */
    public String sql(int i) {
        return sql == null ? null : sql[i];
    }

    /**
     * For part {@code i}: its parameter j+1 is the statement's parameter {@code map[j]}; {@code null}
     * when parameters pass through unchanged.
     */
    public int[] parameters(int i) {
        return parameters == null ? null : parameters[i];
    }

    /**
     * For a multi-row INSERT split by shard: the statement's rows (0-based, in VALUES order) that
     * part {@code i} inserts; {@code null} for any other decision.
     */
    public int[] rows(int i) {
        return rows == null ? null : rows[i];
    }

    /** Whether this is a multi-row INSERT split by shard (then {@link #rows(int)} answers). */
    public boolean splitsRows() {
        return rows != null;
    }

    /** The data nodes of split tables this decision runs on, or {@code null} when it names none. */
    public SplitParts splits() {
        return splits;
    }

    /**
     * Whether the parts' texts are rendered per part ({@link #render}): over split tables, or with the
     * ownership predicate on shards that hold buckets they no longer own.
     */
    public boolean rendersParts() {
        return splits != null || owned != null;
    }

    /**
     * Another SQL text of the statement (a merged read's shard query) as part {@code i} runs it:
     * with its split tables replaced by the part's physical tables, and on a shard that holds buckets
     * it no longer owns with the ownership predicate; unchanged when neither applies.
     */
    public String render(String text, int i) throws java.sql.SQLException {
        String t = splits == null ? text : splits.render(text, i);
        return owned == null ? t : owned.render(t, i);
    }
}
