package io.shardkit.archive;

import java.time.Duration;

/**
 * What an {@link Archiver} run did, or for a dry run would do.
 *
 * @param rowsFound rows below the cutoff on the hot shards when the run started (a dry run's answer)
 * @param rowsMoved rows now only in the archive (0 for a dry run)
 * @param rowsLeftHot rows of a batch that changed or vanished in hot while being archived: left hot,
 *        their archive copies removed; a later run looks at them again
 * @param batches batches run
 */
public record ArchiveReport(String table, long rowsFound, long rowsMoved, long rowsLeftHot, int batches,
        boolean dryRun, Duration elapsed) {

    /** Rows moved per second over the whole run. */
    public double rowsPerSecond() {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0 : rowsMoved * 1e9 / nanos;
    }
}
