package io.shardkit.reshard;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteMoverTest extends MoverContract {
}
