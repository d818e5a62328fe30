package io.shardkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.shardkit.examples.GameServer.Leader;
import io.shardkit.examples.GameServer.LevelStats;
import io.shardkit.examples.GameServer.Options;
import io.shardkit.examples.GameServer.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the game server small, then reads the four SQLite files directly (not through shardkit) and
 * checks what it wrote and what it printed against that.
 */
class GameServerTest {
    static final int CLIENTS = 4;
    static final int PLAYERS = 200;
    static final int OPS = 50;

    @TempDir
    Path dir;

    record Player(long id, String name, int level, long score, long played) {
    }

    @Test
    void concurrentClientsTransactionsLeaderboardAndLevelStats() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary summary = GameServer.run(new Options(dir, CLIENTS, PLAYERS, OPS, 0, 42),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));

        Map<Long, Player> players = new HashMap<>();
        Map<Long, Long> points = new HashMap<>();
        Map<Long, Long> matchCount = new HashMap<>();
        Set<Long> matchIds = new HashSet<>();
        Map<String, Long> perShard = new TreeMap<>();
        for (int shard = 0; shard < 4; shard++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s" + shard + ".db"));
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT player_id, name, level, score, played FROM players")) {
                    while (rs.next()) {
                        Player p = new Player(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4), rs.getLong(5));
                        assertThat(Math.floorMod(p.id(), 4)).as("shard of player %d", p.id()).isEqualTo(shard);
                        assertThat(players.put(p.id(), p)).as("player %d once", p.id()).isNull();
                    }
                }
                long count = 0;
                try (ResultSet rs = st.executeQuery("SELECT match_id, player_id, points FROM matches")) {
                    while (rs.next()) {
                        long player = rs.getLong(2);
                        assertThat(Math.floorMod(player, 4)).as("shard of match %d", rs.getLong(1)).isEqualTo(shard);
                        assertThat(matchIds.add(rs.getLong(1))).as("match %d once", rs.getLong(1)).isTrue();
                        points.merge(player, rs.getLong(3), Long::sum);
                        matchCount.merge(player, 1L, Long::sum);
                        count++;
                    }
                }
                perShard.put("s" + shard, count);
            }
        }

        assertThat(players).hasSize(PLAYERS);
        assertThat(summary.matches()).isEqualTo((long) CLIENTS * OPS);
        assertThat(matchIds).hasSize(CLIENTS * OPS).allMatch(id -> id >= 1 && id <= CLIENTS * OPS);
        assertThat(summary.matchesPerShard()).isEqualTo(perShard);
        assertThat(summary.totals()).containsExactly((long) PLAYERS, (long) CLIENTS * OPS,
                points.values().stream().mapToLong(Long::longValue).sum());
        // each transaction wrote its match and its score together
        for (Player p : players.values()) {
            assertThat(p.score()).as("score of player %d", p.id()).isEqualTo(points.getOrDefault(p.id(), 0L));
            assertThat(p.played()).as("matches of player %d", p.id()).isEqualTo(matchCount.getOrDefault(p.id(), 0L));
        }

        List<Leader> expectedTop = players.values().stream()
                .sorted(Comparator.comparingLong(Player::score).reversed().thenComparingLong(Player::id))
                .limit(10)
                .map(p -> new Leader(p.id(), p.name(), p.level(), p.score()))
                .toList();
        assertThat(summary.leaderboard()).isEqualTo(expectedTop);
        assertThat(expectedTop.get(0).score()).isPositive();

        Map<Integer, List<Player>> byLevel = new TreeMap<>();
        for (Player p : players.values()) {
            byLevel.computeIfAbsent(p.level(), k -> new ArrayList<>()).add(p);
        }
        assertThat(summary.levels()).extracting(LevelStats::level).containsExactlyElementsOf(byLevel.keySet());
        for (LevelStats s : summary.levels()) {
            List<Player> in = byLevel.get(s.level());
            assertThat(s.players()).isEqualTo(in.size());
            assertThat(s.matches()).isEqualTo(in.stream().mapToLong(Player::played).sum());
            assertThat(s.bestScore()).isEqualTo(in.stream().mapToLong(Player::score).max().orElseThrow());
            assertThat(s.averageScore()).isCloseTo(in.stream().mapToLong(Player::score).average().orElseThrow(),
                    within(1e-9));
        }

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains(CLIENTS + " clients played " + CLIENTS * OPS + " matches", "transactions/s")
                .contains(" 1. " + expectedTop.get(0).name());
    }

    @Test
    void sameSeedSameGame() throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Summary first = GameServer.run(new Options(dir.resolve("a"), 3, 100, 20, 0, 7), quiet);
        Summary second = GameServer.run(new Options(dir.resolve("b"), 3, 100, 20, 0, 7), quiet);
        assertThat(second.leaderboard()).isEqualTo(first.leaderboard());
        assertThat(second.levels()).isEqualTo(first.levels());
    }

    @Test
    void options() {
        Options o = Options.parse("--clients", "2", "--players", "50", "--seconds", "3", "--dir", "x");
        assertThat(o).isEqualTo(new Options(Path.of("x"), 2, 50, Integer.MAX_VALUE, 3, 42));
        assertThatThrownBy(() -> Options.parse("--threads", "2"))
                .hasMessage("unknown option --threads (known: --dir, --clients, --players, --ops, --seconds, --seed)");
        assertThatThrownBy(() -> Options.parse("--ops")).hasMessage("option --ops needs a value");
    }
}
