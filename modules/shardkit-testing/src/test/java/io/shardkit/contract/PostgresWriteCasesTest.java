package io.shardkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.testing.PostgresShards;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
    String upsertOfAnyUniqueKey() {
        return "INSERT INTO t_event (event_id, item_id, kind) VALUES (1, 33, 'x') ON CONFLICT DO NOTHING";
    }

    @Override
    String autoIdColumn() {
        return "id BIGSERIAL PRIMARY KEY";
    }

    @Override
    String lastIdFunction() {
        return "lastval()";
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

    @Test
    void case26_mergeRoutesOnlyBetweenBroadcastTables() throws SQLException {
        refusedWrite("MERGE INTO t_ref r USING t_item i ON r.code = i.id WHEN MATCHED THEN UPDATE SET w = i.grp",
                "a write to broadcast table t_ref that reads or writes t_item");
        refusedWrite("MERGE INTO t_item i USING t_ref r ON r.code = i.id WHEN MATCHED THEN UPDATE SET grp = r.w",
                "MERGE into sharded table t_item");
        sameWrite("MERGE INTO t_ref r USING (SELECT 2 AS code, 'deux' AS name) s ON r.code = s.code"
                + " WHEN MATCHED THEN UPDATE SET name = s.name WHEN NOT MATCHED THEN INSERT (code, name, w)"
                + " VALUES (s.code, s.name, 0)");
    }

    /**
     * Every shard's NOTICE comes back as a warning naming its shard, and a second getWarnings()
     * returns the same finite chain (linking the drivers' own warnings made a cycle, and Hibernate's
     * hbm2ddl, which asks after every DDL statement, hung).
     */
    @Test
    void warningsAreAFreshChainOfEveryShardPerCall() throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS t_ref");
            st.execute("DROP TABLE IF EXISTS t_ref"); // PostgreSQL: NOTICE "table does not exist, skipping", per shard
            for (int call = 0; call < 3; call++) {
                List<String> messages = new ArrayList<>();
                for (SQLWarning w = st.getWarnings(); w != null && messages.size() < 100; w = w.getNextWarning()) {
                    messages.add(w.getMessage());
                }
                assertThat(messages).as("call " + call).hasSize(4)
                        .allMatch(m -> m.matches("shard s[0-3]: .*t_ref.*does not exist, skipping"));
            }
            st.clearWarnings();
            assertThat((Object) st.getWarnings()).isNull();
        }
    }

    /**
     * Issue 11: a deferred constraint violated on one shard of a multi-shard autocommit write fails
     * the write before any shard commits (SET CONSTRAINTS ALL IMMEDIATE runs on every shard first),
     * so no shard keeps the write.
     */
    @Test
    void i11_06_deferredConstraintFailsTheWriteBeforeAnyCommit() throws SQLException {
        try (Connection raw = shards.open(2); Statement st = raw.createStatement()) {
            st.execute("CREATE TABLE t_parent (id INT PRIMARY KEY)");
            st.execute("CREATE TABLE t_child (pid INT REFERENCES t_parent (id) DEFERRABLE INITIALLY DEFERRED)");
            st.execute("CREATE FUNCTION orphan() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN INSERT INTO t_child VALUES (999); RETURN NEW; END $$");
            st.execute("CREATE TRIGGER orphan AFTER UPDATE ON t_item FOR EACH ROW EXECUTE FUNCTION orphan()");
        }
        try {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("UPDATE t_item SET name = 'x'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("23503");
                            assertThat(e.getMessage()).startsWith("shard s2: ");
                        });
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t_item WHERE name = 'x'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows written anywhere").isZero();
                }
            }
        } finally {
            dropOrphanTrigger();
        }
    }

    /**
     * Issue 11: the shard's own error is reported when its connection dies in a multi-shard write
     * (cleanup on the dead connection used to replace it with "Connection is closed"); the data
     * source recovers for the next statement.
     */
    @Test
    void i11_07_theShardsOwnErrorSurvivesADeadConnection() throws SQLException {
        try (Connection raw = shards.open(2); Statement st = raw.createStatement()) {
            st.execute("CREATE FUNCTION orphan() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$");
            st.execute("CREATE TRIGGER orphan AFTER UPDATE ON t_item FOR EACH ROW EXECUTE FUNCTION orphan()");
        }
        try {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("UPDATE t_item SET name = 'x'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getMessage()).startsWith("shard s2: ")
                                    .contains("terminating connection");
                            assertThat(e.getSQLState()).isEqualTo("57P01");
                        });
            }
            dropOrphanTrigger();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE t_item SET name = 'y' WHERE grp = 0"))
                        .isEqualTo(4);
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM t_item WHERE name = 'x'")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("rows written anywhere").isZero();
                }
            }
        } finally {
            dropOrphanTrigger();
        }
    }

    /**
     * Issue 12, bug 5: prepareCall on a pinned connection passed holdability -1 to pgjdbc (22023);
     * on a routed connection {? = call current_schema()} runs as SELECT current_schema().
     */
    @Test
    void i12_05_callsOnPinnedAndRoutedConnections() throws SQLException {
        try (Connection c = ds.connectionTo("s2");
                CallableStatement call = c.prepareCall("{? = call current_schema()}")) {
            call.registerOutParameter(1, Types.VARCHAR);
            call.execute();
            assertThat(call.getString(1)).isEqualTo("public");
        }
        try (Connection c = ds.getConnection(); CallableStatement call = c.prepareCall("{? = call current_schema()}")) {
            call.registerOutParameter(1, Types.VARCHAR);
            call.execute();
            assertThat(call.getString(1)).isEqualTo("public");
        }
    }

    private void dropOrphanTrigger() throws SQLException {
        try (Connection raw = shards.open(2); Statement st = raw.createStatement()) {
            st.execute("DROP TRIGGER IF EXISTS orphan ON t_item");
            st.execute("DROP FUNCTION IF EXISTS orphan()");
            st.execute("DROP TABLE IF EXISTS t_child");
            st.execute("DROP TABLE IF EXISTS t_parent");
        }
    }
}
