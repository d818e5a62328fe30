package io.shardkit.ids;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 15 (ids) on real servers: {@code matches} in 64 buckets over four shards with
 * {@code idOf: match_id}. Blocks leased by two data sources from the same shards never overlap (the
 * dialect's lease: UPDATE ... RETURNING on PostgreSQL, SELECT ... FOR UPDATE in a transaction on
 * MariaDB), and rows inserted with {@code next(playerId)} are found by their id alone on one shard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdsContract {
    ShardSet shards;

    @BeforeAll
    void open(ShardSet set) throws Exception {
        this.shards = set;
        for (int i = 0; i < set.size(); i++) {
            try (Connection c = set.open(i); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS shardkit_id_blocks");
                st.execute("DROP TABLE IF EXISTS matches");
            }
        }
    }

    ShardedDataSource newDataSource() throws Exception {
        String yaml = shards.yamlShards() + """
                tables:
                  matches:
                    key: player_id
                    strategy: {type: buckets, buckets: 64, shards: [s0, s1, s2, s3]}
                    idOf: {column: match_id, generator: bucketed}
                """;
        return ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void i15_70_twoDataSourcesLeasingConcurrentlyNeverShareAnId() throws Exception {
        try (ShardedDataSource one = newDataSource(); ShardedDataSource two = newDataSource()) {
            List<Ids> sources = List.of(Ids.of(one, "matches", 50), Ids.of(two, "matches", 50));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<long[]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Ids ids = sources.get(t % 2);
                long seed = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    long[] out = new long[2000];
                    for (int i = 0; i < out.length; i++) {
                        long key = random.nextInt(4) * 64L + random.nextInt(3);
                        out[i] = ids.next(key);
                        if (Math.floorMod(out[i], 64) != key % 64) {
                            throw new AssertionError("id " + out[i] + " for key " + key);
                        }
                    }
                    return out;
                }));
            }
            Set<Long> all = new HashSet<>();
            for (Future<long[]> f : futures) {
                for (long id : f.get()) {
                    all.add(id);
                }
            }
            pool.shutdown();
            assertThat(all).as("4 threads x 2 data sources x 2,000 ids").hasSize(16_000);
        }
    }

    @Test
    void i15_71_rowsAreFoundByTheirIdAloneOnOneShard() throws Exception {
        try (ShardedDataSource ds = newDataSource(); Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE matches (match_id BIGINT PRIMARY KEY, player_id BIGINT NOT NULL, score INTEGER)");
            Ids ids = ds.ids("matches");
            List<Long> made = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO matches (match_id, player_id, score) VALUES (?, ?, ?)")) {
                for (int p = 0; p < 12; p++) {
                    long id = ids.next((long) p * 7);
                    made.add(id);
                    ps.setLong(1, id);
                    ps.setLong(2, p * 7L);
                    ps.setInt(3, p);
                    ps.executeUpdate();
                }
            }
            for (int p = 0; p < 12; p++) {
                long id = made.get(p);
                assertThat(ds.explain("SELECT score FROM matches WHERE match_id = ?", id).shards()).hasSize(1);
                try (PreparedStatement ps = c.prepareStatement("SELECT score FROM matches WHERE match_id = ?")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertThat(rs.next()).as("row of id " + id).isTrue();
                        assertThat(rs.getInt(1)).isEqualTo(p);
                        assertThat(rs.next()).isFalse();
                    }
                }
            }
            String in = "SELECT score FROM matches WHERE match_id IN (" + made.get(0) + ", " + made.get(1) + ", "
                    + made.get(2) + ", " + made.get(3) + ") ORDER BY score";
            assertThat(ds.explain(in).shards()).hasSize(4);
            List<Integer> scores = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(in)) {
                while (rs.next()) {
                    scores.add(rs.getInt(1));
                }
            }
            assertThat(scores).containsExactly(0, 1, 2, 3);
            st.execute("DROP TABLE matches");
        }
    }
}
