package io.shardkit.subquery;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresI12AnalysisTest extends I12AnalysisContract {
}
