package io.shardkit.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * Child process of {@link Startup}: opens one pool per shard (same settings as the benchmarks),
 * routes player 1042 by hand, prints the answer and exits. Arguments: user, password, shard URLs.
 * Uses nothing but HikariCP and the driver, so its classpath holds nothing else.
 */
public final class ProbeDirect {
    private ProbeDirect() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length - 2;
        HikariDataSource[] pools = new HikariDataSource[n];
        for (int i = 0; i < n; i++) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(args[2 + i]);
            c.setUsername(args[0]);
            c.setPassword(args[1].equals("-") ? null : args[1]);
            c.setMaximumPoolSize(Startup.MAX_POOL);
            c.setMinimumIdle(Startup.MIN_IDLE);
            pools[i] = new HikariDataSource(c);
        }
        long id = Startup.PLAYER;
        try (Connection c = pools[(int) Math.floorMod(id, (long) n)].getConnection();
                PreparedStatement ps = c.prepareStatement(Client.POINT)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                System.out.println("answer " + rs.getString(1) + " " + rs.getLong(2));
            }
        }
        System.out.flush();
        System.exit(0);
    }
}
