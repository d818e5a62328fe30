package io.shardkit.cli;

import io.shardkit.SchemaDrift;
import io.shardkit.ShardedDataSource;
import io.shardkit.config.Secrets;
import io.shardkit.config.ShardSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shardkit check -c map.yaml}: validates the map (every problem with its YAML path and line)
 * and connects to every shard, printing its URL with the password hidden, status, latency and
 * server version. For a read-only shard it asks the database whether it would itself refuse writes
 * from the shard's user ({@link ShardedDataSource#readOnlyProblems}). A shard the data source
 * already knows is down (a missing SQLite file, a pool that cannot start) is reported with its
 * reason; the check never creates a SQLite file. Exits 3 if any shard is down, 2 if the map is
 * invalid, 1 if a read-only shard's database lets its user write or the shards holding a table have
 * different columns ({@link SchemaDrift}). Tables that match no rule ({@link StrayTables}: a split
 * table's name shape with a suffix its rule never makes, a physical table on a shard its strategy
 * never routes to, with {@code --unmapped} a table the map does not name) are warnings; with
 * {@code --strict} they fail the check (exit 1).
 */
@Command(name = "check", description = "Validate the shard map and connect to every shard.")
final class CheckCommand extends Base implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "the shard map (YAML)", required = true)
    Path config;

    @Option(names = "--timeout", description = "seconds to wait for each shard (default ${DEFAULT-VALUE})",
            defaultValue = "5")
    int timeoutSeconds;

    @Option(names = "--strict", description = "fail (exit 1) when a shard holds tables that match no rule of the map")
    boolean strict;

    @Option(names = "--unmapped", description = "also report tables the map does not name (except on the default shard)")
    boolean unmapped;

    CheckCommand(Main.Io io) {
        super(io);
    }

    @Override
    public Integer call() throws Exception {
        try (ShardedDataSource ds = open(config)) {
            io.out().println("shard map " + config + ": valid, " + ds.shardNames().size() + " shards, "
                    + ds.shardMap().tables().size() + " tables");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"shard", "url", "status", "latency", "server"});
            int down = 0;
            List<String> warnings = new ArrayList<>();
            Map<String, String> known = ds.downShards();
            for (ShardSpec spec : ds.shardMap().shards()) {
                long start = System.nanoTime();
                String status;
                String server = "";
                String why = known.get(spec.name());
                if (why != null) {
                    status = "DOWN: " + firstLine(Secrets.mask(why, spec));
                    down++;
                } else {
                    try (Connection c = connect(spec); Statement st = c.createStatement()) {
                        try (ResultSet rs = st.executeQuery("SELECT 1")) {
                            rs.next();
                        }
                        DatabaseMetaData md = c.getMetaData();
                        server = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
                        status = spec.readOnly() ? readOnlyStatus(ds, spec, warnings) : "up";
                    } catch (SQLException e) {
                        status = "DOWN: " + firstLine(Secrets.mask(e.getMessage(), spec));
                        down++;
                    }
                }
                long micros = (System.nanoTime() - start) / 1000;
                rows.add(new String[] {spec.name(), Secrets.maskUrl(spec.url()), status,
                        String.format("%.1f ms", micros / 1000.0), server});
            }
            Table.print(rows, new boolean[5], io.out());
            for (String w : warnings) {
                io.err().println(w);
            }
            if (down > 0) {
                io.err().println("error: " + down + " of " + ds.shardNames().size() + " shards are down");
                return Main.SHARD_DOWN;
            }
            for (String warning : ds.tenants().roleWarnings()) {
                io.err().println("warning: tenancy mode role: " + warning);
            }
            List<String> drift = SchemaDrift.of(ds);
            for (String d : drift) {
                io.err().println("warning: schema drift: " + d);
            }
            if (!drift.isEmpty()) {
                io.err().println("error: the shards holding a table have different columns (merged reads of it are"
                        + " refused; run the same DDL on every shard: shardkit sql, or per shard with a migration tool)");
            }
            if (!warnings.isEmpty()) {
                io.err().println("error: read-only shards whose database lets their user write (connect them with a"
                        + " user that holds SELECT only: README, \"Read-only at the database\")");
            }
            List<String> stray = StrayTables.of(ds, unmapped);
            for (String t : stray) {
                io.err().println("warning: table: " + t);
            }
            if (strict && !stray.isEmpty()) {
                io.err().println("error: " + stray.size() + " tables match no rule of the map (--strict)");
            }
            return drift.isEmpty() && warnings.isEmpty() && (!strict || stray.isEmpty()) ? Main.OK : Main.FAILED;
        }
    }

    /**
     * A direct connection, not through the pool, so a shard that is down fails within the login
     * timeout instead of the pool's connection timeout.
     */
    private Connection connect(ShardSpec spec) throws SQLException {
        Properties props = new Properties();
        props.putAll(spec.properties());
        if (spec.user() != null) {
            props.setProperty("user", spec.user());
        }
        if (spec.password() != null) {
            props.setProperty("password", spec.password());
        }
        if (spec.url().startsWith("jdbc:sqlite:")) {
            // read-only, or read-write without SQLite's create flag: a check never makes a file
            props.setProperty("open_mode", spec.readOnly() ? "1" : "2");
        }
        DriverManager.setLoginTimeout(timeoutSeconds);
        return DriverManager.getConnection(spec.url(), props);
    }

    /**
     * A read-only shard's status: whether its database itself refuses writes from the pool's user
     * ({@link ShardedDataSource#readOnlyProblems}); each way it does not is added to {@code warnings}.
     */
    private static String readOnlyStatus(ShardedDataSource ds, ShardSpec spec, List<String> warnings) {
        try {
            List<String> problems = ds.readOnlyProblems(spec.name());
            for (String p : problems) {
                warnings.add("warning: read-only shard " + spec.name() + ": " + p);
            }
            return problems.isEmpty() ? "up (read-only at the database)" : "up (read-only in shardkit only)";
        } catch (SQLException e) {
            warnings.add("warning: read-only shard " + spec.name() + ": cannot ask its database: " + firstLine(Secrets.mask(e.getMessage(), spec)));
            return "up (read-only in shardkit only)";
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** A URL with every password it carries replaced by stars (see {@link Secrets}). */
    static String hidePassword(String url) {
        return Secrets.maskUrl(url);
    }
}
