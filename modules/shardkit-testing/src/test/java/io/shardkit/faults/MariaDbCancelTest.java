package io.shardkit.faults;

import io.shardkit.testing.MariaDbShards;

/** MySQL Connector/J on MariaDB: a cancel is a KILL QUERY; the driver reads whole results at execute. */
@MariaDbShards
class MariaDbCancelTest extends CancelContract {
    @Override
    boolean streams() {
        return false;
    }
}
