package io.shardkit.jdbc;

import io.shardkit.SqlStates;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code prepareCall} on a routed connection. What it runs is an ordinary statement, analysed
 * and routed like any other: the SQL as written ({@code prepareCall("select ...")}, as Liquibase
 * sends), or, for the JDBC escape {@code {? = call f(?, ...)}} / {@code {call f(?, ...)}}, the
 * query {@code SELECT f(?, ...)}, whose value is the call's return value (parameter 1 of the
 * {@code ? =} form). So only calls of functions the allowlist knows run; a stored procedure, an
 * OUT parameter other than the return value, or anything else is refused (0A000) naming it.
 */
final class RoutedCall implements InvocationHandler {
    private static final Pattern ESCAPE = Pattern.compile(
            "\\{\\s*(\\?\\s*=\\s*)?call\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*(\\((.*)\\))?\\s*\\}", Pattern.CASE_INSENSITIVE
                    | Pattern.DOTALL);

    private final ShardedPreparedStatement inner;
    private final boolean returnsValue;
    private final String sql;
    private boolean registered;
    private Object value;
    private boolean hasValue;
    private boolean wasNull;

    private RoutedCall(ShardedPreparedStatement inner, boolean returnsValue, String sql) {
        this.inner = inner;
        this.returnsValue = returnsValue;
        this.sql = sql;
    }

    /** The query a call runs: the escape's function as a SELECT, or the SQL itself. */
    static String query(String sql) {
        Matcher m = ESCAPE.matcher(sql.strip());
        if (!m.matches()) {
            return sql;
        }
        String args = m.group(4) == null ? "" : m.group(4);
        return "SELECT " + m.group(2) + "(" + args + ")";
    }

    static boolean returnsValue(String sql) {
        Matcher m = ESCAPE.matcher(sql.strip());
        return m.matches() && m.group(1) != null;
    }

    static CallableStatement of(ShardedPreparedStatement inner, String sql) {
        return (CallableStatement) Proxy.newProxyInstance(CallableStatement.class.getClassLoader(),
                new Class<?>[] {CallableStatement.class}, new RoutedCall(inner, returnsValue(sql), sql));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "shardkit call " + sql;
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy);
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                throw new SQLException("a routed call does not unwrap to " + ((Class<?>) args[0]).getName(),
                        SqlStates.FEATURE_NOT_SUPPORTED);
            case "registerOutParameter":
                return registerOut(args);
            case "wasNull":
                if (hasValue) {
                    return wasNull;
                }
                break;
            default:
                break;
        }
        if (method.getDeclaringClass() == CallableStatement.class) {
            if (name.startsWith("get") && args != null && args.length >= 1 && args[0] instanceof Integer i) {
                return outValue(i, method, args);
            }
            throw new SQLFeatureNotSupportedException("CallableStatement." + name + " on a routed connection (a call runs"
                    + " as SELECT f(...); named and OUT parameters other than the return value are not supported)",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        if (returnsValue && name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i
                && method.getDeclaringClass() == PreparedStatement.class) {
            if (i == 1) {
                throw new SQLException("parameter 1 of " + sql + " is the return value: register it with"
                        + " registerOutParameter", SqlStates.INVALID_DESCRIPTOR_INDEX);
            }
            Object[] shifted = args.clone();
            shifted[0] = i - 1;
            return forward(method, shifted);
        }
        if (returnsValue && (name.equals("execute") || name.equals("executeUpdate") || name.equals("executeLargeUpdate"))
                && (args == null || args.length == 0)) {
            return executeForValue(name);
        }
        hasValue = false;
        return forward(method, args);
    }

    private Object registerOut(Object[] args) throws SQLException {
        if (!(args[0] instanceof Integer i) || i != 1 || !returnsValue) {
            throw new SQLFeatureNotSupportedException("OUT parameter " + args[0] + " of " + sql + " on a routed connection"
                    + " (only the return value of {? = call f(...)} is supported)", SqlStates.FEATURE_NOT_SUPPORTED);
        }
        registered = true;
        return null;
    }

    private Object executeForValue(String name) throws SQLException {
        if (!registered) {
            throw new SQLException("the return value of " + sql + " is not registered (registerOutParameter(1, ...))",
                    SqlStates.INVALID_DESCRIPTOR_INDEX);
        }
        try (ResultSet rs = inner.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the call " + sql + " returned no row", SqlStates.NO_DATA);
            }
            value = rs.getObject(1);
            wasNull = value == null;
            hasValue = true;
        }
        return name.equals("execute") ? Boolean.FALSE : name.equals("executeUpdate") ? (Object) 0 : (Object) 0L;
    }

    private Object outValue(int index, Method method, Object[] args) throws SQLException {
        if (!hasValue || index != 1) {
            throw new SQLException("parameter " + index + " of " + sql + " has no value"
                    + (hasValue ? " (only the return value, parameter 1, has one)" : " (execute the call first)"),
                    SqlStates.INVALID_DESCRIPTOR_INDEX);
        }
        String type = method.getName().substring(3).toLowerCase(Locale.ROOT);
        if (value == null) {
            return method.getReturnType().isPrimitive() ? primitiveZero(method.getReturnType()) : null;
        }
        if (type.equals("object") && args.length == 1) {
            return value;
        }
        if (type.equals("string") || type.equals("nstring")) {
            return Convert.string(value);
        }
        if (method.getReturnType().isInstance(value)) {
            return value;
        }
        if (value instanceof Number n) {
            Class<?> r = method.getReturnType();
            if (r == int.class) {
                return n.intValue();
            } else if (r == long.class) {
                return n.longValue();
            } else if (r == short.class) {
                return n.shortValue();
            } else if (r == double.class) {
                return n.doubleValue();
            } else if (r == float.class) {
                return n.floatValue();
            }
        }
        if (value instanceof Boolean b && method.getReturnType() == boolean.class) {
            return b;
        }
        throw new SQLFeatureNotSupportedException("CallableStatement." + method.getName() + " of a "
                + value.getClass().getSimpleName() + " return value on a routed connection",
                SqlStates.FEATURE_NOT_SUPPORTED);
    }

    private static Object primitiveZero(Class<?> t) {
        if (t == boolean.class) {
            return false;
        } else if (t == long.class) {
            return 0L;
        } else if (t == double.class) {
            return 0.0;
        } else if (t == float.class) {
            return 0.0f;
        } else if (t == short.class) {
            return (short) 0;
        } else if (t == byte.class) {
            return (byte) 0;
        }
        return 0;
    }

    private Object forward(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(inner, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
