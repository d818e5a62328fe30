package io.shardkit.oracle;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresDifferentialTest extends DifferentialOracle {
}
