package io.shardkit.reshard;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteFenceRetryTest extends FenceRetryContract {
}
