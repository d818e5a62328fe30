package io.shardkit.exec;

import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The settings a logical connection's user made through JDBC (read-only, isolation, schema): applied
 * to every shard connection held when they change, and to each one borrowed later, so a shard
 * connection given back and borrowed again is indistinguishable from one held throughout.
 * Read-only is enforced by shardkit itself too (see {@link WriteGuard}); it is passed to the shards
 * that support it (not SQLite, whose driver fixes it when the connection opens).
 */
public final class SessionSettings {
    private final Session session;
    private boolean readOnly;
    private int isolation = -1;
    private String schema;

    SessionSettings(Session session) {
        this.session = session;
    }

    /** Applies the settings to a shard connection just borrowed. */
    void applyTo(Connection c, Dialect dialect) throws SQLException {
        if (readOnly && dialect != Dialect.SQLITE) {
            c.setReadOnly(true);
        }
        if (isolation >= 0) {
            c.setTransactionIsolation(isolation);
        }
        if (schema != null) {
            c.setSchema(schema);
        }
    }

    public void setTransactionIsolation(int level) throws SQLException {
        session.eachPhysical(c -> c.setTransactionIsolation(level));
        isolation = level;
    }

    /** The isolation set through this session, or -1 for each shard's default. */
    public int isolation() {
        return isolation;
    }

    /** Passed to the shards that support it (not SQLite, whose driver fixes it when the connection opens). */
    public void setReadOnly(boolean on) throws SQLException {
        session.eachPhysical(Dialect.SQLITE, c -> c.setReadOnly(on));
        readOnly = on;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public void setSchema(String name) throws SQLException {
        session.eachPhysical(c -> c.setSchema(name));
        schema = name;
    }

    /** The schema set through this session, or {@code null}. */
    public String schema() {
        return schema;
    }
}
