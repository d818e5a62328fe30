package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardException;
import io.shardkit.ShardMapException;
import io.shardkit.strategy.SplitRule;
import io.shardkit.strategy.SplitRules;
import io.shardkit.strategy.Strategies;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: {@code split:} in the shard map: the issue's example loads into {@link TableRule#split()},
 * the name pattern and its placeholder, and every refusal names the YAML path and line with
 * SQLState F0000. Line numbers count from the first line of each text block.
 */
class SplitConfigTest {
    private static final String SOURCE = "split.yaml";

    /** Four shards on lines 1-9. */
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

    /** One shard on lines 1-3. */
    private static final String ONE_SHARD = """
            shards:
              - name: s0
                url: jdbc:sqlite:target/t/s0.db
            """;

    @Test
    void i14_20_theIssueExampleLoads() throws Exception {
        ShardMap map = load(FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                    split: {by: player_id, as: {type: mod, count: 16}, name: "matches_{n:02}"}
                  photos:
                    key: album_key
                    shard: s2
                    split: {by: album_key, as: {type: md5, chars: 2}, name: "photos_{hex}"}
                  orders:
                    key: customer_id
                    strategy: {type: hash, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                  players:
                    key: player_id
                    strategy: {type: mod}
                """);
        TableRule matches = map.tables().get("matches");
        assertThat(matches.isSplit()).isTrue();
        TableSplit m = matches.split();
        assertThat(m.column()).isEqualTo("player_id");
        assertThat(m.rule()).isEqualTo(SplitRules.mod(16, 2));
        assertThat(m.pattern()).isEqualTo("matches_{n:02}");
        assertThat(m.create()).isEqualTo(TableSplit.Create.NEVER);
        assertThat(m.ahead()).isZero();
        assertThat(m.template()).isNull();
        assertThat(m.physical("07")).isEqualTo("matches_07");
        assertThat(m.suffix("matches", 1042)).isEqualTo("02");
        assertThat(m.suffixOf("MATCHES_15")).isEqualTo("15");
        assertThat(m.suffixOf("matches_16")).isNull();
        assertThat(m.suffixOf("matches_7")).isNull();
        assertThat(m.suffixOf("matches")).isNull();
        assertThat(m.suffixOf("matches_")).isNull();
        assertThat(m.suffixOf("players_07")).isNull();
        assertThat(m.describe()).isEqualTo("matches_{n:02} by player_id: mod 16");
        assertThat(matches.describe()).isEqualTo("matches sharded by player_id: mod 4 over [s0, s1, s2, s3],"
                + " split into matches_{n:02} by player_id: mod 16");
        assertThat(map.tables().get("players").isSplit()).isFalse();
        assertThat(map.tables().get("players").split()).isNull();

        TableRule photos = map.tables().get("photos");
        assertThat(photos.kind()).isEqualTo(TableRule.Kind.SHARDED);
        assertThat(photos.strategy()).isEqualTo(Strategies.single("s2"));
        assertThat(photos.keyColumn()).isEqualTo("album_key");
        assertThat(photos.split().rule()).isEqualTo(SplitRules.md5(2));
        assertThat(photos.split().suffixOf("photos_a3")).isEqualTo("a3");
        assertThat(photos.split().suffixOf("photos_a")).isNull();
        assertThat(photos.describe()).isEqualTo("photos sharded by album_key: all rows on s2,"
                + " split into photos_{hex} by album_key: md5 2 hex chars");

        TableSplit orders = map.tables().get("orders").split();
        assertThat(orders.column()).isEqualTo("created_at");
        assertThat(map.tables().get("orders").keyColumn()).isEqualTo("customer_id");
        assertThat(orders.rule()).isEqualTo(SplitRules.calendar("month", ZoneOffset.UTC, "yyyyMM"));
        assertThat(orders.create()).isEqualTo(TableSplit.Create.NEVER);
        assertThat(orders.suffixOf("orders_202611")).isEqualTo("202611");
        assertThat(orders.suffixOf("orders_202613")).isNull();
        assertThat(orders.suffixOf("orders_archive")).isNull();
        assertThat(orders.physical(orders.suffix("orders", "2026-11-03 10:00:00"))).isEqualTo("orders_202611");
        assertThat(orders.rule().reason("2026-11-03")).isEqualTo("2026-11-03 in month 202611");
    }

    @Test
    void i14_21_oneDatabaseManyTablesAndTheOtherRules() throws Exception {
        ShardMap map = load(ONE_SHARD + """
                tables:
                  photos:
                    split: {by: Album_Key, as: {type: md5, chars: 1}, name: "Photos_{hex}"}
                  events:
                    key: id
                    split: {by: at, as: {type: week, zone: Asia/Tokyo}, name: "events_{yyyy'w'ww}", create: never}
                  regions:
                    key: id
                    split: {by: region, as: {type: list, values: {eu: [de, fr], us: us}}, name: "regions_{name}"}
                  ranged:
                    key: id
                    split: {as: {type: range, bounds: [100, 200]}, name: "ranged_p{n}"}
                  hashed:
                    key: id
                    split: {as: {type: hash, count: 4}, name: "hashed_{n}_t"}
                  custom:
                    key: id
                    split: {as: {class: io.shardkit.config.SplitConfigTest$Parity}, name: "custom_{name}"}
                """);
        TableRule photos = map.tables().get("photos");
        assertThat(photos.keyColumn()).as("the split column when there is no key").isEqualTo("album_key");
        assertThat(photos.strategy()).isEqualTo(Strategies.single("s0"));
        assertThat(photos.split().create()).isEqualTo(TableSplit.Create.NEVER);
        assertThat(photos.split().physical("c")).isEqualTo("photos_c");
        TableSplit events = map.tables().get("events").split();
        assertThat(events.rule()).isEqualTo(SplitRules.calendar("week", ZoneId.of("Asia/Tokyo"), "yyyy'w'ww"));
        assertThat(events.create()).isEqualTo(TableSplit.Create.NEVER);
        assertThat(events.suffixOf("events_2026w53")).isEqualTo("2026w53");
        assertThat(events.suffixOf("events_2027w53")).isNull();
        assertThat(events.rule().describe()).isEqualTo("week (Asia/Tokyo)");
        TableSplit regions = map.tables().get("regions").split();
        assertThat(regions.rule().suffixes()).containsExactly("eu", "us");
        assertThat(regions.suffix("regions", "us")).isEqualTo("us");
        assertThat(regions.suffixOf("regions_eu")).isEqualTo("eu");
        assertThat(regions.suffixOf("regions_jp")).isNull();
        ShardException e = catchThrowableOfType(ShardException.class, () -> regions.suffix("regions", "jp"));
        assertThat(e.getSQLState()).isEqualTo(ShardException.ROUTING);
        assertThat(e.getMessage()).isEqualTo("split list {eu=[de, fr], us=[us]} of table regions has no table for"
                + " value 'jp' (String) (split column region)");
        TableSplit ranged = map.tables().get("ranged").split();
        assertThat(ranged.column()).isEqualTo("id");
        assertThat(ranged.suffixOf("ranged_p2")).isEqualTo("2");
        assertThat(ranged.physical(ranged.suffix("ranged", 150))).isEqualTo("ranged_p1");
        TableSplit hashed = map.tables().get("hashed").split();
        assertThat(hashed.suffixOf("hashed_3_t")).isEqualTo("3");
        assertThat(hashed.suffixOf("hashed_4_t")).isNull();
        TableSplit custom = map.tables().get("custom").split();
        assertThat(custom.rule()).isInstanceOf(Parity.class);
        assertThat(custom.physical(custom.suffix("custom", 3))).isEqualTo("custom_odd");
        assertThat(custom.suffixOf("custom_even")).isEqualTo("even");
    }

    /** A user's split rule, named in YAML by class. */
    public static final class Parity implements SplitRule {
        @Override
        public String suffix(String table, Object value) throws ShardException {
            if (!(value instanceof Number n)) {
                throw new ShardException("parity of " + table + " needs a number", ShardException.ROUTING);
            }
            return n.longValue() % 2 == 0 ? "even" : "odd";
        }

        @Override
        public List<String> suffixes() {
            return List.of("even", "odd");
        }

        @Override
        public List<String> suffixesBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive) {
            return null;
        }

        @Override
        public String reason(Object value) {
            return value + " is " + value;
        }

        @Override
        public String describe() {
            return "parity";
        }
    }

    // ---- one refusal each: exact message, line and SQLState ----

    @Test
    void i14_22_unknownKeys() {
        assertProblems(FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod}
                    split:
                      by: player_id
                      as: {type: mod, count: 16, chars: 2}
                      name: "matches_{n}"
                      shape: odd
                """,
                "tables.matches.split.shape: unknown key 'shape' (known: as, by, create, name, template) (line 18)",
                "tables.matches.split.as.chars: 'chars' does not apply to a mod split (mod takes: count, type) (line 16)");
    }

    @Test
    void i14_23_missingNameAndRule() {
        assertProblems(FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod}
                    split:
                      by: player_id
                """,
                "tables.matches.split.name: missing: the physical table name pattern, e.g. \"matches_{n:02}\" (line 14)",
                "tables.matches.split.as: missing: the split rule, e.g. {type: mod, count: 16} (types: mod, hash, range,"
                        + " list, md5, day, week, month, year, class) (line 14)");
    }

    @Test
    void i14_24_placeholderMustFitTheRule() {
        assertProblem(split("{type: md5, chars: 2}", "matches_{n:02}"),
                "tables.matches.split.name: the placeholder {n:02} does not fit a md5 split (use {hex}) (line 14)");
        assertProblem(split("{type: mod, count: 4}", "matches_{hex}"),
                "tables.matches.split.name: the placeholder {hex} does not fit a mod split (use {n} or {n:0W}) (line 14)");
        assertProblem(split("{type: month}", "matches_{yyyyMMdd}"),
                "tables.matches.split.name: the placeholder {yyyyMMdd} does not fit a month split (use {yyyyMM}, {yyyy_MM})"
                        + " (line 14)");
        assertProblem(split("{type: day}", "matches_{n}"),
                "tables.matches.split.name: the placeholder {n} does not fit a day split (use {yyyyMMdd}, {yyyy_MM_dd})"
                        + " (line 14)");
        assertProblem(split("{type: list, values: {a: [1]}}", "matches_{n}"),
                "tables.matches.split.name: the placeholder {n} does not fit a list split (use {name}) (line 14)");
        assertProblem(split("{type: mod, count: 4}", "matches_{m}"),
                "tables.matches.split.name: unknown placeholder {m} in 'matches_{m}' (known: {n}, {n:0W}, {name}, {hex},"
                        + " {yyyyMMdd}, {yyyy_MM_dd}, {yyyy'w'ww}, {yyyyww}, {yyyy_ww}, {yyyyMM}, {yyyy_MM}, {yyyy}) (line 14)");
        assertProblem(split("{type: mod, count: 4}", "matches"),
                "tables.matches.split.name: the name pattern 'matches' has no placeholder ({n}, {n:02}, {name}, {hex},"
                        + " {yyyyMM}, ...) (line 14)");
    }

    @Test
    void i14_25_twoPlaceholders() {
        assertProblem(split("{type: month}", "orders_{yyyy}_{yyyyMM}"),
                "tables.matches.split.name: the name pattern 'orders_{yyyy}_{yyyyMM}' has more than one placeholder;"
                        + " write exactly one (line 14)");
    }

    @Test
    void i14_26_countAndChars() {
        assertProblem(split("{type: mod, count: 0}", "matches_{n}"),
                "tables.matches.split.as.count: expected a whole number of at least 1, got '0' (line 14)");
        assertProblem(split("{type: hash}", "matches_{n}"),
                "tables.matches.split.as.count: missing: how many physical tables (at least 1) (line 14)");
        assertProblem(split("{type: md5, chars: 9}", "matches_{hex}"),
                "tables.matches.split.as.chars: expected 1 to 8 hex characters, got 9 (line 14)");
        assertProblem(split("{type: md5, chars: 0}", "matches_{hex}"),
                "tables.matches.split.as.chars: expected a whole number of at least 1, got '0' (line 14)");
        assertProblem(split("{type: month, zone: Mars/Olympus}", "matches_{yyyyMM}"),
                "tables.matches.split.as.zone: unknown time zone 'Mars/Olympus' (write a region such as Asia/Tokyo, or UTC)"
                        + " (line 14)");
        assertProblem(split("{type: monthly}", "matches_{yyyyMM}"),
                "tables.matches.split.as.type: unknown split type 'monthly' (known: mod, hash, range, list, md5, day, week,"
                        + " month, year, class) (line 14)");
    }

    @Test
    void i14_27_patternNamingTheLogicalTable() {
        assertProblem(split("{type: list, values: {matches: [1], other: [2]}}", "{name}"),
                "tables.matches.split.name: the pattern '{name}' names a physical table 'matches', the same as the"
                        + " logical table; give the physical tables a different name (line 14)");
    }

    @Test
    void i14_28_splitWithArchiveOrBroadcast() {
        assertProblems(FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1]}
                    archive: {shards: [s2]}
                    split: {as: {type: mod, count: 4}, name: "matches_{n}"}
                """, "tables.matches.archive: a split table's archive moves whole period tables, so the split must be by"
                + " day, week, month or year (this one is mod 4) (line 14)", "tables.matches.archive.cutoff: missing: a"
                + " split table's archive needs a time cutoff on its split column (cutoff: {column: player_id, age: 90d} or"
                + " before: <date>) (line 14)");
        assertProblem(FOUR_SHARDS + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    archive: {shards: [s2], cutoff: {column: paid_at, age: 30d}}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                """, "tables.orders.archive.cutoff.column: a split table's archive moves whole period tables, so its"
                + " cutoff is on the split column created_at, not paid_at (line 14)");
        assertProblem(FOUR_SHARDS + """
                tables:
                  items:
                    broadcast: true
                    split: {as: {type: mod, count: 4}, name: "items_{n}"}
                """, "tables.items.split: a broadcast table cannot be split by name (a full copy is on every shard) (line 13)");
    }

    @Test
    void i14_118_aSplitByMonthTakesAnArchiveOfWholePeriods() throws Exception {
        ShardMap map = load(FOUR_SHARDS.replace("s2.db\n", "s2.db\n    readOnly: true\n    tier: archive\n")
                + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: mod, shards: [s0, s1]}
                    archive: {shards: [s2], id: order_id, cutoff: {column: created_at, age: 90d}}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                """);
        TableRule rule = map.tables().get("orders");
        assertThat(rule.isPeriodTiered()).isTrue();
        assertThat(rule.isTiered()).as("rows do not move one by one").isFalse();
        assertThat(rule.archive().shards()).containsExactly("s2");
    }

    @Test
    void i14_33_aheadLoadsAndAMissingTemplateIsAMapErrorNamingItsPath() throws Exception {
        ShardMap map = load(FOUR_SHARDS + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: hash, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: {ahead: 2}}
                """);
        TableSplit split = map.tables().get("orders").split();
        assertThat(split.create()).isEqualTo(TableSplit.Create.AHEAD);
        assertThat(split.ahead()).isEqualTo(2);
        assertThat(split.template()).isNull();
        assertThat(split.templateStatements()).isEmpty();
        assertProblems(FOUR_SHARDS + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: hash, shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}", create: {ahead: 2}, template: db/o.sql}
                """, "tables.orders.split.template: template 'db/o.sql' not found: neither a file nor a class path"
                + " resource (line 14)");
    }

    @Test
    void i14_34_aMapBuiltInJavaSplitsATieredTableOnlyByPeriod() {
        TableSplit split = new TableSplit("player_id", SplitRules.mod(4, 0), "matches_{n}", TableSplit.Create.NEVER, 0,
                null);
        TableRule tiered = TableRule.sharded("matches", "player_id", Strategies.mod("s0"))
                .withArchive(new Archive(List.of("a0"), "player_id", false, null, null, null));
        assertThatThrownBy(() -> tiered.withSplit(split)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a split table's archive moves whole period tables to its first archive shard: split"
                        + " matches by day, week, month or year");
    }

    @Test
    void i14_29_aheadIsForCalendarSplits() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod}
                    split: {as: {type: mod, count: 4}, name: "matches_{n}", create: {ahead: 2}}
                """, "tables.matches.split.create: create: {ahead: N} is for calendar splits (day, week, month, year),"
                + " not mod 4; use never or onFirstWrite (line 14)");
        assertProblem(FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod}
                    split: {as: {type: month}, name: "matches_{yyyyMM}", create: always}
                """, "tables.matches.split.create: expected never, onFirstWrite or {ahead: N}, got 'always' (line 14)");
    }

    @Test
    void i14_30_withoutStrategyOnlyOnOneDatabase() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  photos:
                    split: {by: album_key, as: {type: md5, chars: 2}, name: "photos_{hex}"}
                """, "tables.photos.shard: missing: a split table without a strategy lives whole on one database; name it"
                + " with shard: <name> (the map has 4 shards) (line 11)");
        assertProblem(FOUR_SHARDS + """
                tables:
                  photos:
                    shard: s9
                    split: {by: album_key, as: {type: md5, chars: 2}, name: "photos_{hex}"}
                """, "tables.photos.shard: unknown shard 's9' (known: s0, s1, s2, s3) (line 12)");
        assertProblem(ONE_SHARD + """
                tables:
                  photos:
                    split: {as: {type: md5, chars: 2}, name: "photos_{hex}"}
                """, "tables.photos.split.by: missing: the column whose value picks the physical table (the table has no"
                + " key to default to) (line 6)");
    }

    @Test
    void i14_31_aSplitTableInATenancyMapLivesInEachTenantsSchemaAndCannotBeShared() throws Exception {
        String pg = ONE_SHARD.replace("jdbc:sqlite:target/t/s0.db", "jdbc:postgresql://localhost/game");
        ShardMap map = load(pg + """
                tenancy:
                  schema: 'tenant_{tenant}'
                tables:
                  photos:
                    key: album_key
                    split: {as: {type: md5, chars: 2}, name: "photos_{hex}"}
                """);
        assertThat(map.tables().get("photos").isSplit()).isTrue();
        assertThat(map.tenancy().schemaOf("acme")).isEqualTo("tenant_acme");
        assertProblem(pg + """
                tenancy:
                  schema: 'tenant_{tenant}'
                  shared: [public.photos]
                tables:
                  photos:
                    key: album_key
                    split: {as: {type: md5, chars: 2}, name: "photos_{hex}"}
                """, "tenancy.shared[0]: 'public.photos' is split by name (tables.photos.split): a split table lives in"
                + " each tenant's schema, as its physical tables, and cannot be shared (line 6)");
    }

    @Test
    void i14_32_javaBuilderRules() {
        TableSplit s = new TableSplit("Player_ID", SplitRules.mod(16, 2), "Matches_{n:02}", TableSplit.Create.NEVER, 0, null);
        TableRule rule = TableRule.sharded("matches", "player_id", Strategies.mod("s0", "s1")).withSplit(s);
        assertThat(rule.split().column()).isEqualTo("player_id");
        assertThat(rule.split().physical("03")).isEqualTo("matches_03");
        assertThat(rule.withSplit(null).isSplit()).isFalse();
        assertThat(new TableRule("t", TableRule.Kind.SHARDED, "k", Strategies.mod("s0"), null).split()).isNull();
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> TableRule.broadcast("items").withSplit(s))).hasMessageContaining("only a sharded table can be split");
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new TableSplit("id", SplitRules.mod(4, 0), "t_{n}", TableSplit.Create.NEVER, 3, null)))
                .hasMessage("ahead is only for create AHEAD, got 3 with NEVER");
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> new TableSplit("id", SplitRules.mod(4, 0), "t_{n}", TableSplit.Create.AHEAD, 3, null)))
                .hasMessage("create AHEAD is for calendar splits (day, week, month, year), not mod 4");
        assertThat(new TableSplit("at", SplitRules.calendar("day", ZoneOffset.UTC, "yyyyMMdd"), "t_{yyyyMMdd}",
                TableSplit.Create.AHEAD, 3, null).ahead()).isEqualTo(3);
        assertThat(TableSplit.placeholder("x_{n:04}").width()).isEqualTo(4);
        assertThat(TableSplit.placeholder("x_{yyyy_MM}_y").kind()).isEqualTo("calendar");
        assertThat(s).isEqualTo(new TableSplit("player_id", SplitRules.mod(16, 2), "Matches_{n:02}",
                TableSplit.Create.NEVER, 0, null));
    }

    // ---- helpers ----

    /** A map whose {@code matches} table (line 11) has {@code split:} on line 14. */
    private static String split(String as, String name) {
        return FOUR_SHARDS + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: mod}
                    split: {as: %s, name: "%s"}
                """.formatted(as, name);
    }

    private static ShardMap load(String yaml) throws ShardMapException {
        return YamlShardMap.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), SOURCE, Map.<String, String>of()::get);
    }

    private static void assertProblem(String yaml, String problem) {
        assertProblems(yaml, problem);
    }

    private static void assertProblems(String yaml, String... problems) {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> load(yaml));
        assertThat((Throwable) e).as("expected the map to be refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo("F0000");
        assertThat(e.problems()).containsExactlyInAnyOrder(problems);
    }
}
