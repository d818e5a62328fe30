package io.shardkit.contract;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresRoutingTest extends RoutingContract {
    @Override
    String autoIdColumn() {
        return "id BIGSERIAL PRIMARY KEY";
    }

    @Override
    String isolationQuery() {
        return "SHOW transaction_isolation";
    }
}
