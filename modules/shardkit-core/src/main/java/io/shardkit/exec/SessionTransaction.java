package io.shardkit.exec;

import io.shardkit.ShardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/**
 * The transaction of one {@link Session}: commit in order (the shard written first, then the shards
 * only read), rollback (a broken shard connection is given back, not rolled back), and shardkit's
 * own savepoints bound to every shard the transaction reaches. After either end, the shard
 * connections nothing open uses go back to their pools.
 */
final class SessionTransaction {
    private SessionTransaction() {
    }

    /** Commits every physical connection held, the shard written first. */
    static void commit(Session session) throws SQLException {
        try {
            if (session.writeShard >= 0 && session.physical[session.writeShard] != null) {
                try {
                    session.physical[session.writeShard].commit();
                } catch (SQLException e) {
                    throw ShardException.fromShard(session.registry.name(session.writeShard), null, e);
                }
            }
            int written = session.writeShard;
            for (int i = 0; i < session.physical.length; i++) {
                if (i != written && session.physical[i] != null) {
                    try {
                        session.physical[i].commit();
                    } catch (SQLException e) {
                        throw ShardException.fromShard(session.registry.name(i), null, e);
                    }
                }
            }
        } finally {
            session.writeShard = -1;
            clearSavepoints(session);
        }
        session.afterTransaction();
    }

    static void rollback(Session session) throws SQLException {
        try {
            dropBroken(session);
            session.eachPhysical(Connection::rollback);
        } finally {
            session.writeShard = -1;
            clearSavepoints(session);
        }
        session.afterTransaction();
    }

    /** Rollback: a broken shard connection has lost its transaction already; it is given back, not rolled back. */
    private static void dropBroken(Session session) {
        for (int i = 0; i < session.physical.length; i++) {
            Connection c = session.physical[i];
            if (c != null && Session.broken(c)) {
                session.physical[i] = null;
                session.giveBackBroken(i, c);
            }
        }
    }

    static Savepoint setSavepoint(Session session, String name) throws SQLException {
        return savepoints(session).set(name, session.physical, session.registry);
    }

    static void rollback(Session session, Savepoint savepoint) throws SQLException {
        savepoints(session).rollback(savepoint, session.physical, session.registry);
    }

    static void releaseSavepoint(Session session, Savepoint savepoint) throws SQLException {
        savepoints(session).release(savepoint, session.physical, session.registry);
    }

    /** The current transaction's savepoints (made at the first use: most connections set none). */
    static Savepoints savepoints(Session session) {
        if (session.savepoints == null) {
            session.savepoints = new Savepoints();
        }
        return session.savepoints;
    }

    /** The transaction ended: no savepoint survives it. */
    static void clearSavepoints(Session session) {
        if (session.savepoints != null) {
            session.savepoints.clear();
        }
    }
}
