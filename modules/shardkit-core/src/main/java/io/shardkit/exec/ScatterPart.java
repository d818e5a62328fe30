package io.shardkit.exec;

import java.sql.Connection;
import java.sql.Statement;

/**
 * One shard query of a scatter: its connection, whether the read borrowed it (and holds a
 * scatter permit for it), and its statement once created. Guarded by the read's {@link ScatterWatch}.
 */
final class ScatterPart {
    final int shard;
    Connection connection;
    boolean borrowed;
    boolean permit;
    Statement statement;
    boolean done;

    ScatterPart(int shard, Connection connection) {
        this.shard = shard;
        this.connection = connection;
    }
}
