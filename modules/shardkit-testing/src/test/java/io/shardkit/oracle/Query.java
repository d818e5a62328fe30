package io.shardkit.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 * @param mustRefuse the statement cannot be merged exactly (or holds more than one statement):
 *     shardkit must refuse it
 * @param valueClasses visible columns whose value the database itself may pick from several equal
 *     ones (a group key, DISTINCT value, MIN or MAX under a case-insensitive collation: which
 *     spelling of {@code 'abc'}/{@code 'ABC'} comes back is not fixed), with the name of the
 *     equality domain ({@link Equivalence}) they are compared under; exact otherwise
 * @param keyClasses order key columns whose ties are decided by a collation: in the key-sequence
 *     check of a partial order their values are compared under that domain (rows are still
 *     compared exactly as multisets)
 * @param skipReference do not run it on the reference (it must be refused, and running it there
 *     would change the reference's rows)
 * @param exactScale decimals must also have the database's scale (the database fixes it: SUM of a
 *     DECIMAL(10,2) has scale 2 and PostgreSQL's AVG its own rule), not only its value, and the
 *     column labels must be the database's
 */
record Query(int number, String shape, String sql, List<Object> params, boolean total, List<Integer> keyColumns,
        Set<Integer> approx, boolean mustRefuse, Map<Integer, String> valueClasses, Map<Integer, String> keyClasses,
        boolean skipReference, boolean exactScale) {

    Query {
        params = Collections.unmodifiableList(new ArrayList<>(params));
        keyColumns = List.copyOf(keyColumns);
        approx = Set.copyOf(approx);
        valueClasses = Map.copyOf(valueClasses);
        keyClasses = Map.copyOf(keyClasses);
    }

    Query(int number, String shape, String sql, List<Object> params, boolean total, List<Integer> keyColumns,
            Set<Integer> approx, boolean mustRefuse) {
        this(number, shape, sql, params, total, keyColumns, approx, mustRefuse, Map.of(), Map.of(), false, false);
    }

    String describe() {
        return "#" + number + " [" + shape + "] " + sql + (params.isEmpty() ? "" : "  params " + params);
    }
}
