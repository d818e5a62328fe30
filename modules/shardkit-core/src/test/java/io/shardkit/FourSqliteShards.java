package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.config.ShardSpec;
import io.shardkit.strategy.Strategies;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The fixture of several JDBC-behaviour tests: four SQLite file shards s0..s3 in a folder, table
 * {@code notes} sharded by {@code owner} ({@code mod 4}), created with the test's own DDL; closing
 * asserts that no shard connection is still borrowed.
 */
final class FourSqliteShards {
    private FourSqliteShards() {
    }

    /** The JDBC URL of shard {@code s<shard>} in {@code dir}. */
    static String url(Path dir, int shard) {
        return "jdbc:sqlite:" + dir.resolve("s" + shard + ".db");
    }

    /**
     * Opens the four shards (each URL followed by {@code urlSuffix}, e.g. {@code "?foreign_keys=on"})
     * and runs {@code ddl} through shardkit.
     */
    static ShardedDataSource open(Path dir, String urlSuffix, String... ddl) throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) {
            b.shard(ShardSpec.of("s" + i, url(dir, i) + urlSuffix).withCreate(true));
        }
        ShardedDataSource ds = b.sharded("notes", "owner", Strategies.mod("s0", "s1", "s2", "s3")).build();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (String sql : ddl) {
                st.execute(sql);
            }
        }
        return ds;
    }

    /** Asserts that every shard got its connections back, then closes the data source. */
    static void close(ShardedDataSource ds) {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
        ds.close();
    }
}
