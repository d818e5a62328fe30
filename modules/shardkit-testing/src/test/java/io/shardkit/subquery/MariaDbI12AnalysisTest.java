package io.shardkit.subquery;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbI12AnalysisTest extends I12AnalysisContract {
}
