package io.shardkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell through a real pseudo-terminal (util-linux {@code script} runs the CLI in
 * a JVM of its own with a pty as its console, so the shell reads through JLine as a user's does).
 * Issue 12: JLine's default parser dropped the backslash of a meta command, so
 * {@code \explain SELECT ...} typed without {@code ;} waited for a continuation line and later went
 * to the shards as SQL; {@code \q} did not quit.
 */
class TerminalShellTest {
    @TempDir
    Path dir;

    @Test
    void i12_cli_metaCommandsEndAtTheEndOfTheirLineInARealTerminal() throws Exception {
        Path script = Path.of("/usr/bin/script");
        assumeTrue(Files.isExecutable(script), "util-linux script(1) gives the shell a pseudo-terminal");
        Path map = dir.resolve("map.yaml");
        Files.writeString(map, """
                shards:
                  - {name: s0, url: "jdbc:sqlite:DIR/s0.db", create: true}
                  - {name: s1, url: "jdbc:sqlite:DIR/s1.db", create: true}
                tables:
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1]}
                """.replace("DIR", dir.toString()));
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + javaBin + "' -cp '" + classPath + "' io.shardkit.cli.Main sql -c '" + map + "'";
        Process p = new ProcessBuilder(script.toString(), "-qfec", command, "/dev/null").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT);\n"
                    + "\\explain SELECT name FROM players WHERE player_id = 5\n"
                    + "SELECT 42 AS answer WHERE 1 != 2;\n"
                    + "\\q\n").getBytes(StandardCharsets.UTF_8));
        }
        // read on another thread: a shell that does not quit must fail the test, not hang it
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getInputStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).replace("\r", "");
        assertThat(ended).as("the shell quits on \\q:\n" + text).isTrue();
        assertThat(text).as(text).contains("Route s1: SELECT name FROM players WHERE player_id = 5")
                .contains("answer").contains("(1 row)").doesNotContain("cannot parse").doesNotContain("killed");
        assertThat(p.exitValue()).as(text).isZero();
    }
}
