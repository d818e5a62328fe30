package io.shardkit.tier;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbTierTest extends TierContract {
    @Override
    String createOrders() {
        return "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, created_at DATETIME, amount INT, note VARCHAR(40))";
    }
}
