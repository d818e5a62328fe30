package io.shardkit.route;

import static io.shardkit.route.Reasons.note;
import static io.shardkit.route.Reasons.show;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.ValueRef;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.KeyTypeException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Routing by a table's {@code idOf} column: an id is {@code sequence * B + bucket} ({@code io.shardkit.ids.Ids}), so
 * {@code id mod B} is the bucket of the row's key and the bucket's current shard holds the row, whatever the bucket
 * function ({@code bucketOf: hash} too: the id carries the bucket itself, not a key to hash). Used only when the
 * statement pins no shard key (a statement with both routes by the key). Costs one {@code floorMod} and one placement
 * lookup per id.
 */
final class IdRouting {
    private IdRouting() {
    }

    /**
     * The shards of the ids {@code a} pins its id column to, distinct, in order, with one reason per id; {@code null}
     * when no id is bound to a value (NULL matches no row: the caller routes as without a predicate).
     *
     * @throws ShardException SQLState 22023 for an id that is not a whole number
     */
    static List<String> shards(SqlAnalysis a, Object[] params, StringBuilder why) throws SQLException {
        BucketStrategy strategy = (BucketStrategy) a.strategy();
        List<String> shards = new ArrayList<>();
        for (ValueRef ref : a.idValues()) {
            Object v = ref.resolve(params);
            Object[] ids = ref.array() && v != null ? Router.elements(v) : new Object[] {v};
            if (ids == null) {
                throw notAnId(a, v);
            }
            for (Object id : ids) {
                if (id == null) {
                    continue;
                }
                int bucket = bucketOf(a, strategy, id);
                String shard = strategy.placement().shardOf(bucket);
                if (why != null) {
                    note(why, a.shardedTable() + "." + a.idColumn() + " = " + show(id) + ": bucket " + bucket
                            + " (id mod " + strategy.buckets() + ") → " + shard);
                }
                if (!shards.contains(shard)) {
                    shards.add(shard);
                }
            }
        }
        return shards.isEmpty() ? null : shards;
    }

    /**
     * Refuses an INSERT row whose id (a value, not an expression) is in another bucket than its key: the row would sit
     * on the key's shard while {@code WHERE id = ?} looks on the id's. Nothing to check when the INSERT does not list
     * the id column.
     */
    static void checkInsert(SqlAnalysis a, Object[] params) throws SQLException {
        List<ValueRef> ids = a.idValues();
        if (ids == null) {
            return;
        }
        BucketStrategy strategy = (BucketStrategy) a.strategy();
        for (int r = 0; r < ids.size(); r++) {
            Object id = ids.get(r) == null ? null : ids.get(r).resolve(params);
            Object key = a.insertRows().keys().get(r).resolve(params);
            if (id == null || key == null) {
                continue;
            }
            int idBucket = bucketOf(a, strategy, id);
            int keyBucket = strategy.bucket(a.shardedTable(), key);
            if (idBucket != keyBucket) {
                throw new RefusedException("INSERT into " + a.shardedTable() + ": row " + (r + 1) + " has "
                        + a.idColumn() + " " + id + " of bucket " + idBucket + " (id mod " + strategy.buckets()
                        + ") but its key " + show(key) + " is in bucket " + keyBucket + "; the row could not be found by"
                        + " its id. Make the id with ds.ids(\"" + a.shardedTable() + "\").next(key)", a.sql());
            }
        }
    }

    private static int bucketOf(SqlAnalysis a, BucketStrategy strategy, Object id) throws ShardException {
        try {
            return BucketStrategy.bucket(BucketStrategy.BucketOf.MOD, strategy.buckets(), a.shardedTable(), id);
        } catch (KeyTypeException e) {
            throw notAnId(a, id);
        }
    }

    private static ShardException notAnId(SqlAnalysis a, Object id) {
        return new ShardException(a.shardedTable() + "." + a.idColumn() + " = " + show(id) + " is not a whole number,"
                + " so it names no bucket [sql: " + ShardException.shorten(a.sql()) + "]", SqlStates.INVALID_PARAMETER_VALUE);
    }
}
