package io.shardkit.bench;

import io.shardkit.testing.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Process level: JVM start to the first answered point query, per contender. Each run launches a
 * fresh {@code java} process ({@link ProbeDirect}, {@link ProbeShardkit} or
 * {@link ProbeShardingSphere}) with only that contender's jars on its classpath (files written by
 * the build: {@code target/classpath-*.txt}) and times it from {@code ProcessBuilder.start()} to
 * the line with the answer. Contenders take turns within each round, so a burst of machine load
 * hits all of them. The shards are four H2 files and four databases on the embedded PostgreSQL,
 * created here before any child starts; both sharding contenders read a YAML file, as an
 * application would.
 */
public final class Startup {
    static final long PLAYER = 1042;
    static final int MAX_POOL = Contenders.MAX_POOL;
    static final int MIN_IDLE = Contenders.MIN_IDLE;
    private static final int SHARDS = 4;
    private static final int ROWS_PER_SHARD = 1000;

    private Startup() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        Path target = Path.of(Startup.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path work = target.resolve("startup");
        Files.createDirectories(work);
        Map<String, Dataset> backends = new LinkedHashMap<>();
        backends.put(Dataset.H2, h2Files(work));
        backends.put(Dataset.POSTGRES, postgres());
        List<String> contenders = List.of(Contenders.DIRECT, Contenders.SHARDKIT, Contenders.SHARDINGSPHERE);
        StringBuilder table = new StringBuilder("| backend | contender | median ms | min ms | max ms | median / direct |\n"
                + "|---|---|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Dataset> b : backends.entrySet()) {
            Dataset d = b.getValue();
            Path skYaml = work.resolve(b.getKey() + "-shardkit.yaml");
            Path ssYaml = work.resolve(b.getKey() + "-shardingsphere.yaml");
            Files.writeString(skYaml, shardkitYaml(d));
            Files.writeString(ssYaml, Contenders.shardingSphereYaml(d));
            Map<String, long[]> times = new LinkedHashMap<>();
            for (String c : contenders) {
                times.put(c, new long[runs]);
            }
            for (int r = -1; r < runs; r++) { // round -1 warms the OS file cache and is not counted
                for (int k = 0; k < contenders.size(); k++) {
                    String c = contenders.get(Math.floorMod(k + r, contenders.size()));
                    List<String> probeArgs = switch (c) {
                        case Contenders.DIRECT -> directArgs(d);
                        case Contenders.SHARDKIT -> List.of(skYaml.toString());
                        default -> List.of(ssYaml.toString());
                    };
                    long nanos = launch(target, c, probeArgs, work.resolve(b.getKey() + "-" + c + ".log"));
                    if (r >= 0) {
                        times.get(c)[r] = nanos;
                    }
                }
            }
            double direct = median(times.get(Contenders.DIRECT));
            for (String c : contenders) {
                long[] t = times.get(c).clone();
                Arrays.sort(t);
                table.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.2fx |%n", b.getKey(), c,
                        median(t) / 1e6, t[0] / 1e6, t[t.length - 1] / 1e6, median(t) / direct));
            }
        }
        System.out.println("JVM start to first answered query, " + runs + " runs each (java "
                + System.getProperty("java.version") + ")");
        System.out.println(table);
        Files.writeString(target.resolve("startup-report.md"), table.toString());
        System.exit(0); // stops the embedded PostgreSQL through its shutdown hook
    }

    private static double median(long[] values) {
        long[] t = values.clone();
        Arrays.sort(t);
        return t.length % 2 == 1 ? t[t.length / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2.0;
    }

    private static long launch(Path target, String contender, List<String> probeArgs, Path log)
            throws IOException, InterruptedException {
        String cp = target.resolve("classes") + File.pathSeparator
                + Files.readString(target.resolve("classpath-" + contender + ".txt")).trim();
        String main = switch (contender) {
            case Contenders.DIRECT -> ProbeDirect.class.getName();
            case Contenders.SHARDKIT -> ProbeShardkit.class.getName();
            default -> ProbeShardingSphere.class.getName();
        };
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, main));
        cmd.addAll(probeArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        String answer = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("answer ")) {
                    answer = line;
                    break;
                }
            }
        }
        long nanos = System.nanoTime() - start;
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String expected = "answer player" + PLAYER + " " + Math.floorMod(PLAYER * 7919, 1000003L);
        if (!expected.equals(answer)) {
            throw new IllegalStateException(contender + " answered " + answer + ", expected " + expected + "; see " + log);
        }
        return nanos;
    }

    private static List<String> directArgs(Dataset d) {
        String password = d.password == null || d.password.isEmpty() ? "-" : d.password;
        List<String> a = new ArrayList<>(List.of(d.user, password));
        a.addAll(Arrays.asList(d.urls));
        return a;
    }

    private static String shardkitYaml(Dataset d) {
        StringBuilder y = new StringBuilder("pool:\n  maximumPoolSize: " + MAX_POOL + "\n  minimumIdle: " + MIN_IDLE
                + "\nshards:\n");
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < d.shards; i++) {
            y.append("  - name: s").append(i).append("\n    url: '").append(d.urls[i]).append("'\n    user: ")
                    .append(d.user).append('\n');
            if (d.password != null) {
                y.append("    password: '").append(d.password).append("'\n");
            }
            names.append(i == 0 ? "s" : ", s").append(i);
        }
        y.append("tables:\n");
        for (String table : new String[] {"players", "moves"}) {
            y.append("  ").append(table).append(":\n    key: player_id\n    strategy: {type: mod, shards: [")
                    .append(names).append("]}\n");
        }
        return y.toString();
    }

    private static Dataset h2Files(Path work) throws SQLException, IOException {
        String[] urls = new String[SHARDS];
        for (int i = 0; i < SHARDS; i++) {
            Path file = work.resolve("h2").resolve("s" + i);
            Files.deleteIfExists(Path.of(file + ".mv.db"));
            urls[i] = "jdbc:h2:file:" + file.toAbsolutePath();
            Dataset.load(Dataset.H2, urls[i], "sa", "", SHARDS, i, ROWS_PER_SHARD);
        }
        return Dataset.of(Dataset.H2, urls, "sa", "");
    }

    private static Dataset postgres() throws SQLException {
        EmbeddedPostgres pg = EmbeddedPostgres.get();
        String[] urls = new String[SHARDS];
        for (int i = 0; i < SHARDS; i++) {
            String name = "startup_s" + i;
            pg.createDatabase(name);
            urls[i] = pg.jdbcUrl(name);
            Dataset.load(Dataset.POSTGRES, urls[i], pg.user(), pg.password(), SHARDS, i, ROWS_PER_SHARD);
        }
        return Dataset.of(Dataset.POSTGRES, urls, pg.user(), pg.password());
    }
}
