package io.shardkit.cli;

import io.shardkit.Explain;
import io.shardkit.ShardedDataSource;
import io.shardkit.config.Secrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shardkit sql -c map.yaml}: runs SQL through shardkit and prints results as aligned tables
 * with the shards each statement touched. Statements come from {@code -e} (repeatable), from a
 * script on standard input, or from an interactive shell with line editing and history.
 * Statements end with {@code ;}. Meta commands: {@code \explain SQL}, {@code \shards},
 * {@code \timing}, {@code \tenant NAME} (a tenant's schema; bare: none), {@code \q}. A failing
 * statement stops a script with exit code 1.
 */
@Command(name = "sql", description = "Run SQL through the shard map: -e, a script on stdin, or an interactive shell.")
final class SqlCommand extends Base implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "the shard map (YAML)", required = true)
    Path config;

    @Option(names = {"-e", "--execute"}, description = "a statement to run (repeatable)")
    List<String> statements;

    @Option(names = {"-i", "--interactive"}, description = "the interactive shell even when input is not a terminal")
    boolean forceInteractive;

    private boolean timing = true;

    SqlCommand(Main.Io io) {
        super(io);
    }

    @Override
    public Integer call() throws Exception {
        try (ShardedDataSource ds = open(config)) {
            Session session = new Session(ds, ds.getConnection());
            try {
                return run(session);
            } finally {
                session.connection.close();
            }
        }
    }

    private int run(Session session) throws IOException {
        if (statements != null && !statements.isEmpty()) {
            for (String sql : statements) {
                if (!session.run(sql)) {
                    return Main.FAILED;
                }
            }
            return Main.OK;
        }
        return io.interactive() || forceInteractive ? shell(session) : script(session);
    }

    /** Statements from standard input, split at {@code ;}; stops at the first failure. */
    private int script(Session session) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        Splitter splitter = new Splitter();
        String line;
        while ((line = in.readLine()) != null) {
            for (String command : splitter.add(line)) {
                if (!session.run(command)) {
                    return Main.FAILED;
                }
            }
        }
        String rest = splitter.rest();
        return rest.isBlank() || session.run(rest) ? Main.OK : Main.FAILED;
    }

    /** Where the shell's lines come from: JLine on a real terminal, plain lines otherwise. */
    private interface Lines extends AutoCloseable {
        /** The next line, or {@code null} at end of input; an interrupted line is empty. */
        String read(String prompt) throws IOException;

        @Override
        void close() throws IOException;
    }

    private Lines lines() throws IOException {
        if (!io.interactive()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
            return new Lines() {
                @Override
                public String read(String prompt) throws IOException {
                    io.out().print(prompt);
                    io.out().flush();
                    return in.readLine();
                }

                @Override
                public void close() {
                    // the caller's stream
                }
            };
        }
        Terminal terminal = TerminalBuilder.builder().system(true).build();
        // the line as typed: JLine's default parser drops backslashes (so "\\explain ..." became SQL
        // "explain ..." waiting for a ';') and expands '!' from history (as in "a != b")
        DefaultParser parser = new DefaultParser();
        parser.setEscapeChars(new char[0]);
        LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(parser)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".shardkit_history"))
                .build();
        return new Lines() {
            @Override
            public String read(String prompt) {
                try {
                    return reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    return "";
                } catch (EndOfFileException e) {
                    return null;
                }
            }

            @Override
            public void close() throws IOException {
                terminal.close();
            }
        };
    }

    private int shell(Session session) throws IOException {
        try (Lines lines = lines()) {
            io.out().println("shardkit sql: statements end with ;  \\explain SQL, \\shards, \\timing, \\tenant NAME, \\q to quit");
            Splitter splitter = new Splitter();
            while (true) {
                String line = lines.read(splitter.pending() ? "   ...> " : "shardkit> ");
                if (line == null) {
                    return Main.OK;
                }
                for (String command : splitter.add(line)) {
                    if (command.strip().equals("\\q")) {
                        return Main.OK;
                    }
                    session.run(command);
                }
            }
        }
    }

    /** One connection and the commands run on it. */
    private final class Session {
        private final ShardedDataSource ds;
        private Connection connection;
        private String tenant;

        Session(ShardedDataSource ds, Connection connection) {
            this.ds = ds;
            this.connection = connection;
        }

        /** Switches to a tenant's connection ({@code \tenant NAME}), or back to the plain one ({@code \tenant}). */
        private void tenant(String name) throws SQLException {
            Connection next = name == null ? ds.getConnection() : ds.forTenant(name).getConnection();
            connection.close();
            connection = next;
            tenant = name;
            io.out().println(name == null ? "no tenant" : "tenant " + name);
        }

        /** Runs a statement or meta command; prints its result or its error; false on error. */
        boolean run(String command) {
            String text = command.strip();
            if (text.isEmpty()) {
                return true;
            }
            try {
                if (text.startsWith("\\")) {
                    meta(text);
                } else {
                    statement(text);
                }
                return true;
            } catch (SQLException | RuntimeException e) {
                Main.fail(io, e, verbose);
                return false;
            }
        }

        private void meta(String text) throws SQLException {
            String[] parts = text.split("\\s+", 2);
            switch (parts[0]) {
                case "\\explain" -> io.out().print(ds.explain(parts.length > 1 ? parts[1] : ""));
                case "\\timing" -> {
                    timing = !timing;
                    io.out().println("timing " + (timing ? "on" : "off"));
                }
                case "\\shards" -> {
                    List<String[]> rows = new ArrayList<>();
                    rows.add(new String[] {"shard", "url", "kind"});
                    for (var spec : ds.shardMap().shards()) {
                        rows.add(new String[] {spec.name(), Secrets.maskUrl(spec.url()),
                                spec.readOnly() ? "read-only " + spec.tier() : spec.tier()});
                    }
                    for (String runtime : ds.shards().names()) {
                        rows.add(new String[] {runtime, "", "runtime"});
                    }
                    Table.print(rows, new boolean[3], io.out());
                    splitTables();
                }
                case "\\tenant" -> tenant(parts.length > 1 ? parts[1].strip() : null);
                case "\\q" -> { }
                default -> throw new Main.UsageException("unknown command " + parts[0]
                        + " (known: \\explain, \\shards, \\timing, \\tenant, \\q)");
            }
        }

        /** Under {@code \\shards}: each split table's physical tables per shard (the data nodes), as the catalogs hold them now. */
        private void splitTables() throws SQLException {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"split table", "shard", "physical tables"});
            for (var rule : ds.shardMap().tables().values()) {
                if (!rule.isSplit()) {
                    continue;
                }
                for (var e : ds.tables().physical(rule.table()).entrySet()) {
                    List<String> p = e.getValue();
                    rows.add(new String[] {rule.table(), e.getKey(), p.isEmpty() ? "none"
                            : p.size() + " (" + p.get(0) + (p.size() > 1 ? " .. " + p.get(p.size() - 1) : "") + ")"});
                }
            }
            if (rows.size() > 1) {
                Table.print(rows, new boolean[3], io.out());
            }
        }

        private void statement(String sql) throws SQLException {
            String shards = "";
            try {
                Explain e = ds.explain(sql);
                shards = String.join(", ", e.shards());
            } catch (SQLException e) {
                // the statement itself reports what is wrong with it
            }
            long start = System.nanoTime();
            try (Statement st = connection.createStatement()) {
                if (st.execute(sql)) {
                    Table.print(st.getResultSet(), io.out());
                } else {
                    long n = st.getLargeUpdateCount();
                    io.out().println(n >= 0 ? n + (n == 1 ? " row" : " rows") + " affected" : "done");
                }
            }
            double ms = (System.nanoTime() - start) / 1e6;
            if (timing) {
                io.out().printf("(shards: %s; %.1f ms)%n", shards.isEmpty() ? "-" : shards, ms);
            }
        }
    }

    /**
     * Splits input into statements at a {@code ;} outside quotes and comments; a line starting with
     * a backslash is a meta command on its own.
     */
    static final class Splitter {
        private final StringBuilder buffer = new StringBuilder();
        private char quote;
        private boolean blockComment;

        /** Adds a line; returns the statements it completed. */
        List<String> add(String line) {
            List<String> done = new ArrayList<>();
            if (buffer.toString().isBlank() && quote == 0 && !blockComment && line.strip().startsWith("\\")) {
                done.add(line.strip());
                return done;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (blockComment) {
                    buffer.append(c);
                    if (c == '*' && i + 1 < line.length() && line.charAt(i + 1) == '/') {
                        buffer.append('/');
                        i++;
                        blockComment = false;
                    }
                } else if (quote != 0) {
                    buffer.append(c);
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                    buffer.append(c);
                } else if (c == '-' && i + 1 < line.length() && line.charAt(i + 1) == '-') {
                    break;
                } else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '*') {
                    blockComment = true;
                    buffer.append("/*");
                    i++;
                } else if (c == ';') {
                    if (!buffer.toString().isBlank()) {
                        done.add(buffer.toString().strip());
                    }
                    buffer.setLength(0);
                } else {
                    buffer.append(c);
                }
            }
            if (buffer.length() > 0) {
                buffer.append('\n');
            }
            return done;
        }

        boolean pending() {
            return !buffer.toString().isBlank();
        }

        String rest() {
            String r = buffer.toString().strip();
            buffer.setLength(0);
            return r;
        }
    }
}
