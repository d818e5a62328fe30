package io.shardkit.tier;

import io.shardkit.testing.SqliteShards;
import java.util.List;

@SqliteShards
class SqliteArchiveHostileSqlTest extends ArchiveHostileSqlContract {
    @Override
    String createOrders() {
        return "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, amount INTEGER, note TEXT)";
    }

    @Override
    List<String> hostileStatements() {
        String hot = shards.url(0).substring("jdbc:sqlite:".length());
        return List.of("BEGIN", "BEGIN IMMEDIATE", "PRAGMA query_only = 0", "PRAGMA journal_mode = DELETE",
                "PRAGMA writable_schema = 1", "ATTACH DATABASE '" + hot + "' AS h", "DETACH DATABASE h",
                "VACUUM INTO '" + hot + ".copy'", "VACUUM", "REINDEX", "ANALYZE", "DELETE FROM orders",
                "UPDATE orders SET amount = 0", "INSERT INTO orders (order_id, amount) VALUES (99, 1)",
                "INSERT OR REPLACE INTO orders (order_id, amount) VALUES (1, 0)", "DROP TABLE orders",
                "CREATE TABLE stolen (x INTEGER)", "WITH d AS (SELECT 1) DELETE FROM orders",
                "SELECT load_extension('x')");
    }

    @Override
    boolean createReader() {
        return false;
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
        return null;
    }

    @Override
    String permissionDenied() {
        return null;
    }
}
