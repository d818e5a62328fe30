package io.shardkit.faults;

import io.shardkit.testing.PostgresShards;

/** pgjdbc: a cancel request on a second connection; a scatter's borrowed connections stream in batches. */
@PostgresShards
class PostgresCancelTest extends CancelContract {
    @Override
    boolean streams() {
        return true;
    }
}
