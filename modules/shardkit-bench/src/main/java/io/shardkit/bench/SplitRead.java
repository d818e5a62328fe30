package io.shardkit.bench;

import io.shardkit.ShardedDataSource;
import io.shardkit.config.ShardSpec;
import io.shardkit.config.TableRule;
import io.shardkit.config.TableSplit;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.SplitRules;
import io.shardkit.strategy.Strategies;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Split tables (issue 14): the same reads on one logical table stored unsplit ({@code players} on
 * each of 4 in-memory H2 shards) and split by name ({@code players_00..15} on each shard, the rows
 * of {@code player_id mod 16}), each through its own {@link ShardedDataSource} over the same shards.
 * {@link #point}: a reused prepared statement by key (the rewrite is cached, so the split read should
 * cost what the unsplit one does); {@link #top10}: {@code ORDER BY score DESC LIMIT 10} over 4 shards,
 * on the split side over 64 data nodes (a UNION ALL of 16 tables per shard); {@link #handTop10}: the
 * same over the 64 tables by hand (16 queries per shard, merged), as the floor of the split top-10.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 4, time = 2)
@State(Scope.Thread)
public class SplitRead {
    static final int SHARDS = 4;
    static final int TABLES = 16;
    static final int ROWS = 64_000;

    @Param({"unsplit", "split"})
    public String layout;

    private ShardedDataSource ds;
    private Connection connection;
    private PreparedStatement point;
    private PreparedStatement top;
    private Connection[] raw;
    /** {@link #handPoint}'s statements on the raw connections: by shard (unsplit), or by shard and table (split). */
    private PreparedStatement[] handPoints;
    private final long[] ids = new long[4096];
    private int next;
    /** The shards are loaded once per JVM: {@link PairedSplit} opens both layouts over the same shards. */
    private static boolean loaded;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        String[] urls = new String[SHARDS];
        raw = new Connection[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            urls[s] = "jdbc:h2:mem:split_s" + s + ";DB_CLOSE_DELAY=-1;LAZY_QUERY_EXECUTION=1";
            raw[s] = DriverManager.getConnection(urls[s], "sa", "");
            if (!loaded) {
                load(raw[s], s);
            }
        }
        loaded = true;
        ds = dataSource(urls, "sa", layout);
        connection = ds.getConnection();
        point = connection.prepareStatement("SELECT name, score FROM players WHERE player_id = ?");
        top = connection.prepareStatement("SELECT player_id, score FROM players ORDER BY score DESC LIMIT 10");
        boolean split = layout.equals("split");
        handPoints = new PreparedStatement[split ? SHARDS * TABLES : SHARDS];
        for (int i = 0; i < handPoints.length; i++) {
            String table = split ? String.format("players_%02d", i % TABLES) : "players";
            handPoints[i] = raw[split ? i / TABLES : i].prepareStatement("SELECT name, score FROM " + table
                    + " WHERE player_id = ?");
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextLong(ROWS);
        }
    }

    /**
     * The data source over shards s0..s3 at {@code urls}: {@code players} mod 4, split by name mod 16
     * ({@code split}) or not ({@code unsplit}), or in 4096 buckets placed as mod 4 places keys
     * ({@code buckets}: the same rows on the same shards).
     */
    static ShardedDataSource dataSource(String[] urls, String user, String layout) throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder().pool("maximumPoolSize", Contenders.MAX_POOL)
                .pool("minimumIdle", Contenders.MIN_IDLE);
        String[] names = new String[urls.length];
        for (int s = 0; s < urls.length; s++) {
            names[s] = "s" + s;
            b.shard(ShardSpec.of(names[s], urls[s]).withCredentials(user, ""));
        }
        TableRule rule = TableRule.sharded("players", "player_id", layout.equals("buckets")
                ? Strategies.buckets(4096, BucketStrategy.BucketOf.MOD, names) : Strategies.mod(names));
        if (layout.equals("split")) {
            rule = rule.withSplit(new TableSplit("player_id", SplitRules.mod(TABLES, 2), "players_{n:02}",
                    TableSplit.Create.NEVER, 0, null));
        }
        return b.table(rule).build();
    }

    private static void load(Connection c, int shard) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS players");
            st.execute("CREATE TABLE players (player_id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL, score BIGINT NOT NULL)");
            st.execute("INSERT INTO players SELECT X, CONCAT('player', X), MOD(X * 7919, 1000003) FROM SYSTEM_RANGE(0, "
                    + (ROWS - 1) + ") WHERE MOD(X, " + SHARDS + ") = " + shard);
            st.execute("CREATE INDEX players_score ON players (score)");
            for (int t = 0; t < TABLES; t++) {
                String name = String.format("players_%02d", t);
                st.execute("DROP TABLE IF EXISTS " + name);
                st.execute("CREATE TABLE " + name + " (player_id BIGINT PRIMARY KEY, name VARCHAR(32) NOT NULL,"
                        + " score BIGINT NOT NULL)");
                st.execute("INSERT INTO " + name + " SELECT * FROM players WHERE MOD(player_id, " + TABLES + ") = " + t);
                st.execute("CREATE INDEX " + name + "_score ON " + name + " (score)");
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        for (PreparedStatement ps : handPoints) {
            ps.close();
        }
        connection.close();
        ds.close();
        for (Connection c : raw) {
            c.close();
        }
    }

    @Benchmark
    public long point() throws SQLException {
        point.setLong(1, ids[next++ & (ids.length - 1)]);
        return read(point);
    }

    /**
     * The point read by hand on the raw connections: the key's shard ({@code key mod 4}) and, split,
     * its table ({@code key mod 16}), each a statement prepared once. What the database itself costs
     * for the layout, without shardkit.
     */
    @Benchmark
    public long handPoint() throws SQLException {
        long key = ids[next++ & (ids.length - 1)];
        int shard = (int) (key % SHARDS);
        PreparedStatement ps = handPoints[handPoints.length == SHARDS ? shard : shard * TABLES + (int) (key % TABLES)];
        ps.setLong(1, key);
        return read(ps);
    }

    @Benchmark
    public long top10() throws SQLException {
        return read(top);
    }

    /** The split top-10 written by hand over the 64 physical tables on the raw connections (the layout is ignored). */
    @Benchmark
    public long handTop10() throws SQLException {
        long[] best = new long[10];
        long[] bestId = new long[10];
        int n = 0;
        for (Connection c : raw) {
            for (int t = 0; t < TABLES; t++) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(String.format(
                        "SELECT player_id, score FROM players_%02d ORDER BY score DESC LIMIT 10", t))) {
                    while (rs.next()) {
                        long score = rs.getLong(2);
                        int at = n < 10 ? n++ : 9;
                        if (at == 9 && n == 10 && score <= best[9]) {
                            continue;
                        }
                        best[at] = score;
                        bestId[at] = rs.getLong(1);
                        for (int i = at; i > 0 && best[i] > best[i - 1]; i--) {
                            long s = best[i];
                            best[i] = best[i - 1];
                            best[i - 1] = s;
                            long id = bestId[i];
                            bestId[i] = bestId[i - 1];
                            bestId[i - 1] = id;
                        }
                    }
                }
            }
        }
        long h = 0;
        for (int i = 0; i < 10; i++) {
            h = h * 31 + bestId[i];
        }
        return h;
    }

    private static long read(PreparedStatement ps) throws SQLException {
        long h = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                h = h * 31 + rs.getLong(2);
            }
        }
        return h;
    }
}
