package io.shardkit.subquery;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteI12AnalysisTest extends I12AnalysisContract {
}
