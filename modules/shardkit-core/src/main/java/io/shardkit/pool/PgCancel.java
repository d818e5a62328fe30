package io.shardkit.pool;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * pgjdbc's {@code Statement.cancel()} does nothing once {@code executeQuery} has returned, so a
 * streamed read blocked fetching its next batch in {@code next()} is not cancelled by it; the
 * connection's {@code PGConnection.cancelQuery()} is. Looked up by name (core does not depend on
 * pgjdbc), once; used only when a read is cancelled or times out.
 */
public final class PgCancel {
    private static volatile Method cancelQuery;

    private PgCancel() {
    }

    /**
     * Asks the server to cancel whatever runs on {@code c} now; falls back to the statement's
     * cancel when the connection is not pgjdbc's.
     */
    public static void cancel(Connection c, Statement fallback) throws SQLException {
        Method m = cancelQuery;
        try {
            if (m == null) {
                Class<?> pg = Class.forName("org.postgresql.PGConnection", false, c.getClass().getClassLoader());
                m = pg.getMethod("cancelQuery");
                cancelQuery = m;
            }
            m.invoke(c.unwrap(m.getDeclaringClass()));
        } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
            if (fallback != null) {
                fallback.cancel();
            }
        }
    }
}
