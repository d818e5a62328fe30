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

    RouteDecision(int[] shards, String[] sql, int[][] parameters) {
        this.shards = shards;
        this.sql = sql;
        this.parameters = parameters;
    }

    public int size() {
        return shards.length;
    }

    public boolean isSingle() {
        return shards.length == 1;
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
}
