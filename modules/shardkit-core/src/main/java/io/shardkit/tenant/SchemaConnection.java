package io.shardkit.tenant;

import io.shardkit.exec.ForwardingConnection;
import java.sql.Connection;

/**
 * A pooled shard connection lent to a tenant in its schema (see {@link SessionSchema#borrow}):
 * closing it resets the schema, checks it, and only then returns it to the pool (or evicts it).
 * Everything else goes to the pooled connection unchanged. Closing twice returns it once.
 */
final class SchemaConnection extends ForwardingConnection {
    private final SessionSchema sessions;
    private final int shard;

    SchemaConnection(Connection target, SessionSchema sessions, int shard) {
        super(target);
        this.sessions = sessions;
        this.shard = shard;
    }

    @Override
    protected void release() {
        sessions.giveBack(shard, target);
    }
}
