package io.shardkit.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.ShardedDataSource;
import io.shardkit.config.ShardSpec;
import io.shardkit.strategy.Strategies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;

/**
 * The three contenders over one {@link Dataset}, all with the same HikariCP settings per shard
 * ({@link #MAX_POOL}, {@link #MIN_IDLE}, everything else HikariCP's defaults):
 * <ul>
 *   <li>{@code direct}: one pool per shard and routing written by hand ({@code player_id mod N});
 *       the floor.
 *   <li>{@code shardkit}: {@link ShardedDataSource} with the {@code mod} strategy on
 *       {@code players} and {@code moves}.
 *   <li>{@code shardingsphere}: Apache ShardingSphere-JDBC 5.5.2 from its YAML API, the INLINE
 *       algorithm {@code ds_${player_id % N}} on the same two tables, standalone mode, default props.
 * </ul>
 */
final class Contenders {
    static final String DIRECT = "direct";
    static final String SHARDKIT = "shardkit";
    static final String SHARDINGSPHERE = "shardingsphere";

    static final int MAX_POOL = 8;
    static final int MIN_IDLE = 2;

    private Contenders() {
    }

    /** One pool per shard, index = shard number. */
    static HikariDataSource[] direct(Dataset d) {
        HikariDataSource[] pools = new HikariDataSource[d.shards];
        for (int i = 0; i < d.shards; i++) {
            HikariConfig c = new HikariConfig();
            c.setPoolName("direct-s" + i);
            c.setJdbcUrl(d.urls[i]);
            c.setUsername(d.user);
            c.setPassword(d.password);
            c.setMaximumPoolSize(MAX_POOL);
            c.setMinimumIdle(MIN_IDLE);
            pools[i] = new HikariDataSource(c);
        }
        return pools;
    }

    static ShardedDataSource shardkit(Dataset d) throws SQLException {
        ShardedDataSource.Builder b = ShardedDataSource.builder()
                .pool("maximumPoolSize", MAX_POOL)
                .pool("minimumIdle", MIN_IDLE);
        String[] names = new String[d.shards];
        for (int i = 0; i < d.shards; i++) {
            names[i] = "s" + i;
            b.shard(ShardSpec.of(names[i], d.urls[i]).withCredentials(d.user, d.password));
        }
        return b.sharded("players", "player_id", Strategies.mod(names))
                .sharded("moves", "player_id", Strategies.mod(names))
                .build();
    }

    static DataSource shardingSphere(Dataset d) throws SQLException {
        try {
            byte[] yaml = shardingSphereYaml(d).getBytes(StandardCharsets.UTF_8);
            return YamlShardingSphereDataSourceFactory.createDataSource(yaml);
        } catch (IOException e) {
            throw new SQLException("ShardingSphere YAML: " + e, e);
        }
    }

    /** The ShardingSphere rule equivalent to shardkit's {@code mod} strategy. */
    static String shardingSphereYaml(Dataset d) {
        StringBuilder y = new StringBuilder("databaseName: bench\ndataSources:\n");
        for (int i = 0; i < d.shards; i++) {
            y.append("  ds_").append(i).append(":\n")
                    .append("    dataSourceClassName: com.zaxxer.hikari.HikariDataSource\n")
                    .append("    driverClassName: ").append(d.driverClass()).append('\n')
                    .append("    jdbcUrl: ").append(d.urls[i]).append('\n')
                    .append("    username: ").append(d.user).append('\n')
                    .append("    password: '").append(d.password == null ? "" : d.password).append("'\n")
                    .append("    maximumPoolSize: ").append(MAX_POOL).append('\n')
                    .append("    minimumIdle: ").append(MIN_IDLE).append('\n');
        }
        int last = d.shards - 1;
        y.append("rules:\n- !SHARDING\n  tables:\n");
        for (String table : new String[] {"players", "moves"}) {
            y.append("    ").append(table).append(":\n")
                    .append("      actualDataNodes: ds_${0..").append(last).append("}.").append(table).append('\n')
                    .append("      databaseStrategy:\n        standard:\n")
                    .append("          shardingColumn: player_id\n")
                    .append("          shardingAlgorithmName: player_mod\n");
        }
        y.append("  shardingAlgorithms:\n    player_mod:\n      type: INLINE\n      props:\n")
                .append("        algorithm-expression: ds_${player_id % ").append(d.shards).append("}\n");
        y.append("props:\n  sql-show: false\n");
        return y.toString();
    }

    static void close(Object contender) {
        try {
            if (contender instanceof AutoCloseable c) {
                c.close();
            } else if (contender instanceof HikariDataSource[] pools) {
                for (HikariDataSource p : pools) {
                    p.close();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("closing " + contender + ": " + e, e);
        }
    }
}
