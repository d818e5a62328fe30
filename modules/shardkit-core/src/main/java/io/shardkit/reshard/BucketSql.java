package io.shardkit.reshard;

import io.shardkit.sql.Dialect;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * SQL for a set of buckets of a {@code bucketOf: mod} table: {@code floorMod(key, B)} as an
 * expression and a predicate "the row's bucket is in the set", in the shortest of three forms:
 * a residue test ({@code bucket % m IN (...)} with m a power of two dividing B, when membership
 * depends on the bucket mod m only, as a 4 → 8 split's does with m = 8), bucket ranges, or a list.
 * For the mover's chunk reads and deletes; pure functions.
 */
final class BucketSql {
    private BucketSql() {
    }

    /** floorMod(column, buckets) in {@code kind}'s SQL; {@code column} is already quoted. */
    static String bucket(Dialect kind, String column, int buckets) {
        return kind == Dialect.MYSQL ? "MOD(MOD(" + column + ", " + buckets + ") + " + buckets + ", " + buckets + ")"
                : "((" + column + " % " + buckets + ") + " + buckets + ") % " + buckets;
    }

    /** A predicate true exactly for rows whose bucket is in {@code set} (never empty: an empty set is {@code 1 = 0}). */
    static String in(Dialect kind, String column, int buckets, BitSet set) {
        if (set.isEmpty()) {
            return "1 = 0";
        }
        if (set.cardinality() == buckets) {
            return "1 = 1";
        }
        List<String> forms = new ArrayList<>();
        int m = period(set, buckets);
        if (m < buckets) {
            forms.add(listOrRange(bucket(kind, column, m), set.get(0, m), m));
        }
        forms.add(listOrRange(bucket(kind, column, buckets), set, buckets));
        String best = forms.get(0);
        for (String f : forms) {
            best = f.length() < best.length() ? f : best;
        }
        return best;
    }

    /** The smallest power of two m dividing {@code buckets} with membership a function of b mod m. */
    static int period(BitSet set, int buckets) {
        for (int m = 1; m < buckets; m <<= 1) {
            boolean periodic = true;
            for (int b = 0; b < buckets && periodic; b++) {
                periodic = set.get(b) == set.get(b % m);
            }
            if (periodic) {
                return m;
            }
        }
        return buckets;
    }

    private static String listOrRange(String expr, BitSet set, int n) {
        StringBuilder list = new StringBuilder(expr).append(" IN (");
        StringBuilder ranges = new StringBuilder("(");
        int count = 0;
        boolean first = true;
        for (int b = set.nextSetBit(0); b >= 0 && b < n; b = set.nextSetBit(b + 1)) {
            list.append(first ? "" : ", ").append(b);
            first = false;
            count++;
        }
        int runs = 0;
        for (int from = set.nextSetBit(0); from >= 0 && from < n; ) {
            int to = Math.min(set.nextClearBit(from), n) - 1;
            ranges.append(runs == 0 ? "" : " OR ").append(to == from ? expr + " = " + from
                    : expr + " BETWEEN " + from + " AND " + to);
            runs++;
            from = set.nextSetBit(to + 1);
        }
        list.append(')');
        ranges.append(')');
        return count == 1 ? expr + " = " + set.nextSetBit(0) : ranges.length() < list.length() ? ranges.toString() : list.toString();
    }

    /** {@code 0-3,8,10-11}: the set as ranges, for the ledger and messages. */
    static String text(BitSet set) {
        StringBuilder out = new StringBuilder();
        for (int from = set.nextSetBit(0); from >= 0; ) {
            int to = set.nextClearBit(from) - 1;
            out.append(out.length() == 0 ? "" : ",").append(from).append(to == from ? "" : "-" + to);
            from = set.nextSetBit(to + 1);
        }
        return out.toString();
    }

    /** The inverse of {@link #text}. */
    static BitSet parse(String text) {
        BitSet out = new BitSet();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            int dash = part.indexOf('-');
            int from = Integer.parseInt(part.substring(0, dash < 0 ? part.length() : dash).trim());
            int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1).trim());
            out.set(from, to + 1);
        }
        return out;
    }

    static int[] array(BitSet set) {
        return set.stream().toArray();
    }

    /** {@code name} quoted for {@code kind}: backquotes on MySQL/MariaDB, double quotes elsewhere. */
    static String quote(Dialect kind, String name) {
        return kind == Dialect.MYSQL ? "`" + name.replace("`", "``") + "`" : "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
