package io.shardkit.reshard;

import io.shardkit.testing.EmbeddedPostgres;
import io.shardkit.testing.ShardServer;

class PostgresReshardWorkloadTest extends ReshardWorkloadContract {
    @Override
    ShardServer server() {
        return EmbeddedPostgres.get();
    }
}
