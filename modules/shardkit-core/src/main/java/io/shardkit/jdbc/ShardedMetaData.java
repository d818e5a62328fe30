package io.shardkit.jdbc;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.config.Secrets;
import io.shardkit.sql.Dialect;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DatabaseMetaData} of a sharded connection. A driver's own metadata object would hand
 * out its raw pooled connection through {@code getConnection()} (a write through it bypasses
 * routing) and describe one shard only. This one:
 *
 * <ul>
 *   <li>answers {@code getConnection()} with the sharded connection;
 *   <li>answers capability methods (names, versions, {@code supports...}, limits) from one shard,
 *       on a connection the logical connection already holds or a short borrow that is returned at
 *       once, so asking never enlists a shard in the connection's transaction;
 *   <li>answers catalog methods about tables ({@code getTables}, {@code getColumns},
 *       {@code getPrimaryKeys}, {@code getIndexInfo}, ...) with the shards' <em>common</em> schema:
 *       the rows every shard holding the table reports (catalog and schema names, which name each
 *       database, and statistics aside). When shards differ, the answer leaves out what some lack, and
 *       a warning naming the shards is logged once per question.
 * </ul>
 *
 * <p>Result sets are copies, so they stay readable after the borrowed connection went back.
 */
final class ShardedMetaData implements InvocationHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedMetaData.class);

    /** Catalog methods about tables, with the index of their table (name pattern) argument. */
    private static final Map<String, Integer> TABLE_ARGUMENT = Map.ofEntries(
            Map.entry("getTables", 2), Map.entry("getColumns", 2), Map.entry("getPrimaryKeys", 2),
            Map.entry("getIndexInfo", 2), Map.entry("getImportedKeys", 2), Map.entry("getExportedKeys", 2),
            Map.entry("getCrossReference", 2), Map.entry("getBestRowIdentifier", 2),
            Map.entry("getVersionColumns", 2), Map.entry("getTablePrivileges", 2),
            Map.entry("getColumnPrivileges", 2), Map.entry("getPseudoColumns", 2), Map.entry("getSuperTables", 2));

    /** Columns left out when rows of two shards are compared: they name the database, or are statistics. */
    private static final Set<String> NOT_COMPARED = Set.of("CARDINALITY", "PAGES", "REMARKS");

    private final ShardedConnection conn;
    private final Map<String, Object> constants = new HashMap<>();

    private ShardedMetaData(ShardedConnection conn) {
        this.conn = conn;
    }

    static DatabaseMetaData of(ShardedConnection conn) {
        return (DatabaseMetaData) Proxy.newProxyInstance(DatabaseMetaData.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, new ShardedMetaData(conn));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "getConnection":
                conn.checkOpen();
                return conn;
            case "isWrapperFor":
                return ((Class<?>) args[0]).isInstance(proxy);
            case "unwrap":
                if (((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                throw new SQLException("the metadata of a sharded connection does not unwrap to "
                        + ((Class<?>) args[0]).getName() + " (a shard's own metadata would hand out its raw connection;"
                        + " use ShardedDataSource.connectionTo(shard) for one shard)", SqlStates.FEATURE_NOT_SUPPORTED);
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "shardkit metadata of " + conn;
            default:
                break;
        }
        conn.checkOpen();
        if (method.getReturnType() == ResultSet.class) {
            Integer table = TABLE_ARGUMENT.get(name);
            return table == null ? copied(conn.metadataShard(), method, args) : common(method, args, (String) args[table]);
        }
        boolean constant = args == null || args.length == 0;
        if (constant && constants.containsKey(name)) {
            return constants.get(name);
        }
        int shard = conn.metadataShard();
        Object value = conn.onShard(shard, c -> call(c.getMetaData(), method, args, shard));
        if (name.equals("getURL") && value instanceof String url) {
            // a URL may carry a password (user:pass@, password=...): never hand it out
            value = Secrets.maskUrl(url);
        }
        if (constant) {
            constants.put(name, value);
        }
        return value;
    }

    private Object call(DatabaseMetaData md, Method method, Object[] args, int shard) throws SQLException {
        try {
            return method.invoke(md, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SQLException se) {
                throw ShardException.fromShard(conn.registry().name(shard), null, se);
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new SQLException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new SQLException(e);
        }
    }

    private ResultSet copied(int shard, Method method, Object[] args) throws SQLException {
        return conn.onShard(shard, c -> {
            ResultSet rs = (ResultSet) call(c.getMetaData(), method, args, shard);
            ResultSetMetaData md = new MergedMetaData(rs.getMetaData(), rs.getMetaData().getColumnCount());
            return CopiedRows.resultSet(null, md, CopiedRows.readAll(rs));
        });
    }

    /** The rows every shard holding {@code table} reports, in the first shard's order. */
    private ResultSet common(Method method, Object[] args, String table) throws SQLException {
        int[] shards = conn.pinnedShard() >= 0 ? new int[] {conn.pinnedShard()} : conn.shardsHolding(table);
        ResultSetMetaData md = null;
        List<List<Object[]>> answers = new ArrayList<>(shards.length);
        String[] catalogs = presentedCatalog(shards, args);
        for (int k = 0; k < shards.length; k++) {
            int shard = shards[k];
            Object[] asked = args;
            if (catalogs != null) { // the catalog the client names is one shardkit presented: each shard reads its own
                asked = args.clone();
                asked[0] = catalogs[k];
            }
            Object[] shardArgs = asked;
            ResultSetMetaData[] seen = new ResultSetMetaData[1];
            answers.add(conn.onShard(shard, c -> {
                ResultSet rs = (ResultSet) call(c.getMetaData(), method, ownDatabase(c, shard, shardArgs), shard);
                seen[0] = new MergedMetaData(rs.getMetaData(), rs.getMetaData().getColumnCount());
                return CopiedRows.readAll(rs);
            }));
            md = md == null ? seen[0] : md;
        }
        boolean[] compared = compared(md);
        List<Set<List<Object>>> keys = new ArrayList<>(shards.length);
        for (List<Object[]> rows : answers) {
            Set<List<Object>> k = new HashSet<>();
            for (Object[] row : rows) {
                k.add(key(row, compared));
            }
            keys.add(k);
        }
        List<Object[]> common = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        for (Object[] row : answers.get(0)) {
            List<Object> k = key(row, compared);
            List<String> lacking = new ArrayList<>();
            for (int i = 1; i < shards.length; i++) {
                if (!keys.get(i).contains(k)) {
                    lacking.add(conn.registry().name(shards[i]));
                }
            }
            if (lacking.isEmpty()) {
                common.add(row);
            } else {
                differences.add(String.join(", ", lacking) + " lack " + k);
            }
        }
        for (int i = 1; i < shards.length; i++) {
            for (Object[] row : answers.get(i)) {
                if (!keys.get(0).contains(key(row, compared))) {
                    differences.add(conn.registry().name(shards[0]) + " lacks " + key(row, compared) + " that "
                            + conn.registry().name(shards[i]) + " has");
                }
            }
        }
        if (!differences.isEmpty()) {
            String question = method.getName() + Arrays.toString(args);
            if (conn.registry().loggedOnce().add("catalog " + question)) {
                LOG.warn("shards differ in {}: {}; answering with what they have in common (run shardkit check)",
                        question, differences.size() <= 5 ? differences : differences.subList(0, 5) + " and "
                                + (differences.size() - 5) + " more");
            }
        }
        return CopiedRows.resultSet(null, md, common);
    }

    /**
     * A catalog named in a question is the database of whichever shard shardkit's answers came from
     * (their {@code TABLE_CAT}, {@code getCatalog()}); asked as it is, another shard would describe
     * nothing (PostgreSQL) or that other database (MySQL/MariaDB, on one server). When it names one
     * of the shards' own databases, each shard's own catalog, in the order of {@code shards}; else null.
     */
    private String[] presentedCatalog(int[] shards, Object[] args) throws SQLException {
        if (args == null || args.length == 0 || !(args[0] instanceof String asked) || shards.length < 2) {
            return null;
        }
        String[] own = new String[shards.length];
        boolean presented = false;
        for (int k = 0; k < shards.length; k++) {
            own[k] = conn.onShard(shards[k], java.sql.Connection::getCatalog);
            presented |= asked.equals(own[k]);
        }
        return presented ? own : null;
    }

    /**
     * On MySQL/MariaDB, where each shard is a database of a server that may hold others (the other
     * shards among them), a {@code null} catalog means the shard's own database, not every one.
     */
    private Object[] ownDatabase(java.sql.Connection c, int shard, Object[] args) throws SQLException {
        if (args == null || args.length == 0 || args[0] != null || conn.registry().dialect(shard) != Dialect.MYSQL) {
            return args;
        }
        Object[] own = args.clone();
        own[0] = c.getCatalog();
        return own;
    }

    private static boolean[] compared(ResultSetMetaData md) throws SQLException {
        boolean[] out = new boolean[md.getColumnCount()];
        for (int i = 0; i < out.length; i++) {
            String label = md.getColumnLabel(i + 1).toUpperCase(Locale.ROOT);
            out[i] = !label.endsWith("_CAT") && !label.endsWith("_SCHEM") && !NOT_COMPARED.contains(label);
        }
        return out;
    }

    private static List<Object> key(Object[] row, boolean[] compared) {
        List<Object> k = new ArrayList<>(row.length);
        for (int i = 0; i < row.length; i++) {
            if (compared[i]) {
                Object v = row[i];
                k.add(v instanceof Integer || v instanceof Short || v instanceof Byte ? (Object) ((Number) v).longValue() : v);
            }
        }
        return k;
    }
}
