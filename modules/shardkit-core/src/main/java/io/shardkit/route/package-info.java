/**
 * Routing: an analysis plus one execution's parameters, hints, tenant and tier become the shards a
 * statement runs on ({@link io.shardkit.route.RouteDecision}), by asking the table's choosers;
 * what cannot be routed exactly is refused.
 *
 * <p>Internal: public only for shardkit's other packages.
 */
package io.shardkit.route;
