package io.shardkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs small test classes through JUnit itself to see what the extensions leave behind. */
class ShardSetLifecycleTest {

    static volatile ShardSet seen;
    static volatile ShardSet seenNested;

    @Test
    void sqliteFilesAreDeletedAfterTheClass() {
        run(SqliteCase.class, 2);
        Path folder = Path.of(seen.url(0).substring("jdbc:sqlite:".length())).getParent();
        assertThat(folder.getFileName().toString()).startsWith("shardkit-sk_sqlitecase_");
        assertThat(folder).doesNotExist();
    }

    @Test
    void postgresDatabasesAreDroppedAfterTheClass() throws SQLException {
        run(PostgresCase.class, 2);
        assertThat(databasesLike(EmbeddedPostgres.get().openAdmin(),
                "SELECT count(*) FROM pg_database WHERE datname LIKE 'sk_postgrescase_%'")).isZero();
        assertThatThrownBy(() -> seen.open(0).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("does not exist");
    }

    @Test
    void mariaDbDatabasesAreDroppedAfterTheClass() throws SQLException {
        run(MariaDbCase.class, 2);
        assertThat(databasesLike(EmbeddedMariaDb.get().openAdmin(),
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE 'sk\\_mariadbcase\\_%'"))
                .isZero();
        assertThatThrownBy(() -> seen.open(0).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Unknown database");
    }

    @Test
    void aNestedClassSharesTheSetOfItsEnclosingClass() {
        run(SqliteCase.class, 2);
        assertThat(seenNested).isSameAs(seen);
    }

    private static void run(Class<?> testClass, int tests) {
        seen = null;
        seenNested = null;
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute()
                .testEvents().assertStatistics(stats -> stats.started(tests).succeeded(tests));
    }

    private static int databasesLike(Connection admin, String sql) throws SQLException {
        try (Connection c = admin; Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Each case writes to its shards, so "dropped" means more than "never created". */
    private static void use(ShardSet shards) throws SQLException {
        for (int i = 0; i < shards.size(); i++) {
            try (Connection c = shards.open(i); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (x INT)");
            }
        }
    }

    @SqliteShards
    static class SqliteCase {
        @Test
        void take(ShardSet shards) throws SQLException {
            use(shards);
            seen = shards;
        }

        @Nested
        class Inner {
            @Test
            void take(ShardSet shards) {
                seenNested = shards;
            }
        }
    }

    @PostgresShards
    static class PostgresCase {
        @Test
        void take(ShardSet shards) throws SQLException {
            use(shards);
            seen = shards;
        }

        @Test
        void keepAConnectionOpen(ShardSet shards) throws SQLException {
            // Never closed: dropping the databases must not wait for it.
            shards.open(1).createStatement().execute("SELECT 1");
        }
    }

    @MariaDbShards
    static class MariaDbCase {
        @Test
        void take(ShardSet shards) throws SQLException {
            use(shards);
            seen = shards;
        }

        @Test
        void keepAConnectionOpen(ShardSet shards) throws SQLException {
            // Never closed: dropping the databases must not wait for it.
            shards.open(1).createStatement().execute("SELECT 1");
        }
    }
}
