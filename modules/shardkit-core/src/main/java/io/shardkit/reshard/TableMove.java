package io.shardkit.reshard;

import io.shardkit.ShardException;
import io.shardkit.SqlStates;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * One table of one move: the rows of bucket set M copied from source S to target T in primary-key
 * chunks ({@code WHERE <bucket in M> AND (pk) > (last) ORDER BY pk LIMIT n}, so no cursor is held
 * and each chunk is one transaction on T), logged changes replayed by re-reading the current row
 * from S, both sides compared chunk by chunk, and M's rows deleted in chunks (cleanup on S, abort
 * on T). Values travel as the driver reads them ({@code getObject}/{@code setObject}); S and T
 * have the same dialect and columns ({@link #of} checks). Not thread-safe: one per move and table.
 */
final class TableMove {
    final String table;
    private final Dialect kind;
    private final List<String> columns;
    private final int[] types;
    private final int[] pk;
    private final int[] pkTypes;
    private final String filter;
    private final String first;
    private final String next;
    private final String upsertHead;
    private final String rowMarks;
    private final String upsertTail;
    /** Rows per multi-row upsert: at most 500, and below every database's limit of bound parameters (SQLite 32,766). */
    private final int rowsPerStatement;
    private final String byPk;
    private final String delete;
    private final String orderBy;
    private final String pkList;
    private final int keyIndex;
    private final int buckets;
    private final BitSet moved;

    private TableMove(Dialect kind, String table, List<String> columns, int[] types, int[] pk, String filter,
            int keyIndex, int buckets, BitSet moved) {
        this.kind = kind;
        this.keyIndex = keyIndex;
        this.buckets = buckets;
        this.moved = moved;
        this.table = table;
        this.columns = columns;
        this.types = types;
        this.pk = pk;
        this.pkTypes = new int[pk.length];
        for (int i = 0; i < pk.length; i++) {
            pkTypes[i] = types[pk[i]];
        }
        this.filter = filter;
        String t = q(table);
        List<String> quoted = new ArrayList<>();
        columns.forEach(c -> quoted.add(q(c)));
        List<String> pkCols = new ArrayList<>();
        for (int i : pk) {
            pkCols.add(q(columns.get(i)));
        }
        this.pkList = String.join(", ", pkCols);
        String row = pk.length == 1 ? pkList : "(" + pkList + ")";
        String marks = String.join(", ", java.util.Collections.nCopies(pk.length, "?"));
        this.orderBy = " ORDER BY " + pkList;
        this.first = "SELECT " + String.join(", ", quoted) + " FROM " + t + " WHERE " + filter;
        this.next = first + " AND " + row + " > " + (pk.length == 1 ? "?" : "(" + marks + ")");
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (!contains(pk, i)) {
                String c = quoted.get(i);
                set.append(set.length() == 0 ? "" : ", ").append(c).append(" = ")
                        .append(kind == Dialect.MYSQL ? "VALUES(" + c + ")" : "excluded." + c);
            }
        }
        this.upsertHead = "INSERT INTO " + t + " (" + String.join(", ", quoted) + ") VALUES ";
        this.rowMarks = "(" + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
        this.upsertTail = kind == Dialect.MYSQL
                ? " ON DUPLICATE KEY UPDATE " + (set.length() > 0 ? set : quoted.get(pk[0]) + " = " + quoted.get(pk[0]))
                : " ON CONFLICT (" + pkList + ") DO " + (set.length() > 0 ? "UPDATE SET " + set : "NOTHING");
        this.rowsPerStatement = Math.max(1, Math.min(500, 30_000 / columns.size()));
        StringBuilder where = new StringBuilder();
        for (String c : pkCols) {
            where.append(where.length() == 0 ? "" : " AND ").append(c).append(" = ?");
        }
        this.byPk = "SELECT " + String.join(", ", quoted) + " FROM " + t + " WHERE " + where;
        this.delete = "DELETE FROM " + t + " WHERE " + where;
    }

    /**
     * The move of {@code table} ({@code keyColumn} its shard key) for buckets {@code m} of
     * {@code buckets}: reads S's columns and primary key, and checks that T has the table with the
     * same columns (names, types, order) and primary key.
     *
     * @throws ShardException SQLState {@value SqlStates#FEATURE_NOT_SUPPORTED} for a table without
     *         a primary key or missing on S, {@value SqlStates#UNDEFINED_TABLE} when T lacks the
     *         table, {@value SqlStates#DATA_CORRUPTED} when T's columns differ from S's
     */
    static TableMove of(Connection s, String source, Connection t, String target, String table, String keyColumn,
            int buckets, BitSet m) throws SQLException {
        Dialect kind = ControlTable.kind(s);
        if (ControlTable.kind(t) != kind) {
            throw new ShardException("cannot move buckets of " + table + " from " + source + " (" + kind + ") to "
                    + target + " (" + ControlTable.kind(t) + "): a move stays within one kind of database",
                    SqlStates.FEATURE_NOT_SUPPORTED);
        }
        TableShape from = TableShape.of(s, kind, table);
        if (from == null) {
            throw new ShardException("table " + table + " is missing on " + source, SqlStates.UNDEFINED_TABLE);
        }
        if (from.pk().length == 0) {
            throw new ShardException("table " + table + " on " + source + " has no primary key: a moved table needs one"
                    + " (the copy and its catch-up find rows by it)", SqlStates.FEATURE_NOT_SUPPORTED);
        }
        if (!from.columns().contains(keyColumn)) {
            throw new ShardException("table " + table + " on " + source + " has no column " + keyColumn,
                    SqlStates.UNDEFINED_COLUMN);
        }
        TableShape to = TableShape.of(t, kind, table);
        if (to == null) {
            throw new ShardException("table " + table + " is missing on " + target + ": create it there with "
                    + source + "'s columns and primary key before the move (through connectionTo(\"" + target + "\"))",
                    SqlStates.UNDEFINED_TABLE);
        }
        if (!from.columns().equals(to.columns()) || !Arrays.equals(from.typeNames(), to.typeNames()) || !Arrays.equals(from.pk(), to.pk())) {
            throw new ShardException("table " + table + " differs between " + source + " and " + target + ": "
                    + from.describe() + " vs " + to.describe() + "; a move needs the same columns and primary key",
                    SqlStates.DATA_CORRUPTED);
        }
        String filter = BucketSql.in(kind, BucketSql.quote(kind, keyColumn), buckets, m);
        return new TableMove(kind, table, from.columns(), from.types(), from.pk(), filter, from.columns().indexOf(keyColumn),
                buckets, (BitSet) m.clone());
    }

    /** Reads one chunk of M's rows on {@code c} after {@code after} (a primary key, or null for the first). */
    List<Object[]> chunk(Connection c, Object[] after, int size) throws SQLException {
        return rows(c, (after == null ? first : next) + orderBy + " LIMIT " + size, after);
    }

    /** M's rows on {@code c} with a primary key above {@code after} (null: any) and at most {@code upTo} (null: any). */
    private List<Object[]> range(Connection c, Object[] after, Object[] upTo) throws SQLException {
        String sql = (after == null ? first : next);
        if (upTo != null) {
            String row = pk.length == 1 ? pkList : "(" + pkList + ")";
            sql += " AND " + row + " <= " + (pk.length == 1 ? "?" : "(" + String.join(", ",
                    java.util.Collections.nCopies(pk.length, "?")) + ")");
        }
        List<Object> binds = new ArrayList<>();
        if (after != null) {
            binds.addAll(Arrays.asList(after));
        }
        if (upTo != null) {
            binds.addAll(Arrays.asList(upTo));
        }
        return rows(c, sql + orderBy, binds.isEmpty() ? null : binds.toArray());
    }

    private List<Object[]> rows(Connection c, String sql, Object[] binds) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (binds != null) {
                for (int i = 0; i < binds.length; i++) {
                    ps.setObject(i + 1, binds[i]);
                }
            }
            readAll(ps, out);
        }
        return out;
    }

    /** The primary key's columns, in key order. */
    List<String> pkColumns() {
        List<String> out = new ArrayList<>();
        for (int i : pk) {
            out.add(columns.get(i));
        }
        return out;
    }

    /** Runs {@code ps} and adds each row, every column as the driver reads it, to {@code out}. */
    private void readAll(PreparedStatement ps, List<Object[]> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                out.add(row);
            }
        }
    }

    Object[] key(Object[] row) {
        Object[] k = new Object[pk.length];
        for (int i = 0; i < pk.length; i++) {
            k[i] = row[pk[i]];
        }
        return k;
    }

    /** Upserts {@code rows} on {@code t} in one transaction. */
    void write(Connection t, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        inTransaction(t, () -> {
            // one multi-row statement per group of rows: one round trip each (a JDBC batch is a round
            // trip per row on MariaDB Connector/J, and on pgjdbc without reWriteBatchedInserts)
            for (int from = 0; from < rows.size(); from += rowsPerStatement) {
                List<Object[]> group = rows.subList(from, Math.min(rows.size(), from + rowsPerStatement));
                try (PreparedStatement ps = t.prepareStatement(upsertHead
                        + String.join(", ", java.util.Collections.nCopies(group.size(), rowMarks)) + upsertTail)) {
                    int p = 1;
                    for (Object[] row : group) {
                        for (int i = 0; i < row.length; i++) {
                            bind(ps, p++, row[i], types[i]);
                        }
                    }
                    ps.executeUpdate();
                }
            }
        });
    }

    /** Deletes the rows with primary keys {@code keys} on {@code c} in one transaction. */
    void deleteKeys(Connection c, List<Object[]> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(delete)) {
                for (Object[] k : keys) {
                    for (int i = 0; i < k.length; i++) {
                        bind(ps, i + 1, k[i], pkTypes[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /**
     * Makes T's row of each primary key text in {@code pks} equal S's current one: upserted when S
     * has it in a moved bucket, deleted on T when S has it no more or in another bucket.
     */
    void replay(Connection s, Connection t, List<String> pks) throws SQLException {
        List<String> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(pks)); // a hot row is logged often
        for (int from = 0; from < distinct.size(); from += REPLAY_GROUP) {
            List<List<String>> keys = new ArrayList<>();
            for (String text : distinct.subList(from, Math.min(distinct.size(), from + REPLAY_GROUP))) {
                keys.add(MoveTriggers.pkValues(text, pk.length));
            }
            List<Object[]> found = new ArrayList<>();
            for (Object[] row : rows(s, inKeys(keys.size()), keys)) {
                if (inMove(row)) {
                    found.add(row);
                }
            }
            // T's rows of these keys become S's: delete them all, then write the ones S has (one transaction)
            inTransaction(t, () -> {
                try (PreparedStatement ps = t.prepareStatement(delete)) {
                    for (List<String> k : keys) {
                        for (int i = 0; i < k.size(); i++) {
                            bindText(ps, i + 1, k.get(i), pkTypes[i]);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                write(t, found);
            });
        }
    }

    /** Keys re-read from S per statement during a replay. */
    private static final int REPLAY_GROUP = 200;

    /** {@code SELECT <columns> FROM t WHERE (pk) IN ((?, ?), ...)} for {@code n} keys. */
    private String inKeys(int n) {
        String one = pk.length == 1 ? "?" : "(" + String.join(", ", java.util.Collections.nCopies(pk.length, "?")) + ")";
        return byPk.substring(0, byPk.indexOf(" WHERE ")) + " WHERE " + (pk.length == 1 ? pkList : "(" + pkList + ")")
                + " IN (" + String.join(", ", java.util.Collections.nCopies(n, one)) + ")";
    }

    private List<Object[]> rows(Connection c, String sql, List<List<String>> keys) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (List<String> k : keys) {
                for (int i = 0; i < k.size(); i++) {
                    bindText(ps, p++, k.get(i), pkTypes[i]);
                }
            }
            readAll(ps, out);
        }
        return out;
    }

    /** Whether {@code row}'s bucket is one this move moves (a source giving buckets to several targets logs them all). */
    private boolean inMove(Object[] row) {
        Object k = row[keyIndex];
        long key = k instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(k).trim());
        return moved.get((int) Math.floorMod(key, (long) buckets));
    }

    /**
     * Compares M's rows on S and T chunk by chunk (in S's primary-key order) and makes each
     * differing chunk on T equal S's: upserts S's rows, deletes T's rows S does not have.
     *
     * @return the number of rows written or deleted on T (0 when both sides were equal)
     */
    long verify(Connection s, Connection t, int size) throws SQLException {
        long fixed = 0;
        Object[] after = null;
        while (true) {
            List<Object[]> src = chunk(s, after, size);
            boolean last = src.size() < size;
            Object[] upTo = last || src.isEmpty() ? null : key(src.get(src.size() - 1));
            List<Object[]> dst = range(t, after, upTo);
            fixed += reconcile(t, src, dst);
            if (last) {
                return fixed;
            }
            after = upTo;
        }
    }

    private long reconcile(Connection t, List<Object[]> src, List<Object[]> dst) throws SQLException {
        java.util.Map<List<Object>, Object[]> there = new java.util.HashMap<>();
        for (Object[] row : dst) {
            there.put(keyList(row), row);
        }
        List<Object[]> write = new ArrayList<>();
        for (Object[] row : src) {
            Object[] other = there.remove(keyList(row));
            if (other == null || !sameRow(row, other)) {
                write.add(row);
            }
        }
        List<Object[]> gone = new ArrayList<>();
        for (Object[] row : there.values()) {
            gone.add(key(row));
        }
        write(t, write);
        deleteKeys(t, gone);
        return write.size() + gone.size();
    }

    private List<Object> keyList(Object[] row) throws SQLException {
        List<Object> k = new ArrayList<>();
        for (int i : pk) {
            k.add(comparable(row[i]));
        }
        return k;
    }

    private static boolean sameRow(Object[] a, Object[] b) throws SQLException {
        for (int i = 0; i < a.length; i++) {
            if (!Objects.deepEquals(comparable(a[i]), comparable(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Object comparable(Object v) throws SQLException {
        if (v instanceof Array a) {
            return a.getArray();
        }
        if (v instanceof byte[] b) {
            return Arrays.toString(b);
        }
        return v;
    }

    /** Deletes up to {@code size} of M's rows on {@code c}; returns how many (0: none left). */
    int deleteChunk(Connection c, int size) throws SQLException {
        List<Object[]> rows = chunk(c, null, size);
        List<Object[]> keys = new ArrayList<>();
        rows.forEach(r -> keys.add(key(r)));
        deleteKeys(c, keys);
        return keys.size();
    }

    /** How many of M's rows {@code c} holds. */
    long count(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + q(table) + " WHERE " + filter)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void bind(PreparedStatement ps, int i, Object v, int type) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else {
            ps.setObject(i, v);
        }
    }

    /** Binds a primary key value given as the text the log trigger wrote ({@code CAST(col AS TEXT)}). */
    private void bindText(PreparedStatement ps, int i, String text, int type) throws SQLException {
        switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> ps.setLong(i, Long.parseLong(text));
            case Types.NUMERIC, Types.DECIMAL -> ps.setBigDecimal(i, new BigDecimal(text));
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> ps.setDouble(i, Double.parseDouble(text));
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                    Types.CLOB -> ps.setString(i, text);
            default -> {
                if (kind == Dialect.POSTGRESQL) {
                    ps.setObject(i, text, Types.OTHER); // uuid, dates: the server casts the untyped literal
                } else {
                    ps.setString(i, text);
                }
            }
        }
    }

    private String q(String name) {
        return BucketSql.quote(kind, name);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private static void inTransaction(Connection c, Work w) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (auto) {
            c.setAutoCommit(false);
        }
        try {
            w.run();
            if (auto) {
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (auto) {
                c.rollback();
            }
            throw e;
        } finally {
            if (auto) {
                c.setAutoCommit(true);
            }
        }
    }
}
