package io.shardkit.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A pooled connection of a runtime shard that gives its permit back to the runtime shards'
 * connection cap when closed (once, however often {@code close} is called). Everything else goes
 * to the pool's connection.
 */
final class PermitConnection extends LentConnection {
    private final Runnable release;

    PermitConnection(Connection delegate, Runnable release) {
        super(delegate);
        this.release = release;
    }

    @Override
    protected void release() throws SQLException {
        try {
            delegate.close();
        } finally {
            release.run();
        }
    }
}
