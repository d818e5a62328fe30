package io.shardkit.it;

import io.shardkit.testing.SqliteShards;

/** The client matrix on Sqlite shards. */
@SqliteShards
class SqliteMatrixTest extends ClientMatrix {
}
