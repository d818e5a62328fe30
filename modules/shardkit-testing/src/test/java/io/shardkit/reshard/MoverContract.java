package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.SqlStates;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.testing.EmbeddedMariaDb;
import io.shardkit.testing.EmbeddedPostgres;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, the mover on each kind of database: 4 → 8 shards (64 buckets, {@code bucketOf: mod})
 * with players, their matches (bucketed ids) and an inventory with a composite primary key, in
 * columns of awkward types. Every write goes to the shards through the data source and, the same
 * statement, to the reference database; after the move every row read by plain JDBC from each
 * shard sits on the shard the final placement names, and the rows of all shards together are the
 * reference's rows, column by column ({@code getString}; {@code getBytes} as hex for binary).
 * Each test gets eight new databases (the extension's four are not enough); the reference is the
 * extension's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MoverContract {
    static final int B = 64;
    static final int SHARDS = 8;
    static final List<String> TABLES = List.of("players", "matches", "inventory");
    private static final AtomicInteger COUNTER = new AtomicInteger();
    ShardSet shards;
    String dialect;
    private final List<String> urls = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final List<AutoCloseable> drop = new ArrayList<>();

    @BeforeAll
    void open(ShardSet shards) {
        this.shards = shards;
        this.dialect = shards.dialect();
    }

    @BeforeEach
    void fresh() throws Exception {
        urls.clear();
        String stem = "sk_mover_" + Long.toString(ProcessHandle.current().pid(), 36) + "_" + COUNTER.incrementAndGet();
        switch (dialect) {
            case "sqlite" -> {
                Path dir = Files.createTempDirectory("shardkit-" + stem + "-");
                drop.add(() -> deleteTree(dir));
                for (int i = 0; i < SHARDS; i++) {
                    Files.createFile(dir.resolve("s" + i + ".db"));
                    urls.add("jdbc:sqlite:" + dir.resolve("s" + i + ".db"));
                }
            }
            case "postgresql" -> {
                EmbeddedPostgres pg = EmbeddedPostgres.get();
                for (int i = 0; i < SHARDS; i++) {
                    String name = stem + "_s" + i;
                    pg.createDatabase(name);
                    drop.add(() -> pg.dropDatabase(name));
                    urls.add(pg.jdbcUrl(name));
                }
            }
            default -> {
                EmbeddedMariaDb my = EmbeddedMariaDb.get();
                for (int i = 0; i < SHARDS; i++) {
                    String name = stem + "_s" + i;
                    my.createDatabase(name);
                    drop.add(() -> my.dropDatabase(name));
                    urls.add(my.jdbcUrl(name));
                }
            }
        }
        try (Connection c = shards.openReference(); Statement st = c.createStatement()) {
            for (String t : List.of("players", "matches", "inventory", "other")) {
                st.execute("DROP TABLE IF EXISTS " + t);
            }
        }
    }

    @AfterEach
    void close() throws Exception {
        Mover.faults = point -> {
        };
        Collections.reverse(open); // connections before their data source
        for (AutoCloseable c : open) {
            c.close();
        }
        open.clear();
        for (AutoCloseable c : drop) {
            c.close();
        }
        drop.clear();
    }

    static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    // ---- the map, the tables, the writes ----

    private static final String STRATEGY = "{type: buckets, buckets: " + B + ", bucketOf: mod, shards: [s0, s1, s2, s3]}";

    ShardedDataSource open(String tables) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            names.add("s" + i);
        }
        String yaml = new ShardSet(dialect, names, urls, shards.user(), shards.password()).yamlShards() + "tables:\n"
                + tables + "resharding: {control: s0, poll: 1h}\n";
        ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        open.add(ds);
        return ds;
    }

    ShardedDataSource open() throws SQLException {
        return open("  players: {key: player_id, strategy: " + STRATEGY + "}\n"
                + "  matches: {key: player_id, strategy: " + STRATEGY + ", idOf: {column: match_id, generator: bucketed}}\n"
                + "  inventory: {key: player_id, strategy: " + STRATEGY + "}\n");
    }

    String playersDdl() {
        return switch (dialect) {
            case "postgresql" -> "CREATE TABLE players (player_id BIGINT PRIMARY KEY, name TEXT, score INT, uid UUID,"
                    + " doc JSONB, amount NUMERIC(20,6), seen TIMESTAMPTZ, avatar BYTEA, active BOOLEAN)";
            case "mysql" -> "CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(100), score INT,"
                    + " amount DECIMAL(20,6), seen DATETIME(6), avatar BLOB, active BOOLEAN)"
                    + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
            default -> "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT, score INTEGER, amount REAL,"
                    + " avatar BLOB)";
        };
    }

    String playerCols() {
        return switch (dialect) {
            case "postgresql" -> "(player_id, name, score, uid, doc, amount, seen, avatar, active)";
            case "mysql" -> "(player_id, name, score, amount, seen, avatar, active)";
            default -> "(player_id, name, score, amount, avatar)";
        };
    }

    String matchesDdl() {
        String tail = dialect.equals("mysql") ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
        String points = switch (dialect) {
            case "postgresql" -> "NUMERIC(20,6)";
            case "mysql" -> "DECIMAL(20,6)";
            default -> "REAL";
        };
        return "CREATE TABLE matches (match_id BIGINT PRIMARY KEY, player_id BIGINT NOT NULL, points " + points
                + ", note TEXT)" + tail;
    }

    String inventoryDdl(boolean withPk) {
        String tail = dialect.equals("mysql") ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
        String extra = switch (dialect) {
            case "postgresql" -> "qty INT, meta JSONB, at TIMESTAMPTZ";
            case "mysql" -> "qty INT, meta BLOB, at DATETIME(6)";
            default -> "qty INTEGER, meta BLOB, at TEXT";
        };
        return "CREATE TABLE inventory (player_id BIGINT NOT NULL, item_id VARCHAR(40) NOT NULL, " + extra
                + (withPk ? ", PRIMARY KEY (player_id, item_id)" : "") + ")" + tail;
    }

    /** A player row as a VALUES tuple with every awkward value this dialect has; some values NULL. */
    String player(long i, String tag) {
        String name = i % 11 == 0 ? "NULL" : "'p" + i + " " + tag + " ünï 😀 it''s'";
        String amount = (i % 2 == 0 ? "-" : "") + (i * 7919) + "." + String.format(Locale.ROOT, "%06d", (i * 37) % 1_000_000);
        String hex = String.format(Locale.ROOT, "00ff%04x7f", i);
        return switch (dialect) {
            case "postgresql" -> "(" + i + ", " + name + ", " + (i % 97) + ", "
                    + (i % 7 == 0 ? "NULL" : "'" + String.format(Locale.ROOT, "%08x-0000-4000-8000-%012x", i, i * 31) + "'")
                    + ", " + (i % 5 == 0 ? "NULL" : "'{\"k\": " + i + ", \"s\": \"é\\\"" + tag + "\", \"a\": [1, 2.50]}'")
                    + ", " + amount + ", '2024-02-29 12:34:56." + String.format(Locale.ROOT, "%06d", i % 1_000_000)
                    + "+05:30', " + (i % 6 == 0 ? "NULL" : "'\\x" + hex + "'") + ", "
                    + (i % 3 == 0 ? "NULL" : i % 2 == 0 ? "true" : "false") + ")";
            case "mysql" -> "(" + i + ", " + name + ", " + (i % 97) + ", " + amount + ", '2024-02-29 12:34:56."
                    + String.format(Locale.ROOT, "%06d", i % 1_000_000) + "', " + (i % 6 == 0 ? "NULL" : "X'" + hex + "'")
                    + ", " + (i % 3 == 0 ? "NULL" : i % 2 == 0 ? "TRUE" : "FALSE") + ")";
            default -> "(" + i + ", " + name + ", " + (i % 97) + ", " + (i % 4 == 0 ? "NULL" : Double.toString(i / 3.0 * 1e-5))
                    + ", " + (i % 6 == 0 ? "NULL" : "X'" + hex + "'") + ")";
        };
    }

    String match(long id, long player, int k) {
        String points = k == 1 ? "NULL" : dialect.equals("sqlite") ? Double.toString(k * 1.1 + player) : (player * 3 + k) + ".125";
        return "(" + id + ", " + player + ", " + points + ", " + (k == 2 ? "NULL" : "'m" + k + " ✓'") + ")";
    }

    /** Item ids with colons, digits and characters outside the BMP: the composite key's text must survive them. */
    static final String[] ITEMS = {"sword", "😀:7", "ünï", "12:a:b"};

    String item(long player, String item, int qty) {
        String meta = switch (dialect) {
            case "postgresql" -> qty % 3 == 0 ? "NULL" : "'{\"q\": " + qty + "}'";
            default -> qty % 3 == 0 ? "NULL" : "X'" + String.format(Locale.ROOT, "%02x00", qty % 256) + "'";
        };
        String at = qty % 4 == 0 ? "NULL" : "'2023-12-31 23:59:59." + String.format(Locale.ROOT, "%06d", qty) + "'";
        return "(" + player + ", '" + item + "', " + qty + ", " + meta + ", " + at + ")";
    }

    /** Creates the tables on every shard (through connectionTo) and on the reference. */
    void create(ShardedDataSource ds, String... ddl) throws SQLException {
        for (int i = 0; i < SHARDS; i++) {
            try (Connection c = ds.connectionTo("s" + i); Statement st = c.createStatement()) {
                for (String s : ddl) {
                    st.execute(s);
                }
            }
        }
        try (Connection c = shards.openReference(); Statement st = c.createStatement()) {
            for (String s : ddl) {
                st.execute(s);
            }
        }
    }

    /** The same statements through the data source and on the reference. */
    void both(ShardedDataSource ds, String... sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                Connection r = shards.openReference(); Statement rst = r.createStatement()) {
            for (String s : sql) {
                int n = st.executeUpdate(s);
                int m = rst.executeUpdate(s);
                assertThat(n).as("rows written by %s", s).isEqualTo(m);
            }
        }
    }

    /** Players 1..n with 3 matches (bucketed ids) and 2 items each, on the shards and on the reference. */
    void load(ShardedDataSource ds, int n) throws SQLException {
        create(ds, playersDdl(), matchesDdl(), inventoryDdl(true));
        List<String> sql = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            sql.add("INSERT INTO players " + playerCols() + " VALUES " + player(i, "v1"));
            for (int k = 0; k < 3; k++) {
                sql.add("INSERT INTO matches (match_id, player_id, points, note) VALUES " + match(ds.ids("matches").next(i), i, k));
            }
            sql.add("INSERT INTO inventory (player_id, item_id, qty, meta, at) VALUES " + item(i, ITEMS[i % 4], i) + ", " + item(i, ITEMS[(i + 1) % 4], i + 1));
        }
        both(ds, sql.toArray(new String[0]));
    }

    /** Writes to moving and staying buckets of every table: updates, deletes, inserts (new players too). */
    void writes(ShardedDataSource ds, int round) throws SQLException {
        long p = 1000 + round * 10L;
        List<String> sql = new ArrayList<>(List.of(
                "UPDATE players SET score = score + " + round + ", name = 'w" + round + " ☃' WHERE player_id IN ("
                        + (4 + round) + ", " + (5 + round) + ", " + (6 + round) + ", " + (7 + round) + ")",
                "DELETE FROM matches WHERE player_id = " + (10 + round),
                "DELETE FROM inventory WHERE player_id = " + (20 + round),
                "UPDATE inventory SET qty = qty + 100 WHERE player_id = " + (30 + round),
                "DELETE FROM players WHERE player_id = " + (40 + round),
                "INSERT INTO players " + playerCols() + " VALUES " + player(p, "r" + round),
                "INSERT INTO players " + playerCols() + " VALUES " + player(p + 4, "r" + round),
                "INSERT INTO inventory (player_id, item_id, qty, meta, at) VALUES " + item(p, ITEMS[1], round + 1),
                "INSERT INTO inventory (player_id, item_id, qty, meta, at) VALUES " + item(p + 4, ITEMS[round % 4], round + 2),
                "INSERT INTO inventory (player_id, item_id, qty, meta, at) VALUES " + item(50 + round, "new " + round, 7)));
        for (long q : new long[] {p, p + 4, 3 + round}) {
            sql.add("INSERT INTO matches (match_id, player_id, points, note) VALUES " + match(ds.ids("matches").next(q), q, round % 3));
        }
        both(ds, sql.toArray(new String[0]));
    }

    static BucketPlacement grown(ShardedDataSource ds) {
        return ((BucketStrategy) ds.shardMap().tables().get("players").strategy())
                .grow(List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"));
    }

    // ---- reading the shards behind shardkit's back ----

    Connection shard(int i) throws SQLException {
        return DriverManager.getConnection(urls.get(i), shards.user(), shards.password());
    }

    /** The rows of {@code table} on {@code c} rendered as text, each prefixed by its key and a tab; empty when the table is missing. */
    List<String> rendered(Connection c, String table, String key) throws SQLException {
        List<String> out = new ArrayList<>();
        if (!Fences.exists(c, table)) {
            return out;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT t." + key + " AS k, t.* FROM " + table + " t")) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                StringBuilder b = new StringBuilder(rs.getString(1)).append('\t');
                for (int i = 2; i <= md.getColumnCount(); i++) {
                    int type = md.getColumnType(i);
                    boolean binary = type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY
                            || type == Types.BLOB || "bytea".equals(md.getColumnTypeName(i));
                    byte[] bytes = binary ? rs.getBytes(i) : null;
                    String text = binary ? (bytes == null ? null : "0x" + HexFormat.of().formatHex(bytes)) : rs.getString(i);
                    b.append(text == null ? "NULL" : text).append(i < md.getColumnCount() ? "|" : "");
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    private static String keyOf(String table) {
        return table.equals("shardkit_id_blocks") ? "bucket" : "player_id";
    }

    /** Shard index → rows of {@code table}: where every row is. */
    Map<Integer, List<String>> where(String table) throws SQLException {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (int i = 0; i < SHARDS; i++) {
            try (Connection c = shard(i)) {
                List<String> rows = rendered(c, table, keyOf(table));
                Collections.sort(rows);
                out.put(i, rows);
            }
        }
        return out;
    }

    /**
     * Every row of the moved tables (and id leases) is on the shard {@code p} names for its bucket,
     * and the rows of all shards together are the reference's, value for value.
     */
    void assertPlacedAndEqual(BucketPlacement p) throws SQLException {
        for (String table : List.of("players", "matches", "inventory", "shardkit_id_blocks")) {
            List<String> misplaced = new ArrayList<>();
            List<String> all = new ArrayList<>();
            where(table).forEach((i, rows) -> {
                for (String r : rows) {
                    long key = Long.parseLong(r.substring(0, r.indexOf('\t')));
                    if (!p.shardOf((int) Math.floorMod(key, (long) B)).equals("s" + i)) {
                        misplaced.add("s" + i + ": " + r);
                    }
                    all.add(r.substring(r.indexOf('\t') + 1));
                }
            });
            assertThat(misplaced).as("rows of %s not on the shard the placement names", table).isEmpty();
            if (table.startsWith("shardkit")) {
                assertThat(all).as("one lease row per table and bucket").doesNotHaveDuplicates();
                continue;
            }
            List<String> expected = new ArrayList<>();
            try (Connection r = shards.openReference()) {
                for (String row : rendered(r, table, "player_id")) {
                    expected.add(row.substring(row.indexOf('\t') + 1));
                }
            }
            Collections.sort(all);
            Collections.sort(expected);
            assertThat(all).as("the rows of %s on all shards are the reference's", table).containsExactlyElementsOf(expected);
        }
    }

    long triggers(int i) throws SQLException {
        String sql = switch (dialect) {
            case "sqlite" -> "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'shardkit!_%' ESCAPE '!'";
            case "postgresql" -> "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = current_schema()"
                    + " AND trigger_name LIKE 'shardkit!_%' ESCAPE '!'";
            default -> "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()"
                    + " AND trigger_name LIKE 'shardkit!_%' ESCAPE '!'";
        };
        try (Connection c = shard(i); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Mover.Faults crashAt(String point, int nth) {
        AtomicInteger seen = new AtomicInteger();
        return at -> {
            if (at.equals(point) && seen.incrementAndGet() == nth) {
                throw new SQLException("injected crash at " + point + " #" + nth);
            }
        };
    }

    // ---- the tests ----

    @Test
    void i15_80_fourToEightShardsWithWritesBetweenStartAndSwitch() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 100);
        BucketPlacement target = grown(ds);
        Mover mover = Resharding.of(ds).mover("players").chunk(25);
        MoveStatus plan = mover.plan(target);
        assertThat(plan.pairs()).as("each old shard gives half its buckets to one new shard").hasSize(4);
        assertThat(mover.start(target).step()).isEqualTo("verified");
        writes(ds, 1);
        writes(ds, 2);
        assertThat(mover.status().pairs()).extracting(MoveStatus.Pair::pendingChanges).as("logged, not yet replayed")
                .anySatisfy(n -> assertThat(n).isPositive());
        MoveStatus switched = mover.switchOver();
        assertThat(switched.step()).isEqualTo("switched");
        assertThat(Resharding.of(ds).placement("players")).isEqualTo(target);
        writes(ds, 3); // through the switched data source: to the targets
        mover.cleanup(Duration.ZERO);
        assertPlacedAndEqual(target);
        writes(ds, 4);
        assertPlacedAndEqual(target);
    }

    @Test
    void i15_81_crashesInCopyCatchUpVerifyAndBeforePublishResumeWithANewMover() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 80);
        BucketPlacement target = grown(ds);
        int round = 0;
        for (String[] crash : new String[][] {{"copy-chunk", "5"}, {"catchup-chunk", "2"}, {"verify-table", "2"}}) {
            Mover.faults = crashAt(crash[0], Integer.parseInt(crash[1]));
            Mover m = Resharding.of(ds).mover("players").chunk(16);
            assertThatThrownBy(() -> m.start(target)).as(crash[0]).hasMessageContaining("injected crash at " + crash[0]);
            Mover.faults = point -> {
            };
            writes(ds, ++round);
        }
        Mover m = Resharding.of(ds).mover("players").chunk(16);
        assertThat(m.start(target).step()).isEqualTo("verified");
        writes(ds, ++round);
        for (String crash : List.of("fenced", "drained")) {
            Mover.faults = crashAt(crash, 1);
            Mover f = Resharding.of(ds).mover("players").chunk(16);
            assertThatThrownBy(f::switchOver).hasMessageContaining("injected crash at " + crash);
            Mover.faults = point -> {
            };
            // fenced: a write to a moving bucket is refused, one to a staying bucket goes through
            assertThatThrownBy(() -> both(ds, "UPDATE players SET score = 0 WHERE player_id = " + movingPlayer(target)))
                    .isInstanceOf(SQLException.class).satisfies(e -> assertThat(MoveTriggers.isFence((SQLException) e)).isTrue());
            both(ds, "UPDATE players SET score = score + 1 WHERE player_id = " + stayingPlayer(target));
        }
        Mover last = Resharding.of(ds).mover("players").chunk(16);
        assertThat(last.switchOver().step()).isEqualTo("switched");
        writes(ds, ++round);
        last.cleanup(Duration.ZERO);
        assertPlacedAndEqual(target);
    }

    @Test
    void i15_82_abortAtEachStepBeforeTheSwitchLeavesEveryShardAsItWas() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 45);
        BucketPlacement live = Resharding.of(ds).placement("players");
        BucketPlacement target = grown(ds);
        Map<String, Map<Integer, List<String>>> before = new TreeMap<>();
        for (String t : List.of("players", "matches", "inventory", "shardkit_id_blocks")) {
            before.put(t, where(t));
        }
        for (String at : List.of("prepared", "copy-chunk", "catchup-chunk", "verify-table", "verified", "fenced", "drained")) {
            Mover.faults = at.equals("verified") ? point -> {
            } : crashAt(at, 2 - (at.equals("prepared") || at.equals("fenced") || at.equals("drained") ? 1 : 0));
            Mover m = Resharding.of(ds).mover("players").chunk(24);
            if (at.equals("verified")) {
                m.start(target);
            } else {
                assertThatThrownBy(() -> {
                    m.start(target);
                    m.switchOver();
                }).as(at).hasMessageContaining("injected crash at " + at);
            }
            Mover.faults = point -> {
            };
            assertThat(Resharding.of(ds).mover("players").abort().step()).as(at).isEqualTo("aborted");
            for (String t : before.keySet()) {
                Map<Integer, List<String>> now = where(t);
                if (t.startsWith("shardkit")) {
                    now.values().removeIf(List::isEmpty); // the empty lease table the plan made on a target
                    before.get(t).values().removeIf(List::isEmpty);
                }
                assertThat(now).as("%s after an abort at %s", t, at).isEqualTo(before.get(t));
            }
            for (int i = 0; i < SHARDS; i++) {
                assertThat(triggers(i)).as("shardkit triggers on s%d after an abort at %s", i, at).isZero();
            }
            assertThat(Resharding.of(ds).epoch("players")).isEqualTo(1);
            assertThat(Resharding.of(ds).placement("players")).isEqualTo(live);
        }
        writes(ds, 1); // nothing fenced is left behind
        assertPlacedAndEqual(live);
    }

    @Test
    void i15_83_startWaitsForAWriterWithAnUncommittedUpdateToAMovingRow() throws Exception {
        Assumptions.assumeFalse(dialect.equals("sqlite"), "SQLite has one writer at a time");
        ShardedDataSource ds = open();
        load(ds, 40);
        BucketPlacement target = grown(ds);
        int moving = movingPlayer(target);
        String update = "UPDATE players SET score = 4242, name = 'held' WHERE player_id = " + moving;
        Connection writer = ds.getConnection();
        open.add(writer);
        writer.setAutoCommit(false);
        try (Statement st = writer.createStatement()) {
            assertThat(st.executeUpdate(update)).isEqualTo(1);
        }
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(500);
                writer.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.nanoTime();
        Resharding.of(ds).mover("players").start(target);
        long waited = (System.nanoTime() - t0) / 1_000_000;
        commit.get(15, TimeUnit.SECONDS);
        try (Connection r = shards.openReference(); Statement st = r.createStatement()) {
            st.executeUpdate(update);
        }
        assertThat(waited).as("start waited for the open writer").isGreaterThanOrEqualTo(400);
        Mover m = Resharding.of(ds).mover("players");
        m.switchOver();
        m.cleanup(Duration.ZERO);
        assertPlacedAndEqual(target);
    }

    @Test
    void i15_84_startWaitsForATransactionWhoseSnapshotIsOlderThanTheMove() throws Exception {
        Assumptions.assumeFalse(dialect.equals("sqlite"), "SQLite has one writer at a time");
        ShardedDataSource ds = open();
        load(ds, 40);
        create(ds, "CREATE TABLE other (id BIGINT PRIMARY KEY, v INT)");
        BucketPlacement target = grown(ds);
        int moving = movingPlayer(target);
        String update = "UPDATE players SET score = 4343, name = 'old snapshot' WHERE player_id = " + moving;
        Connection writer = ds.connectionTo(sourceOf(ds, moving));
        open.add(writer);
        writer.setAutoCommit(false);
        writer.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement st = writer.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM other")) {
            rs.next(); // the snapshot is taken here, before the move names its buckets
        }
        CompletableFuture<Boolean> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(2500); // after a start that did not wait would have copied, caught up and verified
                try (Statement st = writer.createStatement()) {
                    st.executeUpdate(update);
                }
                writer.commit();
                return true;
            } catch (SQLException e) {
                try { // MariaDB: "Table definition has changed" (1412), the move's tables are newer than the snapshot
                    writer.rollback();
                } catch (SQLException ignored) {
                    e.addSuppressed(ignored);
                }
                return false;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Resharding.of(ds).mover("players").start(target);
        if (late.get(15, TimeUnit.SECONDS)) { // a write refused by the database is in neither place
            try (Connection r = shards.openReference(); Statement st = r.createStatement()) {
                st.executeUpdate(update);
            }
        }
        Mover m = Resharding.of(ds).mover("players");
        m.switchOver();
        m.cleanup(Duration.ZERO);
        assertPlacedAndEqual(target);
    }

    @Test
    void i15_85_theFenceWaitsForAnOpenWriterTransaction() throws Exception {
        Assumptions.assumeFalse(dialect.equals("sqlite"), "SQLite has one writer at a time");
        ShardedDataSource ds = open();
        load(ds, 40);
        BucketPlacement target = grown(ds);
        Mover m = Resharding.of(ds).mover("players");
        m.start(target);
        int moving = movingPlayer(target);
        String update = "UPDATE players SET score = 4444, name = 'in flight' WHERE player_id = " + moving;
        Connection writer = ds.getConnection();
        open.add(writer);
        writer.setAutoCommit(false);
        try (Statement st = writer.createStatement()) {
            assertThat(st.executeUpdate(update)).isEqualTo(1);
        }
        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(500);
                writer.commit();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        m.switchOver();
        commit.get(15, TimeUnit.SECONDS);
        try (Connection r = shards.openReference(); Statement st = r.createStatement()) {
            st.executeUpdate(update);
        }
        m.cleanup(Duration.ZERO);
        assertPlacedAndEqual(target);
    }

    /** A player id in a bucket that moves, among the loaded ones. */
    static int movingPlayer(BucketPlacement target) {
        for (int p = 1; ; p++) {
            if (target.shardOf(p % B).compareTo("s4") >= 0) {
                return p;
            }
        }
    }

    static int stayingPlayer(BucketPlacement target) {
        for (int p = 1; ; p++) {
            if (target.shardOf(p % B).compareTo("s4") < 0) {
                return p;
            }
        }
    }

    static String sourceOf(ShardedDataSource ds, int player) throws SQLException {
        return Resharding.of(ds).placement("players").shardOf(player % B);
    }

    @Test
    void i15_86_aTableMissingOnATargetIsRefusedAndNothingIsLeftBehind() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 20);
        try (Connection c = ds.connectionTo("s5"); Statement st = c.createStatement()) {
            st.execute("DROP TABLE inventory");
        }
        Mover m = Resharding.of(ds).mover("players");
        assertThatThrownBy(() -> m.start(grown(ds))).isInstanceOf(SQLException.class)
                .hasFieldOrPropertyWithValue("SQLState", SqlStates.UNDEFINED_TABLE)
                .hasMessageContaining("table inventory is missing on s5: create it there");
        assertThat(m.status()).as("a refused start leaves no reshard in progress").isNull();
        for (int i = 0; i < SHARDS; i++) {
            assertThat(triggers(i)).as("s%d", i).isZero();
        }
        assertPlacedAndEqual(Resharding.of(ds).placement("players"));
    }

    @Test
    void i15_87_aTargetTableWithOtherColumnsIsRefused() throws Exception {
        ShardedDataSource ds = open();
        load(ds, 20);
        try (Connection c = ds.connectionTo("s6"); Statement st = c.createStatement()) {
            st.execute("DROP TABLE matches");
            st.execute(matchesDdl().replace("note TEXT", "note TEXT, extra INT"));
        }
        Mover m = Resharding.of(ds).mover("players");
        assertThatThrownBy(() -> m.start(grown(ds))).isInstanceOf(SQLException.class)
                .hasFieldOrPropertyWithValue("SQLState", SqlStates.DATA_CORRUPTED)
                .hasMessageContaining("table matches differs between")
                .hasMessageContaining("and s6")
                .hasMessageContaining("extra");
        assertThat(m.status()).as("a refused start leaves no reshard in progress").isNull();
    }

    @Test
    void i15_88_aTableWithoutPrimaryKeyIsRefused() throws Exception {
        ShardedDataSource ds = open();
        create(ds, playersDdl(), matchesDdl(), inventoryDdl(false));
        Mover m = Resharding.of(ds).mover("players");
        assertThatThrownBy(() -> m.plan(grown(ds))).isInstanceOf(SQLException.class)
                .hasFieldOrPropertyWithValue("SQLState", SqlStates.FEATURE_NOT_SUPPORTED)
                .hasMessageContaining("table inventory on s0 has no primary key");
        assertThatThrownBy(() -> m.start(grown(ds))).hasFieldOrPropertyWithValue("SQLState", SqlStates.FEATURE_NOT_SUPPORTED);
        assertThat(m.status()).as("a refused start leaves no reshard in progress").isNull();
        for (int i = 0; i < SHARDS; i++) {
            assertThat(triggers(i)).as("s%d", i).isZero();
        }
    }

    @Test
    void i15_89_aTargetOfAnotherKindOfDatabaseIsRefused() throws Exception {
        Assumptions.assumeFalse(dialect.equals("sqlite"), "the other kind here is SQLite");
        Path dir = Files.createTempDirectory("shardkit-mover-kind-");
        drop.add(() -> deleteTree(dir));
        for (int i = 4; i < SHARDS; i++) {
            Files.createFile(dir.resolve("s" + i + ".db"));
        }
        StringBuilder yaml = new StringBuilder("shards:\n");
        for (int i = 0; i < SHARDS; i++) {
            yaml.append("  - {name: s").append(i).append(", url: \"")
                    .append(i < 4 ? urls.get(i) : "jdbc:sqlite:" + dir.resolve("s" + i + ".db")).append('"');
            if (i < 4 && shards.user() != null) {
                yaml.append(", user: ").append(shards.user());
            }
            if (i < 4 && shards.password() != null) {
                yaml.append(", password: ").append(shards.password());
            }
            yaml.append("}\n");
        }
        yaml.append("tables:\n  players: {key: player_id, strategy: ").append(STRATEGY).append("}\n")
                .append("resharding: {control: s0, poll: 1h}\n");
        ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)));
        open.add(ds);
        for (int i = 0; i < SHARDS; i++) {
            try (Connection c = ds.connectionTo("s" + i); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(50))");
            }
        }
        Mover m = Resharding.of(ds).mover("players");
        assertThatThrownBy(() -> m.start(grown(ds))).isInstanceOf(SQLException.class)
                .hasFieldOrPropertyWithValue("SQLState", SqlStates.FEATURE_NOT_SUPPORTED)
                .hasMessageContaining("a move stays within one kind of database")
                .hasMessageContaining("to s4 (SQLITE)");
        assertThat(m.status()).as("a refused start leaves no reshard in progress").isNull();
        for (int i = 0; i < 4; i++) {
            assertThat(triggers(i)).as("s%d", i).isZero();
        }
    }

    /**
     * Not asserted: rows per second of a 100,000-row copy from one source to one target, chunk 1000
     * (group players, s0 → s1) and chunk 5000 (group scores, s2 → s3), and the switch's pause.
     * No cleanup: it is not what the figure measures (and deletes a row per round trip on MariaDB).
     */
    @Test
    void i15_90_copyThroughputOf100kRows() throws Exception {
        ShardedDataSource ds = open("  players: {key: player_id, strategy: {type: buckets, buckets: " + B
                + ", bucketOf: mod, shards: [s0]}}\n  scores: {key: player_id, strategy: {type: buckets, buckets: " + B
                + ", bucketOf: mod, shards: [s2]}}\n");
        int rows = 100_000;
        String[][] runs = {{"players", "s0", "s1", "1000"}, {"scores", "s2", "s3", "5000"}};
        for (String[] run : runs) {
            String ddl = "CREATE TABLE " + run[0] + " (player_id BIGINT PRIMARY KEY, name VARCHAR(50), score INT, joined BIGINT)";
            for (String s : List.of(run[1], run[2])) {
                try (Connection c = ds.connectionTo(s); Statement st = c.createStatement()) {
                    st.execute(ddl);
                }
            }
            try (Connection c = ds.connectionTo(run[1]); Statement st = c.createStatement()) {
                c.setAutoCommit(false);
                for (int from = 1; from <= rows; from += 1000) {
                    StringBuilder sql = new StringBuilder("INSERT INTO " + run[0] + " VALUES ");
                    for (int i = from; i < from + 1000; i++) {
                        sql.append(i == from ? "" : ", ").append('(').append(i).append(", 'player ").append(i).append("', ")
                                .append(i % 1000).append(", ").append(1_700_000_000_000L + i).append(')');
                    }
                    st.executeUpdate(sql.toString());
                }
                c.commit();
            }
            int chunk = Integer.parseInt(run[3]);
            BucketPlacement target = BucketPlacement.of(Collections.nCopies(B, run[2]));
            List<String> lines = new ArrayList<>();
            Mover m = Resharding.of(ds).mover(run[0]).chunk(chunk).progress(lines::add);
            long t0 = System.nanoTime();
            MoveStatus started = m.start(target);
            double secs = (System.nanoTime() - t0) / 1e9;
            long copied = started.pairs().get(0).rows();
            MoveStatus switched = m.switchOver();
            System.out.printf(Locale.ROOT, "FIGURE mover copy %s chunk=%d rows=%d rows/s=%.0f start=%.2fs pauseMillis=%d%n",
                    dialect, chunk, copied, copied / secs, secs, switched.pauseMillis());
            lines.stream().filter(l -> l.startsWith("copied")).forEach(l -> System.out.println("FIGURE mover " + dialect + " " + l));
            assertThat(copied).isEqualTo(rows);
            try (Connection c = shard(Integer.parseInt(run[2].substring(1))); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + run[0])) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(rows);
            }
        }
    }
}
