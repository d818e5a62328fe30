package io.shardkit.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A JDBC recording tap: a {@link Proxy} wrapper over a data source and every JDBC object it hands
 * out (connections, statements, result sets, metadata) that counts each method a client calls and
 * what shardkit did with it:
 * <ul>
 *   <li><b>implemented</b>: answered by a shardkit object ({@code io.shardkit.*}, or a proxy whose
 *       handler is one);
 *   <li><b>forwarded</b>: answered by a driver object that shardkit handed out as it is;
 *   <li><b>refused</b>: threw {@link SQLFeatureNotSupportedException}.
 * </ul>
 * Other exceptions are counted as {@code error}. Savepoints, LOBs and arrays pass through unwrapped
 * (shardkit must receive its own objects back).
 */
final class JdbcTap {
    private static final Set<Class<?>> WRAPPED = Set.of(Connection.class, Statement.class, PreparedStatement.class,
            CallableStatement.class, ResultSet.class, DatabaseMetaData.class, ResultSetMetaData.class,
            ParameterMetaData.class);

    static {
        try { // summary.txt holds this test run's lines only
            Files.deleteIfExists(Path.of("target", "jdbc-tap", "summary.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final Map<String, AtomicLong> counts = new TreeMap<>();
    private final Map<Object, Object> proxies = new IdentityHashMap<>();

    /** The data source as the client sees it: every call recorded. */
    DataSource wrap(DataSource target) {
        return (DataSource) proxy(target, DataSource.class);
    }

    /** A connection as the client sees it: every call recorded. */
    Connection wrap(Connection target) {
        return (Connection) proxy(target, Connection.class);
    }

    private synchronized Object proxy(Object target, Class<?> iface) {
        if (target == null || Proxy.isProxyClass(target.getClass()) && Proxy.getInvocationHandler(target) instanceof Handler) {
            return target;
        }
        Object known = proxies.get(target);
        if (known != null && iface.isInstance(known)) {
            return known;
        }
        Object p = Proxy.newProxyInstance(JdbcTap.class.getClassLoader(), new Class<?>[] {iface}, new Handler(target));
        proxies.put(target, p);
        return p;
    }

    /** When set, every call is also printed (for finding what a client sent). */
    static final boolean TRACE = Boolean.getBoolean("jdbctap.trace");

    private synchronized void count(String key) {
        if (TRACE) {
            System.out.println("tap: " + key);
        }
        counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private final class Handler implements InvocationHandler {
        private final Object target;

        Handler(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getDeclaringClass().getSimpleName() + "." + method.getName()
                    + "(" + method.getParameterCount() + ")";
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> method.invoke(target, args);
                };
            }
            if (method.getName().equals("unwrap") && args != null && args[0] instanceof Class<?> c && c.isInstance(proxy)
                    && !c.isInstance(target)) {
                count(name + "\timplemented");
                return proxy;
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                count(name + (cause instanceof SQLFeatureNotSupportedException ? "\trefused" : "\terror"));
                if (TRACE) {
                    System.out.println("tap:   " + cause);
                }
                throw cause;
            }
            boolean ours = target.getClass().getName().startsWith("io.shardkit.")
                    || Proxy.isProxyClass(target.getClass())
                    && Proxy.getInvocationHandler(target).getClass().getName().startsWith("io.shardkit.");
            count(name + (ours ? "\timplemented" : "\tforwarded"));
            Class<?> rt = method.getReturnType();
            if (result != null && WRAPPED.contains(rt)) {
                return proxy(result, rt);
            }
            return result;
        }
    }

    /**
     * Method name, outcome and count, one a line, sorted; written to {@code target/jdbc-tap/<file>.txt},
     * and a summary line appended to {@code target/jdbc-tap/summary.txt}.
     */
    synchronized String report(String file) throws IOException {
        StringBuilder out = new StringBuilder();
        long implemented = 0;
        long forwarded = 0;
        long refused = 0;
        long errors = 0;
        for (Map.Entry<String, AtomicLong> e : counts.entrySet()) {
            out.append(e.getKey()).append('\t').append(e.getValue().get()).append('\n');
            String kind = e.getKey().substring(e.getKey().indexOf('\t') + 1);
            switch (kind) {
                case "implemented" -> implemented++;
                case "forwarded" -> forwarded++;
                case "refused" -> refused++;
                default -> errors++;
            }
        }
        Path dir = Path.of("target", "jdbc-tap");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file + ".txt"), out.toString(), StandardCharsets.UTF_8);
        long calls = counts.values().stream().mapToLong(AtomicLong::get).sum();
        String line = String.format("jdbc-tap %-22s methods: %3d implemented, %3d forwarded, %2d refused, %2d error; %5d calls",
                file, implemented, forwarded, refused, errors, calls);
        synchronized (JdbcTap.class) {
            Files.writeString(dir.resolve("summary.txt"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return line;
    }
}
