package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.strategy.BucketStrategy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, reads during a move: a statement's targets and the retained buckets its shards leave
 * out come from one ownership. Bucket 2 (keys 2, 18) flips between s0 and s2 epoch after epoch, the
 * previous owner retaining it, while a read of keys spanning shards runs again and again: routed by
 * one epoch and filtered by the next, row 2 would be left out on the shard that just gave it away
 * and never read from the one that was not targeted.
 */
class OwnershipSnapshotTest {
    @TempDir Path dir;

    private static BucketPlacement placement(String ownerOfTwo) {
        List<String> of = new ArrayList<>();
        for (int b = 0; b < 16; b++) {
            of.add(b == 2 ? ownerOfTwo : "s" + (b % 3));
        }
        return BucketPlacement.of(of);
    }

    @Test
    void i15_88_targetsAndRetainedBucketsComeFromOneEpochWhileEpochsFlip() throws Exception {
        StringBuilder y = new StringBuilder("shards:\n");
        for (int i = 0; i < 3; i++) {
            y.append("  - {name: s").append(i).append(", url: \"jdbc:sqlite:").append(dir.resolve("s" + i + ".db"))
                    .append("\", create: true}\n");
        }
        y.append("tables:\n  players: {key: player_id, strategy: {type: buckets, buckets: 16, bucketOf: mod}}\n")
                .append("resharding: {control: s0, poll: 1h}\n");
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(y.toString()
                .getBytes(StandardCharsets.UTF_8)))) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT)");
                st.execute("INSERT INTO players (player_id, name) VALUES (1, 'a'), (2, 'b'), (18, 'c'), (3, 'd')");
            }
            // bucket 2 starts on s2 (2 mod 3): its rows on s0 too, both owners' copies exist all along
            try (Connection s0 = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("s0.db"));
                    Statement st = s0.createStatement()) {
                st.execute("INSERT INTO players (player_id, name) VALUES (2, 'b'), (18, 'c')");
            }
            BucketStrategy s = (BucketStrategy) ds.shardMap().tables().get("players").strategy();
            BitSet two = new BitSet();
            two.set(2);
            BucketPlacement onS0 = placement("s0");
            BucketPlacement onS2 = placement("s2");
            assertThat(s.switchTo(onS2, 2, Map.of("s0", two))).isTrue();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong epoch = new AtomicLong(2);
            Thread flipper = new Thread(() -> {
                while (!stop.get()) {
                    long e = epoch.incrementAndGet();
                    boolean even = e % 2 == 0;
                    s.switchTo(even ? onS2 : onS0, e, Map.of(even ? "s0" : "s2", two));
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            });
            flipper.start();
            List<String> wrong = new ArrayList<>();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (int i = 0; i < 3000 && wrong.size() < 5; i++) {
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM players WHERE player_id IN (1, 2, 18)")) {
                        rs.next();
                        if (rs.getInt(1) != 3) {
                            wrong.add("read " + i + ": " + rs.getInt(1));
                        }
                    }
                }
            } finally {
                stop.set(true);
                flipper.join();
            }
            assertThat(epoch.get()).as("epochs flipped during the reads").isGreaterThan(100);
            assertThat(wrong).as("each read counts rows 1, 2 and 18 once").isEmpty();
        }
    }
}
