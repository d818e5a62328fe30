package io.shardkit.reshard;

import io.shardkit.sql.Dialect;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

/**
 * PostgreSQL's LISTEN/NOTIFY for the versioned map: a publish (and the end of a cleanup) sends
 * {@code NOTIFY shardkit_map} in its transaction, and each data source whose control shard is
 * PostgreSQL keeps one control connection listening, so it switches within a round trip of the
 * commit instead of at its next poll; the poll stays, for missed notifications and for the other
 * databases. The driver's {@code PGConnection.getNotifications(int)} is called by reflection, so
 * core does not depend on pgjdbc; a driver without it means polling only.
 */
final class Notifications {
    static final String CHANNEL = "shardkit_map";

    /** Work done on the listening connection when a notification (or the wait's timeout) arrives. */
    @FunctionalInterface
    interface OnConnection {
        void run(Connection c) throws SQLException;
    }

    private Notifications() {
    }

    /** Whether {@code c} is PostgreSQL through a driver that delivers notifications. */
    static boolean available(Connection c) throws SQLException {
        return ControlTable.kind(c) == Dialect.POSTGRESQL && method(c) != null;
    }

    /** Sends the notification on {@code c} when it is PostgreSQL (delivered when its transaction commits). */
    static void send(Connection c) throws SQLException {
        if (ControlTable.kind(c) == Dialect.POSTGRESQL) { // kind: c may be a pinned shardkit connection
            try (Statement st = c.createStatement()) {
                st.execute("NOTIFY " + CHANNEL);
            }
        }
    }

    /**
     * Until the thread is interrupted: borrows a control connection, {@code LISTEN}s, and runs
     * {@code refresh} on it after each notification or after {@code everyMillis} without one; a
     * failure is reported to {@code problem} and the connection opened again after {@code everyMillis}.
     */
    static void listen(Epochs.Control control, long everyMillis, OnConnection refresh, Consumer<String> problem) {
        int wait = (int) Math.min(Integer.MAX_VALUE, Math.max(1, Math.min(everyMillis, 1000)));
        while (!Thread.currentThread().isInterrupted()) {
            try (Connection c = control.open()) {
                Method get = method(c);
                if (get == null) {
                    return;
                }
                Object pg = c.unwrap(get.getDeclaringClass());
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                refresh.run(c); // what was published before LISTEN took effect
                while (!Thread.currentThread().isInterrupted()) {
                    // at most a second a wait, so that closing the data source ends the thread quickly
                    Object got = get.invoke(pg, wait);
                    if (got != null && Array.getLength(got) > 0) {
                        refresh.run(c);
                    }
                }
            } catch (ReflectiveOperationException | SQLException | RuntimeException e) {
                problem.accept("LISTEN " + CHANNEL + ": " + e);
                try {
                    Thread.sleep(Math.max(1, everyMillis));
                } catch (InterruptedException i) {
                    return;
                }
            }
        }
    }

    /** pgjdbc's {@code PGConnection.getNotifications(int)}, or {@code null} when {@code c} has none. */
    private static Method method(Connection c) {
        try {
            Class<?> pg = Class.forName("org.postgresql.PGConnection", false, c.getClass().getClassLoader());
            if (!c.isWrapperFor(pg)) {
                return null;
            }
            return pg.getMethod("getNotifications", int.class);
        } catch (ClassNotFoundException | NoSuchMethodException | SQLException | LinkageError e) {
            return null;
        }
    }
}
