/**
 * The plan tree: immutable nodes, one file each, that run a routed statement
 * ({@link io.shardkit.plan.Route} on one shard, {@link io.shardkit.plan.Scatter} on several) and
 * merge the shards' rows ({@code MergeSort}, {@code Limit}, {@code Aggregate}, {@code GroupBy},
 * {@code Distinct}, {@code Concat}, ...), chosen by the {@link io.shardkit.plan.Planner}. Nodes
 * reach shards only through {@link io.shardkit.plan.Execution}, so each is tested with fake
 * cursors, and each describes itself, which is {@code explain}.
 *
 * <p>Internal. Every node is an {@link io.shardkit.PlanNode} (API: {@code Explain} answers one, to
 * be read with {@code describe}, {@code children} and {@code render}, not implemented by applications).
 */
package io.shardkit.plan;
