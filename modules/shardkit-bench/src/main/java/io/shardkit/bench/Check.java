package io.shardkit.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs every benchmark operation once on every contender and compares the answers, so a fast
 * wrong answer cannot pass as a result: the point reads, top 10, groups and pages must have the
 * same checksum as the floor's, and each multi-row INSERT must put every row on its own shard.
 * Exits non-zero on any difference.
 */
final class Check {
    private Check() {
    }

    public static void main(String[] args) throws Exception {
        List<String> backends = args.length == 0 ? List.of(Dataset.H2, Dataset.POSTGRES) : List.of(args);
        boolean ok = true;
        for (String backend : backends) {
            for (int shards : new int[] {4, 16}) {
                ok &= check(Dataset.open(backend, shards));
            }
        }
        System.out.println(ok ? "check: all contenders agree" : "check: MISMATCH (see above)");
        if (!ok) {
            System.exit(1);
        }
    }

    private static boolean check(Dataset d) throws SQLException {
        Map<String, Map<String, Long>> answers = new LinkedHashMap<>();
        for (String contender : List.of(Contenders.DIRECT, Contenders.SHARDKIT, Contenders.SHARDINGSPHERE)) {
            Map<String, Long> a = new LinkedHashMap<>();
            try (Client c = Client.open(contender, d)) {
                long h = 0;
                long hf = 0;
                for (long id = 0; id < 400; id += 7) {
                    h = Client.mix(h, c.point(id));
                    hf = Client.mix(hf, c.pointFresh(id));
                }
                a.put("point", h);
                a.put("pointFresh", hf);
                a.put("leaderboard", c.leaderboard());
                if (d.shards == 4) {
                    a.put("groupBy", c.groupBy());
                    a.put("page 1000", c.page(1000));
                    a.put("page 100000", c.page(100_000));
                    c.insert(1042, 1);
                    c.insertRows(1000, 2);
                    a.put("moves misplaced", misplacedMoves(d));
                    a.put("moves rows", movesRows(d));
                }
            }
            answers.put(contender, a);
            clearMoves(d);
        }
        boolean ok = true;
        Map<String, Long> floor = answers.get(Contenders.DIRECT);
        System.out.printf("%s, %d shards%n", d.backend, d.shards);
        for (String op : floor.keySet()) {
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Map<String, Long>> e : answers.entrySet()) {
                if (!floor.get(op).equals(e.getValue().get(op))) {
                    wrong.add(e.getKey() + "=" + e.getValue().get(op));
                }
            }
            System.out.printf("  %-16s %s%n", op, wrong.isEmpty() ? "same on all three (" + floor.get(op) + ")"
                    : "DIFFERS from direct=" + floor.get(op) + ": " + wrong);
            ok &= wrong.isEmpty();
        }
        return ok;
    }

    private static long misplacedMoves(Dataset d) throws SQLException {
        long n = 0;
        for (int s = 0; s < d.shards; s++) {
            n += count(d, s, "SELECT COUNT(*) FROM moves WHERE MOD(player_id, " + d.shards + ") <> " + s);
        }
        return n;
    }

    private static long movesRows(Dataset d) throws SQLException {
        long n = 0;
        for (int s = 0; s < d.shards; s++) {
            n += count(d, s, "SELECT COUNT(*) FROM moves");
        }
        return n;
    }

    private static long count(Dataset d, int shard, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(d.urls[shard], d.user, d.password);
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void clearMoves(Dataset d) throws SQLException {
        for (int s = 0; s < d.shards; s++) {
            try (Connection c = DriverManager.getConnection(d.urls[s], d.user, d.password);
                    Statement st = c.createStatement()) {
                st.execute("DELETE FROM moves");
            }
        }
    }
}
