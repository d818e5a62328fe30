package io.shardkit.tenant;

import io.shardkit.testing.PostgresShards;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Schema-per-tenant on PostgreSQL: one schema per tenant named as the tenant, users shared in public. */
@PostgresShards
class TenantPostgresTest extends TenantContract {
    @Override
    int shardCount() {
        return 2;
    }

    @Override
    String pattern() {
        return "{tenant}";
    }

    @Override
    String sharedSchema() {
        return "public";
    }

    @Override
    String quote(String name) {
        return '"' + name + '"';
    }

    @Override
    String connectionIdSql() {
        return "SELECT pg_backend_pid()";
    }

    @Override
    String currentSchemaSql() {
        return "SELECT current_schema()";
    }

    @Override
    String jdbcSchema(Connection c) throws SQLException {
        return c.getSchema();
    }

    @Override
    void switchTo(Connection c, String schema) throws SQLException {
        c.setSchema(schema);
    }

    @Override
    @ParameterizedTest
    @ValueSource(strings = {"rewrite", "search_path"})
    void splitInsertsMergedReadsAndTransactionsStayInTheTenantsSchema(String mode) throws SQLException {
        super.splitInsertsMergedReadsAndTransactionsStayInTheTenantsSchema(mode);
    }
}
