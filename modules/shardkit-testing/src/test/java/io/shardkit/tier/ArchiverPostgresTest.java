package io.shardkit.tier;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class ArchiverPostgresTest extends ArchiverContract {
    @Override
    String createEvents() {
        return "CREATE TABLE events (id BIGINT PRIMARY KEY, created_at TIMESTAMP NOT NULL, name VARCHAR(60), "
                + "amount NUMERIC(12, 2), payload BYTEA)";
    }
}
