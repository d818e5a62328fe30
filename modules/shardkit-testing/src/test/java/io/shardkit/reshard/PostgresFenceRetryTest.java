package io.shardkit.reshard;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresFenceRetryTest extends FenceRetryContract {
}
