package io.shardkit.contract;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbRoutingTest extends RoutingContract {
    @Override
    String autoIdColumn() {
        return "id BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    @Override
    String isolationQuery() {
        return "SELECT @@tx_isolation";
    }
}
