package io.shardkit.bench;

import java.io.File;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import javax.sql.DataSource;
import org.apache.shardingsphere.driver.api.yaml.YamlShardingSphereDataSourceFactory;

/**
 * Child process of {@link Startup}: loads a ShardingSphere-JDBC YAML configuration, asks for
 * player 1042, prints the answer and exits. Argument: the YAML file.
 */
public final class ProbeShardingSphere {
    private ProbeShardingSphere() {
    }

    public static void main(String[] args) throws Exception {
        DataSource ds = YamlShardingSphereDataSourceFactory.createDataSource(new File(args[0]));
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
