package io.shardkit.exec;

import java.sql.Connection;
import java.sql.Statement;

/**
 * One shard query of a scatter: its connection, whether the read borrowed it (and holds a
 * scatter permit for it), and its statement once created. Guarded by the read's {@link ScatterWatch}.
 * The parts of one shard (a split table's physical tables) share one connection and one permit.
 */
final class ScatterPart {
    final int shard;
    Connection connection;
    boolean borrowed;
    boolean permit;
    Statement statement;
    boolean done;
    /**
     * Set when several parts of one shard (its physical tables of a split table) share the
     * connection the read borrowed: the connection goes back when the last of them is done.
     */
    Shared shared;

    /** A borrowed connection several parts use: how many have not finished, and whether it reads in a transaction. */
    static final class Shared {
        private int users;
        private boolean inTransaction;

        Shared(int users) {
            this.users = users;
        }

        /** The connection was switched to a read transaction (for streaming); its last user ends it. */
        synchronized void inTransaction() {
            inTransaction = true;
        }

        /** Counts one user off: whether it was the last, and so gives the connection back. */
        synchronized boolean last() {
            return --users == 0;
        }

        synchronized boolean readsInTransaction() {
            return inTransaction;
        }
    }

    /** Counts this part off its borrowed connection: whether the connection is to be given back now (always, unless shared). */
    boolean lastOnConnection() {
        return shared == null || shared.last();
    }

    /** Whether giving the connection back must end a read transaction: this part's, or another's on the shared connection. */
    boolean endsTransaction(boolean own) {
        return own || shared != null && shared.readsInTransaction();
    }

    ScatterPart(int shard, Connection connection) {
        this.shard = shard;
        this.connection = connection;
    }
}
