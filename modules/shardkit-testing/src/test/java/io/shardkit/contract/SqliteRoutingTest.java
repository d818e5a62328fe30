package io.shardkit.contract;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteRoutingTest extends RoutingContract {
    @Override
    String autoIdColumn() {
        return "id INTEGER PRIMARY KEY AUTOINCREMENT";
    }

    @Override
    String isolationQuery() {
        return null;
    }
}
