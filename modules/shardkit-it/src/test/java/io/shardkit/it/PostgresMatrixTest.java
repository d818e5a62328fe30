package io.shardkit.it;

import io.shardkit.testing.PostgresShards;

/** The client matrix on Postgres shards. */
@PostgresShards
class PostgresMatrixTest extends ClientMatrix {
}
