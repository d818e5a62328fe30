package io.shardkit.split;

import io.shardkit.testing.MariaDbShards;
import java.time.LocalDate;

@MariaDbShards
class MariaDbSplitTest extends SplitContract {
    @Override
    String[] ddl() {
        return new String[] {
            "CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL, score INTEGER, arena VARCHAR(10))",
            "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name VARCHAR(20))",
            "CREATE TABLE photos (photo_id INTEGER PRIMARY KEY, album_key VARCHAR(20) NOT NULL, title VARCHAR(20))",
            "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at DATE NOT NULL,"
                    + " amount INTEGER)",
        };
    }

    @Override
    String quote() {
        return "`";
    }

    @Override
    Object day(String iso) {
        return LocalDate.parse(iso);
    }

    @Override
    String columnsOf(String table) {
        return "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '"
                + table + "'";
    }

    @Override
    String scoreIndexesOf(String table) {
        return "SELECT COUNT(DISTINCT index_name) FROM information_schema.statistics WHERE table_schema = DATABASE()"
                + " AND table_name = '" + table + "' AND column_name = 'score'";
    }
}
