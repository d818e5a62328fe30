package io.shardkit.oracle;

import java.util.List;
import java.util.Set;

/**
 * One generated SELECT of the differential oracle and how its two results are compared.
 *
 * @param number position in the generated list (stable for a seed), for reproducing a failure
 * @param shape the generator that made it, for the summary
 * @param params values bound to the {@code ?}s in order; empty for a plain statement
 * @param total the ORDER BY makes the order total: compare row sequences, else multisets
 * @param keyColumns for a partial order: the visible (0-based) columns of its leading keys, whose
 *     value sequence must still match; empty when there is none to check
 * @param approx visible (0-based) columns computed by AVG or a division: decimals there may differ
 *     in the last digits, since the scale rules of shardkit and the database may differ
 * @param mustRefuse the statement cannot be merged exactly: shardkit must refuse it
 */
record Query(int number, String shape, String sql, List<Object> params, boolean total, List<Integer> keyColumns,
        Set<Integer> approx, boolean mustRefuse) {

    Query {
        params = List.copyOf(params);
        keyColumns = List.copyOf(keyColumns);
        approx = Set.copyOf(approx);
    }

    String describe() {
        return "#" + number + " [" + shape + "] " + sql + (params.isEmpty() ? "" : "  params " + params);
    }
}
