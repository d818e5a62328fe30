package io.shardkit.exec;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.internal.Closer;
import io.shardkit.pool.ShardRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The savepoints of one logical connection's transaction. A savepoint is shardkit's own: it is
 * set on every shard connection the transaction holds, and on every shard the transaction reaches
 * later, at the moment that shard joins (where nothing has happened on it yet). Rolling back to it
 * rolls back each of those shards to it, so it undoes exactly what one database would undo,
 * wherever the transaction's statements ran; and it can be set before the first statement has
 * chosen a shard (jOOQ's nested {@code transaction()} as the first work, Spring's
 * {@code PROPAGATION_NESTED}).
 */
final class Savepoints {
    private final List<Point> active = new ArrayList<>();
    private int nextId = 1;

    /** One logical savepoint and the physical savepoint of each shard it is bound to (by shard index). */
    static final class Point implements Savepoint {
        private final int id;
        private final String name;
        private Savepoint[] shards = new Savepoint[0];
        private boolean gone;

        Point(int id, String name) {
            this.id = id;
            this.name = name;
        }

        @Override
        public int getSavepointId() throws SQLException {
            if (name != null) {
                throw new SQLException("a named savepoint has no id", SqlStates.INVALID_ATTRIBUTE_VALUE);
            }
            return id;
        }

        @Override
        public String getSavepointName() throws SQLException {
            if (name == null) {
                throw new SQLException("an unnamed savepoint has no name", SqlStates.INVALID_ATTRIBUTE_VALUE);
            }
            return name;
        }

        void bind(int shard, Connection c) throws SQLException {
            if (shard >= shards.length) {
                shards = Arrays.copyOf(shards, shard + 1);
            }
            shards[shard] = name == null ? c.setSavepoint() : c.setSavepoint(name);
        }

        @Override
        public String toString() {
            return name == null ? "savepoint " + id : "savepoint " + name;
        }
    }

    /** Sets a new savepoint on every held shard connection. */
    Savepoint set(String name, Connection[] held, ShardRegistry registry) throws SQLException {
        Point p = new Point(nextId++, name);
        for (int i = 0; i < held.length; i++) {
            if (held[i] != null) {
                try {
                    p.bind(i, held[i]);
                } catch (SQLException e) {
                    throw ShardException.fromShard(registry.name(i), null, e);
                }
            }
        }
        active.add(p);
        return p;
    }

    /** A shard connection joined the transaction: every active savepoint is set on it, oldest first. */
    void joined(int shard, Connection c) throws SQLException {
        for (Point p : active) {
            p.bind(shard, c);
        }
    }

    /** Rolls every shard bound to {@code sp} back to it; later savepoints are gone, {@code sp} stays. */
    void rollback(Savepoint sp, Connection[] held, ShardRegistry registry) throws SQLException {
        int at = indexOf(sp);
        SQLException first = onEachBound(active.get(at), held, registry, Connection::rollback);
        drop(at + 1);
        if (first != null) {
            throw first;
        }
    }

    /** Releases {@code sp} (and the savepoints set after it) on every shard bound to it. */
    void release(Savepoint sp, Connection[] held, ShardRegistry registry) throws SQLException {
        int at = indexOf(sp);
        SQLException first = onEachBound(active.get(at), held, registry, Connection::releaseSavepoint);
        drop(at);
        if (first != null) {
            throw first;
        }
    }

    private interface OnShard {
        void apply(Connection c, Savepoint sp) throws SQLException;
    }

    /** Applies {@code action} on every held shard bound to {@code p}; returns the first error (later ones suppressed). */
    private static SQLException onEachBound(Point p, Connection[] held, ShardRegistry registry, OnShard action) {
        SQLException first = null;
        for (int i = 0; i < p.shards.length; i++) {
            if (p.shards[i] != null && i < held.length && held[i] != null) {
                try {
                    action.apply(held[i], p.shards[i]);
                } catch (SQLException e) {
                    first = Closer.keep(first, ShardException.fromShard(registry.name(i), null, e));
                }
            }
        }
        return first;
    }

    /** The transaction ended: no savepoint survives it. */
    void clear() {
        drop(0);
    }

    private void drop(int from) {
        while (active.size() > from) {
            active.remove(active.size() - 1).gone = true;
        }
    }

    private int indexOf(Savepoint sp) throws SQLException {
        int at = sp instanceof Point p && !p.gone ? active.indexOf(p) : -1;
        if (at < 0) {
            throw new SQLException(sp + " is not a savepoint of this connection's current transaction",
                    SqlStates.INVALID_SAVEPOINT_SPECIFICATION);
        }
        return at;
    }

}
