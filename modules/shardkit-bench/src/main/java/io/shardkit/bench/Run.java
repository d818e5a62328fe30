package io.shardkit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The one entry point ({@code mvn exec:exec -Dbench="..."}). Each argument is split on spaces, so
 * {@code -Dbench="quick PointRead"} works. The first word picks the mode:
 * <ul>
 *   <li>{@code quick [jmh args]}: a smoke run, {@code -f 1 -wi 1 -i 1 -w 1s -r 1s};
 *   <li>{@code check [h2] [postgres]}: runs every query on every contender and compares answers;
 *   <li>{@code startup [runs]}: JVM start to first answered query, one child process per run;
 *   <li>{@code paired [backend] [rounds] [ms]}: the fresh point read, direct and shardkit in one JVM in
 *       alternating blocks ({@link Paired}), for a ratio that fork-to-fork noise does not swamp;
 *   <li>{@code pairedsplit [rounds] [ms]}: split tables' point read and top-10 against their bases, the same way
 *       ({@link PairedSplit});
 *   <li>anything else: arguments for JMH (regexp, {@code -p backend=h2}, {@code -prof stack}, ...).
 * </ul>
 * JMH runs always add {@code -prof gc} (allocation per operation is half the point) and end with the
 * ratio tables of {@link Report}, also written to {@code target/bench-report.md}.
 */
public final class Run {
    private Run() {
    }

    public static void main(String[] raw) throws Exception {
        List<String> args = new ArrayList<>();
        for (String a : raw) {
            for (String word : a.trim().split("\\s+")) {
                if (!word.isEmpty()) {
                    args.add(word);
                }
            }
        }
        String mode = args.isEmpty() ? "" : args.get(0);
        switch (mode) {
            case "check":
                Check.main(args.subList(1, args.size()).toArray(new String[0]));
                return;
            case "startup":
                Startup.main(args.subList(1, args.size()).toArray(new String[0]));
                return;
            case "paired":
                Paired.main(args.subList(1, args.size()).toArray(new String[0]));
                return;
            case "pairedsplit":
                PairedSplit.main(args.subList(1, args.size()).toArray(new String[0]));
                return;
            case "quick":
                args.remove(0);
                args.addAll(0, Arrays.asList("-f", "1", "-wi", "1", "-i", "1", "-w", "1s", "-r", "1s"));
                break;
            default:
                break;
        }
        if (!args.contains("-prof")) {
            args.addAll(Arrays.asList("-prof", "gc"));
        } else {
            boolean gc = false;
            for (int i = 0; i < args.size() - 1; i++) {
                gc |= args.get(i).equals("-prof") && args.get(i + 1).startsWith("gc");
            }
            if (!gc) {
                args.addAll(Arrays.asList("-prof", "gc"));
            }
        }
        System.out.println("JMH arguments: " + String.join(" ", args));
        Collection<RunResult> results = new Runner(new CommandLineOptions(args.toArray(new String[0]))).run();
        Report.write(results);
    }
}
