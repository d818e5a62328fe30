package io.shardkit.cli;

import io.shardkit.ShardedDataSource;
import io.shardkit.config.Cutoff;
import io.shardkit.reshard.MoveStatus;
import io.shardkit.reshard.Mover;
import io.shardkit.reshard.Resharding;
import io.shardkit.strategy.BucketPlacement;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code shardkit reshard STEP -c map.yaml [--group G]}: the {@link Mover} of one bucket group from
 * the command line, one step per call. The reshard's state is in the control shard, so the steps
 * may run from different processes and a step that failed (or was killed) is resumed by running it
 * again. Progress goes to stderr, the result to stdout. Steps out of order are refused by the mover
 * (SQLState 55000, exit 1); a map without {@code resharding:} too (0A000, exit 1); bad options exit 2.
 * {@code cleanup}'s grace defaults to twice the map's {@code resharding.poll}: by then every data
 * source polling the control table has switched.
 */
@Command(name = "reshard", description = "Move buckets of a bucket group to new shards, online, one step per call:"
        + " plan, start, status, verify, switch, cleanup or abort.",
        subcommands = {ReshardCommand.Plan.class, ReshardCommand.Start.class, ReshardCommand.Status.class,
                ReshardCommand.Verify.class, ReshardCommand.Switch.class, ReshardCommand.Cleanup.class,
                ReshardCommand.Abort.class})
final class ReshardCommand extends Base implements Callable<Integer> {
    static final String STEPS = "plan, start, status, verify, switch, cleanup, abort";
    private static final Pattern COPIED = Pattern.compile("copied \\S+ → \\S+: (\\d+) rows.*");

    @Parameters(arity = "0..1", paramLabel = "STEP", hidden = true, description = "a step that is not one of " + STEPS)
    String step;

    @Spec
    CommandSpec spec;

    ReshardCommand(Main.Io io) {
        super(io);
    }

    @Override
    public Integer call() {
        if (step != null) {
            throw new Main.UsageException("unknown reshard step '" + step + "' (give one of " + STEPS + ")");
        }
        spec.commandLine().usage(io.out());
        return Main.OK;
    }

    /** What every step shares: the map, the group, and a mover whose progress lines go to stderr. */
    abstract static class Step extends Base implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, description = "the shard map (YAML, with a resharding: section)",
                required = true)
        Path config;

        @Option(names = "--group", description = "the bucket group (named after its first table);"
                + " may be left out when the map has one")
        String group;

        ShardedDataSource ds;
        Resharding resharding;
        String name;

        Step(Main.Io io) {
            super(io);
        }

        @Override
        public final Integer call() throws Exception {
            try (ShardedDataSource opened = open(config)) {
                ds = opened;
                resharding = Resharding.of(ds);
                name = group(resharding.groups());
                Mover mover = resharding.mover(name).progress(line -> io.err().println("reshard " + name + ": " + line));
                return run(mover);
            }
        }

        abstract int run(Mover mover) throws SQLException;

        private String group(List<String> groups) {
            if (group != null) {
                if (!groups.contains(group)) {
                    throw new Main.UsageException("unknown bucket group '" + group + "' (the map's groups: "
                            + (groups.isEmpty() ? "none" : String.join(", ", groups)) + ")");
                }
                return group;
            }
            if (groups.size() == 1) {
                return groups.get(0);
            }
            throw new Main.UsageException(groups.isEmpty()
                    ? "the shard map has no bucket group to reshard (a table with strategy: {type: buckets, ...})"
                    : "the shard map has " + groups.size() + " bucket groups (" + String.join(", ", groups)
                            + "): name one with --group");
        }

        /** Prints one line per (source, target) pair under a header. */
        void pairs(MoveStatus s, String rowsHeader, boolean pending) {
            List<String[]> rows = new ArrayList<>();
            rows.add(pending ? new String[] {"source → target", "buckets", "ranges", rowsHeader, "pending changes"}
                    : new String[] {"source → target", "buckets", "ranges", rowsHeader});
            for (MoveStatus.Pair p : s.pairs()) {
                String pair = p.source() + " → " + p.target();
                String ranges = PlacementText.shorten(p.buckets(), 40);
                rows.add(pending ? new String[] {pair, Integer.toString(p.count()), ranges, Long.toString(p.rows()),
                        Long.toString(p.pendingChanges())}
                        : new String[] {pair, Integer.toString(p.count()), ranges, Long.toString(p.rows())});
            }
            Table.print(rows, pending ? new boolean[] {false, true, false, true, true}
                    : new boolean[] {false, true, false, true}, io.out());
        }
    }

    /** The target placement, from the live one grown onto {@code --to} or given whole as {@code --placement}. */
    static final class Target {
        @Option(names = "--to", split = ",", paramLabel = "SHARD",
                description = "all the shards after the move (the live ones and the new ones): the live placement"
                        + " grown onto them, moving the fewest buckets")
        List<String> to;

        @Option(names = "--placement", paramLabel = "RANGES",
                description = "the placement after the move, every bucket once: \"0-7: s0, 8-11: s1, 12-15: s2\"")
        String placement;

        BucketPlacement of(BucketPlacement live, List<String> shards) {
            BucketPlacement given = placement == null ? null : PlacementText.parse(placement, live.buckets());
            for (String s : given == null ? to : given.shards()) {
                if (!shards.contains(s)) {
                    throw new Main.UsageException((given == null ? "--to" : "--placement") + ": shard '" + s
                            + "' is not in the map (shards: " + String.join(", ", shards) + ")");
                }
            }
            if (given != null) {
                return given;
            }
            try {
                return live.grow(to);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--to: " + e.getMessage());
            }
        }
    }

    /** Rows per chunk of the mover's copy, catch-up, verify, cleanup and abort. */
    static final class Chunk {
        @Option(names = "--chunk", paramLabel = "ROWS", defaultValue = "1000",
                description = "rows per chunk (default ${DEFAULT-VALUE})")
        int rows;

        Mover apply(Mover m) {
            if (rows < 1) {
                throw new Main.UsageException("--chunk: a chunk holds at least one row, not " + rows);
            }
            return m.chunk(rows);
        }
    }

    @Command(name = "plan", description = "Show what a reshard to the target would move; writes nothing.")
    static final class Plan extends Step {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        Plan(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            BucketPlacement live = resharding.placement(name);
            BucketPlacement to = target.of(live, ds.shardNames());
            MoveStatus plan = mover.plan(to);
            int moved = BucketPlacement.movedBuckets(live, to).length;
            io.out().println("plan for bucket group " + name + " (epoch " + resharding.epoch(name) + ", "
                    + PlacementText.describe(live) + "): " + moved + " of " + live.buckets() + " buckets move in "
                    + plan.pairs().size() + (plan.pairs().size() == 1 ? " pair, " : " pairs, ") + plan.rows()
                    + " rows to copy");
            pairs(plan, "rows to copy", false);
            io.out().println("after the switch: " + PlacementText.shorten(PlacementText.ranges(to), 100));
            return Main.OK;
        }
    }

    @Command(name = "start", description = "Prepare, copy, catch up and verify (or resume); writes still go to"
            + " the sources until switch.")
    static final class Start extends Step {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Mixin
        Chunk chunk;

        Start(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            BucketPlacement to = target.of(resharding.placement(name), ds.shardNames());
            MoveStatus before = mover.status();
            long total = -1;
            if (before == null) {
                total = mover.plan(to).rows(); // for the ETA; a resumed reshard has copied part of it already
            } else {
                io.err().println("reshard " + name + ": resuming at step " + before.step());
            }
            Rate rate = new Rate(total, line -> io.err().println("reshard " + name + ": " + line));
            MoveStatus s = chunk.apply(mover).progress(rate).start(to);
            io.out().println("bucket group " + name + ": step " + s.step() + ", " + s.rows() + " rows copied in "
                    + rate.elapsed() + "; writes still go to the sources (next: shardkit reshard switch)");
            pairs(s, "rows copied", true);
            return Main.OK;
        }
    }

    @Command(name = "status", description = "Show the step of the reshard in progress, its rows and pending changes.")
    static final class Status extends Step {
        Status(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            MoveStatus s = mover.status();
            if (s == null) {
                io.out().println("bucket group " + name + ": no reshard in progress (epoch " + resharding.epoch(name)
                        + ", " + PlacementText.describe(resharding.placement(name)) + ")");
                return Main.OK;
            }
            io.out().println("bucket group " + name + ": step " + s.step() + ", from epoch " + s.epochFrom()
                    + " (live epoch " + resharding.epoch(name) + "), updated "
                    + Instant.ofEpochMilli(s.updatedMs()).truncatedTo(ChronoUnit.SECONDS));
            pairs(s, "rows copied", true);
            return Main.OK;
        }
    }

    @Command(name = "verify", description = "Compare the moved rows on both sides again and recopy what differs.")
    static final class Verify extends Step {
        @Mixin
        Chunk chunk;

        Verify(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            long fixed = chunk.apply(mover).verify();
            io.out().println("bucket group " + name + ": verified, " + fixed + (fixed == 1 ? " row" : " rows")
                    + " fixed");
            return Main.OK;
        }
    }

    @Command(name = "switch", description = "Fence the moved buckets, drain the change logs and publish the new epoch.")
    static final class Switch extends Step {
        @Mixin
        Chunk chunk;

        Switch(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            MoveStatus s = chunk.apply(mover).switchOver();
            io.out().println("bucket group " + name + ": switched to epoch " + resharding.epoch(name)
                    + ", writes to the moved buckets paused " + s.pauseMillis() + " ms; the sources keep their copies"
                    + " until shardkit reshard cleanup");
            return Main.OK;
        }
    }

    @Command(name = "cleanup", description = "Delete the moved rows from the sources, once the grace period has passed"
            + " since the switch.")
    static final class Cleanup extends Step {
        @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "how long after the switch (0s, 500ms, 5m, 2h or PT5M; default: twice the map's"
                        + " resharding.poll, by when every data source has switched)")
        Duration grace;

        @Mixin
        Chunk chunk;

        Cleanup(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            Duration wait = grace != null ? grace : ds.shardMap().resharding().poll().multipliedBy(2);
            MoveStatus s = chunk.apply(mover).cleanup(wait);
            List<String> sources = new ArrayList<>();
            for (MoveStatus.Pair p : s.pairs()) {
                if (!sources.contains(p.source())) {
                    sources.add(p.source());
                }
            }
            io.out().println("bucket group " + name + ": cleaned up, the moved rows are deleted from "
                    + String.join(", ", sources) + "; epoch " + resharding.epoch(name) + " (" + PlacementText.describe(
                            resharding.placement(name)) + ")");
            return Main.OK;
        }
    }

    @Command(name = "abort", description = "Undo a reshard that has not switched: the targets' copies are deleted.")
    static final class Abort extends Step {
        @Mixin
        Chunk chunk;

        Abort(Main.Io io) {
            super(io);
        }

        @Override
        int run(Mover mover) throws SQLException {
            MoveStatus s = chunk.apply(mover).abort();
            io.out().println("bucket group " + name + ": reshard aborted, epoch " + s.epochFrom() + " stays live; the"
                    + " copies on the targets are deleted");
            return Main.OK;
        }
    }

    /**
     * Adds to each of the mover's "copied" lines the rows copied so far of the plan's, the overall
     * rate and the time left at that rate. The mover reports once per (source, target) pair, so
     * that is how often the estimate changes.
     */
    static final class Rate implements Consumer<String> {
        private final long total;
        private final Consumer<String> out;
        private final long start = System.nanoTime();
        private long done;

        Rate(long total, Consumer<String> out) {
            this.total = total;
            this.out = out;
        }

        @Override
        public void accept(String line) {
            Matcher m = COPIED.matcher(line);
            if (!m.matches()) {
                out.accept(line);
                return;
            }
            done += Long.parseLong(m.group(1));
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            double perSecond = done / seconds;
            StringBuilder b = new StringBuilder(line).append("; ");
            if (total > 0) {
                b.append(String.format(Locale.ROOT, "%,d/%,d rows (%d%%), ", done, total, Math.min(100, done * 100 / total)));
            } else {
                b.append(String.format(Locale.ROOT, "%,d rows, ", done));
            }
            b.append(String.format(Locale.ROOT, "%,.0f rows/s", perSecond));
            if (total > done && done > 0) {
                b.append(", ETA ").append(seconds((total - done) / perSecond));
            }
            out.accept(b.toString());
        }

        String elapsed() {
            return seconds((System.nanoTime() - start) / 1e9);
        }
    }

    /** A duration as {@code 0.4 s}, {@code 3m 20s} or {@code 2h 05m}. */
    static String seconds(double s) {
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long n = Math.round(s);
        return n < 3600 ? String.format(Locale.ROOT, "%dm %02ds", n / 60, n % 60)
                : String.format(Locale.ROOT, "%dh %02dm", n / 3600, n % 3600 / 60);
    }

    /** Reads {@code --grace} as the map reads {@code resharding.poll}: 500ms, 45s, 5m, 2h, 1d or PT5M. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String t = value.strip();
            Duration d;
            try {
                d = t.endsWith("ms") ? Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()))
                        : Cutoff.parseAge(t);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (write 0s, 500ms,"
                        + " 5m, 2h or PT5M)");
            }
            if (d.isNegative()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is negative");
            }
            return d;
        }
    }
}
