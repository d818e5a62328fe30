package io.shardkit.plan;

import io.shardkit.merge.Arithmetic;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Values;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What plan nodes need from the outside while they run: shard I/O (the only way a node reaches a
 * shard, so nodes are tested with fake cursors), the dialect's value rules, the parameters of
 * this execution, and the memory bound.
 */
public interface Execution extends Values.Declared, Values.Enums, Values.Deterministic {

    /**
     * Runs a scatter's shard queries (in parallel where the executor allows) and returns one cursor
     * per route, in route order. On failure every cursor already opened is closed.
     */
    List<Cursor> open(Scatter scatter) throws SQLException;

    /**
     * Which of {@code ids} a table holds on the given (hot) shards, as {@link Values#identity}
     * keys: one {@code SELECT id FROM table WHERE id IN (...)} per shard.
     */
    Set<Object> present(List<String> shards, String table, String idColumn, List<Object> ids)
            throws SQLException;

    Values values();

    /**
     * The collation a SQLite table declares for a column (upper case, BINARY when none), the same
     * on every shard of this execution, or {@code null} when the table or column is not found or
     * the shards disagree.
     */
    default String declaredCollation(String table, String column) throws SQLException {
        return null;
    }

    /**
     * Whether a PostgreSQL collation (as {@code pg_collation_for} names it) is deterministic on
     * every shard of this execution; {@code null} when unknown.
     */
    default Boolean deterministicCollation(String collation) throws SQLException {
        return null;
    }

    /**
     * The labels of a PostgreSQL enum type (as the result metadata names it) to their positions,
     * the same on every shard of this execution; {@code null} when it is no enum or the shards differ.
     */
    default Map<String, Integer> enumOrder(String type) throws SQLException {
        return null;
    }

    /** {@link #declaredCollation}, as the value rules ask for it (no method reference per scatter). */
    @Override
    default String collation(String table, String column) throws SQLException {
        return declaredCollation(table, column);
    }

    /** {@link #enumOrder}, as the value rules ask for it. */
    @Override
    default Map<String, Integer> order(String type) throws SQLException {
        return enumOrder(type);
    }

    /** {@link #deterministicCollation}, as the value rules ask for it. */
    @Override
    default Boolean deterministic(String collation) throws SQLException {
        return deterministicCollation(collation);
    }

    Arithmetic arithmetic();

    /** Parameter values by 0-based index, or {@code null}. */
    Object[] parameters();

    /** The most rows a node may hold in memory (sort, hash grouping, distinct). */
    long rowLimit();

    /**
     * The bound on this execution's merge state, in estimated bytes ({@code settings.mergeMemory})
     * and rows: one object for the whole plan, which every holding node charges.
     */
    MemoryBudget memory();

    /** Reports that a node now holds {@code rows} rows; for tests and monitoring. */
    void holding(String node, long rows);
}
