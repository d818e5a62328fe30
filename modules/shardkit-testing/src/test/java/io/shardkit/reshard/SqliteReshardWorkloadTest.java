package io.shardkit.reshard;

import io.shardkit.testing.ShardServer;

class SqliteReshardWorkloadTest extends ReshardWorkloadContract {
    @Override
    ShardServer server() {
        return null;
    }
}
