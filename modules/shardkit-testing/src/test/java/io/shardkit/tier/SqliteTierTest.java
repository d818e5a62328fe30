package io.shardkit.tier;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteTierTest extends TierContract {
    @Override
    String createOrders() {
        return "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, created_at TIMESTAMP, amount INTEGER, note TEXT)";
    }
}
