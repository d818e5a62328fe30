package io.shardkit.examples;

import io.shardkit.ShardedDataSource;
import io.shardkit.config.YamlShardMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A game server on four SQLite shards ({@code game-server.yaml}): players and their matches split
 * by {@code player_id mod 4}. Registers the players, then lets concurrent clients (threads) play:
 * each match is one transaction on its player's shard (INSERT the match, UPDATE the player's
 * score, commit). Afterwards a leaderboard and per-level statistics are read across all shards and
 * merged by shardkit.
 *
 * <p>Run from the repository root: {@code mvn -q -B -f examples/game-server exec:java}, sized with
 * {@code -Dexec.args="--clients 8 --players 10000 --ops 2000"} or {@code --seconds 10} instead of
 * {@code --ops}. The files go to {@code --dir} (default: the system property {@code example.dir},
 * else {@code target/game-server}); every run starts afresh. Seeds are fixed, so a run by
 * {@code --ops} always plays the same matches.
 */
public final class GameServer {
    static final int LEVELS = 10;

    /**
     * @param ops matches each client plays; with {@code seconds > 0}, the clients play until then instead
     */
    public record Options(Path dir, int clients, int players, int ops, int seconds, long seed) {
        public static Options parse(String... args) {
            Path dir = Path.of(System.getProperty("example.dir", "target/game-server"));
            int clients = 8;
            int players = 10_000;
            int ops = 2_000;
            int seconds = 0;
            long seed = 42;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(v);
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--players" -> players = Integer.parseInt(v);
                    case "--ops" -> ops = Integer.parseInt(v);
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (known: --dir, --clients, --players, --ops, --seconds, --seed)");
                }
            }
            return new Options(dir, clients, players, seconds > 0 ? Integer.MAX_VALUE : ops, seconds, seed);
        }
    }

    public record Leader(long playerId, String name, int level, long score) {
    }

    public record LevelStats(int level, long players, long matches, double averageScore, long bestScore) {
    }

    /**
     * What a run did.
     *
     * @param matches matches the clients played (committed)
     * @param totals players, matches and points over all shards, as one merged aggregate query answered
     * @param matchesPerShard matches counted on each shard directly
     */
    public record Summary(long matches, double seconds, List<Long> totals, Map<String, Long> matchesPerShard,
            List<Leader> leaderboard, List<LevelStats> levels) {
        public double transactionsPerSecond() {
            return seconds <= 0 ? 0 : matches / seconds;
        }
    }

    private GameServer() {
    }

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), System.out);
    }

    public static Summary run(Options o, PrintStream out) throws SQLException, IOException, InterruptedException {
        for (int i = 0; i < 4; i++) {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(o.dir().resolve("s" + i + ".db" + suffix));
            }
        }
        try (ShardedDataSource ds = open(o.dir())) {
            out.println("game server: " + ds.shardNames().size() + " SQLite shards in " + o.dir()
                    + ", players and matches by player_id mod 4");
            schema(ds);
            register(ds, o);
            out.printf("registered %d players%n", o.players());

            long start = System.nanoTime();
            long matches = play(ds, o);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Long> perShard = matchesPerShard(ds);
            out.printf("%d clients played %d matches in %.2f s: %.0f transactions/s"
                    + " (INSERT match + UPDATE score, one commit on the player's shard)%n",
                    o.clients(), matches, seconds, matches / seconds);
            out.println("matches per shard: " + perShard);
            List<Long> totals = totals(ds);
            out.printf("totals (COUNT and SUMs over 4 shards, merged): %d players, %d matches, %d points%n",
                    totals.get(0), totals.get(1), totals.get(2));

            List<Leader> leaders = leaderboard(ds);
            out.println("\nleaderboard (ORDER BY score DESC, player_id LIMIT 10 over 4 shards, merged):");
            for (int i = 0; i < leaders.size(); i++) {
                Leader l = leaders.get(i);
                out.printf("  %2d. %-14s level %2d  score %6d%n", i + 1, l.name(), l.level(), l.score());
            }
            List<LevelStats> levels = levels(ds);
            out.println("\nper level (GROUP BY level over 4 shards, merged):");
            out.println("  level  players  matches  avg score   best");
            for (LevelStats s : levels) {
                out.printf("  %5d  %7d  %7d  %9.1f  %5d%n", s.level(), s.players(), s.matches(), s.averageScore(),
                        s.bestScore());
            }
            return new Summary(matches, seconds, totals, perShard, leaders, levels);
        }
    }

    /** The shard map from the class path, its {@code SHARDKIT_DATA} set to {@code dir}. */
    static ShardedDataSource open(Path dir) throws SQLException, IOException {
        try (InputStream in = GameServer.class.getResourceAsStream("/game-server.yaml")) {
            return ShardedDataSource.of(YamlShardMap.load(in, "game-server.yaml",
                    name -> name.equals("SHARDKIT_DATA") ? dir.toString() : System.getenv(name)));
        }
    }

    /** DDL on a sharded table runs on every shard. */
    private static void schema(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                    + " level INTEGER NOT NULL, score INTEGER NOT NULL, played INTEGER NOT NULL)");
            st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL,"
                    + " points INTEGER NOT NULL)");
            st.execute("CREATE INDEX players_score ON players (score)");
        }
    }

    /** One batch, each row routed to its player's shard. A new season: every score is 0. */
    private static void register(ShardedDataSource ds, Options o) throws SQLException {
        Random random = new Random(o.seed());
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO players (player_id, name, level, score, played) VALUES (?, ?, ?, 0, 0)")) {
            for (int id = 1; id <= o.players(); id++) {
                ps.setLong(1, id);
                ps.setString(2, "player-" + id);
                ps.setInt(3, 1 + random.nextInt(LEVELS));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Starts the clients together and waits for them; returns the matches played. */
    private static long play(ShardedDataSource ds, Options o) throws SQLException, InterruptedException {
        long deadline = o.seconds() > 0 ? System.nanoTime() + o.seconds() * 1_000_000_000L : Long.MAX_VALUE;
        ExecutorService clients = Executors.newFixedThreadPool(o.clients());
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int i = 0; i < o.clients(); i++) {
                int client = i;
                done.add(clients.submit(() -> client(ds, o, client, deadline)));
            }
            long matches = 0;
            for (Future<Integer> f : done) {
                try {
                    matches += f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof SQLException se) {
                        throw se;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return matches;
        } finally {
            clients.shutdownNow();
        }
    }

    /**
     * One client: a connection with autocommit off, one transaction per match on the player's shard.
     * Match ids interleave by client ({@code n * clients + client + 1}), so they never collide.
     */
    private static int client(ShardedDataSource ds, Options o, int client, long deadline) throws SQLException {
        Random random = new Random(o.seed() * 1_000 + client);
        int n = 0;
        try (Connection c = ds.getConnection();
                PreparedStatement match = c.prepareStatement(
                        "INSERT INTO matches (match_id, player_id, points) VALUES (?, ?, ?)");
                PreparedStatement score = c.prepareStatement(
                        "UPDATE players SET score = score + ?, played = played + 1 WHERE player_id = ?")) {
            c.setAutoCommit(false);
            while (n < o.ops() && System.nanoTime() < deadline) {
                long player = 1 + random.nextInt(o.players());
                int points = random.nextInt(100);
                try {
                    match.setLong(1, (long) n * o.clients() + client + 1);
                    match.setLong(2, player);
                    match.setInt(3, points);
                    match.executeUpdate();
                    score.setInt(1, points);
                    score.setLong(2, player);
                    score.executeUpdate();
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
                n++;
            }
        }
        return n;
    }

    /** Counted on each shard as written ({@code connectionTo}): where the matches really are. */
    private static Map<String, Long> matchesPerShard(ShardedDataSource ds) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String shard : ds.shardNames()) {
            try (Connection c = ds.connectionTo(shard); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM matches")) {
                rs.next();
                counts.put(shard, rs.getLong(1));
            }
        }
        return counts;
    }

    private static List<Long> totals(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(played), SUM(score) FROM players")) {
            rs.next();
            return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    /** Each shard returns its top 10; a k-way merge picks the global top 10. */
    private static List<Leader> leaderboard(ShardedDataSource ds) throws SQLException {
        List<Leader> leaders = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT player_id, name, level, score FROM players ORDER BY score DESC, player_id LIMIT 10")) {
            while (rs.next()) {
                leaders.add(new Leader(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4)));
            }
        }
        return leaders;
    }

    /** Each shard groups its players; the groups are merged by level (AVG as SUM and COUNT). */
    private static List<LevelStats> levels(ShardedDataSource ds) throws SQLException {
        List<LevelStats> levels = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT level, COUNT(*), SUM(played), AVG(score), MAX(score) FROM players GROUP BY level ORDER BY level")) {
            while (rs.next()) {
                levels.add(new LevelStats(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getLong(5)));
            }
        }
        return levels;
    }
}
