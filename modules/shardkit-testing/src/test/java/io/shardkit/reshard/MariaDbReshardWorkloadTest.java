package io.shardkit.reshard;

import io.shardkit.testing.EmbeddedMariaDb;
import io.shardkit.testing.ShardServer;

class MariaDbReshardWorkloadTest extends ReshardWorkloadContract {
    @Override
    ShardServer server() {
        return EmbeddedMariaDb.get();
    }
}
