package io.shardkit.plan;

import io.shardkit.merge.Arithmetic;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.MemoryBudget;
import io.shardkit.merge.Values;
import io.shardkit.sql.Dialect;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An execution whose scatter hands out prepared fake cursors; records the most rows a node held. */
final class FakeExecution implements Execution {
    final List<FakeCursor> cursors;
    final Dialect dialect;
    long rowLimit = 1_000_000;
    long mergeMemory = Long.MAX_VALUE;
    private MemoryBudget memory;
    long maxHeld;
    Object[] parameters;

    FakeExecution(Dialect dialect, FakeCursor... cursors) {
        this.dialect = dialect;
        this.cursors = List.of(cursors);
    }

    /** A scatter with one route per fake cursor. */
    Scatter scatter() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < cursors.size(); i++) {
            routes.add(new Route("s" + i, "SELECT ..."));
        }
        return new Scatter(routes, false);
    }

    /** The cursors of the routes asked for: route {@code sN} is the N-th fake cursor. */
    @Override
    public List<Cursor> open(Scatter scatter) {
        List<Cursor> out = new ArrayList<>();
        for (Route r : scatter.routes()) {
            out.add(cursors.get(Integer.parseInt(r.shard().substring(1))));
        }
        return out;
    }

    /** Ids the fake hot tier holds, as {@link Values#identity} keys. */
    final Set<Object> hotIds = new HashSet<>();
    int probes;

    @Override
    public Set<Object> present(List<String> shards, String table, String idColumn, List<Object> ids)
            throws SQLException {
        probes++;
        Set<Object> found = new HashSet<>();
        for (Object id : ids) {
            Object key = values().identity(id);
            if (hotIds.contains(key)) {
                found.add(key);
            }
        }
        return found;
    }

    @Override
    public Values values() {
        return Values.of(dialect);
    }

    @Override
    public Arithmetic arithmetic() {
        return new Arithmetic(dialect);
    }

    @Override
    public Object[] parameters() {
        return parameters;
    }

    @Override
    public long rowLimit() {
        return rowLimit;
    }

    /** One budget per execution, made on first use from {@link #mergeMemory} and {@link #rowLimit}. */
    @Override
    public MemoryBudget memory() {
        if (memory == null) {
            memory = new MemoryBudget(mergeMemory, rowLimit);
        }
        return memory;
    }

    @Override
    public void holding(String node, long rows) {
        maxHeld = Math.max(maxHeld, rows);
    }

    boolean allClosed() {
        for (FakeCursor c : cursors) {
            if (!c.closed) {
                return false;
            }
        }
        return true;
    }

    /** Every row of a cursor, as lists. */
    static List<List<Object>> drain(Cursor c) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        while (c.next()) {
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= c.columnCount(); i++) {
                row.add(c.get(i));
            }
            out.add(row);
        }
        return out;
    }
}
