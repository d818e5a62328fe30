package io.shardkit.lexical;

import io.shardkit.testing.SqliteShards;
import java.sql.Connection;
import java.sql.SQLException;

@SqliteShards
class SqliteLexicalTest extends LexicalContract {
    @Override
    Connection openMultiStatementReference() throws SQLException {
        return shards.openReference();
    }
}
