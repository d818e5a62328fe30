package io.shardkit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One shard of a {@link ShardedDataSource} as a plain {@code DataSource}
 * ({@link ShardedDataSource#dataSourceFor}), for tools that must run once per shard as written:
 * Flyway and Liquibase migrations, Hibernate's schema tools, a per-shard report. Its connections
 * are those of {@link ShardedDataSource#connectionTo}: pinned to the shard, borrowing from its
 * pool, running each statement on it without routing (a read-only shard still refuses writes).
 * No pool of its own; thread-safe.
 */
public final class ShardDataSource extends DataSourceView {
    private final String shard;

    ShardDataSource(ShardedDataSource owner, String shard) {
        super(owner);
        this.shard = shard;
    }

    /** The shard's name. */
    public String shard() {
        return shard;
    }

    /** A connection pinned to the shard; fails naming it when the shard is unknown, closed or down. */
    @Override
    public Connection getConnection() throws SQLException {
        return owner.connectionTo(shard);
    }

    @Override
    public String toString() {
        return "ShardDataSource[" + shard + "]";
    }
}
