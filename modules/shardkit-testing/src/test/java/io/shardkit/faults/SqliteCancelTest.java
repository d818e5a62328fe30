package io.shardkit.faults;

import io.shardkit.testing.SqliteShards;

/** sqlite-jdbc: a cancel interrupts the connection's running step. */
@SqliteShards
class SqliteCancelTest extends CancelContract {
    @Override
    boolean streams() {
        return true;
    }
}
