package io.shardkit.tenant;

import io.shardkit.pool.LentConnection;
import java.sql.Connection;

/**
 * A pooled shard connection lent to a tenant (see {@link SessionSchema#borrow}): closing it resets
 * what the borrow switched (schema, role), checks the connection against a fresh one, and only
 * then returns it to the pool (or evicts it). Everything else goes to the pooled connection
 * unchanged. Closing twice returns it once.
 */
final class SchemaConnection extends LentConnection {
    private final SessionSchema sessions;
    private final int shard;
    /** Whether the borrow switched the schema (search_path and role modes, tenant DDL). */
    private final boolean switched;
    /** Whether the borrow set a role (role mode). */
    private final boolean role;

    SchemaConnection(Connection delegate, SessionSchema sessions, int shard, boolean switched, boolean role) {
        super(delegate);
        this.sessions = sessions;
        this.shard = shard;
        this.switched = switched;
        this.role = role;
    }

    @Override
    protected void release() {
        sessions.giveBack(shard, delegate, switched, role);
    }
}
