package io.shardkit.archive;

import java.time.Duration;
import java.util.Optional;

/**
 * Where an {@link Archiver} run stands after a batch, for {@link ArchiveListener#progress}.
 *
 * @param hotShard the hot shard the last batch came from
 * @param batches batches done so far, over all hot shards
 * @param rowsMoved rows deleted from hot after their archive copy was verified, so far
 * @param rowsFound rows below the cutoff on all hot shards, counted when the run started
 * @param elapsed time since the run started
 */
public record ArchiveProgress(String table, String hotShard, int batches, long rowsMoved, long rowsFound,
        Duration elapsed) {

    /** Rows moved per second since the run started (0 before the first millisecond). */
    public double rowsPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : rowsMoved * 1e9 / nanos;
    }

    /**
     * The time left at the rate so far, for the rows counted at the start: zero when they are all
     * moved, empty while nothing has moved yet.
     */
    public Optional<Duration> eta() {
        long left = Math.max(0, rowsFound - rowsMoved);
        if (left == 0) {
            return Optional.of(Duration.ZERO);
        }
        double rate = rowsPerSecond();
        return rate <= 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (left * 1000 / rate)));
    }
}
