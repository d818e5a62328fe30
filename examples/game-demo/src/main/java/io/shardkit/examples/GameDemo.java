package io.shardkit.examples;

import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * A small game server on four SQLite shards ({@code shard-config/game-sqlite.yaml}): players and
 * their matches split by {@code player_id mod 4}, an item catalogue copied to every shard, an
 * audit log on s0. Creates the schema, registers players, records matches in transactions,
 * reads players back by id, and shows how shardkit routes and what it refuses.
 *
 * <p>Run from the repository root: {@code mvn -q -B -f examples/game-demo exec:java}
 * (after {@code mvn -q -B -DskipTests install}). Data goes to {@code target/game/} unless
 * {@code SHARDKIT_DATA} says otherwise; every run starts afresh.
 */
public final class GameDemo {
    private static final int PLAYERS = 1_000;

    private GameDemo() {
    }

    public static void main(String[] args) throws Exception {
        Path map = Path.of(args.length > 0 ? args[0] : "shard-config/game-sqlite.yaml");
        Path data = Path.of(System.getenv().getOrDefault("SHARDKIT_DATA", "target/game"));
        for (int i = 0; i < 4; i++) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Files.deleteIfExists(data.resolve("s" + i + ".db" + suffix));
            }
        }
        long start = System.nanoTime();
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(map)) {
            System.out.println("shardkit game demo: " + ds.shardNames().size() + " SQLite shards from " + map);
            schema(ds);
            register(ds);
            long[] someone = playMatches(ds);
            lookUp(ds, someone);
            distribution(ds);
            leaderboard(ds);
            explainAndRefuse(ds);
        }
        System.out.printf("done in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }

    private static void schema(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT NOT NULL, level INTEGER, score INTEGER)");
            st.execute("CREATE TABLE matches (match_id INTEGER, player_id INTEGER, points INTEGER, PRIMARY KEY (match_id, player_id))");
            st.execute("CREATE TABLE items (item_id INTEGER PRIMARY KEY, name TEXT)");
            st.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT)");
            int copies = st.executeUpdate("INSERT INTO items (item_id, name) VALUES (1, 'sword'), (2, 'shield'), (3, 'potion')");
            System.out.println("schema created on every shard; 3 items broadcast (" + copies + " rows written)");
        }
    }

    private static void register(ShardedDataSource ds) throws SQLException {
        Random random = new Random(42);
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO players (player_id, name, level, score) VALUES (?, ?, ?, ?)")) {
            for (int id = 1; id <= PLAYERS; id++) {
                ps.setLong(1, id);
                ps.setString(2, "player-" + id);
                ps.setInt(3, 1 + random.nextInt(50));
                ps.setInt(4, random.nextInt(10_000));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            System.out.println("registered " + counts.length + " players in one batch, routed per row");
        }
    }

    /** Each match is one transaction on the player's shard: the match row and the score together. */
    private static long[] playMatches(ShardedDataSource ds) throws SQLException {
        Random random = new Random(7);
        int played = 0;
        long[] firstPlayers = new long[3];
        try (Connection c = ds.getConnection();
                PreparedStatement match = c.prepareStatement(
                        "INSERT INTO matches (match_id, player_id, points) VALUES (?, ?, ?)");
                PreparedStatement score = c.prepareStatement(
                        "UPDATE players SET score = score + ? WHERE player_id = ?")) {
            c.setAutoCommit(false);
            for (int m = 1; m <= 500; m++) {
                long player = 1 + random.nextInt(PLAYERS);
                int points = random.nextInt(100);
                match.setLong(1, m);
                match.setLong(2, player);
                match.setInt(3, points);
                match.executeUpdate();
                score.setInt(1, points);
                score.setLong(2, player);
                score.executeUpdate();
                c.commit();
                if (played < firstPlayers.length) {
                    firstPlayers[played] = player;
                }
                played++;
            }
        }
        System.out.println("played " + played + " matches, each a transaction on its player's shard");
        return firstPlayers;
    }

    private static void lookUp(ShardedDataSource ds, long[] ids) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT p.name, p.score, COUNT(m.match_id) FROM players p LEFT JOIN matches m ON m.player_id = p.player_id"
                        + " WHERE p.player_id = ? GROUP BY p.name, p.score")) {
            for (long id : ids) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    System.out.printf("player %d: %s, score %d, %d matches%n", id, rs.getString(1), rs.getInt(2), rs.getInt(3));
                }
            }
        }
    }

    private static void distribution(ShardedDataSource ds) throws SQLException {
        StringBuilder sb = new StringBuilder("rows per shard (players/matches):");
        for (String shard : ds.shardNames()) {
            try (Connection c = ds.connectionTo(shard); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(
                            "SELECT (SELECT COUNT(*) FROM players), (SELECT COUNT(*) FROM matches)")) {
                rs.next();
                sb.append(' ').append(shard).append('=').append(rs.getInt(1)).append('/').append(rs.getInt(2));
            }
        }
        System.out.println(sb);
        int total = 0;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT player_id FROM players WHERE level >= 25")) {
            while (rs.next()) {
                total++;
            }
        }
        System.out.println("players at level 25 or more, read from all shards and concatenated: " + total);
    }

    /** Queries over every shard, merged exactly: a top-5 leaderboard and statistics per level band. */
    private static void leaderboard(ShardedDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            System.out.println("leaderboard (ORDER BY score DESC LIMIT 5 over 4 shards, merged):");
            try (ResultSet rs = st.executeQuery(
                    "SELECT player_id, name, score FROM players ORDER BY score DESC, player_id LIMIT 5")) {
                int rank = 1;
                while (rs.next()) {
                    System.out.printf("  %d. %-12s %6d%n", rank++, rs.getString("name"), rs.getInt("score"));
                }
            }
            System.out.println("level bands with more than 150 players (GROUP BY + HAVING across shards):");
            try (ResultSet rs = st.executeQuery("SELECT level / 10 AS band, COUNT(*) AS players, AVG(score) AS average,"
                    + " MAX(score) - MIN(score) AS spread FROM players GROUP BY level / 10 HAVING COUNT(*) > 150"
                    + " ORDER BY band")) {
                while (rs.next()) {
                    System.out.printf("  band %d: %d players, average score %.1f, spread %d%n", rs.getInt(1),
                            rs.getInt(2), rs.getDouble(3), rs.getInt(4));
                }
            }
        }
    }

    private static void explainAndRefuse(ShardedDataSource ds) throws SQLException {
        System.out.println();
        System.out.println(ds.explain("SELECT name, score FROM players WHERE player_id = ?", 1042L));
        System.out.println(ds.explain("SELECT player_id, name, score FROM players ORDER BY score DESC, player_id LIMIT 5"));
        try {
            ds.explain("SELECT name, RANK() OVER (ORDER BY score DESC) FROM players");
        } catch (RefusedException e) {
            System.out.println("refused (SQLState " + e.getSQLState() + "): " + e.getMessage());
        }
    }
}
