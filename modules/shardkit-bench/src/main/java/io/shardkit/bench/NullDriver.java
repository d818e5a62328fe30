package io.shardkit.bench;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * A JDBC driver with no database behind it ({@code jdbc:shardkit-null:<name>}): every query answers
 * one row ({@code "p", 1}), every update counts 1. Timing shardkit over it leaves out what a database
 * costs, so what is left is shardkit's own work per statement (routing, the split rewrite's cached
 * lookups, binding, the result wrapper). Benchmarks only; built from {@link Proxy}, so each call
 * costs a reflective dispatch, the same for every layout it is compared across.
 */
public final class NullDriver implements Driver {
    static final String PREFIX = "jdbc:shardkit-null:";

    static {
        try {
            DriverManager.registerDriver(new NullDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Loads the class, so the driver is registered. */
    static void register() {
    }

    @Override
    public Connection connect(String url, Properties info) {
        return acceptsURL(url) ? connection() : null;
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    private static Connection connection() {
        boolean[] closed = new boolean[1];
        return proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
            case "prepareStatement" -> statement(PreparedStatement.class);
            case "createStatement" -> statement(Statement.class);
            case "getMetaData" -> proxy(DatabaseMetaData.class, (p2, m2, a2) -> switch (m2.getName()) {
                case "getTables", "getColumns", "getIndexInfo", "getPrimaryKeys" -> rows(0);
                case "getSearchStringEscape", "getIdentifierQuoteString" -> "\"";
                case "getDatabaseProductName" -> "null";
                default -> fallback(m2.getReturnType());
            });
            case "isValid", "getAutoCommit" -> true;
            case "isClosed" -> closed[0];
            case "close" -> {
                closed[0] = true;
                yield null;
            }
            case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
            case "unwrap" -> null;
            case "isWrapperFor" -> false;
            default -> fallback(m.getReturnType());
        });
    }

    private static <T extends Statement> T statement(Class<T> type) {
        boolean[] closed = new boolean[1];
        return proxy(type, (p, m, a) -> switch (m.getName()) {
            case "executeQuery", "getResultSet" -> rows(1);
            case "execute" -> true;
            case "executeUpdate", "getUpdateCount" -> m.getName().equals("executeUpdate") ? 1 : -1;
            case "isClosed" -> closed[0];
            case "close" -> {
                closed[0] = true;
                yield null;
            }
            case "getMoreResults" -> false;
            default -> fallback(m.getReturnType());
        });
    }

    private static ResultSet rows(int count) {
        int[] at = new int[1];
        boolean[] closed = new boolean[1];
        return proxy(ResultSet.class, (p, m, a) -> switch (m.getName()) {
            case "next" -> at[0]++ < count;
            case "getString" -> "p";
            case "getLong" -> 1L;
            case "getInt" -> 1;
            case "getObject" -> 1L;
            case "wasNull" -> false;
            case "isClosed" -> closed[0];
            case "close" -> {
                closed[0] = true;
                yield null;
            }
            case "getMetaData" -> proxy(ResultSetMetaData.class, (p2, m2, a2) -> switch (m2.getName()) {
                case "getColumnCount" -> 2;
                case "getColumnLabel", "getColumnName" -> (int) a2[0] == 1 ? "name" : "score";
                case "getColumnType" -> (int) a2[0] == 1 ? java.sql.Types.VARCHAR : java.sql.Types.BIGINT;
                case "getColumnTypeName" -> (int) a2[0] == 1 ? "VARCHAR" : "BIGINT";
                case "getColumnClassName" -> (int) a2[0] == 1 ? "java.lang.String" : "java.lang.Long";
                default -> fallback(m2.getReturnType());
            });
            default -> fallback(m.getReturnType());
        });
    }

    /** What a method of no interest answers: false, 0 or null by its return type. */
    private static Object fallback(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == short.class || type == byte.class || type == double.class || type == float.class) {
            throw new UnsupportedOperationException("NullDriver answers no " + type);
        }
        return null;
    }

    private static <T> T proxy(Class<T> type, java.lang.reflect.InvocationHandler h) {
        return type.cast(Proxy.newProxyInstance(NullDriver.class.getClassLoader(), new Class<?>[] {type}, h));
    }
}
