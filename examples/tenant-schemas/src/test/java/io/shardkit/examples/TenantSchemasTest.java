package io.shardkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.examples.TenantSchemas.Options;
import io.shardkit.testing.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the notes service on an ephemeral port over a fresh database and drives it over HTTP:
 * concurrent clients for random tenants must only ever get their own tenant's notes (each row's
 * {@code tenant} column comes from its schema's default, each text starts with its tenant's
 * marker), requests without a usable tenant are refused, and afterwards each tenant's schema,
 * read directly with JDBC, holds exactly the notes posted for it. The default schema's decoy row
 * must never appear and never gain company.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantSchemasTest {
    static final String DATABASE = "tenant_schemas_test";
    static final int THREADS = 8;
    static final int REQUESTS = 50;
    /** A note as the service prints it; texts here hold no quotes or backslashes. */
    static final Pattern NOTE = Pattern.compile("\\{\"id\":(\\d+),\"tenant\":\"([^\"]*)\",\"text\":\"([^\"]*)\"}");

    record Note(long id, String tenant, String text) {
    }

    EmbeddedPostgres pg;
    ShardedDataSource ds;
    NotesServer server;
    HttpClient http;

    @BeforeAll
    void start() throws Exception {
        pg = EmbeddedPostgres.get();
        ds = TenantSchemas.open(pg, DATABASE, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        server = NotesServer.start(ds, 0, THREADS);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stop() throws SQLException {
        if (server != null) {
            server.close();
        }
        if (ds != null) {
            ds.close();
        }
        pg.dropDatabase(DATABASE);
    }

    @Test
    void concurrentClientsOnlyEverSeeTheirOwnTenantsNotes() throws Exception {
        Map<String, List<String>> before = new HashMap<>();
        for (String t : TenantSchemas.TENANTS) {
            before.put(t, rows("tenant_" + t, t));
        }
        Map<String, ConcurrentLinkedQueue<String>> posted = new ConcurrentHashMap<>();
        for (String t : TenantSchemas.TENANTS) {
            posted.put(t, new ConcurrentLinkedQueue<>());
        }
        Map<String, Integer> kinds = new ConcurrentHashMap<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < THREADS; w++) {
                int worker = w;
                done.add(clients.submit((Callable<Void>) () -> {
                    go.await();
                    client(worker, posted, kinds);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS); // an assertion failed in a client thread fails here
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(kinds.keySet()).as("request kinds sent")
                .containsExactlyInAnyOrder("post", "list", "whoami", "missing", "unknown", "invalid");

        for (String t : TenantSchemas.TENANTS) {
            List<String> expected = new ArrayList<>(before.get(t));
            expected.addAll(posted.get(t));
            assertThat(rows("tenant_" + t, t)).as("notes in schema tenant_" + t).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(rows("public", "public")).as("the default schema's notes").containsExactly(TenantSchemas.DECOY);
    }

    /** One client's requests: posts, lists and whoami for random tenants, and a refused request now and then. */
    private void client(int worker, Map<String, ConcurrentLinkedQueue<String>> posted, Map<String, Integer> kinds)
            throws Exception {
        Random random = new Random(1000 + worker);
        Map<String, List<String>> mine = new HashMap<>();
        for (int i = 0; i < REQUESTS; i++) {
            String t = TenantSchemas.TENANTS.get(random.nextInt(TenantSchemas.TENANTS.size()));
            int kind = random.nextInt(20);
            if (kind < 9) {
                String text = "[" + t + "] client " + worker + " note " + i;
                HttpResponse<String> r = send("POST", "/notes", t, text);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                List<Note> notes = notes(r.body());
                assertThat(notes).hasSize(1);
                assertThat(notes.get(0).tenant()).as(r.body()).isEqualTo(t);
                assertThat(notes.get(0).text()).isEqualTo(text);
                posted.get(t).add(text);
                mine.computeIfAbsent(t, k -> new ArrayList<>()).add(text);
                kinds.merge("post", 1, Integer::sum);
            } else if (kind < 16) {
                HttpResponse<String> r = send("GET", "/notes", t, null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                List<Note> notes = notes(r.body());
                List<String> texts = new ArrayList<>();
                for (Note n : notes) {
                    assertThat(n.tenant()).as("a note listed for " + t + ": " + n).isEqualTo(t);
                    assertThat(n.text()).as("a note listed for " + t).startsWith("[" + t + "] ");
                    texts.add(n.text());
                }
                assertThat(notes).isNotEmpty();
                assertThat(texts).as("this client's own earlier notes of " + t)
                        .containsAll(mine.getOrDefault(t, List.of()));
                kinds.merge("list", 1, Integer::sum);
            } else if (kind < 18) {
                HttpResponse<String> r = send("GET", "/whoami", t, null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                assertThat(r.body()).startsWith("{\"tenant\":\"" + t + "\",\"schema\":\"tenant_" + t + "\",\"notes\":")
                        .doesNotContain("[public]");
                for (String login : TenantSchemas.ACCOUNTS.get(t)) {
                    assertThat(r.body()).contains("\"" + login + "\"");
                }
                kinds.merge("whoami", 1, Integer::sum);
            } else {
                String[] bad = {null, "umbrella", "Globex"};
                String[] kindName = {"missing", "unknown", "invalid"};
                int b = (i + worker) % 3;
                boolean post = random.nextBoolean();
                HttpResponse<String> r = send(post ? "POST" : "GET", "/notes", bad[b], post ? "[" + t + "] lost" : null);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(b == 1 ? 404 : 400);
                assertThat(r.body()).startsWith("{\"error\":").doesNotContain("\"notes\"", "\"note\"");
                kinds.merge(kindName[b], 1, Integer::sum);
            }
        }
    }

    @Test
    void requestsWithoutAKnownTenantAreRefused() throws Exception {
        HttpResponse<String> missing = send("GET", "/notes", null, null);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).isEqualTo("{\"error\":\"missing header X-Tenant: every request names its tenant\"}");
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");

        assertThat(send("GET", "/whoami", " ", null).statusCode()).isEqualTo(400);

        HttpResponse<String> unknown = send("POST", "/notes", "umbrella", "[umbrella] hello");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"unknown tenant 'umbrella'\"}");

        HttpResponse<String> invalid = send("GET", "/notes", "tenant_acme\"; DROP SCHEMA public", null);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("is not a plain identifier");

        HttpResponse<String> upper = send("GET", "/notes", "ACME", null);
        assertThat(upper.statusCode()).as("names are lower case, never folded to a known tenant").isEqualTo(400);

        HttpResponse<String> empty = send("POST", "/notes", "acme", "   ");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(empty.body()).contains("a note is 1 to " + NotesServer.MAX_TEXT + " characters");

        assertThat(send("GET", "/other", "acme", null).statusCode()).isEqualTo(404);
        assertThat(send("DELETE", "/notes", "acme", null).statusCode()).isEqualTo(405);

        try (Connection c = direct(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM pg_catalog.pg_namespace WHERE nspname = 'tenant_umbrella'")) {
            rs.next();
            assertThat(rs.getLong(1)).as("an unknown tenant's request makes no schema").isZero();
        }
    }

    /** The program as {@code exec:java} runs it: its own database, the scripted session, then it returns. */
    @Test
    void scriptedSessionShowsEachTenantOnlyItsOwnNotes(@TempDir Path dir) throws Exception {
        String database = "tenant_schemas_run";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> transcript;
        try {
            transcript = TenantSchemas.run(new Options(dir, database, false, 0),
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
        } finally {
            pg.dropDatabase(database);
        }
        assertThat(transcript).hasSize(2 * TenantSchemas.SESSION.size());
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < TenantSchemas.SESSION.size(); i++) {
            TenantSchemas.Step step = TenantSchemas.SESSION.get(i);
            String response = transcript.get(2 * i + 1);
            statuses.add(Integer.parseInt(response.substring(2, 5)));
            assertThat(response).doesNotContain("[public]");
            if (step.tenant() != null && TenantSchemas.TENANTS.contains(step.tenant())) {
                Matcher m = Pattern.compile("\"tenant\":\"([^\"]*)\"").matcher(response);
                while (m.find()) {
                    assertThat(m.group(1)).as(response).isEqualTo(step.tenant());
                }
            }
        }
        assertThat(statuses).containsExactly(200, 200, 201, 200, 200, 400, 404, 400);
        assertThat(transcript.get(1)).contains("\"schema\":\"tenant_acme\"", "\"ann@acme.example\"", "\"bo@acme.example\"");
        assertThat(transcript.get(7)).contains("[globex] survey the hammock district", "[globex] ship the Q3 widgets");
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("tenant_globex.notes  2 notes, 0 of another tenant")
                .contains("public.notes         1 note, 0 of another tenant");
    }

    private HttpResponse<String> send(String method, String path, String tenant, String body) throws Exception {
        URI uri = server.uri().resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            b.header(NotesServer.TENANT_HEADER, tenant);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Every note in a response; fails when a note is not in the expected shape (counted by its ids). */
    private static List<Note> notes(String json) {
        List<Note> out = new ArrayList<>();
        Matcher m = NOTE.matcher(json);
        while (m.find()) {
            out.add(new Note(Long.parseLong(m.group(1)), m.group(2), m.group(3)));
        }
        int ids = json.split("\"id\":", -1).length - 1;
        assertThat(out).as("notes parsed from " + json).hasSize(ids);
        return out;
    }

    private Connection direct() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl(DATABASE), pg.user(), pg.password());
    }

    /** The texts of {@code schema.notes}, read directly; every row's {@code tenant} must be {@code owner}. */
    private List<String> rows(String schema, String owner) throws SQLException {
        List<String> texts = new ArrayList<>();
        try (Connection c = direct(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT tenant, text FROM " + schema + ".notes ORDER BY id")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).as("tenant column of a row in " + schema + ".notes").isEqualTo(owner);
                texts.add(rs.getString(2));
            }
        }
        return Collections.unmodifiableList(texts);
    }
}
