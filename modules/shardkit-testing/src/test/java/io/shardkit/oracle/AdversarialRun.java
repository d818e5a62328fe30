package io.shardkit.oracle;

import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import io.shardkit.config.TableRule;
import io.shardkit.testing.ShardSet;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the adversarial oracle on one shard set: {@link AdversarialSelects} read queries and
 * {@link AdversarialWrites} writes, each compared with the reference database. Rows are loaded
 * straight into the shards and the reference ({@link AdversarialData}); after every write the update
 * count, the full contents of every table and each row's shard (a sharded row must sit on the shard
 * its key's chooser names; a broadcast table must be the same on every shard) are compared with the
 * reference, and the shards are re-synced from the reference whenever they differ, so one wrong
 * write is reported once and does not spoil the ones after it.
 *
 * <p>Outcomes per class: identical (the reference's answer, or the same data error), refused
 * (0A000), wrong (a different answer, or a statement that must be refused was answered),
 * error (shardkit failed otherwise where the reference answered, or failed differently), invalid
 * (the reference failed: a generator bug).
 */
final class AdversarialRun {
    private static final int SHOWN_ROWS = 6;

    private final ShardSet shards;
    private final ShardedDataSource ds;
    private final long seed;
    private final String dialect;
    final Tally tally = new Tally();
    final List<String> failures = new ArrayList<>();
    final List<String> invalid = new ArrayList<>();

    AdversarialRun(ShardSet shards, ShardedDataSource ds, long seed) {
        this.shards = shards;
        this.ds = ds;
        this.seed = seed;
        this.dialect = shards.dialect();
    }

    /** The tables of the adversarial oracle, for the shard map. */
    static String yamlTables() {
        return """
                  t_item:
                    key: id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  t_event:
                    key: item_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  t_ref:
                    broadcast: true
                """;
    }

    static Set<String> classes() {
        String s = System.getProperty("shardkit.oracle.classes", "");
        Set<String> out = new LinkedHashSet<>();
        for (String c : s.split(",")) {
            if (!c.isBlank()) {
                out.add(c.trim());
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ tallies

    /** Counts per class. */
    static final class Tally {
        final Map<String, int[]> byClass = new TreeMap<>();
        final Map<String, Integer> refusals = new TreeMap<>();
        static final int GENERATED = 0;
        static final int IDENTICAL = 1;
        static final int REFUSED = 2;
        static final int WRONG = 3;
        static final int ERROR = 4;
        static final int INVALID = 5;

        void count(String cls, int what) {
            byClass.computeIfAbsent(cls, c -> new int[6])[what]++;
            byClass.computeIfAbsent("(all)", c -> new int[6])[what]++;
        }

        int total(int what) {
            int[] all = byClass.get("(all)");
            return all == null ? 0 : all[what];
        }

        String render(String title) {
            StringBuilder sb = new StringBuilder(title).append('\n');
            sb.append(String.format("  %-14s %9s %9s %8s %6s %6s %8s%n", "class", "generated", "identical", "refused",
                    "wrong", "error", "invalid"));
            for (Map.Entry<String, int[]> e : byClass.entrySet()) {
                int[] v = e.getValue();
                sb.append(String.format("  %-14s %9d %9d %8d %6d %6d %8d%n", e.getKey(), v[0], v[1], v[2], v[3], v[4], v[5]));
            }
            sb.append("  top refusal reasons:\n");
            List<Map.Entry<String, Integer>> top = new ArrayList<>(refusals.entrySet());
            top.sort((a, b) -> b.getValue() - a.getValue());
            for (int i = 0; i < Math.min(12, top.size()); i++) {
                sb.append(String.format("    %4d  %s%n", top.get(i).getValue(), top.get(i).getKey()));
            }
            return sb.toString();
        }
    }

    private static boolean refused(SQLException e) {
        return e != null && (e instanceof RefusedException || RefusedException.SQL_STATE.equals(e.getSQLState()));
    }

    private static String reason(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int end = m.indexOf(" [sql:");
        m = end < 0 ? m : m.substring(0, end);
        m = m.replaceAll("-?\\d+", "N").replaceAll("'[^']*'", "'…'");
        return m.length() > 140 ? m.substring(0, 140) + "…" : m;
    }

    private static String state(SQLException e) {
        return e.getSQLState() == null ? "" : e.getSQLState();
    }

    // ------------------------------------------------------------------ loading

    /** Creates the tables everywhere and writes the rows straight into the shards and the reference. */
    void load(AdversarialData data) throws SQLException {
        try (Connection ref = shards.openReference()) {
            data.create(ref);
            for (String t : AdversarialData.TABLES) {
                data.insert(ref, t, data.rows(t));
            }
        }
        for (int i = 0; i < shards.size(); i++) {
            try (Connection c = shards.open(i)) {
                data.create(c);
            }
        }
        for (String t : AdversarialData.TABLES) {
            place(data, t, data.rows(t));
        }
    }

    /** Inserts rows straight into the shards: a sharded row where its chooser says, a broadcast row everywhere. */
    private void place(AdversarialData data, String table, List<Object[]> rows) throws SQLException {
        String key = AdversarialData.keyColumn(table);
        int keyIndex = key == null ? -1 : AdversarialData.columns(table).indexOf(key);
        for (int i = 0; i < shards.size(); i++) {
            List<Object[]> mine = new ArrayList<>();
            for (Object[] row : rows) {
                if (keyIndex < 0 || shardOf(table, row[keyIndex]) == i) {
                    mine.add(row);
                }
            }
            try (Connection c = shards.open(i)) {
                data.insert(c, table, mine);
            }
        }
    }

    /** The shard index the chooser names for a key, or -1 when it names none (a NULL key). */
    int shardOf(String table, Object key) {
        if (key == null) {
            return -1;
        }
        TableRule rule = ds.shardMap().tables().get(table);
        try {
            return shards.names().indexOf(rule.strategy().chooseShard(table, key).shard());
        } catch (SQLException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ reads

    /** Runs the generated SELECTs; failures and tallies are collected. */
    void selects(AdversarialData data, int count, Set<String> only) throws SQLException {
        AdversarialSelects gen = new AdversarialSelects(seed, data, only);
        List<Query> queries = gen.generate(count);
        Equivalence eq = new Equivalence();
        try (Connection ref = shards.openReference()) {
            for (AdversarialSelects.Domain d : gen.domains.values()) {
                try {
                    eq.learn(ref, d.name(), d.pairsSql());
                } catch (SQLException e) {
                    invalid.add("domain " + d.name() + ": " + e.getMessage());
                }
            }
        }
        try (Connection ref = shards.openReference(); Connection sharded = ds.getConnection()) {
            for (Query q : queries) {
                tally.count(q.shape(), Tally.GENERATED);
                Outcome want = q.skipReference() ? new Outcome(null, null) : run(ref, q);
                Outcome got = run(sharded, q);
                if (refused(got.error)) {
                    tally.count(q.shape(), Tally.REFUSED);
                    tally.refusals.merge(q.shape() + ": " + reason(got.error), 1, Integer::sum);
                    continue;
                }
                if (q.mustRefuse()) {
                    // answered is wrong; failed (say, the driver rejected a second statement) is an error, not 0A000
                    tally.count(q.shape(), got.error == null ? Tally.WRONG : Tally.ERROR);
                    failures.add(failure(q, "must be refused but was " + (got.error == null ? "answered"
                            : "failed with " + got.error), want, got));
                    continue;
                }
                if (want.error != null && got.error != null && state(want.error).startsWith("22")
                        && state(want.error).equals(state(got.error))) {
                    tally.count(q.shape(), Tally.IDENTICAL);
                    continue;
                }
                if (want.error != null && got.error == null) {
                    // the database rejects the statement (say, ORDER BY an alias PostgreSQL does not see), shardkit answered it
                    tally.count(q.shape(), Tally.WRONG);
                    failures.add(failure(q, "the reference rejects it (" + state(want.error) + "), shardkit answered",
                            want, got));
                    continue;
                }
                if (want.error != null) {
                    // both failed: not shardkit's wrong answer, but a shape the generator should not make
                    tally.count(q.shape(), Tally.INVALID);
                    invalid.add(q.describe() + "\n    reference: " + want.error + "\n    shardkit: " + got.error);
                    continue;
                }
                if (got.error != null) {
                    tally.count(q.shape(), Tally.ERROR);
                    failures.add(failure(q, "shardkit failed: " + got.error + " (SQLState " + got.error.getSQLState() + ")",
                            want, got));
                    continue;
                }
                String difference = Results.difference(q, want.rows, got.rows, eq);
                if (difference != null) {
                    tally.count(q.shape(), Tally.WRONG);
                    failures.add(failure(q, difference, want, got));
                    continue;
                }
                tally.count(q.shape(), Tally.IDENTICAL);
            }
        }
    }

    private record Outcome(Results.Rows rows, SQLException error) {
    }

    private Outcome run(Connection c, Query q) {
        try {
            if (q.params().isEmpty()) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.sql())) {
                    return new Outcome(Results.read(rs), null);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                for (int i = 0; i < q.params().size(); i++) {
                    ps.setObject(i + 1, q.params().get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return new Outcome(Results.read(rs), null);
                }
            }
        } catch (SQLException e) {
            return new Outcome(null, e);
        } catch (RuntimeException e) {
            return new Outcome(null, new SQLException("runtime exception: " + e, "XX000", e));
        }
    }

    private String failure(Query q, String what, Outcome want, Outcome got) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append(", ").append(dialect).append(", query ").append(q.describe()).append('\n');
        sb.append("  ").append(what).append('\n');
        sb.append("  compared: ").append(q.total() ? "in sequence" : "as multisets").append(q.keyColumns().isEmpty() ? ""
                : ", order key columns " + q.keyColumns()).append(q.valueClasses().isEmpty() ? ""
                : ", by class in columns " + q.valueClasses().keySet()).append('\n');
        sb.append("  reference:\n").append(want.rows != null ? Results.head(want.rows, SHOWN_ROWS)
                : "      " + (q.skipReference() ? "(not run)" : want.error) + "\n");
        sb.append("  shardkit:\n").append(got.rows != null ? Results.head(got.rows, SHOWN_ROWS)
                : "      " + got.error + "\n");
        plan(sb, q.sql(), q.params());
        return sb.toString();
    }

    private void plan(StringBuilder sb, String sql, List<Object> params) {
        sb.append("  plan:\n");
        try {
            for (String line : ds.explain(sql, params.toArray()).toString().split("\n")) {
                sb.append("    ").append(line).append('\n');
            }
        } catch (SQLException | RuntimeException e) {
            sb.append("    (no plan: ").append(e.getMessage()).append(")\n");
        }
    }

    // ------------------------------------------------------------------ writes

    /** Runs {@code count} generated writes, checking counts, contents and placement after each. */
    void writes(AdversarialData data, int count, Set<String> only) throws SQLException {
        AdversarialWrites gen = new AdversarialWrites(seed, dialect, only);
        if (!gen.any()) {
            return;
        }
        List<Connection> direct = new ArrayList<>();
        try (Connection ref = shards.openReference(); Connection sharded = ds.getConnection()) {
            for (int i = 0; i < shards.size(); i++) {
                direct.add(shards.open(i));
            }
            Map<String, List<Object[]>> want = snapshot(ref);
            for (int n = 0; n < count; n++) {
                AdversarialWrites.Write w = gen.next(state(want));
                tally.count(w.cls(), Tally.GENERATED);
                Object[] got = execute(sharded, w);
                String problem = null;
                int outcome;
                if (got[1] != null && refused((SQLException) got[1])) {
                    outcome = Tally.REFUSED;
                    tally.refusals.merge(w.cls() + ": " + reason((SQLException) got[1]), 1, Integer::sum);
                } else if (w.mustRefuse()) {
                    outcome = got[1] == null ? Tally.WRONG : Tally.ERROR;
                    problem = "must be refused but was " + (got[1] == null ? "executed (count " + got[0] + ")"
                            : "failed with " + got[1]);
                } else {
                    Object[] expected = execute(ref, w);
                    SQLException we = (SQLException) expected[1];
                    SQLException ge = (SQLException) got[1];
                    if (we != null && ge != null) {
                        // the same SQLState class; SQLite's driver gives none, so there the same vendor code
                        boolean sameClass = state(we).length() >= 2 ? state(ge).startsWith(state(we).substring(0, 2))
                                : we.getErrorCode() != 0 && we.getErrorCode() == ge.getErrorCode();
                        outcome = sameClass ? Tally.IDENTICAL : Tally.ERROR;
                        if (!sameClass) {
                            problem = "both failed, differently: reference " + we + " / shardkit " + ge;
                        }
                    } else if (we != null) {
                        boolean constraint = state(we).startsWith("23") || state(we).startsWith("22");
                        outcome = constraint ? Tally.WRONG : Tally.INVALID;
                        problem = (constraint ? "the reference failed, shardkit executed it (count " + got[0] + "): "
                                : "the reference failed (a generator bug): ") + we;
                    } else if (ge != null) {
                        outcome = Tally.ERROR;
                        problem = "shardkit failed: " + ge + " (SQLState " + ge.getSQLState() + ")";
                    } else if (!Objects.equals(expected[0], got[0])) {
                        outcome = Tally.WRONG;
                        problem = (w.cls().equals("returning") ? "returned rows" : "update count") + ": expected " + expected[0] + ", got " + got[0];
                    } else {
                        outcome = Tally.IDENTICAL;
                    }
                    if (w.volatileTable() != null && we == null && ge == null) {
                        String d = copiesDisagree(direct, w.volatileTable());
                        if (d != null) {
                            outcome = Tally.WRONG;
                            problem = (problem == null ? "" : problem + "; ") + d;
                        }
                        // the reference drew its own random value: it takes the shards' (checked equal) one
                        copyToReference(data, direct.get(0), ref, w.volatileTable());
                    }
                }
                Map<String, List<Object[]>> now = snapshot(ref);
                String diff = compareState(direct, now);
                if (diff != null) {
                    if (outcome == Tally.IDENTICAL || outcome == Tally.REFUSED) {
                        outcome = Tally.WRONG;
                    }
                    problem = (problem == null ? "" : problem + "; ") + (outcome == Tally.REFUSED
                            ? "refused but wrote: " : "after the write: ") + diff;
                    resync(data, direct, now);
                }
                tally.count(w.cls(), outcome);
                if (problem != null) {
                    StringBuilder sb = new StringBuilder();
                    sb.append("seed ").append(seed).append(", ").append(dialect).append(", write ").append(w.describe())
                            .append('\n').append("  ").append(problem).append('\n');
                    if (got[1] != null) {
                        sb.append("  shardkit: ").append(got[1]).append('\n');
                    }
                    plan(sb, w.sql(), w.params());
                    if (outcome == Tally.INVALID) {
                        invalid.add(sb.toString());
                    } else {
                        failures.add(sb.toString());
                    }
                }
                want = now;
            }
        } finally {
            for (Connection c : direct) {
                c.close();
            }
        }
    }

    private static AdversarialWrites.State state(Map<String, List<Object[]>> rows) {
        List<Long> items = new ArrayList<>();
        for (Object[] r : rows.get("t_item")) {
            items.add(((Number) r[0]).longValue());
        }
        List<Long> events = new ArrayList<>();
        for (Object[] r : rows.get("t_event")) {
            events.add(((Number) r[0]).longValue());
        }
        List<String> codes = new ArrayList<>();
        for (Object[] r : rows.get("t_ref")) {
            codes.add(String.valueOf(r[0]));
        }
        return new AdversarialWrites.State(items, events, codes);
    }

    /** [update count or null, SQLException or null]. */
    private static Object[] execute(Connection c, AdversarialWrites.Write w) {
        try {
            if (w.cls().equals("returning")) {
                return new Object[] {returned(c, w), null};
            }
            if (w.params().isEmpty()) {
                try (Statement st = c.createStatement()) {
                    return new Object[] {st.executeUpdate(w.sql()), null};
                }
            }
            try (PreparedStatement ps = c.prepareStatement(w.sql())) {
                for (int i = 0; i < w.params().size(); i++) {
                    ps.setObject(i + 1, w.params().get(i));
                }
                return new Object[] {ps.executeUpdate(), null};
            }
        } catch (SQLException e) {
            return new Object[] {null, e};
        } catch (RuntimeException e) {
            return new Object[] {null, new SQLException("runtime exception: " + e, "XX000", e)};
        }
    }

    /** A write with RETURNING, through execute: its rows as text, in the order they came (null: an update count). */
    private static List<String> returned(Connection c, AdversarialWrites.Write w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(w.sql())) {
            for (int i = 0; i < w.params().size(); i++) {
                ps.setObject(i + 1, w.params().get(i));
            }
            if (!ps.execute()) {
                return null;
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.getResultSet()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        sb.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    rows.add(sb.toString());
                }
            }
            return rows;
        }
    }

    private Map<String, List<Object[]>> snapshot(Connection c) throws SQLException {
        Map<String, List<Object[]>> m = new TreeMap<>();
        for (String t : AdversarialData.TABLES) {
            m.put(t, AdversarialData.read(c, t, dialect));
        }
        return m;
    }

    /** The first difference between the shards and the reference's rows (contents or placement), or null. */
    private String compareState(List<Connection> direct, Map<String, List<Object[]>> want) throws SQLException {
        StringBuilder sb = new StringBuilder();
        for (String t : AdversarialData.TABLES) {
            String key = AdversarialData.keyColumn(t);
            if (key == null) {
                for (int i = 0; i < direct.size(); i++) {
                    String d = rowsDiffer(want.get(t), AdversarialData.read(direct.get(i), t, dialect));
                    if (d != null) {
                        sb.append(t).append(" copy on ").append(shards.name(i)).append(": ").append(d).append("; ");
                        break;
                    }
                }
                continue;
            }
            int keyIndex = AdversarialData.columns(t).indexOf(key);
            List<Object[]> union = new ArrayList<>();
            for (int i = 0; i < direct.size(); i++) {
                for (Object[] row : AdversarialData.read(direct.get(i), t, dialect)) {
                    union.add(row);
                    int should = shardOf(t, row[keyIndex]);
                    if (should != i) {
                        sb.append(t).append(" row ").append(Arrays.toString(row)).append(" is on ").append(shards.name(i))
                                .append(", its key names ").append(should < 0 ? "no shard" : shards.name(should))
                                .append("; ");
                    }
                }
            }
            union.sort((a, b) -> Long.compare(((Number) a[0]).longValue(), ((Number) b[0]).longValue()));
            String d = rowsDiffer(want.get(t), union);
            if (d != null) {
                sb.append(t).append(": ").append(d).append("; ");
            }
        }
        String s = sb.toString();
        return s.isEmpty() ? null : s.length() > 1500 ? s.substring(0, 1500) + "…" : s;
    }

    private static String rowsDiffer(List<Object[]> want, List<Object[]> got) {
        int i = 0;
        while (i < want.size() && i < got.size() && sameRow(want.get(i), got.get(i))) {
            i++;
        }
        if (i == want.size() && i == got.size()) {
            return null;
        }
        return want.size() + " rows in the reference, " + got.size() + " on the shards; first difference at row " + (i + 1)
                + ": reference " + (i < want.size() ? Arrays.toString(want.get(i)) : "(none)") + ", shards "
                + (i < got.size() ? Arrays.toString(got.get(i)) : "(none)");
    }

    private static boolean sameRow(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] instanceof BigDecimal x && b[i] instanceof BigDecimal y) {
                if (x.compareTo(y) != 0) {
                    return false;
                }
            } else if (a[i] instanceof Double x && b[i] instanceof Double y) {
                // -0.0 equals 0.0 (as SQL's = says; MySQL Connector/J does not keep the sign through a bind, so
                // a re-synced shard may hold 0.0 where the reference holds -0.0); NaN equals NaN
                if (!(x.doubleValue() == y.doubleValue() || x.isNaN() && y.isNaN())) {
                    return false;
                }
            } else if (!Objects.equals(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private String copiesDisagree(List<Connection> direct, String table) throws SQLException {
        List<Object[]> first = AdversarialData.read(direct.get(0), table, dialect);
        for (int i = 1; i < direct.size(); i++) {
            String d = rowsDiffer(first, AdversarialData.read(direct.get(i), table, dialect));
            if (d != null) {
                return "the copies of broadcast " + table + " disagree (" + shards.name(0) + " vs " + shards.name(i) + "): " + d;
            }
        }
        return null;
    }

    private void copyToReference(AdversarialData data, Connection from, Connection ref, String table) throws SQLException {
        List<Object[]> rows = AdversarialData.read(from, table, dialect);
        try (Statement st = ref.createStatement()) {
            st.executeUpdate("DELETE FROM " + table);
        }
        data.insert(ref, table, rows);
    }

    /** Rewrites every table that differs on the shards from the reference's rows. */
    private void resync(AdversarialData data, List<Connection> direct, Map<String, List<Object[]>> want) throws SQLException {
        for (String t : AdversarialData.TABLES) {
            for (Connection c : direct) {
                try (Statement st = c.createStatement()) {
                    st.executeUpdate("DELETE FROM " + t);
                }
            }
            place(data, t, want.get(t));
        }
    }
}
