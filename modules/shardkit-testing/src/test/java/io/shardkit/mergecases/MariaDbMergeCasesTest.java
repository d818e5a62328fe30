package io.shardkit.mergecases;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbMergeCasesTest extends MergeCasesContract {
}
