package io.shardkit.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.shardkit.ShardedDataSource;
import io.shardkit.TenantDataSource;
import io.shardkit.Tenants;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small notes service on the JDK's {@link HttpServer}, one schema per tenant behind it. Every
 * request names its tenant in the {@value #TENANT_HEADER} header; the handler asks
 * {@code ds.forTenant(name)} for that tenant's data source and runs plain, unqualified SQL on it
 * ({@code SELECT ... FROM notes}), which shardkit puts in the tenant's schema. Nothing is
 * per-thread: the tenant's data source is passed down the call, so a worker thread serving one
 * tenant after another cannot carry a schema over.
 *
 * <ul>
 *   <li>{@code GET /notes}: the tenant's notes, oldest first;
 *   <li>{@code POST /notes}, body the note's text (UTF-8): adds one, answers 201 with it;
 *   <li>{@code GET /whoami}: the tenant's schema, its number of notes and its logins from the
 *       shared table {@code public.accounts}.
 * </ul>
 *
 * <p>Refused before any tenant SQL runs: no header or a blank one (400), a name that is not a plain
 * lower-case identifier (400, shardkit's SQLState {@value Tenants#INVALID_NAME}), a tenant without a
 * schema (404, SQLState {@value Tenants#UNKNOWN_TENANT}). There is no default tenant to fall back to.
 * Answers are JSON; errors are {@code {"error": "..."}}.
 *
 * <p>Listens on 127.0.0.1 only; requests run on a fixed pool of worker threads, each borrowing one
 * pooled connection at a time.
 */
public final class NotesServer implements AutoCloseable {
    static final String TENANT_HEADER = "X-Tenant";
    /** The longest note accepted, in characters. */
    static final int MAX_TEXT = 1_000;

    private final ShardedDataSource ds;
    private final HttpServer http;
    private final ExecutorService workers;

    private NotesServer(ShardedDataSource ds, HttpServer http, ExecutorService workers) {
        this.ds = ds;
        this.http = http;
        this.workers = workers;
    }

    /**
     * Starts serving {@code ds}'s tenants on 127.0.0.1: {@code port} 0 takes a free (ephemeral) port.
     *
     * @param threads worker threads, at most as many requests at a time
     */
    public static NotesServer start(ShardedDataSource ds, int port, int threads) throws IOException {
        // The JDK server writes a response's headers and body separately; without TCP_NODELAY every
        // request on a kept-alive connection waits ~40 ms for the client's delayed ACK. Read once,
        // when the first server of the JVM starts; a value set on the command line wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "notes-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        NotesServer server = new NotesServer(ds, http, workers);
        http.createContext("/", server::handle);
        http.setExecutor(workers);
        http.start();
        return server;
    }

    /** The base URL, for example {@code http://127.0.0.1:41235/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
    }

    /** Stops listening at once (exchanges in flight are cut) and ends the worker threads. */
    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
    }

    private record Response(int status, String json) {
    }

    private static Response error(int status, String message) {
        return new Response(status, "{\"error\":" + quote(message) + "}");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Response r;
            try {
                r = route(exchange);
            } catch (SQLException e) {
                r = error(500, "database error, SQLState " + e.getSQLState());
            } catch (RuntimeException e) {
                r = error(500, "internal error: " + e);
            }
            byte[] body = r.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(r.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    private Response route(HttpExchange exchange) throws SQLException, IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!path.equals("/notes") && !path.equals("/whoami")) {
            return error(404, "no such path " + path + " (there are GET /notes, POST /notes and GET /whoami)");
        }
        boolean post = method.equals("POST") && path.equals("/notes");
        if (!post && !method.equals("GET")) {
            return error(405, method + " " + path + " is not served");
        }
        String name = exchange.getRequestHeaders().getFirst(TENANT_HEADER);
        if (name == null || name.isBlank()) {
            return error(400, "missing header " + TENANT_HEADER + ": every request names its tenant");
        }
        TenantDataSource tenant;
        try {
            tenant = ds.forTenant(name);
        } catch (SQLException e) {
            if (Tenants.UNKNOWN_TENANT.equals(e.getSQLState())) {
                return error(404, "unknown tenant '" + name + "'");
            }
            if (Tenants.INVALID_NAME.equals(e.getSQLState())) {
                return error(400, e.getMessage());
            }
            throw e;
        }
        if (post) {
            String text;
            try (InputStream in = exchange.getRequestBody()) {
                text = new String(in.readNBytes(4 * MAX_TEXT + 1), StandardCharsets.UTF_8).strip();
            }
            if (text.isEmpty() || text.length() > MAX_TEXT) {
                return error(400, "a note is 1 to " + MAX_TEXT + " characters of text in the request body");
            }
            return new Response(201, "{\"tenant\":" + quote(tenant.tenant()) + ",\"note\":" + add(tenant, text) + "}");
        }
        return path.equals("/notes") ? notes(tenant) : whoami(tenant);
    }

    /** {@code INSERT INTO notes}: shardkit sends {@code INSERT INTO "tenant_acme".notes}. */
    private static String add(TenantDataSource tenant, String text) throws SQLException {
        try (Connection c = tenant.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO notes (text) VALUES (?) RETURNING id, tenant, text")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return note(rs);
            }
        }
    }

    private static Response notes(TenantDataSource tenant) throws SQLException {
        StringBuilder json = new StringBuilder("{\"tenant\":").append(quote(tenant.tenant())).append(",\"notes\":[");
        try (Connection c = tenant.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, tenant, text FROM notes ORDER BY id")) {
            for (int i = 0; rs.next(); i++) {
                json.append(i == 0 ? "" : ",").append(note(rs));
            }
        }
        return new Response(200, json.append("]}").toString());
    }

    /** The tenant's schema, its notes counted there, and its logins from the shared table (which keeps its schema). */
    private static Response whoami(TenantDataSource tenant) throws SQLException {
        StringBuilder json = new StringBuilder("{\"tenant\":").append(quote(tenant.tenant()))
                .append(",\"schema\":").append(quote(tenant.schema()));
        try (Connection c = tenant.getConnection()) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
                rs.next();
                json.append(",\"notes\":").append(rs.getLong(1));
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT login FROM public.accounts WHERE tenant = ? ORDER BY login")) {
                ps.setString(1, tenant.tenant());
                json.append(",\"accounts\":[");
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i = 0; rs.next(); i++) {
                        json.append(i == 0 ? "" : ",").append(quote(rs.getString(1)));
                    }
                }
            }
        }
        return new Response(200, json.append("]}").toString());
    }

    private static String note(ResultSet rs) throws SQLException {
        return "{\"id\":" + rs.getLong(1) + ",\"tenant\":" + quote(rs.getString(2)) + ",\"text\":" + quote(rs.getString(3)) + "}";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (ch < 0x20) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
