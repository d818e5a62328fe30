package io.shardkit.reshard;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresMoverTest extends MoverContract {
}
