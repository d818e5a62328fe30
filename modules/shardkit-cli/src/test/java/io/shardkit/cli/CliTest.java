package io.shardkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The command line end to end, through {@link Main#run}: output, exit codes and one-line errors.
 * The demo runs once in a reduced size and its shard map serves the other commands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliTest {
    Path dir;
    Path map;
    String demoOutput;

    record Result(int code, String out, String err) {
    }

    static Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main.Io io = new Main.Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
        int code = Main.run(args, io);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    void demo(@TempDir Path tmp) {
        dir = tmp.resolve("demo");
        Result r = run("", "demo", "--dir", dir.toString(), "--players", "1000", "--matches", "5000");
        assertThat(r.code()).as(r.err()).isZero();
        demoOutput = r.out();
        map = dir.resolve("shardkit.yaml");
    }

    @Test
    void theDemoLoadsArchivesAndQueriesShowingTheShardsTouched() {
        assertThat(demoOutput)
                .contains("100% 1,000/1,000", "100% 5,000/5,000")
                .contains("archived 1000 matches from before 2025")
                .contains("== leaderboard: top 10 by score across all shards")
                .contains("(shards: s0, s1, s2, s3;")
                .contains("== archived-match lookup")
                .contains("2024-")
                .contains("== tenant query", "acme raiders", "(shards: tenant_acme;")
                .contains("demo done in");
    }

    @Test
    void theDemoRunsTwice() {
        Result again = run("", "demo", "--dir", dir.resolve("again").toString(), "--players", "50", "--matches", "100");
        assertThat(again.code()).as(again.err()).isZero();
        Result third = run("", "demo", "--dir", dir.resolve("again").toString(), "--players", "50", "--matches", "100");
        assertThat(third.code()).as(third.err()).isZero();
        assertThat(third.out()).contains("leaderboard");
    }

    @Test
    void sqlRunsStatementsAndPrintsAlignedTablesWithTheShards() {
        Result r = run("", "sql", "-c", map.toString(), "-e", "SELECT COUNT(*) AS n FROM players",
                "-e", "SELECT player_id, name FROM players WHERE player_id = 7");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("n\n----\n1000\n(1 row)").contains("(shards: s0, s1, s2, s3;")
                .contains("player-7").contains("(shards: s3;");
    }

    @Test
    void aScriptOnStdinStopsAtTheFirstErrorWithExitCode1() {
        Result r = run("SELECT 1 AS one;\n-- a comment\nSELECT * FROM nowhere;\nSELECT 2 AS two;\n", "sql", "-c",
                map.toString());
        assertThat(r.code()).isEqualTo(Main.FAILED);
        assertThat(r.out()).contains("one").doesNotContain("two");
        assertThat(r.err()).isEqualTo("error: table nowhere is not in the shard map and the map has no defaultShard"
                + " [sql: SELECT * FROM nowhere] (SQLState 42000)\n");
    }

    @Test
    void case24_aTextOfTwoStatementsIsRefusedByTheShell() {
        Result r = run("", "sql", "-c", map.toString(), "-e", "SELECT 1; UPDATE players SET name = 'gone'");
        assertThat(r.code()).isEqualTo(Main.FAILED);
        assertThat(r.err()).startsWith("error: a SQL text holding more than one statement").endsWith("(SQLState 0A000)\n");
        Result explain = run("", "explain", "-c", map.toString(), "SELECT 1; UPDATE players SET name = 'gone'");
        assertThat(explain.code()).isEqualTo(Main.FAILED);
        assertThat(explain.err()).startsWith("error: a SQL text holding more than one statement");
        Result count = run("", "sql", "-c", map.toString(), "-e", "SELECT COUNT(*) AS n FROM players WHERE name = 'gone'");
        assertThat(count.code()).as(count.err()).isZero();
        assertThat(count.out()).contains("n\n-\n0\n(1 row)");
    }

    @Test
    void metaCommandsWork() {
        Result r = run("\\shards\n\\timing\nSELECT 3 AS three;\n\\explain SELECT name FROM players WHERE player_id = 2\n",
                "sql", "-c", map.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("archive | ", "read-only archive", "timing off", "three")
                .doesNotContain("(shards: s0; ").contains("Route s2: SELECT name FROM players WHERE player_id = 2");
    }

    /** Issue 14: {@code \\shards} lists each split table's physical tables per shard (its data nodes). */
    @Test
    void i14_shardsListsTheDataNodesOfSplitTables() throws Exception {
        Path split = dir.resolve("split.yaml");
        java.nio.file.Files.writeString(split, "shards:\n"
                + "  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("split0.db") + "\", create: true}\n"
                + "  - {name: s1, url: \"jdbc:sqlite:" + dir.resolve("split1.db") + "\", create: true}\n"
                + "tables:\n"
                + "  matches:\n"
                + "    key: player_id\n"
                + "    strategy: {type: mod, shards: [s0, s1]}\n"
                + "    split: {as: {type: mod, count: 8}, name: \"matches_{n}\"}\n");
        Result r = run("CREATE TABLE matches (player_id INTEGER, score INTEGER);\n"
                + "INSERT INTO matches (player_id, score) VALUES (3, 30), (4, 40);\n"
                + "SELECT COUNT(*) AS n FROM matches;\n\\shards\n", "sql", "-c", split.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("split table", "physical tables").containsPattern("matches +\\| +s0 +\\| +8 \\(matches_0 \\.\\. matches_7\\)")
                .containsPattern("matches +\\| +s1 +\\| +8 \\(matches_0 \\.\\. matches_7\\)").contains("n\n-\n2\n");
    }

    /** Issue 12: EXPLAIN typed as SQL shows shardkit's plan with the routed shard's own plan under it, nothing else. */
    @Test
    void explainTypedAsSqlShowsTheRoutedShardsPlan() {
        Result r = run("EXPLAIN SELECT name FROM players WHERE player_id = 2;\n", "sql", "-c", map.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Shards: s2", "-- EXPLAIN QUERY PLAN SELECT name FROM players WHERE player_id = 2")
                .containsPattern("s2 +\\| +SEARCH players")
                .doesNotContain("s0 ", "s1 ", "s3 ");
        Result analyze = run("EXPLAIN ANALYZE SELECT name FROM players;\n", "sql", "-c", map.toString());
        assertThat(analyze.err()).contains("EXPLAIN with options (ANALYZE)", "0A000");
    }

    @Test
    void aTenantNeedsTenancyInTheMap() {
        Result r = run("\\tenant acme\nSELECT 1 AS never;\n", "sql", "-c", map.toString());
        assertThat(r.code()).isEqualTo(Main.FAILED);
        assertThat(r.err()).startsWith("error: tenancy is not configured");
        assertThat(r.out()).doesNotContain("never");
    }

    @Test
    void explainPrintsRouteReasonsAndPlan() {
        Result r = run("", "explain", "-c", map.toString(), "SELECT * FROM players WHERE player_id = ?", "42");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Shards: s2", "players.player_id = 42: mod 4 = 2 → s2", "Route s2:");
        Result refused = run("", "explain", "-c", map.toString(), "SELECT name, RANK() OVER (ORDER BY score) FROM players");
        assertThat(refused.code()).isEqualTo(Main.FAILED);
        assertThat(refused.err()).startsWith("error: window function RANK").endsWith("(SQLState 0A000)\n")
                .doesNotContain("\tat ");
    }

    @Test
    void checkConnectsToEveryShardAndFailsWhenOneIsDown() throws Exception {
        Result ok = run("", "check", "-c", map.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("valid, 5 shards", "s3 ", "up (read-only at the database)", "SQLite");
        String broken = Files.readString(map).replace(dir.resolve("s1.db").toString(),
                dir.resolve("missing/deeper/s1.db").toString()).replace("url: \"jdbc:sqlite:" + dir.resolve("archive.db"),
                "url: \"jdbc:sqlite:" + dir.resolve("nowhere/archive.db")).replace("create: true", "create: false");
        Path brokenMap = dir.resolve("broken.yaml");
        Files.writeString(brokenMap, broken);
        Result down = run("", "check", "-c", brokenMap.toString());
        assertThat(down.code()).isEqualTo(Main.SHARD_DOWN);
        assertThat(down.out()).contains("DOWN");
        assertThat(down.err()).contains("shards are down");
    }

    @Test
    void badInputIsOneClearLineAndExitCode2() throws Exception {
        Result missing = run("", "sql", "-c", dir.resolve("none.yaml").toString(), "-e", "SELECT 1");
        assertThat(missing.code()).isEqualTo(Main.USAGE);
        assertThat(missing.err()).isEqualTo("error: no shard map at " + dir.resolve("none.yaml") + "\n");
        Path invalid = dir.resolve("invalid.yaml");
        Files.writeString(invalid, "shards:\n  - name: s0\n    url: foo\n");
        Result bad = run("", "check", "-c", invalid.toString());
        assertThat(bad.code()).isEqualTo(Main.USAGE);
        assertThat(bad.err()).contains("shards[0].url: malformed JDBC URL 'foo'").contains("(line 3)");
        Result usage = run("", "sql");
        assertThat(usage.code()).isEqualTo(Main.USAGE);
        assertThat(usage.err()).contains("Missing required option");
        Result verbose = run("", "sql", "-c", map.toString(), "--verbose", "-e", "SELECT * FROM nowhere");
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void archiveHasADryRun() {
        Result r = run("", "archive", "-c", map.toString(), "--table", "matches", "--dry-run");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("dry run: 0 rows would move");
        Result untiered = run("", "archive", "-c", map.toString(), "--table", "players");
        assertThat(untiered.code()).isEqualTo(Main.USAGE);
        assertThat(untiered.err()).startsWith("error: ").contains("players");
    }

    @Test
    void theInteractiveShellReadsLinesPromptsForMoreAndQuits() {
        Result r = run("SELECT COUNT(*)\n  AS n FROM players;\nSELECT * FROM nowhere;\n\\q\nSELECT 9 AS never;\n",
                "sql", "-c", map.toString(), "--interactive");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("shardkit> ", "...> ", "1000", "(shards: s0, s1, s2, s3;").doesNotContain("never");
        assertThat(r.err()).contains("error: table nowhere is not in the shard map");
    }

    /** Issue 11: one bad shard path does not stop check; it lists that shard down with why, and exits 3. */
    @Test
    void i11_27_checkReportsAShardWithABadPathDownAndExitsNonZero() throws Exception {
        Files.writeString(dir.resolve("blocker"), "a file where a folder should be");
        Path bad = dir.resolve("bad-path.yaml");
        Files.writeString(bad, """
                shards:
                  - {name: s0, url: "jdbc:sqlite:%1$s/s0.db"}
                  - {name: s1, url: "jdbc:sqlite:%1$s/blocker/s1.db", create: true}
                  - {name: s2, url: "jdbc:sqlite:%1$s/gone/s2.db"}
                tables:
                  players: {key: player_id, strategy: {type: mod, shards: [s0, s1, s2]}}
                """.formatted(dir));
        Result r = run("", "check", "-c", bad.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.SHARD_DOWN);
        assertThat(r.out()).contains("valid, 3 shards");
        assertThat(r.out().lines().filter(l -> l.startsWith("s0 ")).findFirst().orElseThrow()).contains(" up ");
        assertThat(r.out().lines().filter(l -> l.startsWith("s1 ")).findFirst().orElseThrow())
                .contains("DOWN: shard s1: cannot create database file " + dir.resolve("blocker/s1.db"));
        assertThat(r.out().lines().filter(l -> l.startsWith("s2 ")).findFirst().orElseThrow())
                .contains("DOWN: shard s2: database file " + dir.resolve("gone/s2.db") + " does not exist");
        assertThat(r.err()).isEqualTo("error: 2 of 3 shards are down\n");
        assertThat(Files.exists(dir.resolve("gone"))).as("check creates nothing").isFalse();
    }

    /** Issue 11: a bad pool number is a map error with its path and line: exit 2, not a connection failure. */
    @Test
    void i11_21_aBadPoolNumberIsAMapErrorExit2() throws Exception {
        Path bad = dir.resolve("bad-pool.yaml");
        Files.writeString(bad, "shards:\n  - {name: s0, url: \"jdbc:sqlite:" + dir.resolve("s0.db") + "\"}\n"
                + "pool:\n  maximumPoolSize: -5\n");
        Result r = run("", "check", "-c", bad.toString());
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).isEqualTo("error: invalid shard map " + bad + ": pool.maximumPoolSize: pool setting"
                + " 'maximumPoolSize' must be at least 1, got -5 (line 4) (SQLState F0000)\n");
    }

    /** Issue 11: 2,000 nested lists are one map error, not a crash. */
    @Test
    void i11_20_aDeeplyNestedMapIsOneErrorNotACrash() throws Exception {
        Path bad = dir.resolve("nested.yaml");
        Files.writeString(bad, "shards: " + "[".repeat(2000) + "\n");
        Result r = run("", "check", "-c", bad.toString());
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).startsWith("error: invalid shard map " + bad + ": shards[0][0]")
                .contains("nested deeper than 64 levels").endsWith("(line 1) (SQLState F0000)\n");
    }

    /**
     * Issue 11: a password of every awkward character, in the password key and in the URL (user info
     * and parameter forms), never reaches check's output or the CLI's errors.
     */
    @Test
    void i11_24_checkAndErrorsNeverPrintAPassword() throws Exception {
        String password = "Zq/@;?&=:%'\" \\üé€😀#Xw";
        String yamlPassword = password.replace("'", "''");
        String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8);
        Path secret = dir.resolve("secret.yaml");
        Files.writeString(secret, """
                shards:
                  - {name: s0, url: "jdbc:sqlite:%1$s/s0.db", password: '%2$s'}
                  - {name: pg, url: 'jdbc:postgresql://127.0.0.1:1/app?connectTimeout=1', user: bob, password: '%2$s'}
                  - {name: pq, url: 'jdbc:postgresql://127.0.0.1:1/app?user=bob&password=%3$s&connectTimeout=1'}
                  - {name: my, url: 'jdbc:mysql://bob:%2$s@127.0.0.1:1/app'}
                tables:
                  players: {key: player_id, strategy: {type: mod, shards: [s0]}}
                """.formatted(dir, yamlPassword, encoded));
        Result check = run("", "check", "-c", secret.toString(), "--timeout", "2");
        assertThat(check.code()).as(check.err()).isEqualTo(Main.SHARD_DOWN);
        assertThat(check.out()).contains("pg ", "pq ", "my ", "***");
        Result shards = run("\\shards\n", "sql", "-c", secret.toString());
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "shards:\n  - {name: s0, url: 'jdbc:postgresq://bob:" + yamlPassword
                + "@127.0.0.1:1/app?password=" + encoded + "'}\n");
        Result mistyped = run("", "check", "-c", typo.toString(), "--verbose");
        assertThat(mistyped.code()).isEqualTo(Main.USAGE);
        assertThat(mistyped.err()).contains("no JDBC driver on the class path accepts 'jdbc:postgresq://bob:***@");
        for (Result r : new Result[] {check, shards, mistyped}) {
            String all = r.out() + r.err();
            for (String form : new String[] {password, encoded}) {
                for (int i = 0; i + 5 <= form.length(); i++) {
                    assertThat(all).as("shows '" + form.substring(i, i + 5) + "' of the password").doesNotContain(
                            form.substring(i, i + 5));
                }
            }
        }
    }

    @Test
    void passwordsInUrlsAreHidden() {
        assertThat(CheckCommand.hidePassword("jdbc:postgresql://db:5432/app?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=u&password=***&ssl=true");
        assertThat(CheckCommand.hidePassword("jdbc:mysql://root:hunter2@db/app")).isEqualTo("jdbc:mysql://root:***@db/app");
        assertThat(CheckCommand.hidePassword("jdbc:sqlite:data/s0.db")).isEqualTo("jdbc:sqlite:data/s0.db");
    }

    /**
     * Issue 12: every subcommand's --help (and shardkit help COMMAND) printed "Missing required
     * option" or "Unknown option" instead of the usage.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sql", "explain", "check", "archive", "demo", "reshard"})
    void i12_cli_everySubcommandPrintsItsUsage(String command) {
        for (String[] args : new String[][] {{command, "--help"}, {command, "-h"}, {"help", command}}) {
            Result r = run("", args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
            assertThat(r.out()).as(String.join(" ", args))
                    .contains("Usage: shardkit " + command).contains("--help");
            assertThat(r.err()).as(String.join(" ", args)).isEmpty();
        }
    }

    /** Issue 12, bug 3: shardkit check fails when the shards holding a table have different columns. */
    @Test
    void i12_03_checkFailsWhenShardsHoldingATableDiffer(@TempDir Path tmp) throws Exception {
        Path drifted = tmp.resolve("drift.yaml");
        Files.writeString(drifted, """
                shards:
                  - {name: s0, url: "jdbc:sqlite:DIR/s0.db", create: true}
                  - {name: s1, url: "jdbc:sqlite:DIR/s1.db", create: true}
                tables:
                  items:
                    key: id
                    strategy: {type: mod, shards: [s0, s1]}
                """.replace("DIR", tmp.toString()));
        assertThat(run("", "sql", "-c", drifted.toString(), "-e", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
                .code()).isZero();
        assertThat(run("", "check", "-c", drifted.toString()).code()).as("alike").isZero();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("s1.db"));
                Statement st = c.createStatement()) {
            st.execute("ALTER TABLE items ADD COLUMN extra INTEGER");
        }
        Result r = run("", "check", "-c", drifted.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.FAILED);
        assertThat(r.err()).contains("warning: schema drift: table items: shard s1 has [extra INTEGER] that shard s0 has not")
                .contains("error: the shards holding a table have different columns");
    }

    /**
     * Issue 14: check reports tables shaped like a split table's physical names whose suffix the
     * rule never makes, and physical tables on a shard the table's strategy never routes to; as
     * warnings (exit 0), failing only with --strict; tables the map does not name only with --unmapped.
     */
    @Test
    void i14_checkReportsTablesThatMatchNoRule(@TempDir Path tmp) throws Exception {
        Path split = tmp.resolve("split.yaml");
        Files.writeString(split, """
                shards:
                  - {name: s0, url: "jdbc:sqlite:DIR/s0.db", create: true}
                  - {name: s1, url: "jdbc:sqlite:DIR/s1.db", create: true}
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1]}
                    split: {as: {type: mod, count: 16}, name: "matches_{n:02}"}
                  photos:
                    key: album_key
                    shard: s0
                    split: {as: {type: md5, chars: 2}, name: "photos_{hex}"}
                  orders:
                    key: customer_id
                    strategy: {type: hash, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                """.replace("DIR", tmp.toString()));
        Result created = run("", "sql", "-c", split.toString(), "-e", "CREATE TABLE matches (player_id INTEGER, score INTEGER)");
        assertThat(created.code()).as(created.err()).isZero();
        Result clean = run("", "check", "-c", split.toString(), "--strict");
        assertThat(clean.code()).as(clean.err()).isZero();
        assertThat(clean.err()).doesNotContain("warning: table");
        for (String[] t : new String[][] {{"s0", "photos_zz"}, {"s0", "photos_a3"}, {"s0", "orders_202611"},
                {"s0", "orders_2026"}, {"s1", "matches_17"}, {"s1", "photos_a3"}, {"s1", "orders_202611"},
                {"s1", "notes"}}) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve(t[0] + ".db"));
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE " + t[1] + " (id INTEGER)");
            }
        }
        Result r = run("", "check", "-c", split.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains(
                "warning: table: s1: matches_17 matches no rule: matches is split by player_id mod 16 into matches_00..matches_15",
                "warning: table: s0: photos_zz matches no rule: photos is split by album_key md5",
                "into photos_00..photos_ff",
                "warning: table: s1: photos_a3 is a physical table of photos on a shard its strategy never routes to (all rows on s0)",
                "warning: table: s0: orders_2026 matches no rule: orders is split by created_at month")
                .doesNotContain("s0: photos_a3", "orders_202611", "s0: matches_", "notes", "error:");
        Result strict = run("", "check", "-c", split.toString(), "--strict", "--unmapped");
        assertThat(strict.code()).as(strict.err()).isEqualTo(Main.FAILED);
        assertThat(strict.err()).contains("warning: table: s1: notes is not in the map",
                "error: 5 tables match no rule of the map (--strict)");
    }
}
