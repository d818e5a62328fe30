package io.shardkit.tier;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresTierTest extends TierContract {
    @Override
    String createOrders() {
        return "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, created_at TIMESTAMP, amount INT, note VARCHAR(40))";
    }
}
