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

/**
 * Issue 11: {@code shardkit check} asks a read-only shard's database whether it refuses writes from
 * the pool's user: an archive reached as the superuser fails the check (exit 1, the reason on
 * stderr), one reached as a user with SELECT only passes.
 */
@PostgresShards
class CliReadOnlyCheckTest {

    @Test
    void i11_a11_checkVerifiesReadOnlyAtTheDatabase(ShardSet shards, @TempDir Path dir) throws Exception {
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            // the hot tier holds the table too: check also fails when the tiers' columns differ
            st.execute("CREATE TABLE IF NOT EXISTS orders (order_id BIGINT PRIMARY KEY)");
        }
        try (Connection c = shards.open(1); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE sk_cli_reader LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            st.execute("CREATE TABLE IF NOT EXISTS orders (order_id BIGINT PRIMARY KEY)");
            st.execute("GRANT USAGE ON SCHEMA public TO sk_cli_reader");
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO sk_cli_reader");
        }
        String tables = """
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [s0]}
                    archive: {shards: [s1]}
                """;
        String hot = "shards:\n  - name: s0\n    url: \"" + shards.url(0) + "\"\n    user: " + shards.user() + "\n";
        Path superuser = dir.resolve("superuser.yaml");
        Files.writeString(superuser, hot + "  - name: s1\n    url: \"" + shards.url(1) + "\"\n    user: " + shards.user()
                + "\n    readOnly: true\n    tier: archive\n" + tables);
        CliTest.Result bad = CliTest.run("", "check", "-c", superuser.toString());
        assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(Main.FAILED);
        assertThat(bad.out()).contains("up (read-only in shardkit only)");
        assertThat(bad.err()).contains("warning: read-only shard s1: user is a superuser",
                "error: read-only shards whose database lets their user write");

        Path reader = dir.resolve("reader.yaml");
        Files.writeString(reader, hot + "  - name: s1\n    url: \"" + shards.url(1) + "\"\n    user: sk_cli_reader"
                + "\n    readOnly: true\n    tier: archive\n" + tables);
        CliTest.Result ok = CliTest.run("", "check", "-c", reader.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("up (read-only at the database)");
    }
}
