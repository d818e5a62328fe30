package io.shardkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

@MariaDbShards
class MariaDbShardsTest {

    @Test
    void fourSeparateDatabasesAndAReference(ShardSet shards) throws Exception {
        assertThat(shards.dialect()).isEqualTo("mysql");
        assertThat(shards.names()).containsExactly("s0", "s1", "s2", "s3");
        assertThat(shards.urls()).doesNotHaveDuplicates().allMatch(url -> url.startsWith("jdbc:mysql://127.0.0.1:"));

        RoundTrip.check(shards);
    }

    @Test
    void serverIsMariaDbSpeakingToConnectorJ(ShardSet shards) throws Exception {
        try (Connection c = shards.open(0); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT VERSION(), DATABASE()")) {
            rs.next();
            assertThat(rs.getString(1)).containsIgnoringCase("mariadb");
            assertThat(rs.getString(2)).endsWith("_s0");
            assertThat(c.getMetaData().getDriverName()).contains("MySQL Connector/J");
        }
    }

    @Test
    void oneServerPerJvm() {
        assertThat(EmbeddedMariaDb.get()).isSameAs(EmbeddedMariaDb.get());
    }
}
