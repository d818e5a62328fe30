package io.shardkit.mergecases;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresMergeCasesTest extends MergeCasesContract {
}
