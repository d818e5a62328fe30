package io.shardkit.split;

import io.shardkit.testing.MariaDbShards;

@MariaDbShards
class MariaDbSplitAheadTest extends SplitAheadContract {
    @Override
    String indexesOf(String table) {
        return "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE()"
                + " AND table_name = '" + table + "' AND index_name <> 'PRIMARY'";
    }
}
