package io.shardkit.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardException;
import io.shardkit.strategy.BucketStrategy.BucketOf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (foundation): the buckets strategy routes like {@code mod} for every key and shard
 * count dividing B, its bucket function is pinned by golden values, it says the bucket in its
 * reason, its equality decides co-location, and {@link BucketPlacement#grow} moves the fewest
 * buckets, only onto new shards.
 */
class BucketStrategyTest {
    private static final String T = "players";
    private static final List<String> FOUR = List.of("s0", "s1", "s2", "s3");
    private static final List<String> EIGHT = List.of("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7");
    private static final List<String> FIVE = List.of("s0", "s1", "s2", "s3", "s4");

    private static List<String> shards(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("s" + i);
        }
        return out;
    }

    @Test
    void i15_01_routesEveryKeyToTheShardModWouldForEveryShardCount() throws Exception {
        Random random = new Random(15);
        List<Object> keys = new ArrayList<>(List.of(0L, 1L, -1L, 4095L, 4096L, 4097L, -4096L, -4097L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 4095, Long.MIN_VALUE + 4096));
        for (int i = 0; i < 20_000; i++) {
            long k = random.nextLong();
            keys.add(k);
            keys.add(k >> random.nextInt(63)); // small and large magnitudes alike
        }
        for (int i = 0; i < 2_000; i++) {
            long k = random.nextLong() >> random.nextInt(63);
            keys.add(Integer.valueOf((int) k));
            keys.add(BigInteger.valueOf(k));
            keys.add(Long.toString(k));
            keys.add(" " + k + " ");
        }
        keys.add((short) -7);
        keys.add((byte) 9);
        keys.add(new BigDecimal("42.000"));
        keys.add(-8.0);
        for (int n : new int[] {1, 2, 4, 8, 16}) {
            Strategy mod = new ModStrategy(shards(n));
            Strategy buckets = new BucketStrategy(4096, BucketOf.MOD, shards(n));
            for (Object key : keys) {
                String expected = mod.chooseShard(T, key).shard();
                assertThat(buckets.chooseShard(T, key).shard()).as("key %s (%s) over %d shards", key,
                        key.getClass().getSimpleName(), n).isEqualTo(expected);
                assertThat(buckets.candidates(T, key).shards()).as("candidates of %s", key).containsExactly(expected);
            }
        }
    }

    @Test
    void i15_02_refusesTheKeysModRefusesTheSameWay() {
        Strategy mod = new ModStrategy(FOUR);
        Strategy buckets = new BucketStrategy(4096, BucketOf.MOD, FOUR);
        for (Object key : List.<Object>of("abc", new BigDecimal("4.5"), new BigInteger("99999999999999999999"), 2.5,
                "", "0x10", List.of(1))) {
            KeyTypeException m = catchThrowableOfType(KeyTypeException.class, () -> mod.chooseShard(T, key));
            KeyTypeException b = catchThrowableOfType(KeyTypeException.class, () -> buckets.chooseShard(T, key));
            KeyTypeException c = catchThrowableOfType(KeyTypeException.class, () -> buckets.candidates(T, key));
            assertThat((Throwable) m).as("mod refuses %s", key).isNotNull();
            assertThat((Throwable) b).as("buckets refuses %s", key).isNotNull();
            assertThat((Throwable) c).as("buckets candidates refuse %s", key).isNotNull();
            assertThat(b.getSQLState()).isEqualTo(m.getSQLState()).isEqualTo(ShardException.ROUTING);
            assertThat(b.getMessage()).isEqualTo(m.getMessage().replace("mod strategy", "buckets strategy"));
        }
        assertThat(catchThrowableOfType(KeyTypeException.class, () -> buckets.chooseShard(T, "abc")).getMessage())
                .isEqualTo("buckets strategy of table players needs an integer shard key, got 'abc' (String)");
    }

    /**
     * The stable bucket function: these numbers must never change across versions and JVMs, since
     * rows sit on the shards their buckets name. mod: {@code floorMod(key, B)}; hash: FNV-1a 64 of
     * the key's canonical text, unsigned, mod B (checked against an independent implementation
     * when the values were written).
     */
    @Test
    void i15_03_bucketFunctionIsPinnedByGoldenValues() throws Exception {
        Object[][] golden = {
            // key, mod 4096, hash 4096, hash 1048576
            {0L, 0, 3247, 105647},
            {1L, 1, 2812, 105212},
            {-1L, 4095, 299, 512299},
            {42L, 42, 547, 102947},
            {1042L, 1042, 230, 180454},
            {4095L, 4095, 3295, 797919},
            {4096L, 0, 3730, 798354},
            {4097L, 1, 69, 798789},
            {-4096L, 0, 1259, 615659},
            {-4097L, 4095, 824, 615224},
            {Long.MAX_VALUE, 4095, 2379, 59723},
            {Long.MIN_VALUE, 0, 2937, 117625},
            {123456789012345L, 3961, 3415, 474455},
        };
        BucketStrategy mod = new BucketStrategy(4096, BucketOf.MOD, FOUR);
        BucketStrategy hash = new BucketStrategy(4096, BucketOf.HASH, FOUR);
        for (Object[] g : golden) {
            Object key = g[0];
            assertThat(BucketStrategy.bucket(BucketOf.MOD, 4096, T, key)).as("mod bucket of %s", key).isEqualTo(g[1]);
            assertThat(mod.bucket(T, key)).as("mod bucket of %s", key).isEqualTo(g[1]);
            assertThat(BucketStrategy.bucket(BucketOf.HASH, 4096, T, key)).as("hash bucket of %s", key).isEqualTo(g[2]);
            assertThat(hash.bucket(T, key)).as("hash bucket of %s", key).isEqualTo(g[2]);
            assertThat(BucketStrategy.bucket(BucketOf.HASH, 1 << 20, T, key)).as("hash of %s, 2^20", key).isEqualTo(g[3]);
            assertThat(hash.bucket(T, key.toString())).as("the text of an integer hashes like it").isEqualTo(g[2]);
        }
        Map<Object, Integer> text = Map.of("eu", 655, "player-7", 128, "", 805);
        for (Map.Entry<Object, Integer> e : text.entrySet()) {
            assertThat(hash.bucket(T, e.getKey())).as("hash bucket of '%s'", e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(hash.bucket(T, 42)).isEqualTo(hash.bucket(T, BigInteger.valueOf(42))).isEqualTo(547);
        assertThatThrownBy(() -> BucketStrategy.bucket(BucketOf.MOD, 1000, T, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buckets must be a power of two from 1 to 1048576, got 1000");
    }

    @Test
    void i15_04_reasonNamesTheBucketAndAnswersAreBuiltOncePerBucket() throws Exception {
        BucketStrategy s = new BucketStrategy(4096, BucketOf.MOD, FOUR);
        assertThat(s.chooseShard(T, 1042).reason()).isEqualTo("bucket 1042 (key mod 4096) → s2");
        assertThat(s.candidates(T, 1042L).reason()).isEqualTo("bucket 1042 (key mod 4096) → s2");
        assertThat(s.chooseShard(T, 1042 + 4096)).as("a key of the same bucket reuses the answer")
                .isSameAs(s.chooseShard(T, 1042L));
        assertThat(s.candidates(T, -4096 + 1042)).isSameAs(s.candidates(T, "1042"));
        BucketStrategy h = new BucketStrategy(4096, BucketOf.HASH, FOUR);
        assertThat(h.chooseShard(T, "eu").reason()).isEqualTo("bucket 655 (fnv1a64(key) mod 4096) → s3");
        assertThat(h.chooseShards(T, "SELECT 1").all()).isTrue();
        assertThat(h.chooseShards(T, "SELECT 1").reason()).isEqualTo("no shard key predicate → all 4 shards holding a bucket");
        BucketStrategy big = new BucketStrategy(1 << 20, BucketOf.MOD, FOUR);
        assertThat(big.chooseShard(T, 1_000_003L).reason()).as("above " + BucketStrategy.CACHED + " buckets, built per key")
                .isEqualTo("bucket 1000003 (key mod 1048576) → s3");
        assertThat(big.chooseShard(T, 1_000_003L)).isEqualTo(big.chooseShard(T, 1_000_003L))
                .isNotSameAs(big.chooseShard(T, 1_000_003L));
    }

    @Test
    void i15_17_theJavaFactoriesMakeTheSameStrategiesAsTheShardMap() throws Exception {
        Strategy byFactory = Strategies.buckets(4096, BucketOf.MOD, "s0", "s1", "s2", "s3");
        assertThat(byFactory).isEqualTo(new BucketStrategy(4096, BucketOf.MOD, FOUR));
        assertThat(byFactory.chooseShard("players", 1042L).shard()).isEqualTo("s2");
        assertThat(byFactory.chooseShard("players", -1L).shard()).as("floorMod(-1, 4096) = 4095, on s3").isEqualTo("s3");
        BucketPlacement grown = new BucketStrategy(4096, BucketOf.HASH, FOUR).grow(FIVE);
        Strategy placed = Strategies.buckets(grown, BucketOf.HASH);
        assertThat(placed).isEqualTo(new BucketStrategy(grown, BucketOf.HASH))
                .isNotEqualTo(Strategies.buckets(4096, BucketOf.HASH, "s0", "s1", "s2", "s3", "s4"));
        assertThat(placed.shards()).isEqualTo(FIVE);
    }

    @Test
    void i15_05_equalBucketsFunctionAndPlacementAreCoLocated() {
        BucketStrategy a = new BucketStrategy(4096, BucketOf.MOD, FOUR);
        assertThat(a).isEqualTo(new BucketStrategy(4096, BucketOf.MOD, FOUR)).hasSameHashCodeAs(
                new BucketStrategy(4096, BucketOf.MOD, FOUR));
        assertThat(a).isNotEqualTo(new BucketStrategy(2048, BucketOf.MOD, FOUR));
        assertThat(a).isNotEqualTo(new BucketStrategy(4096, BucketOf.HASH, FOUR));
        assertThat(a).isNotEqualTo(new BucketStrategy(4096, BucketOf.MOD, List.of("s1", "s0", "s2", "s3")));
        assertThat(a).isNotEqualTo(new ModStrategy(FOUR));
        assertThat(a.describe()).isEqualTo("buckets 4096 (mod) over [s0, s1, s2, s3]");
        assertThat(new BucketStrategy(16, BucketOf.HASH, List.of("s0", "s1")).describe())
                .isEqualTo("buckets 16 (hash) over [s0, s1]");

        List<String> halves = new ArrayList<>();
        for (int b = 0; b < 4096; b++) {
            halves.add(b < 2048 ? "s1" : "s0");
        }
        BucketStrategy placed = new BucketStrategy(BucketPlacement.of(halves), BucketOf.MOD);
        assertThat(placed.shards()).as("in the order they first hold a bucket").containsExactly("s1", "s0");
        assertThat(placed.describe()).isEqualTo("buckets 4096 (mod) over [s1, s0], placed 0-2047: s1, 2048-4095: s0");
        assertThat(placed).isEqualTo(new BucketStrategy(BucketPlacement.of(new ArrayList<>(halves)), BucketOf.MOD));
        BucketStrategy grown = new BucketStrategy(a.grow(FIVE), BucketOf.MOD);
        assertThat(grown.describe()).startsWith("buckets 4096 (mod) over [s0, s1, s2, s3, s4], placed in ")
                .matches(".*placed in \\d+ ranges \\(digest [0-9a-f]+\\)");
        assertThat(grown.describe()).isNotEqualTo(new BucketStrategy(
                new BucketStrategy(4096, BucketOf.MOD, List.of("s0", "s1", "s2", "s4")).grow(
                        List.of("s0", "s1", "s2", "s4", "s3")), BucketOf.MOD).describe());
    }

    @Test
    void i15_06_growFourToEightMovesTheBucketsWithBMod8AtLeast4() {
        BucketStrategy four = new BucketStrategy(4096, BucketOf.MOD, FOUR);
        BucketPlacement eight = four.grow(EIGHT);
        int[] moved = BucketPlacement.movedBuckets(four.placement(), eight);
        List<Integer> expected = new ArrayList<>();
        for (int b = 0; b < 4096; b++) {
            if (b % 8 >= 4) {
                expected.add(b);
            }
        }
        assertThat(moved).containsExactly(expected.stream().mapToInt(Integer::intValue).toArray());
        assertThat(eight).isEqualTo(BucketPlacement.defaultOver(4096, EIGHT));
        for (int b : moved) {
            assertThat(eight.shardOf(b)).isEqualTo("s" + (b % 8));
        }
        assertThat(four.placement()).as("grow is pure").isEqualTo(BucketPlacement.defaultOver(4096, FOUR));
    }

    @Test
    void i15_07_growFourToFiveMovesATenthPartEvenlyOntoTheNewShardOnly() {
        BucketPlacement four = BucketPlacement.defaultOver(4096, FOUR);
        BucketPlacement five = four.grow(FIVE);
        int[] moved = BucketPlacement.movedBuckets(four, five);
        assertThat(moved).hasSize(819).hasSize(4096 / 5);
        for (int b : moved) {
            assertThat(five.shardOf(b)).as("bucket %d goes to the new shard", b).isEqualTo("s4");
        }
        assertThat(five.count("s4")).isEqualTo(819);
        for (String s : FOUR) {
            int lost = four.count(s) - five.count(s);
            assertThat(lost).as("%s gives its share", s).isBetween(204, 205);
        }
        assertThat(five.shards()).containsExactly("s0", "s1", "s2", "s3", "s4");
        assertThat(BucketPlacement.of(allShards(five))).as("the grown placement is a valid placement").isEqualTo(five);

        BucketPlacement six = five.grow(List.of("s0", "s1", "s2", "s3", "s4", "s5"));
        int[] again = BucketPlacement.movedBuckets(five, six);
        assertThat(again).hasSize(682);
        for (int b : again) {
            assertThat(six.shardOf(b)).isEqualTo("s5");
        }
        for (String s : FIVE) {
            assertThat(five.count(s) - six.count(s)).as("%s gives its share", s).isBetween(136, 137);
        }
    }

    @Test
    void i15_08_growRefusesToDropAShardOrAddNone() {
        BucketPlacement four = BucketPlacement.defaultOver(4096, FOUR);
        assertThatThrownBy(() -> four.grow(List.of("s0", "s1", "s2", "s4"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grow keeps every shard: s3 is missing from [s0, s1, s2, s4]");
        assertThatThrownBy(() -> four.grow(List.of("s3", "s2", "s1", "s0"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grow needs at least one new shard: [s3, s2, s1, s0]");
        assertThatThrownBy(() -> BucketPlacement.defaultOver(2, FOUR)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buckets strategy has more shards (4) than buckets (2)");
        assertThatThrownBy(() -> BucketPlacement.defaultOver(3, FOUR)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("buckets must be a power of two from 1 to 1048576, got 3");
    }

    /** Measured with the JVM's per-thread allocation counter, against the same loop over {@code mod}. */
    @Test
    void i15_09_routingAllocatesNothingOnceABucketHasBeenRouted() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Object[] keys = new Object[8192];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (long) i * 7919 - 20_000_000L;
        }
        Strategy buckets = new BucketStrategy(4096, BucketOf.MOD, FOUR);
        Strategy mod = new ModStrategy(FOUR);
        long[] bytes = new long[2];
        for (int round = 0; round < 3; round++) { // the first round routes every bucket once
            int i = 0;
            for (Strategy s : new Strategy[] {buckets, mod}) {
                long before = threads.getCurrentThreadAllocatedBytes();
                int sum = 0;
                for (Object key : keys) {
                    sum += s.chooseShard(T, key).shard().length() + s.candidates(T, key).shards().size();
                }
                bytes[i++] = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(sum).isEqualTo(keys.length * 3);
            }
        }
        assertThat(bytes[0]).as("bytes allocated routing %d keys twice, after a first round", keys.length)
                .isLessThanOrEqualTo(bytes[1] + 1024);
    }

    private static List<String> allShards(BucketPlacement p) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < p.buckets(); b++) {
            out.add(p.shardOf(b));
        }
        return out;
    }
}
