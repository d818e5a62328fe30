package io.shardkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, {@code shardkit reshard} end to end through {@link Main#run} on four SQLite shard files:
 * players and their matches (one bucket group, 16 buckets on s0 and s1) grown onto s0..s3 step by
 * step, with the printed plan, progress and status, and the shard files checked afterwards; abort;
 * steps out of order (55000) and refusals (0A000) as one error line with exit 1; usage errors exit 2.
 */
class CliReshardTest {
    static final int PLAYERS = 200;
    @TempDir Path dir;

    private static Result run(String... args) {
        return CliTest.run("", args);
    }

    /** Writes the map (with or without {@code resharding:}), creates the tables on all four shards and loads them. */
    private Path setup(boolean resharding) throws SQLException, java.io.IOException {
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 4; i++) {
            y.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(file(i)).append("\", create: true}\n");
        }
        String strategy = "{type: buckets, buckets: 16, bucketOf: mod, shards: [s0, s1]}";
        y.append("tables:\n  players: {key: player_id, strategy: ").append(strategy).append("}\n")
                .append("  matches: {key: player_id, strategy: ").append(strategy).append("}\n");
        if (resharding) {
            y.append("resharding: {control: s0, poll: 1h}\n");
        }
        Path map = dir.resolve("map.yaml");
        Files.writeString(map, y.toString());
        for (int i = 0; i < 4; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(i)); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)");
                st.execute("CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL, points INTEGER)");
                if (i >= 2) {
                    continue;
                }
                c.setAutoCommit(false);
                try (PreparedStatement p = c.prepareStatement("INSERT INTO players VALUES (?, ?, ?)");
                        PreparedStatement m = c.prepareStatement("INSERT INTO matches VALUES (?, ?, ?)")) {
                    for (int id = 1; id <= PLAYERS; id++) {
                        if (id % 2 != i) {
                            continue; // bucket id mod 16 on s(bucket mod 2): the default placement over s0, s1
                        }
                        p.setInt(1, id);
                        p.setString(2, "p" + id);
                        p.setInt(3, id % 97);
                        p.executeUpdate();
                        for (int k = 0; k < 2; k++) {
                            m.setInt(1, id * 10 + k);
                            m.setInt(2, id);
                            m.setInt(3, k + id);
                            m.executeUpdate();
                        }
                    }
                }
                c.commit();
            }
        }
        return map;
    }

    private Path file(int shard) {
        return dir.resolve("s" + shard + ".db");
    }

    /** Every row of {@code table} in the four files, as "values|shard", sorted. */
    private TreeSet<String> where(String table) throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < 4; i++) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(i)); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int k = 1; k <= n; k++) {
                        b.append(rs.getString(k)).append('|');
                    }
                    out.add(b.append('s').append(i).toString());
                }
            }
        }
        return out;
    }

    /**
     * The rows not on s(key mod 4): growing the default placement over s0, s1 onto s0..s3 gives the
     * default placement over four (bucket b on s(b mod 4)), and key mod 16 mod 4 = key mod 4.
     */
    private List<String> misplaced(String table, int keyColumn) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String r : where(table)) {
            String[] f = r.split("\\|");
            if (!f[f.length - 1].equals("s" + Math.floorMod(Long.parseLong(f[keyColumn]), 4L))) {
                out.add(r);
            }
        }
        return out;
    }

    /** The rows without their shard, each once. */
    private static TreeSet<String> content(TreeSet<String> where) {
        TreeSet<String> out = new TreeSet<>();
        for (String r : where) {
            out.add(r.substring(0, r.lastIndexOf('|')));
        }
        return out;
    }

    private int triggers(int shard) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(shard)); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"
                        + " AND name LIKE 'shardkit!_%' ESCAPE '!'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void i15_70_planStartStatusSwitchCleanupPutEveryRowOnItsBucketsShard() throws Exception {
        String map = setup(true).toString();
        TreeSet<String> players = content(where("players"));
        TreeSet<String> matches = content(where("matches"));

        Result plan = run("reshard", "plan", "-c", map, "--to", "s0,s1,s2,s3");
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("plan for bucket group players (epoch 1, 16 buckets over s0, s1): 8 of 16 buckets"
                + " move in 2 pairs, 300 rows to copy")
                .containsPattern("s0 → s2 +\\| +4 \\| 2,6,10,14 +\\| +150\n")
                .containsPattern("s1 → s3 +\\| +4 \\| 3,7,11,15 +\\| +150\n")
                .contains("after the switch: 0: s0, 1: s1, 2: s2, 3: s3, 4: s0,");
        assertThat(where("players")).as("plan writes no row").hasSize(PLAYERS);
        assertThat(triggers(0)).as("plan installs no trigger").isZero();

        Result start = run("reshard", "start", "-c", map, "--to", "s0,s1,s2,s3", "--chunk", "7");
        assertThat(start.code()).as(start.err()).isZero();
        assertThat(start.err()).contains("reshard players: prepared: ", "reshard players: copied s0 → s2: 150 rows in ",
                "; 150/300 rows (50%), ", "rows/s, ETA ", "copied s1 → s3: 150 rows", "; 300/300 rows (100%)",
                "reshard players: verified: 0 rows recopied");
        assertThat(start.out()).startsWith("bucket group players: step verified, 300 rows copied in ")
                .containsPattern("s1 → s3 +\\| +4 \\| 3,7,11,15 +\\| +150 \\| +0\n");

        // a write to a moving bucket after the copy: logged on s0, replayed onto s2 by the switch
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(0)); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE players SET score = 5000 WHERE player_id = 2");
        }
        Result status = run("reshard", "status", "-c", map);
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).startsWith("bucket group players: step verified, from epoch 1 (live epoch 1), updated 20")
                .containsPattern("s0 → s2 +\\| +4 \\| 2,6,10,14 +\\| +150 \\| +[1-9]\\d*\n")
                .containsPattern("s1 → s3 +\\| +4 \\| 3,7,11,15 +\\| +150 \\| +0\n");

        // a copy gone wrong on a target (written past the mover): verify finds and recopies it
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file(2)); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE players SET name = 'wrong' WHERE player_id = 6");
            st.executeUpdate("DELETE FROM matches WHERE match_id = 100");
        }
        Result verify = run("reshard", "verify", "-c", map, "--chunk", "16");
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).isEqualTo("bucket group players: verified, 2 rows fixed\n");

        Result switched = run("reshard", "switch", "-c", map);
        assertThat(switched.code()).as(switched.err()).isZero();
        assertThat(switched.out()).containsPattern("bucket group players: switched to epoch 2, writes to the moved buckets"
                + " paused \\d+ ms");
        assertThat(where("players")).as("each moved row on its source and its target until cleanup")
                .hasSize(PLAYERS + PLAYERS / 2).contains("2|p2|5000|s0", "2|p2|5000|s2");

        Result early = run("reshard", "cleanup", "-c", map);
        assertThat(early.code()).as("grace defaults to twice the poll of 1h").isEqualTo(Main.FAILED);
        assertThat(early.err()).contains("cleanup waits 7200000 ms (the grace period)").endsWith("(SQLState 55000)\n");

        Result cleanup = run("reshard", "cleanup", "-c", map, "--grace", "0s");
        assertThat(cleanup.code()).as(cleanup.err()).isZero();
        assertThat(cleanup.out()).isEqualTo("bucket group players: cleaned up, the moved rows are deleted from s0, s1;"
                + " epoch 2 (16 buckets over s0, s1, s2, s3)\n");
        assertThat(cleanup.err()).contains("reshard players: cleaned: 300 rows deleted from the sources");

        assertThat(misplaced("players", 0)).isEmpty();
        assertThat(misplaced("matches", 1)).isEmpty();
        TreeSet<String> expected = new TreeSet<>(players);
        expected.remove("2|p2|2");
        expected.add("2|p2|5000");
        assertThat(where("players")).as("each row once").hasSize(PLAYERS);
        assertThat(content(where("players"))).isEqualTo(expected);
        assertThat(content(where("matches"))).hasSize(2 * PLAYERS).isEqualTo(matches);
        assertThat(where("players")).contains("2|p2|5000|s2");

        Result after = run("reshard", "status", "-c", map);
        assertThat(after.out()).isEqualTo("bucket group players: no reshard in progress (epoch 2, 16 buckets over s0, s1,"
                + " s2, s3)\n");
        Result sql = run("sql", "-c", map, "-e", "SELECT COUNT(*) AS n FROM players");
        assertThat(sql.out()).as(sql.err()).contains("n\n---\n200\n").contains("(shards: s0, s1, s2, s3;");
    }

    @Test
    void i15_71_abortAfterStartRestoresTheShards() throws Exception {
        String map = setup(true).toString();
        TreeSet<String> players = where("players");
        TreeSet<String> matches = where("matches");
        assertThat(run("reshard", "start", "-c", map, "--to", "s0,s1,s2,s3").code()).isZero();
        assertThat(where("players")).as("copied").hasSize(PLAYERS + PLAYERS / 2);
        assertThat(triggers(0)).isPositive();

        Result abort = run("reshard", "abort", "-c", map);
        assertThat(abort.code()).as(abort.err()).isZero();
        assertThat(abort.out()).isEqualTo("bucket group players: reshard aborted, epoch 1 stays live; the copies on the"
                + " targets are deleted\n");
        assertThat(where("players")).isEqualTo(players);
        assertThat(where("matches")).isEqualTo(matches);
        assertThat(triggers(0)).as("the triggers are gone").isZero();
        assertThat(run("reshard", "status", "-c", map).out())
                .isEqualTo("bucket group players: no reshard in progress (epoch 1, 16 buckets over s0, s1)\n");
    }

    @Test
    void i15_72_stepsOutOfOrderAndRefusalsAreOneLineAndExit1() throws Exception {
        String map = setup(true).toString();
        Result early = run("reshard", "switch", "-c", map);
        assertThat(early.code()).isEqualTo(Main.FAILED);
        assertThat(early.err()).isEqualTo("error: bucket group players has no reshard in progress to switch"
                + " (SQLState 55000)\n");
        assertThat(early.out()).isEmpty();
        assertThat(run("reshard", "start", "-c", map, "--to", "s0,s1,s2,s3").code()).isZero();
        Result cleanup = run("reshard", "cleanup", "-c", map, "--grace", "0s");
        assertThat(cleanup.code()).isEqualTo(Main.FAILED);
        assertThat(cleanup.err()).isEqualTo("error: cannot cleanup the reshard of bucket group players at step verified"
                + " (needs switched) (SQLState 55000)\n");
        assertThat(run("reshard", "abort", "-c", map).code()).isZero();

        Result ontoOld = run("reshard", "plan", "-c", map, "--placement", "0-7: s0, 8-15: s1");
        assertThat(ontoOld.code()).isEqualTo(Main.FAILED);
        assertThat(ontoOld.err()).startsWith("error: bucket 1 would move from s1 to s0, which holds buckets of group"
                + " players already").endsWith("(SQLState 0A000)\n");

        Files.writeString(Path.of(map), Files.readString(Path.of(map)).replace("resharding: {control: s0, poll: 1h}\n", ""));
        Result none = run("reshard", "status", "-c", map);
        assertThat(none.code()).isEqualTo(Main.FAILED);
        assertThat(none.err()).isEqualTo("error: the shard map has no resharding: section (resharding: {control:"
                + " <shard>}) (SQLState 0A000)\n");
    }

    @Test
    void i15_73_usageErrorsExit2WithTheUsageToLookUp() throws Exception {
        String map = setup(true).toString();
        Result unknown = run("reshard", "bogus");
        assertThat(unknown.code()).isEqualTo(Main.USAGE);
        assertThat(unknown.err()).isEqualTo("error: unknown reshard step 'bogus' (give one of plan, start, status, verify,"
                + " switch, cleanup, abort)\n");
        Result noTarget = run("reshard", "start", "-c", map);
        assertThat(noTarget.code()).isEqualTo(Main.USAGE);
        assertThat(noTarget.err()).startsWith("error: Missing required argument").contains("--to", "--placement")
                .endsWith("(shardkit reshard start --help shows the usage)\n");
        Result both = run("reshard", "plan", "-c", map, "--to", "s0,s1,s2", "--placement", "0-15: s0");
        assertThat(both.code()).isEqualTo(Main.USAGE);
        assertThat(both.err()).contains("mutually exclusive");
        String[][] cases = {
                {"--to", "s0,s1,s9", "error: --to: shard 's9' is not in the map (shards: s0, s1, s2, s3)"},
                {"--to", "s0,s2", "error: --to: grow keeps every shard: s1 is missing from [s0, s2]"},
                {"--placement", "0-7: s2", "error: --placement: bucket 8 is not placed (every bucket from 0 to 15 needs"
                        + " a shard)"},
                {"--placement", "0-7: s2, 5-15: s3", "error: --placement: bucket 5 is placed twice"},
                {"--placement", "0-16: s2", "error: --placement: bucket 16 is outside 0-15"},
                {"--placement", "0-15: s7", "error: --placement: shard 's7' is not in the map (shards: s0, s1, s2, s3)"},
                {"--placement", "0-15 s2", "error: --placement: expected 'from-to: shard' or 'bucket: shard', got '0-15 s2'"}};
        for (String[] c : cases) {
            Result r = run("reshard", "plan", "-c", map, c[0], c[1]);
            assertThat(r.code()).as(c[1]).isEqualTo(Main.USAGE);
            assertThat(r.err()).isEqualTo(c[2] + "\n");
        }
        Result group = run("reshard", "plan", "-c", map, "--to", "s0,s1,s2", "--group", "nope");
        assertThat(group.code()).isEqualTo(Main.USAGE);
        assertThat(group.err()).isEqualTo("error: unknown bucket group 'nope' (the map's groups: players)\n");
        Result grace = run("reshard", "cleanup", "-c", map, "--grace", "soon");
        assertThat(grace.code()).isEqualTo(Main.USAGE);
        assertThat(grace.err()).contains("'soon' is not a duration (write 0s, 500ms, 5m, 2h or PT5M)");
        Result chunk = run("reshard", "start", "-c", map, "--to", "s0,s1,s2,s3", "--chunk", "0");
        assertThat(chunk.code()).isEqualTo(Main.USAGE);
        assertThat(chunk.err()).isEqualTo("error: --chunk: a chunk holds at least one row, not 0\n");
        assertThat(triggers(0)).as("no usage error starts a reshard").isZero();

        Result top = run();
        assertThat(top.code()).as(top.err()).isZero();
        assertThat(top.out()).contains("Usage: shardkit", "reshard  Move buckets of a bucket group to new shards");
        Result bare = run("reshard");
        assertThat(bare.code()).isZero();
        assertThat(bare.out()).contains("Usage: shardkit reshard", "plan", "start", "status", "verify", "switch",
                "cleanup", "abort");
        for (String[] args : new String[][] {{"reshard", "--help"}, {"help", "reshard"}, {"reshard", "start", "--help"}}) {
            Result r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).contains("Usage: shardkit reshard").contains("--help");
        }
        assertThat(run("reshard", "start", "--help").out()).contains("--to", "--placement", "--chunk", "--group");
    }

    @Test
    void i15_74_anExplicitPlacementPlansAsGrowDoes() throws Exception {
        String map = setup(true).toString();
        StringBuilder ranges = new StringBuilder("{");
        for (int b = 0; b < 16; b++) {
            ranges.append(b == 0 ? "" : ", ").append('"').append(b).append("\": s").append(b % 4);
        }
        Result explicit = run("reshard", "plan", "-c", map, "--placement", ranges.append('}').toString());
        assertThat(explicit.code()).as(explicit.err()).isZero();
        Result grown = run("reshard", "plan", "-c", map, "--to", "s0,s1,s2,s3");
        assertThat(explicit.out()).isEqualTo(grown.out()).contains("8 of 16 buckets move in 2 pairs, 300 rows to copy");
        Result ranged = run("reshard", "plan", "-c", map, "--placement", "0-7: s2, 8-15: s3");
        assertThat(ranged.code()).as(ranged.err()).isZero();
        assertThat(ranged.out()).contains("16 of 16 buckets move in 4 pairs, 600 rows to copy")
                .containsPattern("s0 → s2 +\\| +4 \\| 0,2,4,6 +\\| +153\n")
                .containsPattern("s1 → s3 +\\| +4 \\| 9,11,13,15 +\\| +144\n")
                .contains("after the switch: 0-7: s2, 8-15: s3\n");
    }
}
