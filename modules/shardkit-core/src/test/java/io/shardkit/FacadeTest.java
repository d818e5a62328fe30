package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.Settings;
import io.shardkit.config.ShardMap;
import io.shardkit.pool.AdminConnections;
import io.shardkit.strategy.Strategies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, the facade: {@link ShardedDataSource} hands out and its parts live elsewhere (the
 * {@code DataSource} plumbing in {@code DataSourceView}, shared with the views; the pools, cache, router and
 * scatter threads in {@code Assembly}; the JDBC 4.3 connection builder in {@code KeyedConnectionBuilder};
 * the builder's body in {@code config.MapBuilder}; the defaults in {@link Settings}). What it answers,
 * messages and SQLStates included, is what it answered before the split.
 */
class FacadeTest {
    @TempDir Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = FourSqliteShards.open(dir, "", "CREATE TABLE notes (owner INTEGER, body TEXT)");
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    @Test
    void i13_facade_01_dataSourcePlumbingIsTheSameForTheDataSourceAndItsViews() throws SQLException {
        DataSource[] all = {ds, ds.dataSourceFor("s2")};
        for (int i = 0; i < all.length; i++) {
            DataSource d = all[i];
            assertThatThrownBy(() -> d.getConnection("u", "p")).isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessage("credentials are set per shard in the shard map; use getConnection()")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            assertThatThrownBy(d::getParentLogger).isInstanceOf(SQLFeatureNotSupportedException.class)
                    .hasMessage("shardkit logs through SLF4J")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            assertThat(d.getLogWriter()).isNull();
            d.setLoginTimeout(7 + i);
            assertThat(d.getLoginTimeout()).isEqualTo(7 + i);
            assertThat(d.unwrap(ShardedDataSource.class)).isSameAs(ds);
            assertThat(d.isWrapperFor(ShardedDataSource.class)).isTrue();
            assertThatThrownBy(() -> d.unwrap(String.class)).isInstanceOf(SQLException.class)
                    .hasMessage("not a wrapper for java.lang.String")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("HY000");
            assertThat(d.isWrapperFor(String.class)).isFalse();
        }
        assertThat(ds.getLoginTimeout()).as("each keeps its own").isEqualTo(7);
        // the archive package's hook: unwrapped by the data source only, and not advertised
        assertThat(ds.unwrap(AdminConnections.class)).isNotNull();
        assertThat(ds.isWrapperFor(AdminConnections.class)).isFalse();
        assertThatThrownBy(() -> ds.dataSourceFor("s2").unwrap(AdminConnections.class))
                .isInstanceOf(SQLException.class).hasMessage("not a wrapper for " + AdminConnections.class.getName());
    }

    @Test
    void i13_facade_02_unknownShardsAreNamedAsBefore() {
        assertThatThrownBy(() -> ds.connectionTo("s9")).isInstanceOf(ShardException.class)
                .hasMessage("unknown shard 's9' (known: s0, s1, s2, s3)")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(ShardException.ROUTING);
        assertThatThrownBy(() -> ds.dataSourceFor("s9")).isInstanceOf(ShardException.class)
                .hasMessage("unknown shard 's9' (known: s0, s1, s2, s3)");
        assertThatThrownBy(() -> ds.readOnlyProblems("s9")).isInstanceOf(ShardException.class)
                .hasMessage("unknown shard 's9'")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(ShardException.ROUTING);
        assertThatThrownBy(() -> ds.activeConnections("s9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown shard s9");
    }

    @Test
    void i13_facade_03_aShardingKeyPinsTheConnectionToItsShard() throws SQLException {
        var key = ds.createShardingKeyBuilder().subkey(5, JDBCType.INTEGER).build();
        try (Connection c = ds.createConnectionBuilder().shardingKey(key).build(); Statement st = c.createStatement()) {
            // pinned: runs as written on the key's shard (mod 4: s1), with no routing
            st.executeUpdate("INSERT INTO notes VALUES (5, 'five')");
        }
        try (Connection c = ds.connectionTo("s1"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT body FROM notes WHERE owner = 5")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("five");
        }
        var two = ds.createShardingKeyBuilder().subkey(1, JDBCType.INTEGER).subkey(2, JDBCType.INTEGER).build();
        assertThatThrownBy(() -> ds.createConnectionBuilder().shardingKey(two).build())
                .isInstanceOf(ShardException.class)
                .hasMessage("a sharding key must have exactly one subkey (the shard key value), got 2")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(ShardException.ROUTING);
        var table = ds.createShardingKeyBuilder().subkey("Missing", JDBCType.VARCHAR).build();
        assertThatThrownBy(() -> ds.createConnectionBuilder().shardingKey(key).superShardingKey(table).build())
                .isInstanceOf(ShardException.class)
                .hasMessage("super sharding key names 'missing', which is not a sharded table of the map");
    }

    @Test
    void i13_facade_04_defaultsAreSettingsOnes() {
        assertThat(ShardedDataSource.DEFAULT_ANALYSIS_CACHE).isEqualTo(Settings.DEFAULTS.analysisCacheSize());
        assertThat(ShardedDataSource.DEFAULT_MERGE_ROW_LIMIT).isEqualTo(Settings.DEFAULTS.mergeRowLimit());
        ShardMap map = ShardedDataSource.builder().shard("a", "jdbc:sqlite::memory:").map();
        assertThat(map.settings()).isEqualTo(Settings.DEFAULTS);
        ShardMap set = ShardedDataSource.builder().shard("a", "jdbc:sqlite::memory:").analysisCacheSize(5)
                .scatterThreads(2).mergeRowLimit(6).mergeMemory(7).runtimeIdleTimeout(8).runtimeConnectionCap(9)
                .map();
        assertThat(set.settings()).isEqualTo(new Settings(5, 2, 6, 8, 9, 7));
        assertThatThrownBy(() -> ShardedDataSource.builder().mergeRowLimit(0).map())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("mergeRowLimit must be at least 1, got 0");
    }

    @Test
    void i13_facade_05_theFacadeStaysSmall() throws IOException {
        Path file = ArchitectureTest.mainSources().resolve("io/shardkit/ShardedDataSource.java");
        assertThat(Files.readAllLines(file)).as(file + ", its builder included").hasSizeLessThanOrEqualTo(300);
    }
}
