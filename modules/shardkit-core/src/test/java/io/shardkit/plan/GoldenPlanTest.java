package io.shardkit.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.config.ShardSpec;
import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.Strategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden files pin {@code sql → explain}: for every {@code plans/NAME.sql} (an optional last line
 * {@code -- params: v1, v2} binds parameters) the explain text must equal {@code plans/NAME.plan}.
 * Run with {@code -Dshardkit.golden.update=true} to rewrite the .plan files after an intended
 * change, then review the diff.
 */
class GoldenPlanTest {
    static ShardedDataSource ds;

    @BeforeAll
    static void open(@TempDir Path dir) throws Exception {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) {
            b.shard(ShardSpec.of("s" + i, "jdbc:sqlite:" + dir.resolve("s" + i + ".db")).withCreate(true));
        }
        ds = b.sharded("players", "player_id", Strategies.mod("s0", "s1", "s2", "s3"))
                .sharded("matches", "player_id", Strategies.mod("s0", "s1", "s2", "s3"))
                .broadcast("items")
                .build();
    }

    @AfterAll
    static void close() {
        ds.close();
    }

    static Path plans() {
        return Path.of(System.getProperty("shardkit.repo.root", "../.."), "modules/shardkit-core/src/test/resources/plans");
    }

    @TestFactory
    Stream<DynamicTest> everyGoldenPlanMatches() throws IOException {
        List<Path> sqlFiles;
        try (Stream<Path> files = Files.list(plans())) {
            sqlFiles = files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(sqlFiles).as("golden plan files").hasSizeGreaterThanOrEqualTo(15);
        boolean update = Boolean.getBoolean("shardkit.golden.update");
        return sqlFiles.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            List<Object> params = new ArrayList<>();
            StringBuilder sql = new StringBuilder();
            for (String line : lines) {
                if (line.startsWith("-- params:")) {
                    for (String v : line.substring("-- params:".length()).split(",")) {
                        params.add(Long.parseLong(v.strip()));
                    }
                } else if (!line.isBlank()) {
                    sql.append(sql.length() == 0 ? "" : "\n").append(line);
                }
            }
            String actual = ds.explain(sql.toString(), params.toArray()).toString();
            Path golden = file.resolveSibling(file.getFileName().toString().replace(".sql", ".plan"));
            if (update) {
                Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertThat(Files.exists(golden)).as(golden + " exists (run with -Dshardkit.golden.update=true)").isTrue();
            assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
        }));
    }
}
