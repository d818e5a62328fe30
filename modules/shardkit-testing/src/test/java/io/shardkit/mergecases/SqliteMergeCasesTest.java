package io.shardkit.mergecases;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteMergeCasesTest extends MergeCasesContract {
}
