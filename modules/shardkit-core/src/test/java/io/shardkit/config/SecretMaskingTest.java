package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardChooser;
import io.shardkit.ShardException;
import io.shardkit.ShardMapException;
import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.CustomStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, secrets: a password of every awkward character never appears in anything shardkit
 * prints or throws: {@link ShardSpec#toString()}, {@link ShardMap#toString()}, map errors, a
 * mistyped driver's error (at validation and when a runtime shard's pool cannot start), a driver's
 * connection error, and what is logged meanwhile. Each URL form carries it: user info, {@code ?password=},
 * {@code &password=}, {@code ;password=}, {@code :password=}, {@code pwd}, {@code passwd}, braces and
 * percent-encoding.
 */
public class SecretMaskingTest {
    /** Every character that has broken a masking regex: / @ ; ? & = : % quotes, space, backslash, unicode. */
    static final String PASSWORD = "Zq/@;?&=:%'\" \\üé€😀#{}Xw";
    /** Without the two characters that end a URL parameter for the driver too. */
    static final String QUERY_SAFE = PASSWORD.replace("&", "").replace(";", "").replace("}", "");

    static List<String> urls() {
        String enc = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        return List.of(
                "jdbc:postgresql://bob:" + PASSWORD + "@127.0.0.1:1/app",
                "jdbc:mysql://bob:" + PASSWORD + "@127.0.0.1:1/app?ssl=false",
                "jdbc:postgresql://127.0.0.1:1/app?user=bob&password=" + enc + "&ssl=false",
                "jdbc:postgresql://127.0.0.1:1/app?password=" + enc,
                "jdbc:postgresql://127.0.0.1:1/app?password=" + QUERY_SAFE,
                "jdbc:postgresql://127.0.0.1:1/app?user=bob&password=" + QUERY_SAFE + "&ssl=false",
                "jdbc:sqlserver://127.0.0.1:1;user=bob;password={" + PASSWORD.replace("}", "") + "};db=app",
                "jdbc:sqlserver://127.0.0.1:1;user=bob;password=" + QUERY_SAFE,
                "jdbc:db2://127.0.0.1:1/app:user=bob;password=" + QUERY_SAFE + ";",
                "jdbc:mariadb://127.0.0.1:1/app?user=bob&pwd=" + enc,
                "jdbc:mariadb://127.0.0.1:1/app?user=bob&passwd=" + QUERY_SAFE,
                "jdbc:postgresql://127.0.0.1:1/app?sslpassword=" + enc + "&password=" + enc,
                "jdbc:oracle:thin:bob/" + PASSWORD + "@127.0.0.1:1/app",
                "jdbc:mysql://bob:" + enc + "@127.0.0.1:1/app");
    }

    /** No 5-character run of the password (raw, or percent-encoded) appears in {@code text}. */
    static void assertNoSecret(String what, String text) {
        List<String> forms = List.of(PASSWORD, QUERY_SAFE, URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8),
                PASSWORD.replace("}", ""));
        for (String form : forms) {
            for (int i = 0; i + 5 <= form.length(); i++) {
                String piece = form.substring(i, i + 5);
                assertThat(text).as(what + " shows '" + piece + "' of the password:\n" + text).doesNotContain(piece);
            }
        }
    }

    @Test
    void i11_24_maskUrlHidesEveryForm() {
        for (String url : urls()) {
            String masked = Secrets.maskUrl(url);
            assertNoSecret(url, masked);
            assertThat(masked).as(url).contains(Secrets.MASK).startsWith(url.substring(0, url.indexOf(':', 5) + 1));
        }
        assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/app?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/app?user=u&password=***&ssl=true");
        assertThat(Secrets.maskUrl("jdbc:mysql://root:hunter2@db/app")).isEqualTo("jdbc:mysql://root:***@db/app");
        assertThat(Secrets.maskUrl("jdbc:sqlserver://h;user=u;Password={a;b};db=x")).isEqualTo("jdbc:sqlserver://h;user=u;Password=***;db=x");
        assertThat(Secrets.maskUrl("jdbc:sqlite:data/s0.db")).isEqualTo("jdbc:sqlite:data/s0.db");
        assertThat(Secrets.maskUrl("jdbc:sqlite:/data/a@b.db")).isEqualTo("jdbc:sqlite:/data/a@b.db");
        assertThat(Secrets.maskUrl("jdbc:oracle:thin:scott/tiger@db:1521/app")).isEqualTo("jdbc:oracle:thin:scott/***@db:1521/app");
        assertThat(Secrets.maskUrl("jdbc:postgresql://db:5432/app?user=u")).isEqualTo("jdbc:postgresql://db:5432/app?user=u");
    }

    @Test
    void i11_24_toStringOfShardSpecAndShardMapShowNoPassword() {
        List<ShardSpec> shards = new ArrayList<>();
        int i = 0;
        for (String url : urls()) {
            shards.add(ShardSpec.of("s" + i++, url).withCredentials("bob", PASSWORD)
                    .withProperties(Map.of("password", PASSWORD, "sslpassword", PASSWORD)));
        }
        ShardMap map = new ShardMap(shards, Map.of(), Map.of(), "s0");
        for (ShardSpec s : shards) {
            assertNoSecret("ShardSpec.toString", s.toString());
            assertThat(s.toString()).contains("password ***");
        }
        assertNoSecret("ShardMap.toString", map.toString());
    }

    @Test
    void i11_24_mapErrorsShowNoPassword() {
        StringBuilder yaml = new StringBuilder("shards:\n");
        int i = 0;
        for (String url : urls()) {
            // a mistyped driver name: no driver accepts it, and the error quotes the URL
            yaml.append("  - name: s").append(i++).append("\n    url: '")
                    .append(url.replace("jdbc:", "jdbc:x").replace("'", "''")).append("'\n");
        }
        yaml.append("  - name: plain\n    url: '").append(PASSWORD.replace("'", "''")).append("'\n");
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> YamlShardMap.load(
                new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)), "m.yaml", k -> null));
        assertThat(e.problems()).hasSize(urls().size() + 1);
        assertThat(e.problems().get(0)).contains("no JDBC driver on the class path accepts 'jdbc:xpostgresql://bob:***@");
        // the last one is not a URL at all: "malformed" quotes it, masked as free text would be only if it
        // looked like one, so a password typed into the url field is not a case masking can know
        for (int j = 0; j < urls().size(); j++) {
            assertNoSecret("map error", e.problems().get(j));
        }
    }

    /**
     * Runtime shards whose pools cannot start (a driver no one registered, a port nobody listens
     * on): the errors name the shard and show no password, and neither does anything logged.
     */
    @Test
    void i11_24_driverAndPoolErrorsShowNoPassword(@TempDir Path dir)
            throws Exception {
        PrintStream err = System.err;
        PrintStream out = System.out;
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        StringWriter traces = new StringWriter();
        List<String> messages = new ArrayList<>();
        try (PrintStream capture = new PrintStream(logs, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            System.setOut(capture);
            try (ShardedDataSource ds = ShardedDataSource.builder()
                    .shard(ShardSpec.of("main", "jdbc:sqlite:" + dir.resolve("m.db")).withCreate(true))
                    .pool("connectionTimeout", 1000)
                    .build()) {
                int i = 0;
                for (String url : urls()) {
                    String name = "r" + i++;
                    String typo = url.replace("jdbc:", "jdbc:x");
                    for (String u : List.of(url, typo)) {
                        ds.shards().open(ShardSpec.of(name, u).withCredentials("bob", PASSWORD)
                                .withProperties(Map.of("password", PASSWORD)));
                        SQLException e = catchThrowableOfType(SQLException.class, () -> {
                            try (Connection c = ds.connectionTo(name); Statement st = c.createStatement()) {
                                st.execute("SELECT 1");
                            }
                        });
                        assertThat((Throwable) e).as(u).isNotNull();
                        assertThat(e.getMessage()).as(u).contains(name);
                        messages.add(e.getMessage());
                        e.printStackTrace(new PrintWriter(traces));
                        ds.shards().close(name);
                    }
                }
            }
        } finally {
            System.setErr(err);
            System.setOut(out);
        }
        for (String m : messages) {
            assertNoSecret("error", m);
        }
        assertThat(messages).anyMatch(m -> m.contains("its connection pool cannot start"));
        assertNoSecret("stack traces", traces.toString());
        assertNoSecret("logs", logs.toString(StandardCharsets.UTF_8));
    }

    @Test
    void i11_24_aChoosersSecretPropsAreMaskedInItsDescription() {
        CustomStrategy s = new CustomStrategy(
                (ShardChooser) (table, key) -> null, List.of("s0"),
                Map.of("apiToken", PASSWORD, "region", "eu"));
        assertNoSecret("describe", s.describe());
        assertThat(s.describe()).contains("apiToken=***", "region=eu");
    }

    @Test
    void i11_24_freeTextMaskingScrubsTheShardsSecrets() {
        ShardSpec spec = ShardSpec.of("s0", "jdbc:postgresql://bob:" + PASSWORD + "@h/app").withCredentials("bob", PASSWORD);
        String driverMessage = "FATAL: password authentication failed for user bob (tried '" + PASSWORD + "') at "
                + spec.url() + " and " + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        String masked = Secrets.mask(driverMessage, spec);
        assertNoSecret("masked message", masked);
        assertThat(masked).startsWith("FATAL: password authentication failed for user bob");
        assertThat(ShardException.fromShard("s0", null, new SQLException(masked)).getMessage()).startsWith("shard s0: ");
    }
}
