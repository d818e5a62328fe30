package io.shardkit.tier;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.testing.PostgresShards;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

@PostgresShards
class PostgresArchiveHostileSqlTest extends ArchiveHostileSqlContract {
    @Override
    String createOrders() {
        return "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, amount INT, note VARCHAR(40))";
    }

    @Override
    List<String> hostileStatements() {
        return List.of("BEGIN READ WRITE", "BEGIN", "START TRANSACTION READ WRITE",
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE", "SET TRANSACTION READ WRITE",
                "SET default_transaction_read_only = off", "SET SESSION default_transaction_read_only TO off",
                "SET transaction_read_only = off", "RESET ALL", "RESET default_transaction_read_only", "DISCARD ALL",
                "SELECT set_config('default_transaction_read_only', 'off', false)",
                "SELECT set_config('transaction_read_only', 'off', false)",
                "SELECT query_to_xml('select 1', true, false, '')", "SELECT pg_catalog.set_config('search_path', 'x', false)",
                "DELETE FROM orders", "UPDATE orders SET amount = 0", "INSERT INTO orders (order_id, amount) VALUES (99, 1)",
                "TRUNCATE orders", "DROP TABLE orders", "CREATE TABLE stolen (x INT)", "SELECT * INTO stolen FROM orders",
                "WITH d AS (DELETE FROM orders RETURNING order_id) SELECT * FROM d", "SELECT * FROM orders FOR UPDATE",
                "COPY orders FROM STDIN", "DO $$ BEGIN DELETE FROM orders; END $$", "CALL anything()",
                "EXPLAIN ANALYZE DELETE FROM orders", "PREPARE p AS DELETE FROM orders", "LOCK TABLE orders");
    }

    @Override
    boolean createReader() throws SQLException {
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            st.execute("DO $$ BEGIN CREATE ROLE " + READER + " LOGIN PASSWORD '" + READER_PASSWORD + "';"
                    + " EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        }
        for (int i = 1; i <= 2; i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                st.execute("GRANT USAGE ON SCHEMA public TO " + READER);
                st.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO " + READER);
            }
        }
        return true;
    }

    /** pgjdbc's readOnlyMode=always made the pooled session read-only; nothing above changed that. */
    @Override
    void assertSessionReadOnly(Statement pinned) throws SQLException {
        try (ResultSet rs = pinned.executeQuery("SELECT current_setting('transaction_read_only'),"
                + " current_setting('default_transaction_read_only')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("on");
            assertThat(rs.getString(2)).isEqualTo("on");
        }
    }

    @Override
    String upsert(long id) {
        return "INSERT INTO orders (order_id, amount, note) VALUES (" + id + ", 1, 'x')"
                + " ON CONFLICT (order_id) DO UPDATE SET amount = excluded.amount";
    }

    @Override
    String duplicateState() {
        return "23505";
    }

    @Override
    String widenAmount() {
        return "ALTER TABLE orders ALTER COLUMN amount TYPE BIGINT";
    }

    @Override
    String permissionDenied() {
        return "42501";
    }
}
