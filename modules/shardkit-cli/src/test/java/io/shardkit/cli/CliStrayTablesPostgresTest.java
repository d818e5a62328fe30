package io.shardkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.testing.PostgresShards;
import io.shardkit.testing.ShardSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14: {@code shardkit check} reads PostgreSQL's catalog (the connection's schema) for tables that match no rule. */
@PostgresShards
class CliStrayTablesPostgresTest {

    @Test
    void i14_checkReportsTablesThatMatchNoRuleOnPostgres(ShardSet shards, @TempDir Path dir) throws Exception {
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (String t : new String[] {"strayck_0", "strayck_1", "strayck_2", "strayck_3", "strayck_9"}) {
                    st.execute("DROP TABLE IF EXISTS " + t);
                }
            }
        }
        Path map = dir.resolve("pg.yaml");
        Files.writeString(map, "shards:\n"
                + "  - {name: s0, url: \"" + shards.url(0) + "\", user: " + shards.user() + "}\n"
                + "  - {name: s1, url: \"" + shards.url(1) + "\", user: " + shards.user() + "}\n"
                + "tables:\n"
                + "  strayck:\n"
                + "    key: id\n"
                + "    strategy: {type: mod, shards: [s0, s1]}\n"
                + "    split: {as: {type: mod, count: 4}, name: \"strayck_{n}\"}\n");
        CliTest.Result created = CliTest.run("", "sql", "-c", map.toString(), "-e", "CREATE TABLE strayck (id BIGINT)");
        assertThat(created.code()).as(created.err()).isZero();
        try (Connection c = shards.open(1); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE strayck_9 (id BIGINT)");
        }
        CliTest.Result r = CliTest.run("", "check", "-c", map.toString(), "--strict");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(Main.FAILED);
        assertThat(r.err()).contains("warning: table: s1: strayck_9 matches no rule: strayck is split by id mod 4 into"
                + " strayck_0..strayck_3", "error: 1 tables match no rule of the map (--strict)")
                .doesNotContain("s0: strayck");
    }
}
