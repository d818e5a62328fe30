package io.shardkit.tier;

import io.shardkit.testing.MariaDbShards;
import java.time.LocalDate;

@MariaDbShards
class MariaDbPeriodArchiveTest extends PeriodArchiveContract {
    @Override
    String create(String table) {
        return "CREATE TABLE " + table + " (order_id BIGINT PRIMARY KEY, customer_id INTEGER NOT NULL, created_at DATE NOT NULL,"
                + " amount INTEGER)";
    }

    @Override
    Object day(String iso) {
        return LocalDate.parse(iso);
    }

    /** {@code amount} with a 4-byte float: 24 bits of mantissa. */
    @Override
    String lossy(String table) {
        return "CREATE TABLE " + table + " (order_id BIGINT PRIMARY KEY, customer_id INTEGER NOT NULL, created_at DATE NOT NULL,"
                + " amount FLOAT)";
    }
}
