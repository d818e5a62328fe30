/**
 * Routing: an analysis plus one execution's parameters, hints, tenant and tier become the shards a
 * statement runs on ({@link io.shardkit.route.RouteDecision}), by asking the table's choosers;
 * what cannot be routed exactly is refused. While a move's source still holds the buckets it gave
 * away, a statement over several shards of that group carries the ownership predicate there
 * ({@link io.shardkit.route.OwnedScatter}).
 *
 * <p>Internal: public only for shardkit's other packages.
 */
package io.shardkit.route;
