package io.shardkit.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A pooled connection of a runtime shard that gives its permit back to the runtime shards'
 * connection cap when closed (once, however often {@code close} is called). Everything else goes
 * to the pool's connection.
 */
final class PermitConnection extends ForwardingConnection {
    private final Runnable release;

    PermitConnection(Connection target, Runnable release) {
        super(target);
        this.release = release;
    }

    @Override
    protected void release() throws SQLException {
        try {
            target.close();
        } finally {
            release.run();
        }
    }
}
