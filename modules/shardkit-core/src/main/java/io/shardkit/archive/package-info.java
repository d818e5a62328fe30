/**
 * API: the archiver of a tiered table ({@link io.shardkit.archive.Archiver}, reached through
 * {@code ds.archiver(table)} or {@code Archiver.of(ds, table)}), its listener, progress and report,
 * and the code of a run (batches, row checksums). Writes to read-only archive shards go through the
 * internal {@code io.shardkit.pool.AdminConnections}, which opens connections for this package only.
 */
package io.shardkit.archive;
