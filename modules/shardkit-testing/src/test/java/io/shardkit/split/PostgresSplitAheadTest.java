package io.shardkit.split;

import io.shardkit.testing.PostgresShards;

@PostgresShards
class PostgresSplitAheadTest extends SplitAheadContract {
    @Override
    String indexesOf(String table) {
        return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '" + table
                + "' AND indexname NOT LIKE '%pkey'";
    }
}
