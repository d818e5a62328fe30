package io.shardkit.exec;

import io.shardkit.RefusedException;
import io.shardkit.SqlStates;
import io.shardkit.PlanNode;
import io.shardkit.plan.Planner;
import io.shardkit.plan.RowSource;
import io.shardkit.route.RouteDecision;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import java.sql.SQLException;

/**
 * The execution dispatch behind {@link Executor#run} and {@link Executor#batchShard}: one shard,
 * a merged read through the plan, a multi-shard write, or a split INSERT ... RETURNING. Internal.
 */
final class Dispatch {
    private Dispatch() {
    }

    static boolean run(Executor executor, SqlAnalysis a, Parameters params, int mode, Object keys, ShardRunner t)
            throws SQLException {
        if (a.kind() != StatementKind.DDL) {
            return dispatch(executor, a, params, mode, keys, t);
        }
        try {
            return dispatch(executor, a, params, mode, keys, t);
        } finally {
            executor.ddlRan(); // what split tables' physical tables exist is read again
        }
    }

    private static boolean dispatch(Executor executor, SqlAnalysis a, Parameters params, int mode, Object keys,
            ShardRunner t) throws SQLException {
        RouteDecision d = executor.decide(a, params);
        for (int shard = 0; shard < t.shardSlots(); shard++) {
            if (!d.reaches(shard)) {
                t.dropUnreached(shard);
            }
        }
        executor.session().releaseIdle(d);
        if (d.isSingle()) {
            if (a.kind().isWrite()) {
                executor.beforeWrite(a, d);
            }
            t.begin(1, null);
            return t.runPart(a, params, 0, d.shard(0), d.sql(0), d.parameters(0), mode, keys);
        }
        PlanNode plan = Planner.plan(a, d, executor.registry(), params == null ? null : params.values());
        int[][] rowsOfParts = null;
        if (d.splitsRows()) {
            rowsOfParts = new int[d.size()][];
            for (int i = 0; i < rowsOfParts.length; i++) {
                rowsOfParts[i] = d.rows(i);
            }
        }
        t.begin(d.size(), rowsOfParts);
        if (plan instanceof RowSource root) {
            if (mode == ShardRunner.UPDATE) {
                throw new SQLException("executeUpdate was given a query; use executeQuery",
                        SqlStates.DYNAMIC_SQL_ERROR);
            }
            int[] shards = new int[d.size()];
            for (int i = 0; i < shards.length; i++) {
                shards[i] = d.shard(i);
            }
            t.openMerged(root, params, shards);
            return true;
        }
        if (a.returning() && mode != ShardRunner.UPDATE) {
            if (!d.splitsRows()) {
                throw new RefusedException("a write with RETURNING that reaches " + d.size() + " shards (shardkit"
                        + " merges the rows returned by a multi-row INSERT only); write the rows of one shard key per"
                        + " statement", a.sql());
            }
            executor.beforeWrite(a, d);
            executor.writeAll(a, d, i -> {
                // execute, not executeQuery: MySQL Connector/J refuses executeQuery for INSERT ... RETURNING
                t.runPart(a, params, i, d.shard(i), d.sql(i), d.parameters(i), ShardRunner.ANY, null);
                t.collectReturned(i, a);
                return 0;
            });
            t.finishReturned();
            return true;
        }
        if (mode == ShardRunner.QUERY) {
            throw new SQLException("executeQuery was given a statement that writes to " + d.size()
                    + " shards; use executeUpdate", SqlStates.DYNAMIC_SQL_ERROR);
        }
        executor.beforeWrite(a, d);
        long total = executor.writeAll(a, d, i -> {
            t.runPart(a, params, i, d.shard(i), d.sql(i), d.parameters(i), ShardRunner.UPDATE, keys);
            return t.updateCount();
        });
        t.wrote(total);
        return false;
    }

    static int batchShard(Executor executor, SqlAnalysis a, Parameters params, boolean keysWanted)
            throws SQLException {
        RouteDecision d = executor.decide(a, params);
        // sqlite-jdbc returns no generated keys for a batch: with keys wanted, its entries run one by one
        if (d.isSingle() && d.sql(0) == null && a.kind().isWrite()
                && (!keysWanted || executor.registry().dialect(d.shard(0)) != Dialect.SQLITE)) {
            executor.beforeWrite(a, d);
            return d.shard(0);
        }
        return -1;
    }
}
