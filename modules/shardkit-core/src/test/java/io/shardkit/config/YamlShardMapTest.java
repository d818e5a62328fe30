package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.Candidates;
import io.shardkit.IdChooser;
import io.shardkit.ShardChoice;
import io.shardkit.ShardChooser;
import io.shardkit.ShardMapException;
import io.shardkit.ShardedDataSource;
import io.shardkit.config.TableRule.Kind;
import io.shardkit.strategy.CustomStrategy;
import io.shardkit.strategy.ListStrategy;
import io.shardkit.strategy.ModStrategy;
import io.shardkit.strategy.RangeStrategy;
import io.shardkit.strategy.Strategies;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The YAML loader: the example map loads, variables are replaced, and every refusal names the
 * YAML path and line with a stable message and SQLState F0000. Line numbers in the expected
 * messages count from the first line of each text block.
 */
public class YamlShardMapTest {
    private static final String SOURCE = "test.yaml";
    private static final String KNOWN_4 = "(known: s0, s1, s2, s3)";

    /** Four shards on lines 1-9, for maps whose mistakes come after them. */
    private static final String FOUR_SHARDS = """
            shards:
              - name: s0
                url: jdbc:sqlite:target/t/s0.db
              - name: s1
                url: jdbc:sqlite:target/t/s1.db
              - name: s2
                url: jdbc:sqlite:target/t/s2.db
              - name: s3
                url: jdbc:sqlite:target/t/s3.db
            """;

    // ---- maps that load ----

    @Test
    void loadsTheGameMap() throws Exception {
        Path file = Path.of(System.getProperty("shardkit.repo.root"), "shard-config", "game-sqlite.yaml");
        ShardMap map = YamlShardMap.load(file);

        assertThat(map.shardNames()).containsExactly("s0", "s1", "s2", "s3");
        assertThat(map.shards()).allSatisfy(s -> {
            assertThat(s.url()).startsWith("jdbc:sqlite:").endsWith("/" + s.name() + ".db");
            assertThat(s.tier()).isEqualTo(ShardSpec.HOT);
            assertThat(s.readOnly()).isFalse();
        });
        assertThat(map.pool()).containsExactly(Map.entry("maximumPoolSize", "8"));
        assertThat(map.tables()).containsOnlyKeys("players", "matches", "items", "audit_log");

        TableRule players = map.tables().get("players");
        assertThat(players.kind()).isEqualTo(Kind.SHARDED);
        assertThat(players.keyColumn()).isEqualTo("player_id");
        assertThat(players.strategy()).isInstanceOf(ModStrategy.class)
                .isEqualTo(Strategies.mod("s0", "s1", "s2", "s3"));
        assertThat(players.describe()).isEqualTo("players sharded by player_id: mod 4 over [s0, s1, s2, s3]");
        assertThat(map.tables().get("matches").strategy()).as("co-located with players").isEqualTo(players.strategy());
        assertThat(map.tables().get("items").kind()).isEqualTo(Kind.BROADCAST);
        assertThat(map.tables().get("audit_log").kind()).isEqualTo(Kind.PINNED);
        assertThat(map.tables().get("audit_log").shard()).isEqualTo("s0");
        assertThat(map.defaultShard()).isEqualTo("s0");
    }

    @Test
    void gameMapTakesItsDataDirectoryFromTheEnvironment() throws Exception {
        ShardMap map = load(read("shard-config/game-sqlite.yaml"), Map.of("SHARDKIT_DATA", "/var/game"));
        assertThat(map.shards().get(2).url()).isEqualTo("jdbc:sqlite:/var/game/s2.db");
    }

    @Test
    void replacesVariablesWithTheEnvironmentOrTheirDefaults() throws Exception {
        String yaml = """
                shards:
                  - name: ${SHARD_PREFIX:-s}0
                    url: jdbc:postgresql://${PGHOST:-localhost}:${PGPORT:-5432}/game
                    user: ${PGUSER}
                    password: ${PGPASSWORD:-}
                    readOnly: ${READ_ONLY:-false}
                    tier: ${TIER:-hot}
                    properties:
                      ssl: ${PGSSL:-true}
                pool:
                  maximumPoolSize: ${POOL_SIZE:-4}
                defaultShard: s0
                """;
        ShardMap map = load(yaml, Map.of("PGHOST", "db.internal", "PGUSER", "game", "READ_ONLY", "true"));
        ShardSpec s = map.shards().get(0);
        assertThat(s.name()).isEqualTo("s0");
        assertThat(s.url()).isEqualTo("jdbc:postgresql://db.internal:5432/game");
        assertThat(s.user()).isEqualTo("game");
        assertThat(s.password()).isEmpty();
        assertThat(s.readOnly()).isTrue();
        assertThat(s.tier()).isEqualTo("hot");
        assertThat(s.properties()).containsExactly(Map.entry("ssl", "true"));
        assertThat(map.pool()).containsExactly(Map.entry("maximumPoolSize", "4"));
    }

    @Test
    void readsRangeListAndHashStrategies() throws Exception {
        String yaml = FOUR_SHARDS + """
                tables:
                  events:
                    key: day
                    strategy: {type: range, bounds: [100, 200, 300], shards: [s0, s1, s2, s3]}
                  names:
                    key: name
                    strategy: {type: range, bounds: ['100', m], shards: [s0, s1, s1]}
                  accounts:
                    key: region
                    strategy: {type: list, values: {eu: s0, us: s1, 7: s2}, default: s3}
                  sessions:
                    key: session_id
                    strategy: {type: hash}
                  Archive:
                    shard: s3
                    broadcast: false
                """;
        ShardMap map = load(yaml, Map.of());
        assertThat(map.tables().get("events").strategy())
                .isEqualTo(Strategies.range(List.of(100L, 200L, 300L), List.of("s0", "s1", "s2", "s3")));
        assertThat(map.tables().get("names").strategy()).as("a quoted number is a string bound")
                .isInstanceOf(RangeStrategy.class)
                .isEqualTo(Strategies.range(List.of("100", "m"), List.of("s0", "s1", "s1")));
        assertThat(map.tables().get("accounts").strategy()).isInstanceOf(ListStrategy.class)
                .isEqualTo(Strategies.list(Map.of("eu", "s0", "us", "s1", "7", "s2"), "s3"));
        assertThat(map.tables().get("sessions").strategy()).as("hash over every shard by default")
                .isEqualTo(Strategies.hash("s0", "s1", "s2", "s3"));
        assertThat(map.tables().get("archive").shard()).isEqualTo("s3");
        assertThat(map.defaultShard()).isNull();
    }

    @Test
    void makesAUserClassWithItsShardsAndProps() throws Exception {
        String yaml = FOUR_SHARDS + """
                tables:
                  orders:
                    key: tenant_id
                    strategy:
                      class: io.shardkit.config.YamlShardMapTest$ByTenant
                      shards: [s1, s2]
                      props: {premium: acme, spread: 2}
                """;
        ShardMap map = load(yaml, Map.of());
        CustomStrategy strategy = (CustomStrategy) map.tables().get("orders").strategy();
        ByTenant chooser = (ByTenant) strategy.chooser();
        assertThat(chooser.shards).containsExactly("s1", "s2");
        assertThat(chooser.props).containsOnly(Map.entry("premium", "acme"), Map.entry("spread", "2"));
        assertThat(strategy.shards()).containsExactly("s1", "s2");
        assertThat(strategy.chooseShard("orders", "acme").shard()).isEqualTo("s1");
        assertThat(strategy.candidates("orders", "other").shards()).containsExactly("s2");
    }

    /** A user chooser as a YAML map names it: premium tenant on the first shard, others on the second. */
    public static final class ByTenant implements ShardChooser, IdChooser {
        final List<String> shards;
        final Map<String, String> props;

        public ByTenant(List<String> shards, Map<String, String> props) {
            this.shards = shards;
            this.props = props;
        }

        @Override
        public ShardChoice chooseShard(String table, Object key) {
            String shard = key.equals(props.get("premium")) ? shards.get(0) : shards.get(1);
            return new ShardChoice(shard, "tenant " + key);
        }

        @Override
        public Candidates candidates(String table, Object key) {
            return Candidates.of(chooseShard(table, key).shard(), "tenant " + key);
        }
    }

    // ---- one refusal each: exact message, line and SQLState ----

    @Test
    void unknownShardInStrategyShards() {
        String yaml = FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: mod
                      shards: [s0, s1, s9, s3]
                """;
        ShardMapException e = refused(yaml);
        assertThat(e.problems()).containsExactly(
                "tables.players.strategy.shards[2]: unknown shard 's9' " + KNOWN_4 + " (line 15)");
        assertThat(e.getMessage()).isEqualTo("invalid shard map test.yaml: " + e.problems().get(0));
    }

    @Test
    void engineSettingsLoadAndAreChecked() throws Exception {
        ShardMap map = load(FOUR_SHARDS + """
                settings:
                  analysisCacheSize: 500
                  scatterThreads: 3
                  mergeRowLimit: ${ROWS:-20000}
                """, Map.of());
        assertThat(map.settings()).isEqualTo(new Settings(500, 3, 20_000));
        assertThat(load(FOUR_SHARDS, Map.of()).settings()).isEqualTo(Settings.DEFAULTS);
        assertProblem(FOUR_SHARDS + """
                settings:
                  mergeRowLimit: 0
                """, "settings.mergeRowLimit: expected a whole number of at least 1, got '0' (line 11)");
        assertProblem(FOUR_SHARDS + """
                settings:
                  threads: 4
                """, "settings.threads: unknown key 'threads' (known: analysisCacheSize, mergeMemory, mergeRowLimit, runtimeConnectionCap, runtimeIdleTimeout, scatterThreads) (line 11)");
    }

    @Test
    void i11_mem10_mergeMemoryTakesBytesUnitsOrAHeapShare() throws Exception {
        assertThat(Settings.DEFAULTS.mergeMemory()).as("default: a quarter of the maximum heap")
                .isEqualTo(Runtime.getRuntime().maxMemory() / 4 >> 20 << 20);
        String[][] sizes = {{"67108864", "67108864"}, {"64MB", "67108864"}, {"512 KB", "524288"}, {"1gb", "1073741824"},
                {"'100 B'", "100"}, {"${MEM:-2MB}", "2097152"},
                {"25%", Long.toString(Runtime.getRuntime().maxMemory() / 100 * 25)}};
        for (String[] size : sizes) {
            ShardMap map = load(FOUR_SHARDS + "settings:\n  mergeMemory: " + size[0] + "\n", Map.of());
            assertThat(map.settings().mergeMemory()).as(size[0]).isEqualTo(Long.parseLong(size[1]));
            assertThat(map.settings().mergeRowLimit()).isEqualTo(Settings.DEFAULTS.mergeRowLimit());
        }
        for (String bad : new String[] {"0", "64 MiB", "-1", "101%", "lots", "99999999999GB"}) {
            assertProblem(FOUR_SHARDS + "settings:\n  mergeMemory: " + bad + "\n", "settings.mergeMemory: expected a"
                    + " size in bytes of at least 1 (67108864, 64MB, 512KB, 1GB) or a share of the maximum heap (1% to"
                    + " 100%), got '" + bad + "' (line 11)");
        }
        ShardMap built = ShardedDataSource.builder().shard("s0", "jdbc:sqlite:target/t/s0.db").mergeMemory(1234).map();
        assertThat(built.settings().mergeMemory()).isEqualTo(1234);
    }

    @Test
    void duplicateShardName() {
        assertProblem("""
                shards:
                  - name: s0
                    url: jdbc:sqlite:target/t/s0.db
                  - name: s0
                    url: jdbc:sqlite:target/t/s0b.db
                """, "shards[1].name: duplicate shard 's0' (also shards[0]) (line 4)");
    }

    @Test
    void missingShardKey() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    strategy: {type: mod}
                """, "tables.players.key: missing: a sharded table needs a shard key column"
                + " (or say broadcast: true or shard: <name>) (line 11)");
    }

    @Test
    void missingUrl() {
        assertProblem("""
                shards:
                  - name: s0
                    url: jdbc:sqlite:target/t/s0.db
                  - name: s1
                    user: game
                """, "shards[1].url: missing: every shard needs a JDBC URL (jdbc:<driver>:<database>) (line 4)");
    }

    @Test
    void missingShardName() {
        assertProblem("""
                shards:
                  - url: jdbc:sqlite:target/t/s0.db
                """, "shards[0].name: missing: every shard needs a name (line 2)");
    }

    @Test
    void malformedUrl() {
        assertProblem("""
                shards:
                  - name: s0
                    url: foo
                """, "shards[0].url: malformed JDBC URL 'foo' (expected jdbc:<driver>:<database>) (line 3)");
    }

    @Test
    void urlNoDriverAccepts() {
        assertProblem("""
                shards:
                  - name: s0
                    url: jdbc:nosuchdb://localhost/game
                """, "shards[0].url: no JDBC driver on the class path accepts 'jdbc:nosuchdb://localhost/game' (line 3)");
    }

    @Test
    void unknownStrategyType() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: modulo
                """, "tables.players.strategy.type: unknown strategy 'modulo' (known: mod, hash, range, list, buckets, class) (line 14)");
    }

    @Test
    void strategyKeyThatDoesNotApplyToItsType() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: mod
                      default: s0
                """, "tables.players.strategy.default: 'default' does not apply to a mod strategy"
                + " (mod takes: shards, type) (line 15)");
    }

    @Test
    void userClassNotFound() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      class: com.example.NoSuchChooser
                """, "tables.players.strategy.class: class com.example.NoSuchChooser not found on the class path (line 14)");
    }

    @Test
    void userClassOfTheWrongType() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: class
                      class: java.lang.String
                """, "tables.players.strategy.class: class java.lang.String implements none of ShardChooser,"
                + " IdChooser, QueryChooser (line 15)");
    }

    @Test
    void userClassPropWithoutValue() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      class: io.shardkit.config.YamlShardMapTest$ByTenant
                      props:
                        premium:
                """, "tables.players.strategy.props.premium: no value (write '' for an empty one) (line 16)");
    }

    @Test
    void unknownPoolSetting() {
        assertProblem(FOUR_SHARDS + """
                pool:
                  maxPoolSize: 8
                """, "pool.maxPoolSize: unknown pool setting 'maxPoolSize' (known: " + String.join(", ", PoolSettings.KNOWN.keySet())
                + ") (line 11)");
    }

    @Test
    void nonIntegerPoolValue() {
        assertProblem("""
                shards:
                  - name: s0
                    url: jdbc:sqlite:target/t/s0.db
                    pool:
                      connectionTimeout: 30s
                """, "shards[0].pool.connectionTimeout: pool setting 'connectionTimeout' must be an integer, got '30s' (line 5)");
    }

    @Test
    void unknownTopLevelKey() {
        assertProblem(FOUR_SHARDS + """
                table:
                  players: {broadcast: true}
                """, "table: unknown key 'table' (known: defaultShard, pool, resharding, settings, shards, tables, tenancy) (line 10)");
    }

    @Test
    void unsetEnvironmentVariableIsReportedOnce() {
        assertProblem("""
                shards:
                  - name: s0
                    url: ${SHARD0_URL}
                """, "shards[0].url: environment variable SHARD0_URL is not set (write ${SHARD0_URL:-default}"
                + " to give a default) (line 3)");
    }

    @Test
    void tierIsHotOrArchive() {
        assertProblem("""
                shards:
                  - name: s0
                    url: jdbc:sqlite:target/t/s0.db
                    tier: warm
                """, "shards[0].tier: unknown tier 'warm' (known: hot, archive) (line 4)");
    }

    @Test
    void tablePinnedToUnknownShard() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players: {broadcast: true}
                  AuditLog:
                    shard: s9
                """, "tables.auditlog.shard: unknown shard 's9' " + KNOWN_4 + " (line 13)");
    }

    @Test
    void tableThatIsBothBroadcastAndSharded() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  items:
                    broadcast: true
                    key: item_id
                """, "tables.items: a table is either sharded (key + strategy), broadcast: true, or pinned (shard: name);"
                + " this one says more than one (line 11)");
    }

    @Test
    void unknownDefaultShard() {
        assertProblem(FOUR_SHARDS + """
                defaultShard: s4
                """, "defaultShard: unknown shard 's4' " + KNOWN_4 + " (line 10)");
    }

    @Test
    void floatRangeBound() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  events:
                    key: day
                    strategy: {type: range, bounds: [1.5], shards: [s0, s1]}
                """, "tables.events.strategy.bounds[0]: range bounds are integers or strings, got 1.5"
                + " (quote it to compare keys as text) (line 13)");
    }

    @Test
    void invalidYamlSyntax() {
        ShardMapException e = refused("""
                shards:
                  - name: s0
                    url: jdbc:sqlite:target/t/s0.db
                   tier: hot
                """);
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).isEqualTo("shards[0].url: not valid YAML after this value: while parsing a block collection, expected <block end>,"
                + " but found '<block mapping start>' (line 4)");
        assertThat(e.getMessage()).startsWith("invalid shard map test.yaml: shards[0].url: not valid YAML after this value: ");
    }

    @Test
    void emptyFile() {
        assertThat(refused("# nothing here\n").problems()).containsExactly("(root): the file is empty (line 1)");
    }

    @Test
    void reportsEveryMistakeOfAFileAtOnce() {
        String yaml = """
                shards:
                  - name: s0
                    url: jdbc:sqlite:target/t/s0.db
                  - name: s1
                    url: foo
                  - name: s0
                    url: jdbc:sqlite:target/t/s2.db
                    tier: cold
                pool:
                  maximumPoolSize: many
                tables:
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s7]}
                  audit_log:
                    shard: s5
                defaultShard: s6
                colour: blue
                """;
        ShardMapException e = refused(yaml);
        assertThat(e.problems()).containsExactlyInAnyOrder(
                "colour: unknown key 'colour' (known: defaultShard, pool, resharding, settings, shards, tables, tenancy) (line 18)",
                "tables.players.strategy.shards[1]: unknown shard 's7' (known: s0, s1) (line 14)",
                "shards[1].url: malformed JDBC URL 'foo' (expected jdbc:<driver>:<database>) (line 5)",
                "shards[2].name: duplicate shard 's0' (also shards[0]) (line 6)",
                "shards[2].tier: unknown tier 'cold' (known: hot, archive) (line 8)",
                "pool.maximumPoolSize: pool setting 'maximumPoolSize' must be an integer, got 'many' (line 10)",
                "tables.audit_log.shard: unknown shard 's5' (known: s0, s1) (line 16)",
                "defaultShard: unknown shard 's6' (known: s0, s1) (line 17)");
        assertThat(e.getMessage()).startsWith("invalid shard map test.yaml: 8 problems\n  ");
    }

    // ---- the Java builder is checked the same way ----

    @Test
    void builderRefusesAStrategyOverAnUnknownShard() {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> ShardedDataSource.builder()
                .shard("s0", "jdbc:sqlite:target/t/b0.db")
                .shard("s1", "jdbc:sqlite:target/t/b1.db")
                .sharded("players", "player_id", Strategies.mod("s0", "s9"))
                .build());
        assertThat((Throwable) e).isNotNull();
        assertThat(e.getSQLState()).isEqualTo("F0000");
        assertThat(e.problems()).containsExactly("tables.players.strategy.shards[1]: unknown shard 's9' (known: s0, s1)");
        assertThat(e.getMessage()).isEqualTo("invalid shard map (built in Java): " + e.problems().get(0));
    }

    // ---- helpers ----

    private static ShardMap load(String yaml, Map<String, String> env) throws ShardMapException {
        return YamlShardMap.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), SOURCE, env::get);
    }

    private static ShardMapException refused(String yaml) {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> load(yaml, Map.of()));
        assertThat((Throwable) e).as("expected the map to be refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo(ShardMapException.SQL_STATE).isEqualTo("F0000");
        return e;
    }

    private static void assertProblem(String yaml, String problem) {
        ShardMapException e = refused(yaml);
        assertThat(e.problems()).containsExactly(problem);
        assertThat(e.getMessage()).isEqualTo("invalid shard map " + SOURCE + ": " + problem);
    }

    private static String read(String repoPath) throws Exception {
        return Files.readString(Path.of(System.getProperty("shardkit.repo.root"), repoPath));
    }
}
