package io.shardkit.bench;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Benchmark 4: {@code SELECT player_id, name, score FROM players ORDER BY score DESC LIMIT 10}
 * over 4 and 16 shards (404,000 rows in all). The floor runs the query on every shard in parallel
 * and sorts the 10 rows per shard in memory.
 */
public class Leaderboard extends Fixture {
    @Param({"4", "16"})
    public int shards;

    @Override
    int shards() {
        return shards;
    }

    @Benchmark
    public long top10() throws SQLException {
        return client.leaderboard();
    }
}
