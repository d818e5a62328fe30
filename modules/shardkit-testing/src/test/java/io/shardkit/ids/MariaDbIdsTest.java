package io.shardkit.ids;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbIdsTest extends IdsContract {
}
