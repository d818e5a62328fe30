package io.shardkit.tenant;

import io.shardkit.testing.MariaDbShards;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/**
 * Schema-per-tenant on MariaDB, where a schema is a database: the same API, each tenant a database
 * named after the shard's, the shared users table in the shard's own database. One shard: tenant
 * databases are server-wide, so shards on one server would share them.
 */
@MariaDbShards
class TenantMariaDbTest extends TenantContract {
    @Override
    int shardCount() {
        return 1;
    }

    @Override
    String pattern() {
        return database() + "_{tenant}";
    }

    /** The database of shard s0, from its URL. */
    private String database() {
        String url = shards.url(0);
        int q = url.indexOf('?');
        String head = q < 0 ? url : url.substring(0, q);
        return head.substring(head.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    }

    @Override
    String sharedSchema() {
        return database();
    }

    @Override
    String quote(String name) {
        return '`' + name + '`';
    }

    @Override
    String connectionIdSql() {
        return "SELECT CONNECTION_ID()";
    }

    @Override
    String currentSchemaSql() {
        return "SELECT DATABASE()";
    }

    @Override
    String jdbcSchema(Connection c) throws SQLException {
        return c.getCatalog();
    }

    @Override
    void switchTo(Connection c, String schema) throws SQLException {
        c.setCatalog(schema);
    }
}
