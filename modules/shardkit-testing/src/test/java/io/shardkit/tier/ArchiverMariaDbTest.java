package io.shardkit.tier;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class ArchiverMariaDbTest extends ArchiverContract {
    /** DEFAULT CURRENT_TIMESTAMP so MariaDB adds no ON UPDATE CURRENT_TIMESTAMP to the TIMESTAMP column. */
    @Override
    String createEvents() {
        return "CREATE TABLE events (id BIGINT PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                + "name VARCHAR(60), amount DECIMAL(12, 2), payload VARBINARY(16))";
    }
}
