package io.shardkit.bench;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Benchmark 5: {@code SELECT level, COUNT(*), SUM(score), MIN(score), MAX(score), AVG(score) FROM
 * players GROUP BY level ORDER BY level} over 4 shards: 50 groups, every group on every shard.
 * The floor groups on each shard in parallel and merges the partial aggregates in a map.
 */
public class GroupBy extends Fixture {
    @Benchmark
    public long levels() throws SQLException {
        return client.groupBy();
    }
}
