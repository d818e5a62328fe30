package io.shardkit.bench;

import java.sql.SQLException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The state every benchmark shares: which backend, which contender, its {@link Client}, and a
 * fixed sequence of random existing player ids (the same sequence for every contender).
 *
 * <p>Settings sized so the whole suite (54 forks) runs in about 21 minutes on 2 cores: one fork,
 * 5 warmup and 4 measured iterations of 2 s. ShardingSphere needs the long warmup: its first
 * seconds run 10 to 100 times slower while its large code base compiles. A fixed heap keeps GC
 * noise alike between forks.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 4, time = 2)
@State(Scope.Thread)
public abstract class Fixture {
    @Param({Dataset.H2, Dataset.POSTGRES})
    public String backend;

    @Param({Contenders.DIRECT, Contenders.SHARDKIT, Contenders.SHARDINGSPHERE})
    public String contender;

    Dataset dataset;
    Client client;
    private final long[] ids = new long[4096];
    private int next;

    /** Shards of the dataset; the leaderboard overrides it with a parameter. */
    int shards() {
        return 4;
    }

    @Setup
    public void open() throws SQLException {
        dataset = Dataset.open(backend, shards());
        client = Client.open(contender, dataset);
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextLong(Dataset.TOTAL_ROWS);
        }
    }

    @TearDown
    public void close() {
        client.close();
    }

    /** The next player id of the fixed random sequence. */
    final long nextId() {
        return ids[next++ & (ids.length - 1)];
    }
}
