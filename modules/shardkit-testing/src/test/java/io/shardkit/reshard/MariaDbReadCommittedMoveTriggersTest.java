package io.shardkit.reshard;

import io.shardkit.testing.MariaDbShards;
import java.sql.Connection;

/** The contract with every connection at READ COMMITTED, where trigger reads take no locks of their own. */
@MariaDbShards
class MariaDbReadCommittedMoveTriggersTest extends MoveTriggersContract {
    @Override
    int isolation() {
        return Connection.TRANSACTION_READ_COMMITTED;
    }
}
