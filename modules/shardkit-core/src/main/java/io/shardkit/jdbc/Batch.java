package io.shardkit.jdbc;

import io.shardkit.exec.Parameters;
import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.sql.SqlAnalysis;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code executeBatch}: each entry is routed on its own, entries for one shard are sent as
 * that shard's physical batch, and the update counts are put back in the caller's order.
 *
 * <p>Order is kept where it matters: entries of one shard run in the order added, and an entry
 * that spans shards (a key-less UPDATE, a multi-row INSERT split by shard) first flushes every
 * pending shard batch, then runs alone. With autocommit on, shard batches already sent stay
 * applied when a later shard fails; the {@link BatchUpdateException} says which entries ran.
 * A shard batch refused by a move's fence is therefore not retried: the map is re-read and the
 * error carries SQLState 40001 ({@link io.shardkit.exec.Executor#batchFailed}); an entry that runs
 * alone is retried like a statement.
 */
final class Batch {
    private final ShardedStatement statement;
    private final long[] counts;
    private final List<List<Integer>> pending = new ArrayList<>();
    /** The entries' generated keys, when the statement was prepared to return them. */
    private final BatchKeys keys;

    Batch(ShardedStatement statement, int size) {
        this.statement = statement;
        this.counts = new long[size];
        this.keys = statement.wantsGeneratedKeys() ? new BatchKeys(size) : null;
        Arrays.fill(counts, Statement.EXECUTE_FAILED);
        for (int i = 0; i < statement.conn.registry().slots(); i++) {
            pending.add(new ArrayList<>());
        }
    }

    /**
     * Runs a plain statement's batch of SQL texts: every entry is analysed first, so a refused entry
     * refuses the batch before any SQL reaches a shard.
     */
    static long[] ofSql(ShardedStatement statement, List<String> entries) throws SQLException {
        // every entry analysed first, so a refused entry refuses the batch before any SQL reaches a shard
        SqlAnalysis[] analyses = new SqlAnalysis[entries.size()];
        for (int i = 0; i < analyses.length; i++) {
            SqlAnalysis a = statement.analyze(entries.get(i));
            if (a.shape() == SqlAnalysis.Shape.REFUSED && (statement.conn.pinnedShard() < 0
                    || a.problem().startsWith(io.shardkit.sql.SqlLexer.SEVERAL_STATEMENTS))) {
                RefusedException refused = new RefusedException(a.problem(), a.sql());
                throw new BatchUpdateException("batch entry " + (i + 1) + ": " + refused.getMessage(),
                        refused.getSQLState(), 0, new long[0], refused);
            }
            analyses[i] = a;
        }
        Batch b = new Batch(statement, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            b.add(i, analyses[i], null, entries.get(i));
        }
        return b.finish();
    }

    void add(int index, SqlAnalysis a, Parameters params, String sql) throws SQLException {
        try {
            int shard = statement.conn.executor().batchShard(a, params, keys != null);
            if (shard >= 0) {
                statement.addToPhysicalBatch(shard, sql, params, null, a.parameterCount());
                pending.get(shard).add(index);
                return;
            }
            flush();
            counts[index] = statement.runAlone(a, params);
            if (keys != null) {
                keys.collect(index, statement.getGeneratedKeys());
            }
        } catch (BatchUpdateException e) {
            throw e;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    long[] finish() throws SQLException {
        flush();
        statement.ranBatch(keys);
        return counts;
    }

    private void flush() throws SQLException {
        for (int shard = 0; shard < pending.size(); shard++) {
            List<Integer> entries = pending.get(shard);
            if (entries.isEmpty()) {
                continue;
            }
            String name = statement.conn.registry().name(shard);
            try {
                int[] r = statement.physicalBatchOwner(shard).executeBatch();
                for (int i = 0; i < entries.size() && i < r.length; i++) {
                    counts[entries.get(i)] = r[i];
                }
                if (keys != null) {
                    keys.distribute(name, entries, counts, statement.physicalBatchOwner(shard).getGeneratedKeys());
                }
            } catch (BatchUpdateException e) {
                int[] r = e.getUpdateCounts();
                for (int i = 0; r != null && i < entries.size() && i < r.length; i++) {
                    counts[entries.get(i)] = r[i];
                }
                throw failure(statement.conn.executor().batchFailed(ShardException.fromShard(name, null, e)));
            } catch (SQLException e) {
                throw failure(statement.conn.executor().batchFailed(ShardException.fromShard(name, null, e)));
            }
            entries.clear();
        }
    }

    /**
     * The batch's error. Entries still queued in shards' physical batches are dropped first: left
     * there, they would run with the caller's next batch (which would then report fewer counts
     * than rows it wrote).
     */
    private BatchUpdateException failure(SQLException e) {
        for (int shard = 0; shard < pending.size(); shard++) {
            List<Integer> entries = pending.get(shard);
            if (entries.isEmpty()) {
                continue;
            }
            entries.clear();
            try {
                statement.physicalBatchOwner(shard).clearBatch();
            } catch (SQLException later) {
                e.addSuppressed(ShardException.fromShard(statement.conn.registry().name(shard), null, later));
            }
        }
        return new BatchUpdateException(e.getMessage(), e.getSQLState(), e.getErrorCode(), counts.clone(), e);
    }
}
