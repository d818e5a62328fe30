package io.shardkit.ids;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresIdsTest extends IdsContract {
}
