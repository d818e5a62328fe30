package io.shardkit.bench;

import java.sql.SQLException;

/**
 * What the benchmarks do, once per contender. {@link LogicalClient} is the application code a
 * sharding data source lets you write (the same for shardkit and ShardingSphere: plain JDBC over
 * one {@code DataSource}); {@link DirectClient} is the same work routed, scattered and merged by
 * hand, the floor. Every read returns a checksum of the values it read, so the benchmark consumes
 * them and {@link Check} can compare the contenders' answers.
 */
abstract class Client implements AutoCloseable {
    static final String POINT = "SELECT name, score FROM players WHERE player_id = ?";
    static final String INSERT = "INSERT INTO moves (player_id, seq, score) VALUES (?, ?, ?)";
    /** Rows of the multi-row INSERT: ids {@code k .. k+7}, so two rows on each of four shards. */
    static final int ROWS = 8;
    static final String INSERT_ROWS = insertSql(ROWS);
    static final String LEADERBOARD = "SELECT player_id, name, score FROM players ORDER BY score DESC LIMIT 10";
    static final String GROUP_BY = "SELECT level, COUNT(*) AS n, SUM(score) AS total, MIN(score) AS low,"
            + " MAX(score) AS high, AVG(score) AS mean FROM players GROUP BY level ORDER BY level";
    static final int PAGE = 10;

    static String pageSql(int offset) {
        return "SELECT player_id, score FROM players ORDER BY score LIMIT " + PAGE + " OFFSET " + offset;
    }

    static String insertSql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO moves (player_id, seq, score) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
        }
        return sql.toString();
    }

    static Client open(String contender, Dataset d) throws SQLException {
        switch (contender) {
            case Contenders.DIRECT:
                return new DirectClient(d, Contenders.direct(d));
            case Contenders.SHARDKIT:
                return new LogicalClient(Contenders.shardkit(d));
            case Contenders.SHARDINGSPHERE:
                return new LogicalClient(Contenders.shardingSphere(d));
            default:
                throw new IllegalArgumentException("contender must be direct, shardkit or shardingsphere: " + contender);
        }
    }

    static long mix(long h, long v) {
        return h * 31 + v;
    }

    /** Point SELECT through a prepared statement prepared once and reused. */
    abstract long point(long id) throws SQLException;

    /** Point SELECT the way a web request does it: borrow a connection, prepare, run, close both. */
    abstract long pointFresh(long id) throws SQLException;

    /** One row into {@code moves}, reused prepared statement, autocommit. */
    abstract void insert(long id, long seq) throws SQLException;

    /** {@link #ROWS} rows with ids {@code first ..}, spanning shards, one statement, autocommit. */
    abstract void insertRows(long first, long seq) throws SQLException;

    /** Top 10 by score over every shard. */
    abstract long leaderboard() throws SQLException;

    /** 50 groups with COUNT, SUM, MIN, MAX and AVG over every shard. */
    abstract long groupBy() throws SQLException;

    /** {@code ORDER BY score LIMIT 10 OFFSET offset} over every shard. */
    abstract long page(int offset) throws SQLException;

    @Override
    public abstract void close();
}
