/**
 * The archiver: moves a tiered table's rows older than its cutoff from the hot shards to the
 * archive shards in batches, verifying each copy before deleting the hot row, with a listener for
 * progress and a report at the end. Reached through {@code ShardedDataSource.archiver(table)} (or
 * {@code Archiver.of(ds, table)}).
 *
 * <p>API: the archiver, its listener, progress and report. The run, batch and checksum classes
 * are internal. Writes to read-only archive shards go through the internal
 * {@code io.shardkit.pool.AdminConnections}, which opens connections for this package only.
 */
package io.shardkit.archive;
