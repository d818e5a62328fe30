package io.shardkit.tier;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqlitePeriodArchiveTest extends PeriodArchiveContract {
    @Override
    String create(String table) {
        return "CREATE TABLE " + table + " (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at TEXT NOT NULL,"
                + " amount INTEGER)";
    }

    @Override
    Object day(String iso) {
        return iso;
    }

    /** {@code amount} with text affinity: the integer is stored, and read back, as text. */
    @Override
    String lossy(String table) {
        return "CREATE TABLE " + table + " (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at TEXT NOT NULL,"
                + " amount TEXT)";
    }
}
