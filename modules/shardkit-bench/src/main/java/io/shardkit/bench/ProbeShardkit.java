package io.shardkit.bench;

import io.shardkit.ShardedDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Child process of {@link Startup}: loads a shardkit YAML shard map, asks for player 1042, prints
 * the answer and exits. Argument: the YAML file.
 */
public final class ProbeShardkit {
    private ProbeShardkit() {
    }

    public static void main(String[] args) throws Exception {
        ShardedDataSource ds = ShardedDataSource.fromYaml(Path.of(args[0]));
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(Client.POINT)) {
            ps.setLong(1, Startup.PLAYER);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                System.out.println("answer " + rs.getString(1) + " " + rs.getLong(2));
            }
        }
        System.out.flush();
        System.exit(0);
    }
}
