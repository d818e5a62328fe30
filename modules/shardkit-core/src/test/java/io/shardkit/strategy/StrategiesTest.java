package io.shardkit.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.Candidates;
import io.shardkit.IdChooser;
import io.shardkit.ShardChoice;
import io.shardkit.ShardChooser;
import io.shardkit.ShardException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The built-in strategies: where keys land, the refusals, and the equality that decides co-location. */
class StrategiesTest {
    private static final String T = "players";
    private static final String[] FOUR = {"s0", "s1", "s2", "s3"};

    private static String shard(Strategy s, Object key) throws ShardException {
        String chosen = s.chooseShard(T, key).shard();
        assertThat(s.candidates(T, key).shards()).as("candidates agree with the chosen shard").containsExactly(chosen);
        return chosen;
    }

    private static ShardException routingError(Strategy s, Object key) {
        ShardException e = catchThrowableOfType(ShardException.class, () -> s.chooseShard(T, key));
        assertThat((Throwable) e).as("key " + key + " refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo(ShardException.ROUTING);
        return e;
    }

    @Nested
    class Mod {
        private final Strategy mod = Strategies.mod(FOUR);

        @Test
        void takesTheFloorModOfTheKey() throws Exception {
            assertThat(shard(mod, 0)).isEqualTo("s0");
            assertThat(shard(mod, 5)).isEqualTo("s1");
            assertThat(shard(mod, 4L * 1_000_000_000_000L + 3)).isEqualTo("s3");
            assertThat(mod.chooseShard(T, 6).reason()).isEqualTo("mod 4 = 2 → s2");
        }

        @Test
        void negativeKeysWrapAround() throws Exception {
            assertThat(shard(mod, -1)).isEqualTo("s3");
            assertThat(shard(mod, -4)).isEqualTo("s0");
            assertThat(shard(mod, -6L)).isEqualTo("s2");
            assertThat(shard(mod, Long.MIN_VALUE)).isEqualTo("s0");
        }

        @Test
        void integralKeysOfAnyTypeLandTogether() throws Exception {
            for (Object key : List.of(42, 42L, (short) 42, (byte) 42, "42", " 42 ", BigInteger.valueOf(42),
                    new BigDecimal("42"), new BigDecimal("42.000"), 42.0)) {
                assertThat(shard(mod, key)).as("key %s (%s)", key, key.getClass().getSimpleName()).isEqualTo("s2");
            }
        }

        @Test
        void refusesKeysThatAreNotIntegers() {
            assertThat(routingError(mod, "abc").getMessage())
                    .isEqualTo("mod strategy of table players needs an integer shard key, got 'abc' (String)");
            assertThat(routingError(mod, new BigDecimal("4.5")).getMessage())
                    .isEqualTo("mod strategy of table players needs an integer shard key, got '4.5' (BigDecimal)");
            assertThat(routingError(mod, new BigInteger("99999999999999999999")).getMessage())
                    .endsWith("got '99999999999999999999' (BigInteger)");
        }

        @Test
        void needsAShard() {
            assertThatThrownBy(() -> Strategies.mod())
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("mod strategy needs at least one shard");
        }
    }

    @Nested
    class Hash {
        private final Strategy hash = Strategies.hash(FOUR);

        /** FNV-1a 64 as its specification states it, written without looking at HashStrategy. */
        private long fnv1a64(String text) {
            long h = 0xcbf29ce484222325L;
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            return h;
        }

        @Test
        void referenceImplementationMatchesPublishedVectors() {
            assertThat(fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
            assertThat(fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
            assertThat(fnv1a64("foobar")).isEqualTo(0x85944171f73967e8L);
        }

        @Test
        void hashIsFnv1a64OfTheKeyText() {
            assertThat(HashStrategy.hash("")).isEqualTo(0xcbf29ce484222325L);
            assertThat(HashStrategy.hash("a")).isEqualTo(0xaf63dc4c8601ec8cL);
            assertThat(HashStrategy.hash("foobar")).isEqualTo(0x85944171f73967e8L);
            for (String key : List.of("42", "-1", "alice", "héllo", "12345678901234567890")) {
                assertThat(HashStrategy.hash(key)).as(key).isEqualTo(fnv1a64(key));
            }
        }

        /** Pinned: changing these moves rows of existing databases. */
        @Test
        void pinnedShardsOfSomeKeys() throws Exception {
            assertThat(HashStrategy.hash(42)).isEqualTo(0x07ee7e07b4b19223L);
            assertThat(shard(hash, 42)).isEqualTo("s3");
            assertThat(shard(hash, "a")).isEqualTo("s0");
            assertThat(shard(hash, "")).isEqualTo("s1");
            assertThat(shard(hash, "7")).isEqualTo("s2");
            assertThat(shard(hash, "carol")).isEqualTo("s2");
            assertThat(shard(hash, "héllo")).isEqualTo("s0");
            for (String key : List.of("0", "1", "2", "7", "bob", "alice", "eu", "x")) {
                int expected = (int) Long.remainderUnsigned(fnv1a64(key), 4);
                assertThat(shard(hash, key)).as(key).isEqualTo(FOUR[expected]);
            }
            assertThat(hash.chooseShard(T, 42).reason()).isEqualTo("fnv1a64 mod 4 = 3 → s3");
        }

        @Test
        void integralKeysOfAnyTypeLandTogether() throws Exception {
            String s = shard(hash, "42");
            for (Object key : List.of(42, 42L, (short) 42, BigInteger.valueOf(42), new BigDecimal("42.00"), 42.0, 42.0f,
                    "42".getBytes(StandardCharsets.UTF_8))) {
                assertThat(shard(hash, key)).as("key %s (%s)", key, key.getClass().getSimpleName()).isEqualTo(s);
            }
        }

        @Test
        void spreadsKeysEvenly() throws Exception {
            int[] counts = new int[4];
            for (int key = 0; key < 10_000; key++) {
                counts[List.of(FOUR).indexOf(hash.chooseShard(T, key).shard())]++;
            }
            for (int i = 0; i < 4; i++) {
                assertThat(counts[i]).as("keys on s%d of %s", i, List.of(counts[0], counts[1], counts[2], counts[3]))
                        .isBetween(2_000, 3_000);
            }
        }
    }

    @Nested
    class Range {
        private final Strategy range = Strategies.range(List.of(100L, 200L), List.of("s0", "s1", "s2"));

        @Test
        void boundsBelongToTheShardAbove() throws Exception {
            assertThat(shard(range, Long.MIN_VALUE)).isEqualTo("s0");
            assertThat(shard(range, 99)).isEqualTo("s0");
            assertThat(shard(range, 100)).isEqualTo("s1");
            assertThat(shard(range, "199")).isEqualTo("s1");
            assertThat(shard(range, 200L)).isEqualTo("s2");
            assertThat(shard(range, Long.MAX_VALUE)).isEqualTo("s2");
            assertThat(range.chooseShard(T, 150).reason()).isEqualTo("range [100, 200) → s1");
            assertThat(range.chooseShard(T, 5).reason()).isEqualTo("range (-∞, 100) → s0");
        }

        @Test
        void integerBoundsRefuseTextKeys() {
            assertThat(routingError(range, "abc").getMessage())
                    .isEqualTo("range strategy of table players needs an integer shard key, got 'abc' (String)");
        }

        @Test
        void stringBoundsCompareTheKeyText() throws Exception {
            Strategy byName = Strategies.range(List.of("g", "n"), List.of("s0", "s1", "s0"));
            assertThat(shard(byName, "alice")).isEqualTo("s0");
            assertThat(shard(byName, "g")).isEqualTo("s1");
            assertThat(shard(byName, "mallory")).isEqualTo("s1");
            assertThat(shard(byName, "n")).isEqualTo("s0");
            assertThat(shard(byName, "Zed")).as("upper case sorts first").isEqualTo("s0");
            assertThat(shard(byName, 5)).as("digits sort before letters").isEqualTo("s0");
            assertThat(byName.shards()).as("each shard once").containsExactly("s0", "s1");
        }

        @Test
        void refusesBadBounds() {
            assertThatThrownBy(() -> Strategies.range(List.of(200L, 100L), List.of("s0", "s1", "s2")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("range bounds must be strictly ascending: [200, 100]");
            assertThatThrownBy(() -> Strategies.range(List.of(100, 100), List.of("s0", "s1", "s2")))
                    .hasMessage("range bounds must be strictly ascending: [100, 100]");
            assertThatThrownBy(() -> Strategies.range(List.of("n", "g"), List.of("s0", "s1", "s2")))
                    .hasMessage("range bounds must be strictly ascending: [n, g]");
            assertThatThrownBy(() -> Strategies.range(List.of(100L, "g"), List.of("s0", "s1", "s2")))
                    .hasMessage("range bounds must be all integers or all strings: [100, g]");
            assertThatThrownBy(() -> Strategies.range(List.of(100L, 200L), List.of("s0", "s1")))
                    .hasMessage("range strategy needs one more shard than bounds: 2 bounds, 2 shards");
        }
    }

    @Nested
    class ListOfValues {
        private final Strategy regions = Strategies.list(Map.of("eu", "s0", "us", "s1", "7", "s2"), "s3");

        @Test
        void mapsValuesAndFallsBackToTheDefault() throws Exception {
            assertThat(shard(regions, "eu")).isEqualTo("s0");
            assertThat(shard(regions, "us")).isEqualTo("s1");
            assertThat(shard(regions, 7)).as("7 and '7' are the same value").isEqualTo("s2");
            assertThat(shard(regions, "7")).isEqualTo("s2");
            assertThat(shard(regions, "apac")).isEqualTo("s3");
            assertThat(regions.chooseShard(T, "apac").reason()).isEqualTo("list default → s3");
            assertThat(regions.shards()).containsExactlyInAnyOrder("s0", "s1", "s2", "s3");
        }

        @Test
        void refusesAnUnlistedValueWithoutDefault() {
            Strategy strict = Strategies.list(Map.of("eu", "s0"), null);
            assertThat(routingError(strict, "apac").getMessage())
                    .isEqualTo("list strategy of table players has no shard for key 'apac' (String) and no default (values: [eu])");
            ShardException e = catchThrowableOfType(ShardException.class, () -> strict.candidates(T, "apac"));
            assertThat(e.getMessage()).startsWith("list strategy of table players has no shard for key 'apac'");
        }

        @Test
        void needsValuesOrADefault() {
            assertThatThrownBy(() -> Strategies.list(Map.of(), null))
                    .hasMessage("list strategy needs values or a default shard");
        }
    }

    @Nested
    class Custom {
        /** Places every row by the key's first letter; implements only ShardChooser. */
        static final class ByInitial implements ShardChooser {
            @Override
            public ShardChoice chooseShard(String table, Object key) {
                return new ShardChoice(key.toString().compareTo("m") < 0 ? "s0" : "s1", "initial of " + key);
            }
        }

        /** Knows where keys may be, but cannot place new rows. */
        static final class Lookup implements IdChooser {
            @Override
            public Candidates candidates(String table, Object key) {
                return new Candidates(List.of("s1", "s0"), "archive lookup");
            }
        }

        @Test
        void onlyShardChooserAnswersCandidatesToo() throws Exception {
            Strategy s = Strategies.custom(new ByInitial(), List.of("s0", "s1"));
            assertThat(s.chooseShard(T, "zoe").shard()).isEqualTo("s1");
            Candidates c = s.candidates(T, "alice");
            assertThat(c.shards()).containsExactly("s0");
            assertThat(c.reason()).isEqualTo("initial of alice");
            assertThat(s.chooseShards(T, "SELECT * FROM players").all()).isTrue();
        }

        @Test
        void onlyIdChooserRefusesInserts() throws Exception {
            Strategy s = Strategies.custom(new Lookup(), List.of("s0", "s1"));
            assertThat(s.candidates(T, 1).shards()).containsExactly("s1", "s0");
            assertThat(routingError(s, 1).getMessage()).isEqualTo("strategy " + Lookup.class.getName()
                    + " over [s0, s1] of table players cannot place new rows: it does not implement ShardChooser");
        }

        @Test
        void refusesAnObjectThatIsNoChooser() {
            assertThatThrownBy(() -> Strategies.custom("not a chooser", List.of("s0")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("java.lang.String implements none of ShardChooser, IdChooser, QueryChooser");
        }
    }

    /** Equal strategies mean co-located tables: joins on the key may run shard by shard. */
    @Nested
    class Equality {
        @Test
        void sameKindAndShardsAreEqual() {
            assertThat(Strategies.mod("s0", "s1")).isEqualTo(Strategies.mod("s0", "s1"))
                    .hasSameHashCodeAs(Strategies.mod("s0", "s1"));
            assertThat(Strategies.hash("s0", "s1")).isEqualTo(Strategies.hash("s0", "s1"))
                    .hasSameHashCodeAs(Strategies.hash("s0", "s1"));
            assertThat(Strategies.range(List.of(10L), List.of("s0", "s1")))
                    .isEqualTo(Strategies.range(List.of(10), List.of("s0", "s1")));
            assertThat(Strategies.list(Map.of("eu", "s0"), "s1")).isEqualTo(Strategies.list(Map.of("eu", "s0"), "s1"));
            assertThat(Strategies.custom(new Custom.ByInitial(), List.of("s0", "s1")))
                    .isEqualTo(Strategies.custom(new Custom.ByInitial(), List.of("s0", "s1")));
        }

        @Test
        void differentShardsOrKindsAreNot() {
            Strategy mod = Strategies.mod("s0", "s1");
            assertThat(mod).isNotEqualTo(Strategies.mod("s1", "s0"));
            assertThat(mod).isNotEqualTo(Strategies.mod("s0", "s1", "s2"));
            assertThat(mod).isNotEqualTo(Strategies.hash("s0", "s1"));
            assertThat(Strategies.range(List.of(10L), List.of("s0", "s1")))
                    .isNotEqualTo(Strategies.range(List.of(20L), List.of("s0", "s1")));
            assertThat(Strategies.list(Map.of("eu", "s0"), "s1")).isNotEqualTo(Strategies.list(Map.of("eu", "s0"), null));
            assertThat(Strategies.custom(new Custom.ByInitial(), List.of("s0", "s1")))
                    .isNotEqualTo(Strategies.custom(new Custom.ByInitial(), List.of("s0")));
        }
    }
}
