package io.shardkit.reshard;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbMoveTriggersTest extends MoveTriggersContract {
}
