package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.strategy.BucketPlacement;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15, the versioned map on a server database: two data sources starting together create and
 * seed {@code shardkit_map} once (PostgreSQL under {@code pg_advisory_xact_lock}, MySQL/MariaDB
 * under {@code GET_LOCK}), and an epoch published by one is read by the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EpochsContract {
    ShardSet shards;

    @BeforeAll
    void open(ShardSet shards) throws SQLException {
        this.shards = shards;
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS shardkit_map");
        }
    }

    private ShardedDataSource start() throws SQLException {
        String yaml = shards.yamlShards() + "tables:\n  players: {key: player_id, strategy: {type: buckets, buckets: 16,"
                + " bucketOf: mod}}\nresharding: {control: " + shards.name(0) + ", poll: 1m}\n";
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private List<String> query(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = shards.open(0); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return out;
    }

    @Test
    void i15_40_twoDataSourcesStartingTogetherSeedOnceAndSeeEachOthersEpochs() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Callable<ShardedDataSource> start = () -> {
            go.await();
            return start();
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<ShardedDataSource> fa = two.submit(start);
            Future<ShardedDataSource> fb = two.submit(start);
            go.countDown();
            try (ShardedDataSource a = fa.get(); ShardedDataSource b = fb.get()) {
                assertThat(query("SELECT bucket_group, MAX(epoch), COUNT(*) FROM shardkit_map GROUP BY bucket_group"))
                        .as("one epoch-1 set: 16 buckets over %d shards", shards.size())
                        .containsExactly("players|1|" + BucketPlacement.defaultOver(16, shards.names()).ranges().size());
                String[] of = new String[16];
                Arrays.fill(of, shards.name(0));
                BucketPlacement all = BucketPlacement.of(Arrays.asList(of));
                assertThat(Resharding.of(a).publish("players", all)).isEqualTo(2);
                Resharding rb = Resharding.of(b);
                if (!shards.dialect().equals("postgresql")) { // PostgreSQL's b may have switched already (NOTIFY, i15_41)
                    assertThat(rb.epoch("players")).isEqualTo(1);
                    assertThat(rb.refresh()).containsExactly("players");
                } else {
                    rb.refresh();
                }
                assertThat(rb.epoch("players")).isEqualTo(2);
                assertThat(rb.placement("players")).isEqualTo(all);
                assertThat(b.explain("SELECT * FROM players WHERE player_id = 1042").reasons())
                        .contains("players.player_id = 1042: bucket 2 (key mod 16) → " + shards.name(0) + ", epoch 2");
            }
        } finally {
            two.shutdownNow();
        }
    }

    /**
     * PostgreSQL: a data source polling once a minute switches within a second of another's
     * publish, woken by {@code NOTIFY shardkit_map} on its listening connection.
     */
    @Test
    void i15_41_onPostgresqlANotifySwitchesAListenerBeforeItsPoll() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(shards.dialect().equals("postgresql"), "LISTEN/NOTIFY is PostgreSQL's");
        try (ShardedDataSource a = start(); ShardedDataSource b = start()) {
            Resharding rb = Resharding.of(b);
            long before = rb.epoch("players");
            Thread.sleep(300); // b's listener has issued LISTEN
            String[] of = new String[16];
            Arrays.fill(of, shards.name(1));
            long published = Resharding.of(a).publish("players", BucketPlacement.of(Arrays.asList(of)));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (rb.epoch("players") != published && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(rb.epoch("players")).as("switched by the notification, not by the 1 m poll (from %d)", before)
                    .isEqualTo(published);
        }
    }
}
