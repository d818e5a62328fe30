package io.shardkit.merge;

import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The merged state of one aggregate in one group, fed the per-shard partial results.
 *
 * <p>COUNT sums the shards' counts; SUM adds partial sums in a long until it would overflow, then
 * in a BigDecimal (decimals are always added exactly; floating values as doubles); MIN and MAX
 * keep the extreme in the dialect's order; AVG divides the merged SUM by the merged COUNT.
 * DISTINCT aggregates collect the distinct values themselves (the shard query groups by them).
 */
public final class Accumulator {
    private final AggregateSpec spec;
    private final Values values;
    private final Arithmetic arithmetic;
    private long count;
    private long longSum;
    private boolean longOverflowed;
    private BigDecimal decimalSum;
    private double doubleSum;
    private boolean sawDouble;
    private boolean sawDecimal;
    private boolean sawValue;
    private Object extreme;
    private Object extremeKey;
    /** The column compared: the value's own, or its MySQL weight column. */
    private final int keyColumn;
    /** The column MIN and MAX order by (see {@link Values#orderColumn}). */
    private final int orderColumn;
    private Set<Object> seen;
    private List<Object> distinctValues;
    private List<Object> distinctKeys;
    /** Where a DISTINCT aggregate's set is charged, and the name it fails with; {@code null}: not bounded. */
    private final MemoryBudget budget;
    private final String node;
    private long charged;

    public Accumulator(AggregateSpec spec, Values values, Arithmetic arithmetic) {
        this(spec, values, arithmetic, null, null);
    }

    /**
     * @param budget charged for each value a DISTINCT aggregate keeps (bytes, and its set's size
     *     against the row bound); the caller releases {@link #charged()} when it drops this
     * @param node the aggregate and its plan node, as a bound's error names them
     */
    public Accumulator(AggregateSpec spec, Values values, Arithmetic arithmetic, MemoryBudget budget, String node) {
        this.budget = budget;
        this.node = node;
        this.spec = spec;
        this.values = values;
        this.arithmetic = arithmetic;
        this.keyColumn = values.keyColumn(spec.column());
        this.orderColumn = values.orderColumn(spec.column());
        if (spec.distinct()) {
            seen = new HashSet<>();
            distinctValues = new ArrayList<>();
            distinctKeys = new ArrayList<>();
        }
    }

    /** Adds one shard row (a partial result). */
    public void add(Cursor row) throws SQLException {
        if (spec.distinct()) {
            Object v = row.get(spec.column());
            Object k = keyColumn == spec.column() ? v : row.get(keyColumn);
            if (v == null) {
                return;
            }
            Object id = values.identity(keyColumn, k);
            if (seen.add(id)) {
                distinctValues.add(v);
                distinctKeys.add(k);
                if (budget != null) {
                    budget.rows(seen.size(), node);
                    long bytes = MemoryBudget.ENTRY + 2 * MemoryBudget.SLOT + MemoryBudget.value(v)
                            + (k == v ? 0 : MemoryBudget.value(k)) + MemoryBudget.key(id, k);
                    budget.charge(bytes, node);
                    charged += bytes;
                }
            }
            return;
        }
        switch (spec.kind()) {
            case COUNT -> count += ((Number) nonNull(row.get(spec.column()), 0L)).longValue();
            case SUM -> addToSum(row.get(spec.column()));
            case AVG -> {
                addToSum(row.get(spec.column()));
                count += ((Number) nonNull(row.get(spec.countColumn()), 0L)).longValue();
            }
            default -> {
                Object v = row.get(spec.column());
                if (v != null) {
                    Object k = orderColumn == spec.column() ? v : row.get(orderColumn);
                    // the first value is compared with itself: a type shardkit cannot order refuses at once
                    int c = values.compare(orderColumn, k, extreme == null ? k : extremeKey);
                    if (extreme == null || (spec.kind() == AggregateSpec.Kind.MIN ? c < 0 : c > 0)) {
                        extreme = v;
                        extremeKey = k;
                    }
                }
            }
        }
    }

    /** Bytes this accumulator charged to its budget (its distinct values), not released by it. */
    public long charged() {
        return charged;
    }

    private static Object nonNull(Object v, Object fallback) {
        return v == null ? fallback : v;
    }

    private void addToSum(Object v) {
        if (v == null) {
            return;
        }
        Number n = v instanceof Number x ? x : new BigDecimal(v.toString());
        sawValue = true;
        if (n instanceof Double || n instanceof Float) {
            sawDouble = true;
            doubleSum += n.doubleValue();
            return;
        }
        if (n instanceof BigDecimal || n instanceof BigInteger) {
            sawDecimal = true;
            decimalSum = decimalSum == null ? Values.decimal(n) : decimalSum.add(Values.decimal(n));
            return;
        }
        long l = n.longValue();
        if (!longOverflowed) {
            try {
                longSum = Math.addExact(longSum, l);
                return;
            } catch (ArithmeticException e) {
                longOverflowed = true;
                decimalSum = (decimalSum == null ? BigDecimal.ZERO : decimalSum).add(BigDecimal.valueOf(longSum));
                longSum = 0;
            }
        }
        decimalSum = decimalSum.add(BigDecimal.valueOf(l));
    }

    /** The exact sum so far: Long, BigDecimal or Double; {@code null} when no value was added. */
    private Object sum() {
        if (!sawValue) {
            return null;
        }
        if (sawDouble) {
            double d = doubleSum + longSum + (decimalSum == null ? 0 : decimalSum.doubleValue());
            return d;
        }
        if (sawDecimal || longOverflowed) {
            return (decimalSum == null ? BigDecimal.ZERO : decimalSum).add(BigDecimal.valueOf(longSum));
        }
        return longSum;
    }

    /** The merged result. */
    public Object result() throws SQLException {
        if (spec.distinct()) {
            return distinctResult();
        }
        return switch (spec.kind()) {
            case COUNT -> count;
            case SUM -> sum();
            case AVG -> average(sum(), count);
            default -> extreme;
        };
    }

    private Object distinctResult() throws SQLException {
        if (spec.kind() == AggregateSpec.Kind.COUNT) {
            return (long) distinctValues.size();
        }
        if (spec.kind() == AggregateSpec.Kind.MIN || spec.kind() == AggregateSpec.Kind.MAX) {
            Object best = null;
            Object bestKey = null;
            for (int i = 0; i < distinctValues.size(); i++) {
                Object k = orderColumn == keyColumn ? distinctKeys.get(i) : distinctValues.get(i);
                int c = values.compare(orderColumn, k, best == null ? k : bestKey);
                if (best == null || (spec.kind() == AggregateSpec.Kind.MIN ? c < 0 : c > 0)) {
                    best = distinctValues.get(i);
                    bestKey = k;
                }
            }
            return best;
        }
        for (Object v : distinctValues) {
            addToSum(v);
        }
        Object s = sum();
        return spec.kind() == AggregateSpec.Kind.SUM ? s : average(s, distinctValues.size());
    }

    private Object average(Object sum, long n) throws SQLException {
        if (sum == null || n == 0) {
            return null;
        }
        if (sum instanceof Double d) {
            return d / n;
        }
        if (arithmetic.dialect() == Dialect.SQLITE) {
            return ((Number) sum).doubleValue() / n;
        }
        return arithmetic.divide(Values.decimal((Number) sum), BigDecimal.valueOf(n));
    }
}
