package io.shardkit.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code Run paired [backend] [rounds] [ms]}: the point read with a new connection per call
 * ({@link PointRead#fresh}), direct and shardkit <em>in one JVM</em> over the same shards, in
 * alternating blocks (ABBA order, so drift cancels), after a shared warm-up. Prints each round's
 * shardkit / direct ratio and the median.
 *
 * <p>Why: separate JMH forks of this benchmark differ by up to 60 % from one another on this
 * machine (JIT and memory layout per fork), which is more than the difference being measured. In
 * one JVM both contenders run the same compiled H2 and HikariCP code, so the ratio of paired blocks
 * isolates what shardkit adds. JMH remains the source of the absolute figures and of B/op.
 */
final class Paired {
    private static volatile long sink;

    private Paired() {
    }

    static void main(String[] args) throws SQLException {
        String backend = args.length > 0 ? args[0] : Dataset.H2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long blockNanos = (args.length > 2 ? Long.parseLong(args[2]) : 1000) * 1_000_000L;
        Dataset d = Dataset.open(backend, 4);
        Client direct = Client.open(Contenders.DIRECT, d);
        Client shardkit = Client.open(Contenders.SHARDKIT, d);
        try {
            long[] ids = new long[4096];
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = random.nextLong(Dataset.TOTAL_ROWS);
            }
            for (int i = 0; i < 10; i++) { // warm-up: 10 blocks each
                block(direct, ids, blockNanos);
                block(shardkit, ids, blockNanos);
            }
            List<Double> ratios = new ArrayList<>();
            List<Double> directNs = new ArrayList<>();
            List<Double> shardkitNs = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                double a;
                double b;
                if (r % 2 == 0) {
                    a = block(direct, ids, blockNanos);
                    b = block(shardkit, ids, blockNanos);
                } else {
                    b = block(shardkit, ids, blockNanos);
                    a = block(direct, ids, blockNanos);
                }
                directNs.add(a);
                shardkitNs.add(b);
                ratios.add(b / a);
                System.out.printf("round %2d  direct %7.1f ns/op  shardkit %7.1f ns/op  ratio %.3f%n", r + 1, a, b, b / a);
            }
            System.out.printf("median over %d rounds: direct %.1f ns/op, shardkit %.1f ns/op, shardkit / direct %.3f"
                    + " (quartiles %.3f .. %.3f)%n", rounds, median(directNs), median(shardkitNs), median(ratios),
                    quantile(ratios, 0.25), quantile(ratios, 0.75));
        } finally {
            direct.close();
            shardkit.close();
        }
    }

    /** Runs point reads for about {@code nanos}; nanoseconds per read. */
    private static double block(Client c, long[] ids, long nanos) throws SQLException {
        long h = 0;
        long n = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            for (int i = 0; i < 256; i++) {
                h += c.pointFresh(ids[(int) (n++ & (ids.length - 1))]);
            }
            now = System.nanoTime();
        } while (now < end);
        sink = h;
        return (double) (now - start) / n;
    }

    private static double median(List<Double> v) {
        return quantile(v, 0.5);
    }

    private static double quantile(List<Double> v, double q) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        double pos = q * (s.size() - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        return s.get(lo) + (s.get(hi) - s.get(lo)) * (pos - lo);
    }
}
