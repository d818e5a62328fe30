package io.shardkit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH results into one markdown table: for each benchmark and parameter set, the three
 * contenders side by side, the ratios to the floor and to ShardingSphere, and the bytes allocated
 * per operation ({@code gc.alloc.rate.norm}). Ratios come from one run, so machine noise that hit
 * all three forks alike cancels out; noise that hit one fork does not.
 */
final class Report {
    private Report() {
    }

    private static final class Line {
        final Map<String, double[]> byContender = new TreeMap<>();
    }

    static void write(Collection<RunResult> results) throws IOException {
        Map<String, Line> lines = new LinkedHashMap<>();
        for (RunResult r : results) {
            BenchmarkParams p = r.getParams();
            if (p.getParam("contender") == null) {
                continue; // benchmarks of shardkit alone (SplitRead) have no contenders to compare
            }
            String name = p.getBenchmark().replace("io.shardkit.bench.", "");
            StringBuilder key = new StringBuilder(name);
            for (String k : p.getParamsKeys()) {
                if (!k.equals("contender")) {
                    key.append(' ').append(k).append('=').append(p.getParam(k));
                }
            }
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            double[] v = {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                alloc == null ? Double.NaN : alloc.getScore()};
            lines.computeIfAbsent(key.toString(), x -> new Line()).byContender.put(p.getParam("contender"), v);
        }
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | direct µs/op | shardkit µs/op | ShardingSphere µs/op | shardkit / direct"
                + " | shardkit − direct µs | shardkit / ShardingSphere | direct B/op | shardkit B/op"
                + " | ShardingSphere B/op | shardkit − direct B/op |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Line> e : lines.entrySet()) {
            double[] d = e.getValue().byContender.get(Contenders.DIRECT);
            double[] s = e.getValue().byContender.get(Contenders.SHARDKIT);
            double[] ss = e.getValue().byContender.get(Contenders.SHARDINGSPHERE);
            out.append("| ").append(e.getKey())
                    .append(" | ").append(time(d)).append(" | ").append(time(s)).append(" | ").append(time(ss))
                    .append(" | ").append(ratio(s, d, 0)).append(" | ").append(diff(s, d, 0, "%.2f"))
                    .append(" | ").append(ratio(s, ss, 0))
                    .append(" | ").append(bytes(d)).append(" | ").append(bytes(s)).append(" | ").append(bytes(ss))
                    .append(" | ").append(diff(s, d, 2, "%.0f")).append(" |\n");
        }
        System.out.println();
        System.out.println(out);
        Path file = Path.of("target", "bench-report.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, out.toString());
        System.out.println("(also in " + file.toAbsolutePath() + ")");
    }

    private static String time(double[] v) {
        return v == null ? "–" : String.format(Locale.ROOT, "%.2f ± %.2f", v[0], v[1]);
    }

    private static String bytes(double[] v) {
        return v == null || Double.isNaN(v[2]) ? "–" : String.format(Locale.ROOT, "%.0f", v[2]);
    }

    private static String ratio(double[] a, double[] b, int i) {
        return a == null || b == null ? "–" : String.format(Locale.ROOT, "%.2fx", a[i] / b[i]);
    }

    private static String diff(double[] a, double[] b, int i, String format) {
        return a == null || b == null || Double.isNaN(a[i]) || Double.isNaN(b[i]) ? "–"
                : String.format(Locale.ROOT, format, a[i] - b[i]);
    }
}
