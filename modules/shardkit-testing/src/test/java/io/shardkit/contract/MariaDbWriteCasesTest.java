package io.shardkit.contract;


import io.shardkit.testing.MariaDbShards;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

@MariaDbShards
class MariaDbWriteCasesTest extends WriteCasesContract {
    @Override
    String joinedBroadcastUpdate() {
        return "UPDATE t_ref r JOIN t_item i ON i.grp = r.code SET r.w = 5";
    }

    @Override
    String joinedBroadcastDelete() {
        return "DELETE r FROM t_ref r JOIN t_item i ON i.grp = r.code";
    }

    @Override
    String upsertChangingKey() {
        return "INSERT INTO t_item (id, grp, name) VALUES (1, 1, 'z') ON DUPLICATE KEY UPDATE id = 99";
    }

    @Override
    String upsertKeepingKey() {
        return "INSERT INTO t_item (id, grp, name) VALUES (1, 1, 'z') ON DUPLICATE KEY UPDATE name = 'up'";
    }

    @Override
    String upsertOfAnyUniqueKey() {
        return "INSERT INTO t_event (event_id, item_id, kind) VALUES (1, 33, 'x') ON DUPLICATE KEY UPDATE kind = 'y'";
    }

    @Override
    String autoIdColumn() {
        return "id BIGINT AUTO_INCREMENT PRIMARY KEY";
    }

    @Override
    String lastIdFunction() {
        return "LAST_INSERT_ID()";
    }

    @Override
    String volatileUuidWrite() {
        return "UPDATE t_ref SET name = UUID()";
    }

    @Override
    List<String> sessionStatements() {
        return List.of("BEGIN", "START TRANSACTION", "SAVEPOINT a", "RELEASE SAVEPOINT a", "SET autocommit = 0",
                "SET SESSION sql_mode = 'ANSI_QUOTES'", "SET @x = 1", "LOCK TABLES t_item WRITE", "USE mysql",
                "SELECT @x := 1");
    }

    @Test
    void case22_limitedWritesOverSeveralShardsAreRefused() throws SQLException {
        refusedWrite("DELETE FROM t_item ORDER BY id LIMIT 2", "DELETE ... LIMIT over several shards");
        refusedWrite("UPDATE t_item SET grp = 9 ORDER BY id LIMIT 3", "UPDATE ... LIMIT over several shards");
        refusedWrite("UPDATE t_ref SET w = 9 ORDER BY code LIMIT 1", "LIMIT on broadcast table t_ref");
        // on one shard the LIMIT is the database's own
        sameWrite("DELETE FROM t_item WHERE id = 4 ORDER BY id LIMIT 2");
        sameWrite("UPDATE t_item SET grp = 9 WHERE id IN (1, 5, 9) ORDER BY id LIMIT 2");
    }

    @Test
    void replaceIntoRoutesLikeInsert() throws SQLException {
        sameWrite("REPLACE INTO t_item (id, grp, name) VALUES (5, 9, 'replaced'), (30, 1, 'new')");
        sameWrite("REPLACE INTO t_ref (code, name, w) VALUES (2, 'deux', 22)");
    }
}
