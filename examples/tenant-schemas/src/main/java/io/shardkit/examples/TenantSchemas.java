package io.shardkit.examples;

import io.shardkit.ShardedDataSource;
import io.shardkit.TenantDataSource;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.Tenancy;
import io.shardkit.testing.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A notes service with a schema per tenant on one PostgreSQL database. Each tenant's notes live in
 * its own schema ({@code tenant_acme.notes}, {@code tenant_globex.notes}, ...), every tenant's logins
 * in one shared table, {@code public.accounts}. The HTTP service ({@link NotesServer}) takes the
 * tenant from the {@code X-Tenant} header of each request and runs unqualified SQL through
 * {@code ds.forTenant(name)}; shardkit's rewrite mode puts each statement in that tenant's schema.
 *
 * <p>The program makes the database afresh (embedded PostgreSQL, or the server named by
 * {@code SHARDKIT_PG_URL}), creates three tenants with {@code ds.tenants().create}, starts the
 * service on an ephemeral port of 127.0.0.1, plays a short scripted client session against it
 * (printing each request and response), shows what each schema holds, and exits. With
 * {@code --serve} it keeps serving instead, prints the URL and writes it to {@code <dir>/server.url}.
 *
 * <p>Run from the repository root: {@code mvn -q -B -f examples/tenant-schemas exec:java}, or
 * {@code -Dexec.args="--serve --port 8080"}. Options: {@code --database} (default
 * {@value #DATABASE}), {@code --dir} (default: the system property {@code example.dir}, else
 * {@code target/tenant-schemas}).
 */
public final class TenantSchemas {
    static final String DATABASE = "tenant_schemas";
    static final String SHARD = "main";
    static final List<String> TENANTS = List.of("acme", "globex", "initech");
    /** Each tenant's logins, in the shared table. */
    static final Map<String, List<String>> ACCOUNTS = Map.of(
            "acme", List.of("ann@acme.example", "bo@acme.example"),
            "globex", List.of("hank@globex.example"),
            "initech", List.of("milton@initech.example", "peter@initech.example"));
    /** Each tenant's first notes; every note's text starts with its tenant's marker, {@code [acme] }. */
    static final Map<String, List<String>> NOTES = Map.of(
            "acme", List.of("[acme] order more anvils", "[acme] test the rocket skates"),
            "globex", List.of("[globex] survey the hammock district"),
            "initech", List.of("[initech] new cover sheets for the TPS reports", "[initech] find the red stapler"));
    /** The default schema's decoy row: no tenant's answer may ever contain it. */
    static final String DECOY = "[public] a tenant reading this fell back to the default schema";

    public record Options(Path dir, String database, boolean serve, int port) {
        public static Options parse(String... args) {
            Path dir = Path.of(System.getProperty("example.dir", "target/tenant-schemas"));
            String database = DATABASE;
            boolean serve = false;
            int port = 0;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--serve")) {
                    serve = true;
                    continue;
                }
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String v = args[++i];
                switch (option) {
                    case "--dir" -> dir = Path.of(v);
                    case "--database" -> database = v;
                    case "--port" -> port = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + option
                            + " (known: --serve, --port, --database, --dir)");
                }
            }
            return new Options(dir, database, serve, port);
        }
    }

    /** One request of the scripted session; {@code tenant} null sends no {@value NotesServer#TENANT_HEADER} header. */
    record Step(String method, String path, String tenant, String body) {
    }

    static final List<Step> SESSION = List.of(
            new Step("GET", "/whoami", "acme", null),
            new Step("GET", "/notes", "acme", null),
            new Step("POST", "/notes", "globex", "[globex] ship the Q3 widgets"),
            new Step("GET", "/notes", "globex", null),
            new Step("GET", "/whoami", "initech", null),
            new Step("GET", "/notes", null, null),
            new Step("GET", "/notes", "umbrella", null),
            new Step("GET", "/notes", "Acme; DROP SCHEMA public", null));

    private TenantSchemas() {
    }

    public static void main(String[] args) throws Exception {
        run(Options.parse(args), System.out);
    }

    /**
     * Sets up, serves and (without {@code --serve}) plays the scripted session, returning its
     * transcript; with {@code --serve} it never returns. PostgreSQL, when embedded, is stopped by
     * its shutdown hook as the JVM exits.
     */
    public static List<String> run(Options o, PrintStream out) throws SQLException, IOException, InterruptedException {
        EmbeddedPostgres pg = EmbeddedPostgres.get();
        out.println("tenant-schemas: PostgreSQL " + (pg.isExternal() ? "from SHARDKIT_PG_URL" : "embedded") + " at "
                + pg.adminUrl() + ", database " + o.database());
        try (ShardedDataSource ds = open(pg, o.database(), out);
                NotesServer server = NotesServer.start(ds, o.port(), 8)) {
            out.println("notes service on " + server.uri() + " (tenant from header " + NotesServer.TENANT_HEADER + ")");
            if (o.serve()) {
                Files.createDirectories(o.dir());
                Files.writeString(o.dir().resolve("server.url"), server.uri() + "\n");
                out.println("serving until stopped (Ctrl-C); try:\n  curl -H '" + NotesServer.TENANT_HEADER + ": acme' "
                        + server.uri() + "notes\n  curl -H '" + NotesServer.TENANT_HEADER + ": globex' -d 'hello' "
                        + server.uri() + "notes");
                Thread.currentThread().join(); // forever: the server's threads do the work
            }
            out.println();
            List<String> transcript = session(server.uri(), out);
            out.println();
            schemas(ds, out);
            return transcript;
        }
    }

    /**
     * Makes database {@code name} afresh and everything in it: the shared {@code public.accounts},
     * a decoy {@code public.notes} in the default schema, and the tenants, each with a schema holding
     * its {@code notes} table and first notes. The caller closes the data source.
     */
    static ShardedDataSource open(EmbeddedPostgres pg, String name, PrintStream out) throws SQLException {
        pg.createDatabase(name);
        ShardedDataSource ds = ShardedDataSource.builder()
                .shard(ShardSpec.of(SHARD, pg.jdbcUrl(name)).withCredentials(pg.user(), pg.password()))
                .defaultShard(SHARD)
                .pool("maximumPoolSize", 8)
                .tenancy(Tenancy.rewrite("tenant_{tenant}").withShared("public.accounts"))
                .build();
        try {
            // A connection without a tenant runs SQL as written, in the default schema.
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE public.accounts (login TEXT PRIMARY KEY, tenant TEXT NOT NULL)");
                st.execute("CREATE TABLE public.notes (id BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL, text TEXT NOT NULL)");
                st.execute("INSERT INTO public.notes (tenant, text) VALUES ('public', '" + DECOY + "')");
            }
            out.println("shared table public.accounts (every tenant's logins); decoy public.notes: 1 row no tenant may see");
            for (String tenant : TENANTS) {
                create(ds, tenant);
                out.println("created tenant " + tenant + ": schema " + ds.forTenant(tenant).schema() + ", "
                        + notes(NOTES.get(tenant).size()) + ", logins " + ACCOUNTS.get(tenant));
            }
            return ds;
        } catch (SQLException | RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * {@code CREATE SCHEMA tenant_<name>}, then the setup on a connection in it, so {@code notes}
     * lands there. The {@code tenant} column's default is fixed per schema: a row names the schema
     * it was written to, whatever the request said.
     */
    private static void create(ShardedDataSource ds, String tenant) throws SQLException {
        TenantDataSource view = ds.tenants().create(tenant, c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE notes (id BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL DEFAULT '" + tenant
                        + "', text TEXT NOT NULL)");
            }
        });
        try (Connection c = view.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement login = c.prepareStatement("INSERT INTO public.accounts (login, tenant) VALUES (?, ?)");
                    PreparedStatement note = c.prepareStatement("INSERT INTO notes (text) VALUES (?)")) {
                for (String a : ACCOUNTS.get(tenant)) {
                    login.setString(1, a);          // the shared table keeps its schema
                    login.setString(2, tenant);
                    login.executeUpdate();
                }
                for (String n : NOTES.get(tenant)) {
                    note.setString(1, n);            // "tenant_<name>".notes
                    note.executeUpdate();
                }
            }
            c.commit();
        }
    }

    /** Plays {@link #SESSION} against {@code base}, printing each request and response; returns the lines printed. */
    static List<String> session(URI base, PrintStream out) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<String> lines = new ArrayList<>();
        for (Step s : SESSION) {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(s.path())).timeout(Duration.ofSeconds(10));
            request.method(s.method(), s.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(s.body(), StandardCharsets.UTF_8));
            String shown = "> " + s.method() + " " + s.path();
            if (s.tenant() != null) {
                request.header(NotesServer.TENANT_HEADER, s.tenant());
                shown += "  " + NotesServer.TENANT_HEADER + ": " + s.tenant();
            } else {
                shown += "  (no " + NotesServer.TENANT_HEADER + ")";
            }
            if (s.body() != null) {
                shown += "  body: " + s.body();
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            String answer = "< " + response.statusCode() + " " + response.body();
            for (String line : List.of(shown, answer)) {
                out.println(line);
                lines.add(line);
            }
        }
        return lines;
    }

    /**
     * What each schema's {@code notes} holds, read as written on the shard ({@code connectionTo}
     * runs SQL unchanged), with the rows whose {@code tenant} is not the schema's own.
     */
    private static void schemas(ShardedDataSource ds, PrintStream out) throws SQLException {
        out.println("notes per schema, read as written on shard " + SHARD + ":");
        Map<String, String> owners = new LinkedHashMap<>();
        for (String t : ds.tenants().list()) {
            owners.put(ds.forTenant(t).schema(), t);
        }
        owners.put("public", "public");
        try (Connection c = ds.connectionTo(SHARD)) {
            for (Map.Entry<String, String> e : owners.entrySet()) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COUNT(*) FILTER (WHERE tenant <> ?) FROM "
                        + e.getKey() + ".notes")) {
                    ps.setString(1, e.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        out.printf("  %-20s %s, %d of another tenant%n", e.getKey() + ".notes", notes(rs.getLong(1)),
                                rs.getLong(2));
                    }
                }
            }
        }
        out.println("SQL texts parsed into schema templates: " + ds.tenants().templatesParsed()
                + " (one per text, shared by every tenant)");
    }

    private static String notes(long n) {
        return n + (n == 1 ? " note" : " notes");
    }
}
