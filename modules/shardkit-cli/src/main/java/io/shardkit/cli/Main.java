package io.shardkit.cli;

import io.shardkit.SqlStates;
import io.shardkit.config.Secrets;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.SQLException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code shardkit} command. Each subcommand prints one clear line on error (the stack trace
 * only with {@code --verbose}) and exits with a code a script can test:
 * 0 success, 1 a statement or operation failed, 2 bad usage or an invalid shard map, 3 a shard is down.
 */
@Command(name = "shardkit", mixinStandardHelpOptions = true, version = "shardkit 0.1.0",
        description = "Many databases as one: a SQL shell, explain, checks, the archiver, resharding and a demo.",
        subcommands = {DemoCommand.class, SqlCommand.class, ExplainCommand.class, CheckCommand.class,
                ArchiveCommand.class, ReshardCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int SHARD_DOWN = 3;

    /** Where a command reads and writes; tests pass their own streams. */
    public record Io(InputStream in, PrintStream out, PrintStream err, boolean interactive) {
    }

    private final Io io;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Main(Io io) {
        this.io = io;
    }

    public static void main(String[] args) {
        Io io = new Io(System.in, System.out, System.err, System.console() != null);
        System.exit(run(args, io));
    }

    /** Runs the command line and returns the exit code (never exits the JVM). */
    public static int run(String[] args, Io io) {
        CommandLine cl = new CommandLine(new Main(io), new Factory(io));
        cl.setOut(new PrintWriter(io.out(), true));
        cl.setErr(new PrintWriter(io.err(), true));
        cl.setParameterExceptionHandler((ex, a) -> {
            io.err().println("error: " + ex.getMessage().replaceFirst("^Error: ", "")); // picocli's ArgGroup messages say it too
            io.err().println("(" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help shows the usage)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            boolean verbose = parse.hasMatchedOption("--verbose")
                    || (parse.subcommand() != null && parse.subcommand().hasMatchedOption("--verbose"));
            return fail(io, ex, verbose);
        });
        return cl.execute(args);
    }

    /** Prints an error as one line (and its stack trace when verbose); returns its exit code. */
    static int fail(Io io, Exception ex, boolean verbose) {
        Throwable t = ex;
        String state = t instanceof SQLException s && s.getSQLState() != null ? " (SQLState " + s.getSQLState() + ")" : "";
        // messages are masked where shardkit builds them; this is the last line of defence for the rest
        String message = Secrets.mask(t.getMessage() == null ? t.toString() : t.getMessage());
        io.err().println("error: " + message.replace('\n', ' ') + state);
        if (verbose) {
            ex.printStackTrace(io.err());
        }
        if (ex instanceof UsageException) {
            return USAGE;
        }
        if (ex instanceof SQLException s && SqlStates.CONFIG_FILE_ERROR.equals(s.getSQLState())) {
            return USAGE;
        }
        return FAILED;
    }

    @Override
    public void run() {
        spec.commandLine().usage(io.out()); // the running one: a new CommandLine could not make the subcommands' mixins
    }

    /** A mistake in how the command was called. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Gives every subcommand the streams. */
    private record Factory(Io io) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (Base.class.isAssignableFrom(type)) {
                return type.getDeclaredConstructor(Io.class).newInstance(io);
            }
            return CommandLine.defaultFactory().create(type);
        }
    }
}
