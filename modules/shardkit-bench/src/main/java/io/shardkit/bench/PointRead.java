package io.shardkit.bench;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Benchmarks 1 and 2: {@code SELECT name, score FROM players WHERE player_id = ?} for a random
 * existing id. {@link #reused} runs a prepared statement prepared once (the routing cost alone);
 * {@link #fresh} borrows a connection and prepares per call, the shape of a web request.
 */
public class PointRead extends Fixture {
    @Benchmark
    public long reused() throws SQLException {
        return client.point(nextId());
    }

    @Benchmark
    public long fresh() throws SQLException {
        return client.pointFresh(nextId());
    }
}
