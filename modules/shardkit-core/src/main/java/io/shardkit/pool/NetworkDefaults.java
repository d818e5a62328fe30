package io.shardkit.pool;

import com.zaxxer.hikari.HikariConfig;
import io.shardkit.config.ShardSpec;
import io.shardkit.sql.Dialect;
import java.util.Locale;

/**
 * Socket timeouts every server shard gets unless its map sets them, so that a shard that accepts
 * connections and never answers (a blackholed host, a hung server) fails a read after a bounded
 * time even when no query timeout is set. The values go to the driver as connection properties:
 *
 * <table>
 * <caption>defaults</caption>
 * <tr><th>driver</th><th>connectTimeout</th><th>socketTimeout</th></tr>
 * <tr><td>pgjdbc ({@code jdbc:postgresql:}, seconds)</td><td>10</td><td>300</td></tr>
 * <tr><td>MySQL Connector/J, MariaDB Connector/J (milliseconds)</td><td>10000</td><td>300000</td></tr>
 * </table>
 *
 * <p>A value set in the shard's {@code properties:} or in its URL wins. The socket timeout bounds
 * each wait for the server, not a whole query: a query whose server stays silent longer than
 * that (a long report with no rows yet) needs a larger value. SQLite has no network.
 */
final class NetworkDefaults {
    static final int PG_CONNECT_S = 10;
    static final int PG_SOCKET_S = 300;
    static final int MYSQL_CONNECT_MS = 10_000;
    static final int MYSQL_SOCKET_MS = 300_000;

    private NetworkDefaults() {
    }

    static void apply(HikariConfig c, ShardSpec spec, Dialect dialect) {
        switch (dialect) {
            case POSTGRESQL -> {
                unlessSet(c, spec, "connectTimeout", PG_CONNECT_S);
                unlessSet(c, spec, "socketTimeout", PG_SOCKET_S);
            }
            case MYSQL -> {
                unlessSet(c, spec, "connectTimeout", MYSQL_CONNECT_MS);
                unlessSet(c, spec, "socketTimeout", MYSQL_SOCKET_MS);
            }
            default -> {
                // SQLite is a file; an unknown driver's property names are not known
            }
        }
    }

    private static void unlessSet(HikariConfig c, ShardSpec spec, String property, int value) {
        for (String key : spec.properties().keySet()) {
            if (key.equalsIgnoreCase(property)) {
                return;
            }
        }
        String url = spec.url().toLowerCase(Locale.ROOT);
        String name = property.toLowerCase(Locale.ROOT) + "=";
        for (int at = url.indexOf(name); at >= 0; at = url.indexOf(name, at + 1)) {
            char before = at == 0 ? '?' : url.charAt(at - 1);
            if (before == '?' || before == '&' || before == ';' || before == '(' || before == ',') {
                return;
            }
        }
        c.addDataSourceProperty(property, Integer.toString(value));
    }
}
