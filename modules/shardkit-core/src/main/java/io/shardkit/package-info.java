/**
 * shardkit's API: what applications touch. {@link io.shardkit.ShardedDataSource} (many databases as
 * one {@code javax.sql.DataSource}) and its builder; the chooser interfaces
 * ({@link io.shardkit.ShardChooser}, {@link io.shardkit.IdChooser}, {@link io.shardkit.QueryChooser})
 * and their answers; the errors ({@link io.shardkit.ShardException}, {@link io.shardkit.RefusedException},
 * {@link io.shardkit.ShardMapException}) and {@link io.shardkit.SqlStates}, every SQLState shardkit
 * raises; {@link io.shardkit.Explain}; runtime shards ({@link io.shardkit.Shards}) and tenants
 * ({@link io.shardkit.Tenants}, {@link io.shardkit.TenantDataSource}). The data source is a facade: what it is
 * made of (pools, analysis cache, router, scatter threads) is held by the package-private {@code Assembly}.
 *
 * <p>API: kept compatible across releases. The sub-packages marked internal in their own
 * {@code package-info} are public only so shardkit's packages can reach each other.
 */
package io.shardkit;
