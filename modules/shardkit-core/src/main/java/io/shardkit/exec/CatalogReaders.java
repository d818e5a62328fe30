package io.shardkit.exec;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.config.TableSplit;
import io.shardkit.pool.ShardRegistry;
import io.shardkit.route.SplitCatalog;
import io.shardkit.route.SplitCreation;
import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The readers of split tables' catalogs: for a session's statements, and for explain. A tenant's
 * session reads, and creates physical tables in, the tenant's schema (MySQL: database), so each
 * tenant has its own physical tables and {@link SplitCatalog} keeps them apart.
 */
final class CatalogReaders {
    private CatalogReaders() {
    }

    /**
     * For a session's statements: reads a shard's catalog on the session's connection to it (or a
     * short borrow); creates a physical table on a connection of its own in autocommit, in the
     * session's schema, so it is there for every data source at once whatever becomes of this
     * session's transaction (SQLite inside a transaction refuses: that file has one writer, held by
     * the session).
     */
    static SplitCatalog.Reader of(Session session, ShardRegistry registry) {
        String schema = session.tenantSchema();
        return new SplitCatalog.Reader() {
            @Override
            public List<String> read(int shard, TableSplit split) throws SQLException {
                return session.onShard(shard, c -> SplitCatalog.read(c, split, schema));
            }

            @Override
            public List<String> readArchived(int shard, String table, TableSplit split) throws SQLException {
                return session.onShard(shard, c -> SplitCatalog.readArchived(c, table, split));
            }

            @Override
            public String schema() {
                return schema;
            }

            @Override
            public void create(int shard, SplitCreation how) throws SQLException {
                Dialect dialect = registry.dialect(shard);
                try {
                    if (dialect == Dialect.SQLITE && !session.autoCommit()) {
                        throw new RefusedException("creating physical table " + how.name() + " inside a transaction on SQLite"
                                + " shard " + registry.name(shard) + " (the file has one writer); write the first row of"
                                + " its period in autocommit, or create the table first", how.name());
                    }
                    try (Connection c = session.borrowInSchema(shard)) {
                        how.run(c, dialect);
                    }
                } catch (ShardException | RefusedException e) {
                    throw e;
                } catch (SQLException e) {
                    throw ShardException.fromShard(registry.name(shard), null, e);
                }
            }
        };
    }

    /**
     * For explain: reads as {@link #of} does for {@code session} (or, with none, on a short borrow in
     * the shards' own schemas); a creation is only noted in {@code why}.
     */
    static SplitCatalog.Reader forExplain(Session session, ShardRegistry registry, StringBuilder why) {
        SplitCatalog.Reader reads = session == null ? null : of(session, registry);
        return new SplitCatalog.Reader() {
            @Override
            public List<String> read(int shard, TableSplit split) throws SQLException {
                if (reads != null) {
                    return reads.read(shard, split);
                }
                try (Connection c = registry.borrow(shard)) {
                    return SplitCatalog.read(c, split);
                }
            }

            @Override
            public List<String> readArchived(int shard, String table, TableSplit split) throws SQLException {
                if (reads != null) {
                    return reads.readArchived(shard, table, split);
                }
                try (Connection c = registry.borrow(shard)) {
                    return SplitCatalog.readArchived(c, table, split);
                }
            }

            @Override
            public String schema() {
                return reads == null ? null : reads.schema();
            }

            @Override
            public void create(int shard, SplitCreation how) {
                why.append("would create ").append(how.describe()).append(" on ").append(registry.name(shard))
                        .append(schema() == null ? "" : " in schema " + schema()).append('\n');
            }
        };
    }
}
