package io.shardkit.cli;

import io.shardkit.Explain;
import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveListener;
import io.shardkit.archive.ArchiveProgress;
import io.shardkit.archive.ArchiveReport;
import io.shardkit.archive.Archiver;
import io.shardkit.config.ShardSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code shardkit demo}: a game server on SQLite shards under {@code ./data/demo}, made afresh on
 * every run. Four game shards hold players and matches by {@code player_id mod 4}; an archive shard
 * holds matches from before 2025, moved there by the archiver; two tenant databases are opened at
 * runtime. The demo loads the data with a progress bar, then runs and prints point lookups, a
 * cross-shard leaderboard, per-level statistics, an archived-match lookup and a tenant query, each
 * with the shards it touched and its time.
 */
@Command(name = "demo", description = "Load a game-server dataset into SQLite shards and query it.")
final class DemoCommand extends Base implements Callable<Integer> {
    private static final int BATCH = 500;

    @Option(names = "--dir", description = "where the shards go (default ${DEFAULT-VALUE})", defaultValue = "data/demo")
    Path dir;

    @Option(names = "--players", description = "players to create (default ${DEFAULT-VALUE})", defaultValue = "100000")
    int players;

    @Option(names = "--matches", description = "matches to create (default ${DEFAULT-VALUE})", defaultValue = "1000000")
    int matches;

    DemoCommand(Main.Io io) {
        super(io);
    }

    @Override
    public Integer call() throws Exception {
        if (players < 1 || matches < 0) {
            throw new Main.UsageException("--players must be at least 1 and --matches at least 0");
        }
        long start = System.nanoTime();
        Path map = prepare();
        io.out().println("shardkit demo: 4 game shards, 1 archive shard and 2 tenant databases in " + dir);
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(map)) {
            schema(ds);
            loadPlayers(ds);
            loadMatches(ds);
            archive(ds);
            tenants(ds);
            queries(ds);
        }
        io.out().printf("%ndemo done in %.1f s; the shard map is %s (try: ./shardkit sql -c %s)%n",
                (System.nanoTime() - start) / 1e9, map, map);
        return Main.OK;
    }

    /** Removes an earlier run and writes the shard map. */
    private Path prepare() throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir.resolve("tenants"));
        StringBuilder yaml = new StringBuilder("""
                # written by `shardkit demo`: four game shards and a read-only archive of old matches
                settings:
                  runtimeConnectionCap: 8
                shards:
                """);
        for (int i = 0; i < 4; i++) {
            yaml.append("  - name: s").append(i).append("\n    url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\"\n    create: true\n    properties: {synchronous: NORMAL}\n");
        }
        yaml.append("  - name: archive\n    url: \"jdbc:sqlite:").append(dir.resolve("archive.db"))
                .append("\"\n    readOnly: true\n    create: true\n    tier: archive\n");
        yaml.append("""
                tables:
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                    archive:
                      shards: [archive]
                      id: match_id
                      cutoff: {column: played_at, before: '2025-01-01'}
                """);
        Path map = dir.resolve("shardkit.yaml");
        Files.writeString(map, yaml.toString());
        return map;
    }

    private void schema(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, level INTEGER, score INTEGER)");
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER, points INTEGER,"
                    + " played_at TEXT)");
            st.execute("CREATE INDEX matches_player ON matches (player_id)");
        }
        // the archive is read-only to applications; its table is made directly, as an operator would
        Path archive = dir.resolve("archive.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + archive);
                Statement st = c.createStatement()) {
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER, points INTEGER,"
                    + " played_at TEXT)");
        }
    }

    private static String rows(String head, int columns, int rows) {
        StringBuilder sb = new StringBuilder(head).append(" VALUES ");
        String row = "(" + "?, ".repeat(columns - 1) + "?)";
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append(row);
        }
        return sb.toString();
    }

    /** Players in multi-row INSERTs; shardkit splits each by shard and commits the parts together. */
    private void loadPlayers(ShardedDataSource ds) throws SQLException {
        Random random = new Random(1);
        Progress bar = new Progress(io.out(), "players");
        try (Connection c = ds.getConnection();
                PreparedStatement full = c.prepareStatement(
                        rows("INSERT INTO players (player_id, name, level, score)", 4, BATCH))) {
            int id = 1;
            while (id <= players) {
                int n = Math.min(BATCH, players - id + 1);
                PreparedStatement ps = n == BATCH ? full
                        : c.prepareStatement(rows("INSERT INTO players (player_id, name, level, score)", 4, n));
                for (int r = 0; r < n; r++, id++) {
                    ps.setLong(4 * r + 1, id);
                    ps.setString(4 * r + 2, "player-" + id);
                    ps.setInt(4 * r + 3, 1 + random.nextInt(60));
                    ps.setInt(4 * r + 4, random.nextInt(100_000));
                }
                ps.executeUpdate();
                bar.show(id - 1, players);
            }
        }
        bar.done();
    }

    /** Matches, a fifth of them from 2024 (these the archiver moves to the archive shard). */
    private void loadMatches(ShardedDataSource ds) throws SQLException {
        if (matches == 0) {
            return;
        }
        Random random = new Random(2);
        Progress bar = new Progress(io.out(), "matches");
        try (Connection c = ds.getConnection();
                PreparedStatement full = c.prepareStatement(
                        rows("INSERT INTO matches (match_id, player_id, points, played_at)", 4, BATCH))) {
            int id = 1;
            while (id <= matches) {
                int n = Math.min(BATCH, matches - id + 1);
                PreparedStatement ps = n == BATCH ? full
                        : c.prepareStatement(rows("INSERT INTO matches (match_id, player_id, points, played_at)", 4, n));
                for (int r = 0; r < n; r++, id++) {
                    int year = id % 5 == 0 ? 2024 : 2025;
                    ps.setLong(4 * r + 1, id);
                    ps.setLong(4 * r + 2, 1 + random.nextInt(players));
                    ps.setInt(4 * r + 3, random.nextInt(100));
                    ps.setString(4 * r + 4, String.format("%d-%02d-%02d 12:00:00", year, 1 + random.nextInt(12),
                            1 + random.nextInt(28)));
                }
                ps.executeUpdate();
                bar.show(id - 1, matches);
            }
        }
        bar.done();
    }

    private void archive(ShardedDataSource ds) throws SQLException {
        if (matches == 0) {
            return;
        }
        Progress bar = new Progress(io.out(), "archiving 2024 matches");
        ArchiveReport report = Archiver.of(ds, "matches").batchSize(2000).listener(new ArchiveListener() {
            @Override
            public void progress(ArchiveProgress p) {
                bar.show(p.rowsMoved(), p.rowsFound());
            }
        }).run();
        bar.done();
        io.out().println("archived " + report.rowsMoved() + " matches from before 2025 (copied, verified, then deleted hot)");
    }

    /** Two tenant databases, opened at runtime, each with its own guild table. */
    private void tenants(ShardedDataSource ds) throws SQLException {
        for (String tenant : new String[] {"acme", "globex"}) {
            ds.shards().open(ShardSpec.of("tenant_" + tenant,
                    "jdbc:sqlite:" + dir.resolve("tenants").resolve(tenant + ".db")).withCreate(true));
            try (Connection c = ds.connectionTo("tenant_" + tenant); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE guild (name TEXT PRIMARY KEY, members INTEGER)");
                st.executeUpdate("INSERT INTO guild VALUES ('" + tenant + " raiders', 12), ('" + tenant + " builders', 7)");
            }
        }
    }

    private void queries(ShardedDataSource ds) throws SQLException {
        long someone = 1 + new Random(3).nextInt(players);
        show(ds, "point lookup: one player by id", "SELECT player_id, name, level, score FROM players WHERE player_id = ?",
                someone);
        show(ds, "point lookup: that player's five best matches this year",
                "SELECT match_id, points, played_at FROM matches WHERE player_id = ? AND played_at >= '2025-01-01'"
                        + " ORDER BY points DESC, match_id LIMIT 5", someone);
        show(ds, "leaderboard: top 10 by score across all shards",
                "SELECT player_id, name, score FROM players ORDER BY score DESC, player_id LIMIT 10");
        show(ds, "per-level statistics across all shards",
                "SELECT level, COUNT(*) AS players, AVG(score) AS avg_score, MAX(score) - MIN(score) AS spread"
                        + " FROM players GROUP BY level HAVING COUNT(*) > 0 ORDER BY players DESC, level LIMIT 5");
        long archived = 5;
        show(ds, "archived-match lookup: hot first, then the archive",
                "SELECT match_id, player_id, points, played_at FROM matches WHERE player_id = ? AND match_id = ?",
                playerOf(ds, archived), archived);
        long start = System.nanoTime();
        io.out().println("\n== tenant query: the guilds of tenant acme (its own database, opened at runtime)");
        try (Connection c = ds.connectionTo("tenant_acme"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name, members FROM guild ORDER BY name")) {
            Table.print(rs, io.out());
        }
        io.out().printf("(shards: tenant_acme; %.1f ms)%n", (System.nanoTime() - start) / 1e6);
    }

    private long playerOf(ShardedDataSource ds, long matchId) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT player_id FROM matches WHERE match_id = ?")) {
            ps.setLong(1, matchId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Runs a query and prints it with the shards it touched and its time. */
    private void show(ShardedDataSource ds, String title, String sql, Object... params) throws SQLException {
        io.out().println("\n== " + title);
        io.out().println(sql + (params.length == 0 ? "" : "   -- params " + Arrays.toString(params)));
        Explain e = ds.explain(sql, params);
        long start = System.nanoTime();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                Table.print(rs, io.out());
            }
        }
        io.out().printf("(shards: %s; %.1f ms)%n", String.join(", ", e.shards()), (System.nanoTime() - start) / 1e6);
    }
}
