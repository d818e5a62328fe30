package io.shardkit.pool;

import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a read-only shard's database whether it would itself refuse every write from the
 * connection's user, so read-only holds even for SQL that gets past shardkit:
 * <ul>
 * <li>PostgreSQL: the user is no superuser (nor a member of one) and neither it nor any role it may
 * {@code SET ROLE} to holds INSERT, UPDATE, DELETE or TRUNCATE on a table, owns one, or may CREATE
 * in a schema or the database ({@code has_table_privilege}, {@code has_schema_privilege},
 * {@code pg_has_role});
 * <li>MySQL/MariaDB: {@code SHOW GRANTS} grants nothing but USAGE, SELECT and SHOW VIEW, no GRANT
 * OPTION, no role or proxy;
 * <li>SQLite: the file is open read-only: a {@code CREATE TABLE} in a transaction rolled back at once
 * fails with SQLITE_READONLY.
 * </ul>
 * Not covered: PostgreSQL SECURITY DEFINER functions the user may execute, MySQL stored routines
 * with SQL SECURITY DEFINER (EXECUTE is reported, the routine's body is not read).
 *
 * <p>Runs a few catalog queries; meant for {@code shardkit check}, not for every connection.
 */
public final class ReadOnlyCheck {
    private static final Pattern GRANT = Pattern.compile("(?i)^GRANT (.+?) ON (.+?) TO .*$");

    private ReadOnlyCheck() {
    }

    /** What would let {@code c}'s user write, one line each; empty when the database itself refuses every write. */
    public static List<String> problems(Connection c, Dialect dialect) throws SQLException {
        return switch (dialect) {
            case POSTGRESQL -> postgres(c);
            case MYSQL -> mysql(c);
            case SQLITE -> sqlite(c);
            default -> List.of("shardkit cannot ask this database whether it refuses writes; give the shard's user"
                    + " SELECT privileges only");
        };
    }

    private static List<String> postgres(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT r.rolname, r.rolsuper FROM pg_roles r WHERE r.rolsuper"
                    + " AND pg_has_role(current_user, r.oid, 'MEMBER') ORDER BY r.rolname <> current_user, r.rolname")) {
                while (rs.next()) {
                    out.add("user is a superuser" + (rs.getString(1).equals(userOf(c)) ? "" : " through role "
                            + rs.getString(1)) + " (the database lets it write anything)");
                }
            }
            if (!out.isEmpty()) {
                return out;
            }
            try (ResultSet rs = st.executeQuery("SELECT r.rolname, n.nspname, c.relname,"
                    + " pg_has_role(current_user, c.relowner, 'MEMBER') AS owner FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN pg_roles r"
                    + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_%' AND pg_has_role(current_user, r.oid, 'MEMBER')"
                    + " AND (pg_has_role(current_user, c.relowner, 'MEMBER')"
                    + " OR has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'))"
                    + " ORDER BY 2, 3, 1 LIMIT 20")) {
                while (rs.next()) {
                    String table = rs.getString(2) + "." + rs.getString(3);
                    out.add(rs.getBoolean(4) ? "user owns (or is a member of the owner of) table " + table
                            : "role " + rs.getString(1) + " may write table " + table + " (INSERT, UPDATE, DELETE or TRUNCATE)");
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT n.nspname FROM pg_namespace n WHERE n.nspname NOT IN"
                    + " ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'"
                    + " AND has_schema_privilege(n.oid, 'CREATE') ORDER BY 1")) {
                while (rs.next()) {
                    out.add("user may CREATE in schema " + rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT has_database_privilege(current_database(), 'CREATE')")) {
                if (rs.next() && rs.getBoolean(1)) {
                    out.add("user may CREATE schemas in the database");
                }
            }
        }
        return dedupe(out);
    }

    private static String userOf(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
            return rs.next() ? rs.getString(1) : "";
        }
    }

    private static List<String> mysql(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        String database;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT DATABASE()")) {
            database = rs.next() ? rs.getString(1) : null;
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                String line = rs.getString(1).trim();
                String problem = mysqlGrant(line, database);
                if (problem != null) {
                    out.add(problem);
                }
            }
        }
        return out;
    }

    /**
     * Why one line of SHOW GRANTS lets the user write in {@code database} (the shard's), or {@code null}
     * when it does not: grants on other databases do not count (MariaDB grants PUBLIC the {@code test}
     * databases by default).
     */
    static String mysqlGrant(String line, String database) {
        Matcher m = GRANT.matcher(line);
        if (!m.matches() || m.group(1).trim().equalsIgnoreCase("PROXY")) {
            return "grant beyond SELECT: " + line + " (a role or proxy may give write privileges)";
        }
        if (!covers(m.group(2).trim(), database)) {
            return null;
        }
        if (line.toUpperCase(Locale.ROOT).contains("WITH GRANT OPTION")) {
            return "grant with GRANT OPTION: " + line;
        }
        String privileges = m.group(1).replaceAll("\\([^)]*\\)", "");
        for (String p : privileges.split(",")) {
            String name = p.trim().toUpperCase(Locale.ROOT);
            if (!name.equals("USAGE") && !name.equals("SELECT") && !name.equals("SHOW VIEW")) {
                return "grant beyond SELECT (" + name + "): " + line;
            }
        }
        return null;
    }

    /** Whether a grant's {@code ON} target ({@code *.*}, {@code `db`.*}, {@code `test\_%`.*}, {@code PROCEDURE `db`.`p`}) reaches {@code database}. */
    private static boolean covers(String target, String database) {
        String t = target.replaceFirst("(?i)^(PROCEDURE|FUNCTION|PACKAGE BODY|PACKAGE|TABLE)\\s+", "");
        int dot = t.startsWith("`") ? t.indexOf("`.", 1) + 1 : t.indexOf('.');
        String db = dot <= 0 ? t : t.substring(0, dot);
        if (db.equals("*") || database == null) {
            return true;
        }
        db = db.startsWith("`") && db.endsWith("`") ? db.substring(1, db.length() - 1).replace("``", "`") : db;
        StringBuilder like = new StringBuilder();
        for (int i = 0; i < db.length(); i++) {
            char ch = db.charAt(i);
            if (ch == '\\' && i + 1 < db.length()) {
                like.append(Pattern.quote(String.valueOf(db.charAt(++i))));
            } else if (ch == '%') {
                like.append(".*");
            } else if (ch == '_') {
                like.append('.');
            } else {
                like.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(like.toString(), Pattern.CASE_INSENSITIVE).matcher(database).matches();
    }

    private static List<String> sqlite(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE shardkit_read_only_probe (x INTEGER)");
            return List.of("the database file is open for writing (open it read-only: readOnly: true opens SQLite"
                    + " shards with SQLite's read-only flag)");
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (e.getErrorCode() == 8 || message.contains("readonly")) {
                return List.of();
            }
            return List.of("cannot tell whether the file is read-only: " + e.getMessage());
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static List<String> dedupe(List<String> lines) {
        return new ArrayList<>(new LinkedHashSet<>(lines));
    }
}
