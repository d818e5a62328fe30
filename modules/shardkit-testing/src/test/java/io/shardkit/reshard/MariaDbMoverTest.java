package io.shardkit.reshard;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbMoverTest extends MoverContract {
}
