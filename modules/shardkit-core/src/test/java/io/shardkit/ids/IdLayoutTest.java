package io.shardkit.ids;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.BucketStrategy;
import io.shardkit.strategy.BucketStrategy.BucketOf;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 (ids): the layout {@code id = sequence * B + bucket(key)} round-trips for random keys and
 * B in {1, 16, 4096, 2^20} with both bucket functions, and {@link Ids#uuid7()} follows RFC 9562.
 */
class IdLayoutTest {
    @TempDir Path dir;

    @Test
    void i15_60_theLayoutRoundTripsForRandomKeysAndBucketCounts() throws Exception {
        Random random = new Random(15);
        for (int buckets : new int[] {1, 16, 4096, 1 << 20}) {
            for (BucketOf of : BucketOf.values()) {
                Path file = dir.resolve("b" + buckets + of + ".db");
                try (ShardedDataSource ds = ShardedDataSource.builder()
                        .shard(io.shardkit.config.ShardSpec.of("s0", "jdbc:sqlite:" + file).withCreate(true))
                        .sharded("t", "k", new BucketStrategy(buckets, of, java.util.List.of("s0"))).build()) {
                    Ids ids = Ids.of(ds, "t", 4);
                    Set<Long> seen = new HashSet<>();
                    for (int i = 0; i < 60; i++) {
                        long key = i % 3 == 0 ? random.nextLong() : random.nextInt(50) - 25;
                        long id = ids.next(key);
                        int bucket = BucketStrategy.bucket(of, buckets, "t", key);
                        assertThat(id).as("positive").isPositive();
                        assertThat(Math.floorMod(id, (long) buckets)).as("B=%d %s key %d", buckets, of, key)
                                .isEqualTo(bucket);
                        assertThat(ids.bucketOf(id)).isEqualTo(bucket);
                        assertThat(id / buckets).as("the sequence, from 1").isPositive();
                        assertThat(seen.add(id)).as("fresh id %d", id).isTrue();
                    }
                }
            }
        }
    }

    @Test
    void i15_61_uuid7HasVersionVariantAndAMillisecondPrefixThatNeverGoesBack() {
        long before = System.currentTimeMillis();
        long lastMs = 0;
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            UUID u = Ids.uuid7();
            assertThat(u.version()).isEqualTo(7);
            assertThat(u.variant()).as("RFC 9562 variant 10").isEqualTo(2);
            long ms = u.getMostSignificantBits() >>> 16;
            assertThat(ms).isGreaterThanOrEqualTo(lastMs).isGreaterThanOrEqualTo(before);
            lastMs = ms;
            seen.add(u);
        }
        assertThat(lastMs).isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(seen).as("random bits").hasSize(5000);
        assertThat(Ids.uuid7().toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }
}
