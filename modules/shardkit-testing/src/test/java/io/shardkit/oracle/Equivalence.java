package io.shardkit.oracle;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which values the reference database itself holds equal under a collation ("domain"), learnt
 * from the reference rather than re-implemented: for each domain a self-join {@code a.x = b.x}
 * under that collation lists the equal pairs, and every value maps to the smallest (by Java
 * string order) member of its class. Used only where the database may legitimately return any
 * member of a class (the spelling of a case-insensitive group key, MIN/MAX among equals) or order
 * equal members either way (ties of a partial ORDER BY).
 */
final class Equivalence {
    static final Equivalence NONE = new Equivalence();

    private final Map<String, Map<Object, Object>> classes = new HashMap<>();

    /**
     * Learns one domain from the reference.
     *
     * @param pairsSql a query of two columns listing every pair of values that are equal in the
     *     domain (including each value with itself)
     */
    void learn(Connection reference, String domain, String pairsSql) throws SQLException {
        Map<Object, List<Object>> adjacent = new HashMap<>();
        try (Statement st = reference.createStatement(); ResultSet rs = st.executeQuery(pairsSql)) {
            while (rs.next()) {
                Object a = rs.getObject(1);
                Object b = rs.getObject(2);
                if (a != null && b != null) {
                    adjacent.computeIfAbsent(a, k -> new ArrayList<>()).add(b);
                    adjacent.computeIfAbsent(b, k -> new ArrayList<>()).add(a);
                }
            }
        }
        Map<Object, Object> representative = new HashMap<>();
        for (Object start : adjacent.keySet()) {
            if (representative.containsKey(start)) {
                continue;
            }
            List<Object> members = new ArrayList<>();
            List<Object> todo = new ArrayList<>(List.of(start));
            Set<Object> seen = new HashSet<>(todo);
            while (!todo.isEmpty()) {
                Object v = todo.remove(todo.size() - 1);
                members.add(v);
                for (Object w : adjacent.get(v)) {
                    if (seen.add(w)) {
                        todo.add(w);
                    }
                }
            }
            Object min = members.get(0);
            for (Object m : members) {
                if (String.valueOf(m).compareTo(String.valueOf(min)) < 0) {
                    min = m;
                }
            }
            for (Object m : members) {
                representative.put(m, min);
            }
        }
        classes.put(domain, representative);
    }

    boolean knows(String domain) {
        return classes.containsKey(domain);
    }

    Object canonical(String domain, Object v) {
        Map<Object, Object> m = classes.get(domain);
        if (m == null || v == null) {
            return v;
        }
        return m.getOrDefault(v, v);
    }

    boolean same(String domain, Object a, Object b) {
        Object x = canonical(domain, a);
        Object y = canonical(domain, b);
        return x == null ? y == null : x.equals(y);
    }

    Results.Rows canonical(Results.Rows rows, Map<Integer, String> columns) {
        List<Object[]> out = new ArrayList<>(rows.rows().size());
        for (Object[] row : rows.rows()) {
            Object[] copy = row.clone();
            for (Map.Entry<Integer, String> e : columns.entrySet()) {
                if (e.getKey() < copy.length) {
                    copy[e.getKey()] = canonical(e.getValue(), copy[e.getKey()]);
                }
            }
            out.add(copy);
        }
        return new Results.Rows(rows.width(), rows.labels(), out);
    }

    /** Every text value of every column replaced by its class representative in {@code domain}. */
    Results.Rows canonicalText(Results.Rows rows, String domain) {
        List<Object[]> out = new ArrayList<>(rows.rows().size());
        for (Object[] row : rows.rows()) {
            Object[] copy = row.clone();
            for (int c = 0; c < copy.length; c++) {
                if (copy[c] instanceof String) {
                    copy[c] = canonical(domain, copy[c]);
                }
            }
            out.add(copy);
        }
        return new Results.Rows(rows.width(), rows.labels(), out);
    }
}
