package io.shardkit.bench;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;

/**
 * Benchmark 6: {@code SELECT player_id, score FROM players ORDER BY score LIMIT 10 OFFSET o} over
 * 4 shards. Every shard must return its first {@code o + 10} rows and the merge skips {@code o} of
 * them, so the time grows with the offset; the allocation per operation (run with
 * {@code -prof gc}) should grow only with the rows streamed, never by holding the skipped rows.
 */
public class DeepPage extends Fixture {
    @Param({"1000", "100000"})
    public int offset;

    @Benchmark
    public long page() throws SQLException {
        return client.page(offset);
    }
}
