package io.shardkit.oracle;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbDifferentialTest extends DifferentialOracle {
}
