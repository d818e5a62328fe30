package io.shardkit.oracle;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteDifferentialTest extends DifferentialOracle {
}
