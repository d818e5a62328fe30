package io.shardkit.tier;

import io.shardkit.testing.MariaDbShards;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

@MariaDbShards
class MariaDbArchiveHostileSqlTest extends ArchiveHostileSqlContract {
    @Override
    String createOrders() {
        return "CREATE TABLE orders (order_id BIGINT PRIMARY KEY, amount INT, note VARCHAR(40))";
    }

    @Override
    List<String> hostileStatements() {
        return List.of("START TRANSACTION READ WRITE", "START TRANSACTION", "BEGIN", "SET SESSION TRANSACTION READ WRITE",
                "SET TRANSACTION READ WRITE", "SET SESSION tx_read_only = 0", "SET @@session.transaction_read_only = 0",
                "SET autocommit = 0", "DELETE FROM orders", "UPDATE orders SET amount = 0",
                "INSERT INTO orders (order_id, amount) VALUES (99, 1)", "REPLACE INTO orders (order_id, amount) VALUES (1, 0)",
                "TRUNCATE orders", "DROP TABLE orders", "CREATE TABLE stolen (x INT)",
                "SELECT * FROM orders INTO OUTFILE '/tmp/sk_stolen'", "SELECT * FROM orders FOR UPDATE",
                "CALL anything()", "HANDLER orders OPEN", "LOCK TABLES orders WRITE", "FLUSH TABLES",
                "SELECT GET_LOCK('x', 0)", "DO RELEASE_ALL_LOCKS()");
    }

    @Override
    boolean createReader() throws SQLException {
        try (Connection c = shards.open(0); Statement st = c.createStatement()) {
            for (String host : List.of("%", "localhost", "127.0.0.1")) {
                String user = "'" + READER + "'@'" + host + "'";
                st.execute("CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY '" + READER_PASSWORD + "'");
                for (int i = 1; i <= 2; i++) {
                    st.execute("GRANT SELECT ON `" + database(shards.url(i)) + "`.* TO " + user);
                }
            }
        }
        return true;
    }

    private static String database(String url) {
        String rest = url.substring(url.indexOf("//") + 2);
        rest = rest.substring(rest.indexOf('/') + 1);
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    @Override
    String upsert(long id) {
        return "INSERT INTO orders (order_id, amount, note) VALUES (" + id + ", 1, 'x')"
                + " ON DUPLICATE KEY UPDATE amount = VALUES(amount)";
    }

    @Override
    String duplicateState() {
        return "23000";
    }

    @Override
    String widenAmount() {
        return "ALTER TABLE orders MODIFY amount BIGINT";
    }

    @Override
    String permissionDenied() {
        return "42000";
    }
}
