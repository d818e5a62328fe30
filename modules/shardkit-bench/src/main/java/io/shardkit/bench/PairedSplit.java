package io.shardkit.bench;

import io.shardkit.ShardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code Run pairedsplit [rounds] [ms]}: {@link SplitRead} in one JVM over the same shards, in
 * alternating blocks (ABBA order, after a shared warm-up), for two ratios that fork-to-fork noise
 * does not swamp: the point read on the split table over the same read unsplit, and the top-10 over
 * 64 data nodes over the loop written by hand over the same 64 tables. Prints each round and the
 * medians. See {@link Paired} for why blocks in one JVM.
 */
final class PairedSplit {
    private static volatile long sink;

    /** One measured operation. */
    private interface Op {
        long run() throws SQLException;
    }

    private PairedSplit() {
    }

    static void main(String[] args) throws SQLException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        long blockNanos = (args.length > 1 ? Long.parseLong(args[1]) : 500) * 1_000_000L;
        try (NullPoint unsplit = new NullPoint("unsplit"); NullPoint split = new NullPoint("split");
                NullPoint buckets = new NullPoint("buckets")) {
            pair("point over a driver with no database (NullDriver): split / unsplit", unsplit::run, split::run,
                    rounds, blockNanos);
            pair("point over NullDriver: buckets 4096 / mod 4", unsplit::run, buckets::run, rounds, blockNanos);
        }
        if (args.length > 2 && args[2].equals("null")) {
            return;
        }
        SplitRead unsplit = new SplitRead();
        unsplit.layout = "unsplit";
        unsplit.open();
        SplitRead split = new SplitRead();
        split.layout = "split";
        split.open();
        SplitRead buckets = new SplitRead();
        buckets.layout = "buckets";
        buckets.open();
        try {
            pair("point: split / unsplit", unsplit::point, split::point, rounds, blockNanos);
            pair("point: buckets 4096 / mod 4 (same rows, same shards)", unsplit::point, buckets::point, rounds,
                    blockNanos);
            pair("point by hand on the raw connections: split tables / unsplit table", unsplit::handPoint,
                    split::handPoint, rounds, blockNanos);
            pair("point, split: shardkit / by hand", split::handPoint, split::point, rounds, blockNanos);
            pair("point, unsplit: shardkit / by hand", unsplit::handPoint, unsplit::point, rounds, blockNanos);
            pair("top10: split over 64 data nodes / by hand over the 64 tables", split::handTop10, split::top10, rounds,
                    blockNanos);
        } finally {
            unsplit.close();
            split.close();
            buckets.close();
        }
    }

    /**
     * The point read of {@link SplitRead} over four shards with no database behind them: what
     * shardkit itself spends on a point read, split by name (16 tables a shard) or not, or in buckets.
     */
    private static final class NullPoint implements AutoCloseable {
        private final ShardedDataSource ds;
        private final Connection connection;
        private final PreparedStatement point;
        private long next;

        NullPoint(String layout) throws SQLException {
            NullDriver.register();
            String[] urls = new String[SplitRead.SHARDS];
            for (int s = 0; s < urls.length; s++) {
                urls[s] = NullDriver.PREFIX + "s" + s;
            }
            ds = SplitRead.dataSource(urls, "sa", layout);
            connection = ds.getConnection();
            point = connection.prepareStatement("SELECT name, score FROM players WHERE player_id = ?");
        }

        long run() throws SQLException {
            point.setLong(1, (next++ * 7919) & 65535);
            try (ResultSet rs = point.executeQuery()) {
                return rs.next() ? rs.getLong(2) : 0;
            }
        }

        @Override
        public void close() throws SQLException {
            point.close();
            connection.close();
            ds.close();
        }
    }

    private static void pair(String what, Op base, Op measured, int rounds, long blockNanos) throws SQLException {
        for (int i = 0; i < 10; i++) {
            block(base, blockNanos);
            block(measured, blockNanos);
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> baseNs = new ArrayList<>();
        List<Double> measuredNs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double a;
            double b;
            if (r % 2 == 0) {
                a = block(base, blockNanos);
                b = block(measured, blockNanos);
            } else {
                b = block(measured, blockNanos);
                a = block(base, blockNanos);
            }
            baseNs.add(a);
            measuredNs.add(b);
            ratios.add(b / a);
        }
        System.out.printf("%s: median over %d rounds %.3f (quartiles %.3f .. %.3f); %.1f vs %.1f ns/op%n", what, rounds,
                quantile(ratios, 0.5), quantile(ratios, 0.25), quantile(ratios, 0.75), quantile(measuredNs, 0.5),
                quantile(baseNs, 0.5));
    }

    /** Runs the operation for about {@code nanos}; nanoseconds per run. */
    private static double block(Op op, long nanos) throws SQLException {
        long h = 0;
        long n = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                h += op.run();
                n++;
            }
            now = System.nanoTime();
        } while (now < end);
        sink = h;
        return (double) (now - start) / n;
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
