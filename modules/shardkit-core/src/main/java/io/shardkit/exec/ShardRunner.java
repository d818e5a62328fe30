package io.shardkit.exec;

import io.shardkit.plan.RowSource;
import io.shardkit.sql.SqlAnalysis;
import java.sql.SQLException;

/**
 * What a JDBC statement does for {@link Executor#run}: it runs the parts it is handed on their
 * shards and builds the JDBC results; the executor decides which parts there are. Internal.
 */
public interface ShardRunner {
    /** Execution modes: any result, a query (rows), an update (a count). */
    int ANY = 0, QUERY = 1, UPDATE = 2;

    /** How many shard slots the runner's plain physical statements have. */
    int shardSlots();

    /** Closes the plain physical statement of a shard the execution does not reach, if it holds one. */
    void dropUnreached(int shard);

    /**
     * An execution of {@code parts} parts begins (its physical statements land in slots 0..parts-1);
     * {@code splitRows} are the VALUES rows of each part of a multi-row INSERT split by shard, else {@code null}.
     */
    void begin(int parts, int[][] splitRows);

    /**
     * Runs one part on shard {@code shard}: {@code sql} is the part's own SQL ({@code null}: the
     * statement's), {@code map} its parameter map ({@code null}: all of them), in {@code mode}; the
     * physical statement lands in slot {@code slot}. Returns whether the result is a result set.
     */
    boolean runPart(SqlAnalysis a, Parameters params, int slot, int shard, String sql, int[] map, int mode,
            Object keys) throws SQLException;

    /** The update count of the part run last. */
    long updateCount();

    /** Answers the rows of a merged read over {@code root} on {@code shards}. */
    void openMerged(RowSource root, Parameters params, int[] shards) throws SQLException;

    /** The rows of the part run last in slot {@code slot} of a split INSERT ... RETURNING are collected. */
    void collectReturned(int slot, SqlAnalysis a) throws SQLException;

    /** Answers the rows collected from every part of a split INSERT ... RETURNING. */
    void finishReturned() throws SQLException;

    /** Answers the update count of a multi-shard write. */
    void wrote(long total);
}
