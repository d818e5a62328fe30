package io.shardkit.it;

import io.shardkit.testing.MariaDbShards;

/** The client matrix on MariaDb shards. */
@MariaDbShards
class MariaDbMatrixTest extends ClientMatrix {
}
