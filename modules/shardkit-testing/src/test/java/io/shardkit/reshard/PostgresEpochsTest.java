package io.shardkit.reshard;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresEpochsTest extends EpochsContract {
}
