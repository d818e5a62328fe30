package io.shardkit.split;

import io.shardkit.testing.SqliteShards;

@SqliteShards
class SqliteSplitTest extends SplitContract {
    @Override
    String[] ddl() {
        return new String[] {
            "CREATE TABLE matches (match_id INTEGER PRIMARY KEY, player_id INTEGER NOT NULL, score INTEGER, arena TEXT)",
            "CREATE TABLE players (player_id INTEGER PRIMARY KEY, name TEXT)",
            "CREATE TABLE photos (photo_id INTEGER PRIMARY KEY, album_key TEXT NOT NULL, title TEXT)",
            "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, created_at TEXT NOT NULL,"
                    + " amount INTEGER)",
        };
    }

    @Override
    Object day(String iso) {
        return iso;
    }

    @Override
    String columnsOf(String table) {
        return "SELECT name FROM pragma_table_info('" + table + "')";
    }

    @Override
    String scoreIndexesOf(String table) {
        return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = '" + table + "' AND sql LIKE '%score%'";
    }
}
