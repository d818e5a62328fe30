package io.shardkit.pool;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A pooled connection lent out by shardkit (a runtime shard's permit, a tenant's switched schema):
 * the first {@code close()} gives it back through {@link #release()}, later ones do nothing, and
 * it answers closed from then on. Everything else goes to the pool's connection.
 */
public abstract class LentConnection extends ForwardingConnection {
    private boolean closed;

    protected LentConnection(Connection delegate) {
        super(delegate);
    }

    /** Closes once, however often called: runs {@link #release()} the first time. */
    @Override
    public final void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        release();
    }

    /** What the first {@code close()} does with the wrapped connection. */
    protected abstract void release() throws SQLException;

    @Override
    public boolean isClosed() throws SQLException {
        return closed || delegate.isClosed();
    }
}
