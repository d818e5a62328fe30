package io.shardkit.contract;

import io.shardkit.testing.PostgresShards;
import java.util.List;

@PostgresShards
class PostgresWriteCasesTest extends WriteCasesContract {
    @Override
    String joinedBroadcastUpdate() {
        return "UPDATE t_ref SET w = 5 FROM t_item i WHERE i.grp = t_ref.code";
    }

    @Override
    String joinedBroadcastDelete() {
        return "DELETE FROM t_ref USING t_item i WHERE i.grp = t_ref.code";
    }

    @Override
    String upsertChangingKey() {
        return "INSERT INTO t_item (id, grp, name) VALUES (1, 1, 'z') ON CONFLICT (id) DO UPDATE SET id = 99";
    }

    @Override
    String upsertKeepingKey() {
        return "INSERT INTO t_item (id, grp, name) VALUES (1, 1, 'z') ON CONFLICT (id) DO UPDATE SET name = 'up'";
    }

    @Override
    String volatileUuidWrite() {
        return "UPDATE t_ref SET name = gen_random_uuid()::text";
    }

    @Override
    List<String> sessionStatements() {
        return List.of("BEGIN", "START TRANSACTION", "END", "SAVEPOINT a", "RELEASE SAVEPOINT a",
                "SET statement_timeout = 1", "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
                "SELECT set_config('statement_timeout', '1', false)", "DISCARD ALL", "LISTEN x", "RESET ALL");
    }
}
