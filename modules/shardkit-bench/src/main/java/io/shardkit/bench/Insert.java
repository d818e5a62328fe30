package io.shardkit.bench;

import java.sql.SQLException;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * Benchmark 3: INSERT by key into {@code moves} through a reused prepared statement, autocommit.
 * {@link #single} writes one row on its shard; {@link #multiRow} writes {@value Client#ROWS} rows
 * in one statement whose ids span all four shards (two rows each), which every contender splits
 * into one INSERT per shard.
 */
public class Insert extends Fixture {
    private long seq;

    @Benchmark
    public void single() throws SQLException {
        client.insert(nextId(), seq++);
    }

    @Benchmark
    public void multiRow() throws SQLException {
        client.insertRows(nextId(), seq++);
    }
}
