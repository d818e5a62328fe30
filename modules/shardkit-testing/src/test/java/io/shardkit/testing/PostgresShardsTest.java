package io.shardkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@PostgresShards
class PostgresShardsTest {

    @Test
    void fourSeparateDatabasesAndAReference(ShardSet shards) throws Exception {
        assertThat(shards.dialect()).isEqualTo("postgresql");
        assertThat(shards.names()).containsExactly("s0", "s1", "s2", "s3");
        assertThat(shards.urls()).doesNotHaveDuplicates().allMatch(url -> url.startsWith("jdbc:postgresql://"));
        assertThat(shards.referenceUrl()).isNotIn(shards.urls());

        RoundTrip.check(shards);
    }

    @Test
    void oneServerPerJvm() {
        assertThat(EmbeddedPostgres.get()).isSameAs(EmbeddedPostgres.get());
    }

    @Test
    void createDatabaseDropsAndRecreates() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.get();
        pg.createDatabase("sk_recreate");
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("sk_recreate"), pg.user(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INT)");
            // Left open on purpose: createDatabase must cope with connections to the old database.
            pg.createDatabase("sk_recreate");
        }
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("sk_recreate"), pg.user(), pg.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE tablename = 't'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        pg.dropDatabase("sk_recreate");
    }
}
