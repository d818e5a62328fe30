package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardMapException;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.BucketStrategy.BucketOf;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (foundation): {@code strategy: {type: buckets}} in the YAML map, with the default
 * placement or explicit bucket ranges, and its refusals, each naming the YAML path and line
 * (lines count from the first line of each text block).
 */
class BucketConfigTest {
    private static final String SOURCE = "test.yaml";
    private static final List<String> FOUR = List.of("s0", "s1", "s2", "s3");

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

    @Test
    void i15_10_loadsDefaultAndRangedPlacementsAndCoLocatesEqualOnes() throws Exception {
        ShardMap map = load(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy: {type: buckets, buckets: 4096, bucketOf: mod, shards: [s0, s1, s2, s3]}
                  matches:
                    key: player_id
                    strategy: {type: buckets, buckets: 4096}
                  sessions:
                    key: token
                    strategy: {type: buckets, buckets: 64, bucketOf: hash, shards: [s0, s1]}
                  events:
                    key: id
                    strategy:
                      type: buckets
                      buckets: 8
                      placement: {0-3: s2, 4: s0, 5-7: s1}
                  orders:
                    key: id
                    strategy: {type: buckets, buckets: 8, shards: [s2, s1, s0], placement: {"5-7": s1, "0-3": s2, "4": s0}}
                """);
        BucketStrategy players = (BucketStrategy) map.tables().get("players").strategy();
        assertThat(players).isEqualTo(new BucketStrategy(4096, BucketOf.MOD, FOUR));
        assertThat(map.tables().get("players").describe())
                .isEqualTo("players sharded by player_id: buckets 4096 (mod) over [s0, s1, s2, s3]");
        assertThat(map.tables().get("matches").strategy()).as("bucketOf mod and every shard by default; co-located")
                .isEqualTo(players);
        assertThat(map.tables().get("sessions").strategy()).isEqualTo(new BucketStrategy(64, BucketOf.HASH,
                List.of("s0", "s1")));
        BucketStrategy events = (BucketStrategy) map.tables().get("events").strategy();
        assertThat(events.describe()).isEqualTo("buckets 8 (mod) over [s2, s0, s1], placed 0-3: s2, 4: s0, 5-7: s1");
        assertThat(events.chooseShard("events", 12).shard()).as("12 mod 8 = 4").isEqualTo("s0");
        assertThat(events.chooseShard("events", -1).shard()).as("-1 mod 8 = 7").isEqualTo("s1");
        assertThat(events.chooseShard("events", 10).reason()).isEqualTo("bucket 2 (key mod 8) → s2");
        assertThat(map.tables().get("orders").strategy()).as("the same placement, written in another order")
                .isEqualTo(events);
    }

    @Test
    void i15_11_bucketCountThatIsNotAPowerOfTwoNamesPathAndLine() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                      buckets: 1000
                """, "tables.players.strategy.buckets: buckets must be a power of two from 1 to 1048576, got '1000' (line 15)");
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy: {type: buckets, buckets: 2097152}
                """, "tables.players.strategy.buckets: buckets must be a power of two from 1 to 1048576, got '2097152' (line 13)");
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                """, "tables.players.strategy.buckets: missing: buckets needs the number of buckets, a power of two"
                + " from 1 to 1048576 (line 13)");
    }

    @Test
    void i15_12_aHoleNamesTheFirstUnplacedBucket() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                      buckets: 16
                      placement:
                        0-4: s0
                        8-15: s1
                """, "tables.players.strategy.placement: bucket 5 is not placed (every bucket from 0 to 15 needs a shard)"
                + " (line 16)");
    }

    @Test
    void i15_13_aDoublyPlacedBucketIsNamedAtTheRangeThatPlacesItAgain() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                      buckets: 16
                      placement:
                        0-9: s0
                        10-15: s1
                        9: s2
                """, "tables.players.strategy.placement.9: bucket 9 is placed twice (also by '0-9') (line 19)");
    }

    @Test
    void i15_14_placementOnAnUnknownShardNamesPathAndLine() {
        assertProblem(FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                      buckets: 4
                      placement:
                        0-1: s0
                        2-3: s9
                """, "tables.players.strategy.placement.2-3: unknown shard 's9' (known: s0, s1, s2, s3) (line 18)");
    }

    @Test
    void i15_15_otherMistakesNamePathAndLine() {
        String head = FOUR_SHARDS + """
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                      buckets: 4
                """;
        assertProblem(head + "      bucketOf: crc32\n",
                "tables.players.strategy.bucketOf: unknown bucketOf 'crc32' (known: mod, hash) (line 16)");
        assertProblem(head + "      bounds: [1]\n", "tables.players.strategy.bounds: 'bounds' does not apply to a"
                + " buckets strategy (buckets takes: bucketOf, buckets, placement, shards, type) (line 16)");
        assertProblem(head + "      bucket: 4\n", "tables.players.strategy.bucket: unknown key 'bucket' (known: bounds,"
                + " bucketOf, buckets, class, default, placement, props, shards, type, values) (line 16)");
        assertProblem(head + "      placement: {0-3: s0, 4: s1}\n",
                "tables.players.strategy.placement.4: bucket 4 is outside 0-3 (line 16)");
        assertProblem(head + "      placement: {0-1: s0, 3-2: s1}\n",
                "tables.players.strategy.placement.3-2: range 3-2 runs backwards (line 16)");
        assertProblem(head + "      placement: {0-1: s0, 'two': s1}\n", "tables.players.strategy.placement.two:"
                + " expected a bucket (7) or an inclusive range of buckets (0-1023), got 'two' (line 16)");
        assertProblem(head + "      shards: [s0, s1]\n      placement: {0-1: s0, 2-3: s2}\n",
                "tables.players.strategy.placement.2-3: shard 's2' is not in the strategy's shards [s0, s1] (line 17)");
        assertProblem(head + "      shards: [s0, s1, s2]\n      placement: {0-1: s0, 2-3: s1}\n",
                "tables.players.strategy.shards[2]: shard 's2' holds no bucket of the placement (place buckets on it"
                        + " or leave it out) (line 16)");
        assertProblem(head + "      shards: [s0, s1, s0]\n",
                "tables.players.strategy: buckets strategy names a shard twice: [s0, s1, s0] (line 13)");
    }

    @Test
    void i15_16_aGrownPlacementWrittenAsRangesLoadsAsTheSameStrategy() throws Exception {
        BucketPlacement five = new BucketStrategy(4096, BucketOf.MOD, FOUR).grow(List.of("s0", "s1", "s2", "s3", "s4"));
        StringBuilder yaml = new StringBuilder(FOUR_SHARDS + """
                  - name: s4
                    url: jdbc:sqlite:target/t/s4.db
                tables:
                  players:
                    key: player_id
                    strategy:
                      type: buckets
                      buckets: 4096
                      placement:
                """);
        for (Map.Entry<String, String> e : five.ranges().entrySet()) {
            yaml.append("        \"").append(e.getKey()).append("\": ").append(e.getValue()).append('\n');
        }
        ShardMap map = load(yaml.toString());
        assertThat(map.tables().get("players").strategy()).isEqualTo(new BucketStrategy(five, BucketOf.MOD));
    }

    // ---- helpers ----

    private static ShardMap load(String yaml) throws ShardMapException {
        return YamlShardMap.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), SOURCE, v -> null);
    }

    private static void assertProblem(String yaml, String problem) {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> load(yaml));
        assertThat((Throwable) e).as("expected the map to be refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo("F0000");
        assertThat(e.problems()).containsExactly(problem);
    }
}
