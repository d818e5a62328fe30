package io.shardkit.exec;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.RouteDecision;
import io.shardkit.route.Router;
import io.shardkit.sql.Dialect;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.sql.Tiering;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The checks a write passes before any SQL of it reaches a shard: a read-only connection or shard
 * refuses it; inside a transaction every write must go to the transaction's one shard; an upsert
 * that reacts to any unique key needs the shard key in every unique key; a write to a tiered table
 * must not touch a row an archive shard holds. Internal.
 */
public final class WriteGuard {
    private final ShardRegistry registry;
    private final Session session;
    private final Router router;

    public WriteGuard(ShardRegistry registry, Session session, Router router) {
        this.registry = registry;
        this.session = session;
        this.router = router;
    }

    /**
     * Checks a write before any SQL reaches a shard: read-only shards refuse it; inside a
     * transaction every write must go to the transaction's one shard.
     */
    public void beforeWrite(SqlAnalysis a, RouteDecision d) throws SQLException {
        if (session.readOnly()) {
            throw new ShardException("the connection is read-only: " + a.kind() + " refused before it reached a shard [sql: "
                    + ShardException.shorten(a.sql()) + "]", SqlStates.READ_ONLY_SQL_TRANSACTION);
        }
        for (int i = 0; i < d.size(); i++) {
            int s = d.shard(i);
            if (registry.spec(s).readOnly()) {
                throw new ShardException("shard " + registry.name(s) + " is read-only: " + a.kind()
                        + " refused before it reached the shard [sql: " + ShardException.shorten(a.sql()) + "]",
                        SqlStates.READ_ONLY_SQL_TRANSACTION, 0, registry.name(s), null);
            }
        }
        if (session.autoCommit()) {
            session.wrote(d.size() == 1 ? d.shard(0) : Session.SEVERAL_SHARDS);
            return;
        }
        int writeShard = session.writeShard();
        int target = writeShard;
        for (int i = 0; i < d.size(); i++) {
            int s = d.shard(i);
            if (target < 0) {
                target = s;
            } else if (s != target) {
                String already = writeShard >= 0 ? "this transaction already wrote to shard " + registry.name(writeShard)
                        : "this statement writes to shard " + registry.name(target);
                throw new RefusedException(already + " and would now write to shard " + registry.name(s)
                        + "; a transaction may write to one shard only (there is no distributed commit): commit first,"
                        + " or keep the transaction's writes on one shard", a.sql());
            }
        }
        session.writeShard(target);
        session.wrote(target);
    }

    /**
     * Refuses an upsert that reacts to any unique key unless every unique key of its table includes
     * the shard key (read from the catalog of the shard it runs on, once per table).
     */
    public void checkUniqueKeys(SqlAnalysis a, int shard) throws SQLException {
        String key = a.strategy() == null ? null : router.keyColumn(a.shardedTable());
        registry.uniqueKeys().require(session.physical(shard), registry.name(shard), a.shardedTable(), key, a.sql());
    }

    /**
     * Refuses a write to a tiered table when an archive shard holds rows it would change: runs the
     * analysis's probe ({@code SELECT 1 FROM t WHERE <the write's condition>}) on each archive shard
     * before anything is written (SQLState 25006, naming the shard and the table).
     */
    public void checkArchive(SqlAnalysis a, int[] archiveShards, Parameters params) throws SQLException {
        Tiering t = a.tiering();
        for (int shard : archiveShards) {
            String name = registry.name(shard);
            Connection held = session.held(shard);
            Connection c = held != null ? held : session.borrow(shard);
            boolean found;
            Object id = null;
            boolean failed = false;
            try (PreparedStatement ps = c.prepareStatement(t.probeSql())) {
                if (params != null) {
                    params.applyTo(ps, t.probeParameters(), t.probeParameters().length);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    found = rs.next();
                    id = found && a.kind() == StatementKind.INSERT ? rs.getObject(1) : null;
                }
            } catch (SQLException e) {
                failed = true;
                throw ShardException.fromShard(name, t.probeSql(), e);
            } finally {
                if (held == null) {
                    closeBorrowed(shard, c, failed);
                }
            }
            if (found) {
                throw archived(a, t, name, id);
            }
        }
    }

    /** The refusal of a write that an archived row stands in the way of. */
    private ShardException archived(SqlAnalysis a, Tiering t, String shard, Object id) {
        String sql = " [sql: " + ShardException.shorten(a.sql()) + "]";
        String column = t.archive().id();
        if (a.kind() == StatementKind.INSERT && !t.upsert()) {
            // what one database would say about a duplicate primary key
            boolean mysql = registry.dialect(registry.indexOf(shard)) == Dialect.MYSQL;
            return new ShardException("INSERT into " + t.table() + " gives " + column + " = " + id + ", which read-only"
                    + " archive shard " + shard + " already holds; a hot row would shadow the archived row (refused"
                    + " before any shard was written)" + sql,
                    mysql ? SqlStates.INTEGRITY_CONSTRAINT_VIOLATION : SqlStates.UNIQUE_VIOLATION, mysql ? 1062 : 0,
                    shard, null);
        }
        String why = a.kind() == StatementKind.DELETE ? "; archived rows cannot be deleted, and a hot row"
                + " with the same " + column + " only shadows the archived one: deleting it would bring the archived row"
                + " back (a row being archived is both: the archiver removes the hot copy)"
                : a.kind() == StatementKind.INSERT ? " (" + column + " = " + id + "); archived rows"
                + " cannot be changed" : "; archived rows cannot be changed";
        return new ShardException(a.kind() + " would change rows of " + t.table() + " held by read-only archive shard "
                + shard + why + " (refused before any shard was written)" + sql,
                SqlStates.READ_ONLY_SQL_TRANSACTION, 0, shard, null);
    }

    /**
     * Returns a connection borrowed for one probe. After a failed statement a read-only shard's
     * connection is evicted from its pool rather than returned, so whatever the failure left behind
     * (an aborted transaction, a session setting) cannot reach the next borrower.
     */
    private void closeBorrowed(int shard, Connection c, boolean failed) throws SQLException {
        if (failed && registry.spec(shard).readOnly()) {
            registry.evict(shard, c);
            return;
        }
        c.close();
    }
}
