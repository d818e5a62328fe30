package io.shardkit.oracle;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * The rows of the adversarial oracle, shaped like issue 10's reproductions: {@code t_item} sharded
 * by {@code id mod 4}, {@code t_event} co-located by {@code item_id}, {@code t_ref} broadcast. The
 * columns are the ones a merge gets wrong: text in case variants, with trailing spaces and non-ASCII
 * letters under the dialect's collations (SQLite NOCASE and RTRIM; PostgreSQL "C" and an ICU or libc
 * collation, the database default being C; MariaDB's case- and accent-insensitive default and a
 * binary one), enums (PostgreSQL, MariaDB: ordered by declaration, not by text), uuids (PostgreSQL
 * orders unsigned bytes; MariaDB's UUID type orders its time fields first), doubles with -0.0, 0.0,
 * NaN and ±Infinity where the database stores them, decimals of scales 0, 2 and 6, booleans, dates
 * and NULLs everywhere.
 *
 * <p>Rows are written straight into each shard (by the chooser for sharded tables, into every shard
 * for the broadcast one) and into the reference, never through shardkit, so a write-path bug cannot
 * spoil the data the read path is tested on.
 */
final class AdversarialData {
    static final List<String> TABLES = List.of("t_item", "t_event", "t_ref");
    static final String[] TEXTS = {"abc", "Abc", "ABC", "abc ", "abc  ", "ábc", "Ábc", "abd", "b", "B", "b ", "zoë",
        "Zoë", "zoe", "éclair", "Eclair", "eclair", "straße", "STRASSE", "", "a", "Z", "z", "ä", "Ä", "_x", "%y"};
    static final String[] MOODS = {"sad", "ok", "happy", "meh"};
    static final String[] CODES = {"eu", "us", "asia", "af", "EU", "oc", "sa", "an", "x1", "x2", "mid", "zz"};

    final String dialect;
    /** The text column of each collation: SQL for its column definition. */
    final String ciCollation;
    final String xCollation;
    final List<Object[]> items = new ArrayList<>();
    final List<Object[]> events = new ArrayList<>();
    final List<Object[]> refs = new ArrayList<>();

    private AdversarialData(String dialect, String ciCollation, String xCollation) {
        this.dialect = dialect;
        this.ciCollation = ciCollation;
        this.xCollation = xCollation;
    }

    boolean postgres() {
        return dialect.equals("postgresql");
    }

    boolean mysql() {
        return dialect.equals("mysql");
    }

    boolean sqlite() {
        return dialect.equals("sqlite");
    }

    /** Picks the collations the reference database has (the shards run the same server or engine). */
    static AdversarialData generate(long seed, String dialect, Connection reference, int itemCount) throws SQLException {
        String ci;
        String x;
        switch (dialect) {
            case "postgresql" -> {
                ci = firstCollation(reference, "und-x-icu", "en-x-icu", "en_US.utf8", "en_US.UTF-8", "C.utf8");
                x = "C";
            }
            case "mysql" -> {
                ci = "utf8mb4_general_ci";
                x = "utf8mb4_bin";
            }
            default -> {
                ci = "NOCASE";
                x = "RTRIM";
            }
        }
        AdversarialData d = new AdversarialData(dialect, ci, x);
        d.fill(new Random(seed * 31 + 7), itemCount);
        return d;
    }

    private static String firstCollation(Connection c, String... names) throws SQLException {
        for (String n : names) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_collation WHERE collname = ?")) {
                ps.setString(1, n);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return n;
                    }
                }
            }
        }
        return "POSIX";
    }

    // ------------------------------------------------------------------ schema

    List<String> ddl() {
        String bigint = "BIGINT";
        String text = mysql() ? "VARCHAR(40)" : "TEXT";
        String ci = sqlite() ? " COLLATE NOCASE" : postgres() ? " COLLATE \"" + ciCollation + "\"" : " COLLATE " + ciCollation;
        String cx = sqlite() ? " COLLATE RTRIM" : postgres() ? " COLLATE \"C\"" : " COLLATE " + xCollation;
        String mood = postgres() ? "mood" : mysql() ? "ENUM('sad', 'ok', 'happy', 'meh')" : "TEXT";
        String uuid = postgres() || mysql() ? "UUID" : "TEXT";
        String dbl = "DOUBLE PRECISION";
        String bool = "BOOLEAN";
        List<String> ddl = new ArrayList<>();
        if (postgres()) {
            ddl.add("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'meh')");
        }
        ddl.add("CREATE TABLE t_item (id " + bigint + " PRIMARY KEY, grp INT, n INT, code VARCHAR(8), name " + text
                + ", name_ci " + text + ci + ", name_x " + text + cx + ", mood " + mood + ", u " + uuid + ", ratio "
                + dbl + ", d2 DECIMAL(10,2), d6 DECIMAL(18,6), d0 DECIMAL(9,0), flag " + bool + ", day DATE)");
        ddl.add("CREATE TABLE t_event (id " + bigint + " PRIMARY KEY, item_id " + bigint + ", kind " + text + ci
                + ", qty INT, amount DECIMAL(12,3), w " + dbl + ")");
        ddl.add("CREATE TABLE t_ref (code VARCHAR(8) PRIMARY KEY, label " + text + ci + ", weight " + dbl
                + ", rnk INT, note VARCHAR(64))");
        return ddl;
    }

    List<String> drop() {
        List<String> drop = new ArrayList<>();
        for (String t : TABLES) {
            drop.add("DROP TABLE IF EXISTS " + t);
        }
        if (postgres()) {
            drop.add("DROP TYPE IF EXISTS mood");
        }
        return drop;
    }

    /** Columns of a table, in order. */
    static List<String> columns(String table) {
        return switch (table) {
            case "t_item" -> List.of("id", "grp", "n", "code", "name", "name_ci", "name_x", "mood", "u", "ratio", "d2",
                    "d6", "d0", "flag", "day");
            case "t_event" -> List.of("id", "item_id", "kind", "qty", "amount", "w");
            default -> List.of("code", "label", "weight", "rnk", "note");
        };
    }

    static String keyColumn(String table) {
        return switch (table) {
            case "t_item" -> "id";
            case "t_event" -> "item_id";
            default -> null;
        };
    }

    static String primaryKey(String table) {
        return table.equals("t_ref") ? "code" : "id";
    }

    private static final int[] ITEM_TYPES = {Types.BIGINT, Types.INTEGER, Types.INTEGER, Types.VARCHAR, Types.VARCHAR,
        Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.VARCHAR, Types.DOUBLE, Types.DECIMAL, Types.DECIMAL,
        Types.DECIMAL, Types.BOOLEAN, Types.DATE};
    private static final int[] EVENT_TYPES = {Types.BIGINT, Types.BIGINT, Types.VARCHAR, Types.INTEGER, Types.DECIMAL,
        Types.DOUBLE};
    private static final int[] REF_TYPES = {Types.VARCHAR, Types.VARCHAR, Types.DOUBLE, Types.INTEGER, Types.VARCHAR};

    private static int[] types(String table) {
        return switch (table) {
            case "t_item" -> ITEM_TYPES;
            case "t_event" -> EVENT_TYPES;
            default -> REF_TYPES;
        };
    }

    String insertSql(String table) {
        List<String> cols = columns(table);
        List<String> marks = new ArrayList<>();
        for (String c : cols) {
            marks.add(postgres() && c.equals("mood") ? "CAST(? AS mood)" : postgres() && c.equals("u")
                    ? "CAST(? AS uuid)" : "?");
        }
        return "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", marks) + ")";
    }

    // ------------------------------------------------------------------ rows

    private void fill(Random r, int itemCount) {
        Set<Long> used = new HashSet<>();
        List<Long> ids = new ArrayList<>();
        while (ids.size() < itemCount) {
            long id = r.nextInt(itemCount * 3) - 25;
            if (used.add(id)) {
                ids.add(id);
            }
        }
        for (long id : ids) {
            items.add(item(r, id));
        }
        int eventCount = itemCount * 3;
        for (int i = 0; i < eventCount; i++) {
            long item = r.nextInt(40) == 0 ? 90_000 + r.nextInt(20) : ids.get(r.nextInt(ids.size() * 4 / 5));
            events.add(event(r, 1 + i, item));
        }
        for (int i = 0; i < CODES.length; i++) {
            if (mysql() && CODES[i].equals("EU")) {
                continue; // the primary key is case-insensitive on MariaDB
            }
            refs.add(ref(r, CODES[i]));
        }
    }

    Object[] item(Random r, long id) {
        return new Object[] {id, r.nextInt(15) == 0 ? null : r.nextInt(8), r.nextInt(15) == 0 ? null : r.nextInt(60) - 10,
            r.nextInt(10) == 0 ? null : CODES[r.nextInt(CODES.length)], text(r), text(r), text(r),
            r.nextInt(10) == 0 ? null : MOODS[r.nextInt(MOODS.length)], uuid(r), dbl(r),
            r.nextInt(10) == 0 ? null : BigDecimal.valueOf(r.nextInt(20_001) - 10_000, 2),
            r.nextInt(10) == 0 ? null : BigDecimal.valueOf((long) r.nextInt(2_000_001) * (r.nextBoolean() ? 1 : 997) - 1_000_000, 6),
            r.nextInt(10) == 0 ? null : BigDecimal.valueOf(r.nextInt(41) - 20),
            r.nextInt(8) == 0 ? null : r.nextBoolean(), r.nextInt(10) == 0 ? null : day(r)};
    }

    Object[] event(Random r, long id, long item) {
        return new Object[] {id, item, r.nextInt(12) == 0 ? null : TEXTS[r.nextInt(12)], r.nextInt(12) == 0 ? null
            : r.nextInt(30) - 5, r.nextInt(12) == 0 ? null : BigDecimal.valueOf(r.nextInt(200_001) - 20_000, 3),
            dbl(r)};
    }

    Object[] ref(Random r, String code) {
        return new Object[] {code, text(r), dbl(r), r.nextInt(6) == 0 ? null : r.nextInt(5), r.nextInt(3) == 0 ? null
            : "n" + r.nextInt(100)};
    }

    String text(Random r) {
        return r.nextInt(14) == 0 ? null : TEXTS[r.nextInt(TEXTS.length)];
    }

    String uuid(Random r) {
        if (r.nextInt(12) == 0) {
            return null;
        }
        // version 4, RFC variant (MariaDB's UUID type takes no other); the first byte stays random
        long hi = r.nextLong() & ~0xF000L | 0x4000L;
        long lo = r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(hi, lo).toString();
    }

    Double dbl(Random r) {
        int k = r.nextInt(20);
        if (k == 0) {
            return null;
        }
        if (k < 4) {
            return -0.0;
        }
        if (k < 6) {
            return 0.0;
        }
        if (k == 6 && postgres()) {
            return Double.NaN;
        }
        if (k == 7 && postgres()) {
            return Double.POSITIVE_INFINITY;
        }
        if (k == 8 && postgres()) {
            return Double.NEGATIVE_INFINITY;
        }
        // no tiny values: -1e-300 + 1.5 - 1.5 is 0 or -1e-300 by the order of addition, which no database fixes
        double[] pool = {1.5, -1.5, 2.5, 0.1, 0.2, 1e300, 0.125, 3.0, -3.0, 7.25};
        return pool[r.nextInt(pool.length)];
    }

    private static Date day(Random r) {
        return Date.valueOf(LocalDate.of(2020, 1, 1).plusDays(r.nextInt(4000)));
    }

    List<Object[]> rows(String table) {
        return switch (table) {
            case "t_item" -> items;
            case "t_event" -> events;
            default -> refs;
        };
    }

    // ------------------------------------------------------------------ writing and reading

    /** Drops and creates the tables on {@code c}. */
    void create(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            for (String sql : drop()) {
                st.execute(sql);
            }
            for (String sql : ddl()) {
                st.execute(sql);
            }
        }
    }

    /** Inserts rows of a table into {@code c}, in one transaction. */
    void insert(Connection c, String table, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(insertSql(table))) {
            int[] types = types(table);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    bind(ps, i + 1, row[i], types[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private void bind(PreparedStatement ps, int i, Object v, int type) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else if (type == Types.DATE && sqlite()) {
            ps.setString(i, v.toString());
        } else if (type == Types.BOOLEAN && sqlite() && v instanceof Boolean b) {
            ps.setInt(i, b ? 1 : 0);
        } else if (v instanceof UUID || v.getClass().getName().equals("org.postgresql.util.PGobject")) {
            ps.setString(i, v.toString());
        } else {
            ps.setObject(i, v);
        }
    }

    /** Every row of a table on {@code c}, by primary key (ties of a case-insensitive key broken by its bytes). */
    static List<Object[]> read(Connection c, String table, String dialect) throws SQLException {
        String pk = primaryKey(table);
        String order = table.equals("t_ref") && dialect.equals("postgresql") ? "code COLLATE \"C\"" : pk;
        List<Object[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
            int width = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Object[] row = new Object[width];
                for (int i = 0; i < width; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
