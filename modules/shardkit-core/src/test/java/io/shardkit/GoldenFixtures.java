package io.shardkit;

import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.Tenancy;
import io.shardkit.config.YamlShardMap;
import io.shardkit.strategy.Strategies;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shard maps and case files of the refusal and analysis goldens (issue 13's safety net). The
 * {@code sqlite} map is the plan goldens' map ({@code players}, {@code matches} by {@code mod 4},
 * broadcast {@code items}) plus a hash-sharded {@code guilds} and two pinned tables ({@code tinymerge}: the
 * same with a merge row limit of 2); {@code postgresql}
 * and {@code mysql} are the same map over servers that do not exist (only their dialect matters: explain
 * and refusals open no connection); {@code readonly} has a hot SQLite shard and a read-only archive one.
 */
final class GoldenFixtures {
    private GoldenFixtures() {
    }

    static final String[] DDL = {
        "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER)",
        "CREATE TABLE matches (match_id INTEGER, player_id INTEGER, name TEXT, points INTEGER)",
        "CREATE TABLE guilds (guild_id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE items (item_id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE audit_log (id INTEGER PRIMARY KEY, msg TEXT)",
        "CREATE TABLE reports (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO players (player_id, name, score) VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30), (6, 'f', 60)",
        "INSERT INTO matches (match_id, player_id, name, points) VALUES (1, 1, 'm1', 5), (2, 2, 'm2', 7), (3, 3, 'm3', 9)",
        "INSERT INTO items (item_id, name) VALUES (1, 'sword'), (2, 'shield')",
    };

    /** The repository folder of test resources (module folder is the working directory under surefire). */
    static Path resources() {
        return Path.of(System.getProperty("shardkit.repo.root", "../.."), "modules/shardkit-core/src/test/resources");
    }

    /** The map of a fixture; {@code dir} holds the SQLite files. */
    static ShardedDataSource.Builder builder(String fixture, Path dir) {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        String[] names = {"s0", "s1", "s2", "s3"};
        switch (fixture) {
            case "sqlite", "tinymerge", "postgresql", "mysql" -> {
                for (int i = 0; i < 4; i++) {
                    String url = switch (fixture) {
                        case "sqlite", "tinymerge" -> "jdbc:sqlite:" + dir.resolve("s" + i + ".db");
                        case "postgresql" -> "jdbc:postgresql://127.0.0.1:1/s" + i;
                        default -> "jdbc:mysql://127.0.0.1:1/s" + i;
                    };
                    ShardSpec spec = ShardSpec.of(names[i], url);
                    b.shard(spec.url().startsWith("jdbc:sqlite:") ? spec.withCreate(true) : spec);
                }
                if (fixture.equals("tinymerge")) {
                    b.mergeRowLimit(2);
                }
                if (fixture.equals("postgresql") || fixture.equals("mysql")) {
                    b.pool("connectionTimeout", 250L); // bounds a borrow that should not happen
                }
                b.sharded("players", "player_id", Strategies.mod(names))
                        .sharded("matches", "player_id", Strategies.mod(names))
                        .sharded("guilds", "guild_id", Strategies.hash(names))
                        .broadcast("items")
                        .pinned("audit_log", "s0")
                        .pinned("reports", "s1");
            }
            case "readonly" -> b.shard(ShardSpec.of("hot", "jdbc:sqlite:" + dir.resolve("hot.db")).withCreate(true))
                    .shard(ShardSpec.of("archive", "jdbc:sqlite:" + dir.resolve("archive.db")).readOnly(true)
                            .withTier(ShardSpec.ARCHIVE))
                    .sharded("old_players", "player_id", Strategies.mod("archive"))
                    .sharded("players", "player_id", Strategies.mod("hot"));
            case "tenant" -> b.shard("s0", "jdbc:postgresql://127.0.0.1:1/app")
                    .defaultShard("s0")
                    .pool("connectionTimeout", 250L)
                    .tenancy(Tenancy.rewrite("tenant_{tenant}").withShared("public.users")
                            .withTenants("client1", "client2"));
            default -> throw new IllegalArgumentException("unknown fixture " + fixture);
        }
        return b;
    }

    /** The tiered fixture: {@code orders} on a hot shard with two read-only archive shards, and {@code customers}. */
    static final String TIERED = """
            shards:
              - name: hot
                url: jdbc:sqlite:DIR/hot.db
                create: true
              - name: a2025
                url: jdbc:sqlite:DIR/a2025.db
                readOnly: true
                create: true
                tier: archive
              - name: a2024
                url: jdbc:sqlite:DIR/a2024.db
                readOnly: true
                create: true
                tier: archive
            tables:
              orders:
                key: order_id
                strategy: {type: mod, shards: [hot]}
                archive:
                  shards: [a2025, a2024]
                  cutoff: {column: order_id, below: 1000}
              customers:
                key: customer_id
                strategy: {type: mod, shards: [hot]}
            """;

    private static InputStream tiered(Path dir) {
        return new ByteArrayInputStream(TIERED.replace("DIR", dir.toString()).getBytes(StandardCharsets.UTF_8));
    }

    static ShardMap map(String fixture) throws SQLException {
        if (fixture.equals("tiered")) {
            return YamlShardMap.load(tiered(Path.of("unused")), "<tiered>", k -> null);
        }
        return builder(fixture, Path.of("unused")).map();
    }

    /** Opens a fixture's data source with its tables and rows (SQLite ones only). */
    static ShardedDataSource open(String fixture, Path dir) throws SQLException {
        if (fixture.equals("readonly")) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("archive.db"));
                    Statement st = c.createStatement()) {
                st.execute("CREATE TABLE old_players (player_id INTEGER PRIMARY KEY, name TEXT)");
                st.execute("INSERT INTO old_players VALUES (1, 'old')");
            }
        }
        if (fixture.equals("tiered")) {
            for (String shard : List.of("hot", "a2025", "a2024")) { // written directly: archive shards are read-only
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(shard + ".db"));
                        Statement st = c.createStatement()) {
                    st.execute("CREATE TABLE orders (order_id INTEGER PRIMARY KEY, amount INTEGER, note TEXT)");
                    if (shard.equals("hot")) {
                        st.execute("CREATE TABLE customers (customer_id INTEGER PRIMARY KEY, name TEXT)");
                        st.execute("INSERT INTO orders VALUES (3, 33, 'hot copy'), (1000, 100, 'new'), (1001, 101, 'new')");
                        st.execute("INSERT INTO customers VALUES (1, 'c1')");
                    } else {
                        st.execute(shard.equals("a2024") ? "INSERT INTO orders VALUES (1, 10, 'old'), (3, 30, 'moving')"
                                : "INSERT INTO orders VALUES (500, 50, 'old')");
                    }
                }
            }
            return ShardedDataSource.fromYaml(tiered(dir));
        }
        ShardedDataSource ds = builder(fixture, dir).build();
        if (fixture.equals("sqlite") || fixture.equals("tinymerge")) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (String sql : DDL) {
                    st.execute(sql);
                }
            }
        } else if (fixture.equals("readonly")) {
            try (Connection c = ds.connectionTo("hot"); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT)");
            }
        }
        return ds;
    }

    /** One case of a {@code refusals/*.cases} file. */
    record Case(String name, List<String> statements, List<Object> params, boolean tx, String pinned, boolean batch) {
    }

    /** A {@code .cases} file: its fixture and cases. */
    record CaseFile(String family, String fixture, List<Case> cases) {
    }

    /**
     * Reads a case file. Lines: {@code @fixture NAME}; {@code # comment}; {@code name [options]: SQL}
     * where SQL takes the escapes {@code \n \r \t \\}, a script's statements are separated by
     * {@code " ;; "}, and options are {@code params=v1,v2} (integers, 'text', null), {@code tx}
     * (autocommit off, rolled back at the end), {@code batch} (the statements as one JDBC batch) and
     * {@code pinned=SHARD} (JDBC through connectionTo).
     */
    static CaseFile read(Path file) throws IOException {
        String family = file.getFileName().toString().replace(".cases", "");
        String fixture = "sqlite";
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("@fixture ")) {
                fixture = line.substring("@fixture ".length()).strip();
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException(file + ": no 'name: SQL' in " + line);
            }
            String head = line.substring(0, colon).strip();
            String sql = unescape(line.substring(colon + 2));
            String name = head;
            List<Object> params = new ArrayList<>();
            boolean tx = false;
            boolean batch = false;
            String pinned = null;
            int bracket = head.indexOf(" [");
            if (bracket >= 0) {
                name = head.substring(0, bracket);
                for (String opt : head.substring(bracket + 2, head.length() - 1).split("\\] \\[")) {
                    if (opt.equals("tx")) {
                        tx = true;
                    } else if (opt.equals("batch")) {
                        batch = true;
                    } else if (opt.startsWith("pinned=")) {
                        pinned = opt.substring("pinned=".length());
                    } else if (opt.startsWith("params=")) {
                        for (String v : opt.substring("params=".length()).split(",")) {
                            params.add(value(v.strip()));
                        }
                    } else {
                        throw new IllegalArgumentException(file + ": unknown option " + opt);
                    }
                }
            }
            for (Case c : cases) {
                if (c.name().equals(name)) {
                    throw new IllegalArgumentException(file + ": case " + name + " twice");
                }
            }
            cases.add(new Case(name, List.of(sql.split(" ;; ")), params, tx, pinned, batch));
        }
        return new CaseFile(family, fixture, cases);
    }

    static List<CaseFile> caseFiles() throws IOException {
        List<CaseFile> out = new ArrayList<>();
        try (var files = Files.list(resources().resolve("refusals"))) {
            for (Path p : files.filter(p -> p.toString().endsWith(".cases")).sorted().toList()) {
                out.add(read(p));
            }
        }
        return out;
    }

    private static Object value(String v) {
        if (v.equals("null")) {
            return null;
        }
        if (v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        return Long.parseLong(v);
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                sb.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    case '\\' -> '\\';
                    default -> throw new IllegalArgumentException("unknown escape \\" + n + " in " + s);
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** One line: line breaks and backslashes escaped, so a golden line is one statement. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }

    /**
     * Compares {@code actual} (blocks starting {@code "== name"}) with the golden file, or writes it
     * under {@code -Dgoldens.write=true}; fails naming every case whose block differs.
     */
    static void compare(Path golden, String actual) throws IOException {
        if (Boolean.getBoolean("goldens.write")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        if (!Files.exists(golden)) {
            throw new AssertionError(golden + " is missing (run with -Dgoldens.write=true)");
        }
        String expected = Files.readString(golden, StandardCharsets.UTF_8);
        if (expected.equals(actual)) {
            return;
        }
        Map<String, String> want = blocks(expected);
        Map<String, String> got = blocks(actual);
        StringBuilder why = new StringBuilder(golden.getFileName() + " differs (rewrite with -Dgoldens.write=true"
                + " only after an intended change):");
        for (var e : got.entrySet()) {
            String w = want.get(e.getKey());
            if (w == null) {
                why.append("\n  new case ").append(e.getKey());
            } else if (!w.equals(e.getValue())) {
                why.append("\n  case ").append(e.getKey()).append("\n    expected:\n").append(w.indent(6))
                        .append("    actual:\n").append(e.getValue().indent(6));
            }
        }
        for (String k : want.keySet()) {
            if (!got.containsKey(k)) {
                why.append("\n  missing case ").append(k);
            }
        }
        throw new AssertionError(why.toString());
    }

    private static Map<String, String> blocks(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = "(header)";
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("== ")) {
                out.put(name, sb.toString());
                name = line.substring(3);
                sb.setLength(0);
            }
            sb.append(line).append('\n');
        }
        out.put(name, sb.toString());
        return out;
    }
}
