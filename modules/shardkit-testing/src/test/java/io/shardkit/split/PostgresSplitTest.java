package io.shardkit.split;

import io.shardkit.testing.PostgresShards;
import java.time.LocalDate;

@PostgresShards
class PostgresSplitTest extends SplitContract {
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
    Object day(String iso) {
        return LocalDate.parse(iso);
    }

    @Override
    String columnsOf(String table) {
        return "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '"
                + table + "'";
    }

    @Override
    String scoreIndexesOf(String table) {
        return "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '" + table
                + "' AND indexdef LIKE '%(score)%'";
    }
}
