package io.shardkit.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A bounded generator of reads over the split tables of {@link SplitContract}: filters by key,
 * IN lists spanning shards and tables, ranges, NULLs and text (collation) order; co-located joins on
 * the key, self-joins with aliases, subqueries and CTEs pinned by key, GROUP BY / HAVING / DISTINCT,
 * ORDER BY (always total when LIMIT/OFFSET is present), qualified columns; outer joins of the
 * co-located players and matches (see {@link #outer}). Same seed and dialect, same list.
 */
final class SplitQueries {
    private SplitQueries() {
    }

    /** {@code n} reads; {@code dialect} as {@code ShardSet.dialect()} (MySQL/MariaDB has no FULL JOIN, no NULLS FIRST). */
    static List<String> generate(Random r, int n, String quote, String dialect) {
        boolean mysql = dialect.equals("mysql");
        List<String> out = new ArrayList<>(n);
        while (out.size() < n) {
            out.add(r.nextInt(3) == 0 ? outer(r, !mysql) : one(r, quote));
        }
        return out;
    }

    private static int key(Random r) {
        return r.nextInt(42) - 6;
    }

    private static String keys(Random r) {
        StringBuilder sb = new StringBuilder();
        int count = 1 + r.nextInt(6);
        for (int i = 0; i < count; i++) {
            sb.append(i > 0 ? ", " : "").append(key(r));
        }
        return sb.toString();
    }

    private static String pred(Random r, String q) {
        return switch (r.nextInt(9)) {
            case 0 -> q + "player_id = " + key(r);
            case 1 -> q + "player_id IN (" + keys(r) + ")";
            case 2 -> q + "score > " + r.nextInt(100);
            case 3 -> q + "arena IS NULL";
            case 4 -> q + "arena = '" + new String[] {"a", "B", "m0", "Zz", "\u00e9"}[r.nextInt(5)] + "'";
            case 5 -> q + "player_id BETWEEN " + key(r) + " AND " + (key(r) + 10);
            case 6 -> "(" + q + "score IS NULL OR " + q + "score < " + r.nextInt(50) + ")";
            case 7 -> q + "player_id IN (" + keys(r) + ") AND " + q + "score >= " + r.nextInt(60);
            default -> q + "arena > 'a'";
        };
    }

    private static String limit(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> "";
            case 1 -> " LIMIT " + (1 + r.nextInt(12));
            case 2 -> " LIMIT " + (1 + r.nextInt(12)) + " OFFSET " + r.nextInt(20);
            default -> " LIMIT 50 OFFSET " + r.nextInt(5);
        };
    }

    /**
     * A physical table named directly, as the seed recipes do; the reference reads the same rows
     * from the unsplit table by the albums whose md5 starts with {@code hex}. Separator: {@link #REF}.
     */
    static String physical(String hex) {
        StringBuilder albums = new StringBuilder("''");
        for (int i = 0; i < 23; i++) {
            try {
                if (SplitContract.md5("album" + i).startsWith(hex)) {
                    albums.append(", 'album").append(i).append('\'');
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return "SELECT photo_id, album_key FROM photos_" + hex + " ORDER BY photo_id" + REF
                + "SELECT photo_id, album_key FROM photos WHERE album_key IN (" + albums + ") ORDER BY photo_id";
    }

    /** Between the sharded text and the reference text of a query whose texts differ. */
    static final String REF = " \u0000 ";

    private static String group(Random r, String g) {
        return "SELECT " + g + " AS g, COUNT(*), SUM(score), MAX(score), COUNT(score) FROM matches WHERE " + pred(r, "")
                + " GROUP BY " + g;
    }

    private static final String LEFT = " FROM players p LEFT JOIN matches m ON m.player_id = p.player_id";
    private static final String RIGHT = " FROM players p RIGHT JOIN matches m ON m.player_id = p.player_id";
    private static final String FULL = " FROM players p FULL JOIN matches m ON m.player_id = p.player_id";

    /**
     * Outer joins of the co-located players and matches (split alike, so rows join within one
     * physical table pair): the contract's data has players without matches and matches without a
     * player. LEFT, RIGHT and FULL (when {@code full}: not on MySQL/MariaDB, which also lack NULLS
     * FIRST/LAST), key predicates in the ON (which only link: every player is kept) and in the WHERE
     * (which filter), COUNT(*) against COUNT(m.match_id), GROUP BY over a LEFT JOIN (a NULL group from
     * the unmatched rows), ORDER BY keys NULL on the outer side with LIMIT (the order is total:
     * p.player_id, m.match_id is unique over any of these joins), and joins not on the key (refused).
     */
    static String outer(Random r, boolean full) {
        int k = key(r);
        String any = full && r.nextInt(3) == 0 ? FULL : r.nextBoolean() ? LEFT : RIGHT;
        return switch (r.nextInt(22)) {
            case 0 -> "SELECT p.player_id, p.name, m.match_id, m.score" + LEFT + " WHERE " + pred(r, "p.").replace("p.score",
                    "m.score").replace("p.arena", "m.arena") + " ORDER BY p.player_id, m.match_id" + limit(r);
            case 1 -> "SELECT p.player_id, p.name" + LEFT + " WHERE m.match_id IS NULL ORDER BY p.player_id" + limit(r);
            case 2 -> "SELECT p.player_id, m.match_id" + LEFT + " AND m.player_id IN (" + keys(r)
                    + ") ORDER BY p.player_id, m.match_id" + limit(r);
            case 3 -> "SELECT p.player_id, m.match_id" + LEFT + " WHERE m.player_id IN (" + keys(r)
                    + ") ORDER BY p.player_id, m.match_id" + limit(r);
            case 4 -> "SELECT p.player_id, COUNT(*), COUNT(m.match_id)" + LEFT + " AND p.player_id = " + k
                    + " GROUP BY p.player_id ORDER BY p.player_id" + limit(r);
            case 5 -> "SELECT COUNT(*), COUNT(m.match_id), COUNT(p.player_id), SUM(m.score), COUNT(DISTINCT m.player_id)" + any
                    + (r.nextBoolean() ? "" : " WHERE " + pred(r, r.nextBoolean() ? "m." : "p.").replace("p.score", "m.score")
                    .replace("p.arena", "m.arena"));
            case 6 -> "SELECT p.player_id, COUNT(*), COUNT(m.match_id), SUM(m.score), MAX(m.arena)" + LEFT
                    + (r.nextBoolean() ? " AND m.score > " + r.nextInt(90) : "") + " GROUP BY p.player_id"
                    + (r.nextBoolean() ? " HAVING COUNT(m.match_id) < " + r.nextInt(4) : "") + " ORDER BY p.player_id" + limit(r);
            case 7 -> "SELECT m.arena, COUNT(*), COUNT(m.match_id), COUNT(p.player_id)" + any + " GROUP BY m.arena ORDER BY 1"
                    + limit(r);
            case 8 -> "SELECT p.name, COUNT(m.match_id) AS c" + LEFT + " GROUP BY p.name ORDER BY c DESC, p.name" + limit(r);
            case 9 -> "SELECT p.player_id, m.match_id, m.score" + LEFT + " ORDER BY m.score" + (r.nextBoolean() ? " DESC" : "")
                    + ", p.player_id, m.match_id" + limit(r);
            case 10 -> "SELECT m.match_id, p.player_id" + any + " ORDER BY m.match_id" + (r.nextBoolean() ? " DESC" : "")
                    + ", p.player_id" + limit(r);
            case 11 -> "SELECT m.match_id, p.name, m.score" + RIGHT + " WHERE " + pred(r, "m.") + " ORDER BY m.match_id" + limit(r);
            case 12 -> "SELECT m.match_id, m.player_id" + RIGHT + " WHERE p.player_id IS NULL ORDER BY m.match_id" + limit(r);
            case 13 -> "SELECT m.match_id, p.name FROM matches m LEFT JOIN players p ON p.player_id = m.player_id WHERE "
                    + pred(r, "m.") + " ORDER BY m.match_id" + limit(r);
            case 14 -> "SELECT player_id, COUNT(m.match_id) FROM players p LEFT JOIN matches m USING (player_id)"
                    + (r.nextBoolean() ? " WHERE player_id IN (" + keys(r) + ")" : "") + " GROUP BY player_id ORDER BY player_id";
            case 15 -> "SELECT p.player_id, COUNT(m.match_id), COUNT(n.match_id)" + LEFT + " AND m.score > " + r.nextInt(80)
                    + " LEFT JOIN matches n ON n.player_id = p.player_id AND n.score IS NULL GROUP BY p.player_id"
                    + " ORDER BY p.player_id" + limit(r);
            case 16 -> "SELECT p.player_id, m.match_id FROM players p LEFT JOIN matches m ON "
                    + new String[] {"m.score = p.player_id", "m.player_id = p.player_id OR m.score = p.player_id",
                        "m.player_id >= p.player_id"}[r.nextInt(3)] + " ORDER BY p.player_id, m.match_id" + limit(r);
            case 17 -> "SELECT p.player_id, m.match_id, m.arena" + any + " WHERE p.player_id = " + k + " OR m.player_id = " + key(r)
                    + " ORDER BY p.player_id, m.match_id" + limit(r);
            case 18 -> full ? "SELECT p.player_id, m.match_id, m.score" + FULL + " ORDER BY m.score NULLS "
                    + (r.nextBoolean() ? "FIRST" : "LAST") + ", p.player_id, m.match_id" + limit(r)
                    : "SELECT p.player_id, m.match_id" + RIGHT + " WHERE m.player_id = " + k + " ORDER BY m.match_id";
            case 19 -> full ? "SELECT p.player_id, m.match_id" + FULL + " WHERE p.player_id IS NULL OR m.match_id IS NULL"
                    + " ORDER BY p.player_id, m.match_id" + limit(r)
                    : "SELECT p.player_id, m.match_id" + LEFT + " WHERE p.player_id = " + k + " ORDER BY m.match_id";
            case 20 -> full ? "SELECT p.player_id, m.match_id" + FULL + " AND m.player_id = " + k
                    + " ORDER BY p.player_id, m.match_id" + limit(r)
                    : "SELECT p.player_id, m.match_id" + RIGHT + " AND p.player_id = " + k + " ORDER BY m.match_id" + limit(r);
            default -> "SELECT p.player_id, m.match_id" + any + " WHERE " + (r.nextBoolean() ? "p" : "m") + ".player_id IN ("
                    + keys(r) + ") ORDER BY p.player_id, m.match_id" + limit(r);
        };
    }

    private static String one(Random r, String quote) {
        int k = key(r);
        return switch (r.nextInt(25)) {
            case 16 -> "SELECT match_id, score FROM matches WHERE " + pred(r, "") + " ORDER BY score, match_id" + limit(r);
            case 17 -> "SELECT x.match_id, x.arena FROM matches AS x WHERE x.player_id = " + k + " ORDER BY 1";
            case 18 -> "SELECT name AS matches, player_id AS players FROM players WHERE player_id IN (" + keys(r)
                    + ") ORDER BY players";
            case 19 -> ("SELECT \"matches\".match_id FROM \"matches\" WHERE \"matches\".player_id = " + k
                    + " ORDER BY 1").replace("\"", quote);
            case 20 -> "SELECT match_id /* FROM matches */ FROM matches WHERE arena <> 'matches' AND player_id IN ("
                    + keys(r) + ") ORDER BY match_id";
            case 21 -> "SELECT match_id FROM matches WHERE player_id IN (" + keys(r) + ") ORDER BY player_id, match_id";
            case 22 -> "SELECT arena, SUM(score) AS s FROM matches GROUP BY arena HAVING SUM(score) > " + r.nextInt(2000)
                    + " ORDER BY s DESC, arena" + limit(r);
            case 23 -> "SELECT player_id, COUNT(*) AS c FROM matches WHERE " + pred(r, "")
                    + " GROUP BY player_id ORDER BY c DESC, player_id" + limit(r);
            case 24 -> "SELECT m.match_id FROM matches m WHERE m.player_id = " + k
                    + " AND EXISTS (SELECT 1 FROM players p WHERE p.player_id = m.player_id AND p.player_id = " + k
                    + ") ORDER BY m.match_id";
            case 0 -> "SELECT match_id, player_id, score, arena FROM matches WHERE " + pred(r, "")
                    + " ORDER BY match_id" + limit(r);
            case 1 -> "SELECT matches.match_id, matches.score FROM matches WHERE " + pred(r, "matches.")
                    + " ORDER BY matches.score DESC, matches.match_id" + limit(r);
            case 2 -> "SELECT arena, match_id FROM matches WHERE " + pred(r, "") + " ORDER BY arena, match_id" + limit(r);
            case 3 -> group(r, r.nextBoolean() ? "arena" : "player_id")
                    + (r.nextBoolean() ? " HAVING COUNT(*) > " + r.nextInt(8) : "") + " ORDER BY 1" + limit(r);
            case 4 -> "SELECT DISTINCT arena FROM matches WHERE " + pred(r, "") + " ORDER BY arena" + limit(r);
            case 5 -> "SELECT COUNT(*), COUNT(arena), COUNT(DISTINCT arena), MIN(arena), MAX(arena), MIN(score)"
                    + " FROM matches WHERE " + pred(r, "");
            case 6 -> "SELECT m.match_id, p.name, m.score FROM matches m JOIN players p ON m.player_id = p.player_id WHERE "
                    + pred(r, "m.") + " ORDER BY m.match_id" + limit(r);
            case 7 -> "SELECT p.player_id, COUNT(*), SUM(m.score) FROM players p JOIN matches m ON p.player_id = m.player_id"
                    + " WHERE " + pred(r, "m.") + " GROUP BY p.player_id ORDER BY p.player_id" + limit(r);
            case 8 -> "SELECT a.match_id, b.match_id FROM matches a JOIN matches b ON a.player_id = b.player_id"
                    + " WHERE a.player_id = " + k + " AND a.match_id < b.match_id ORDER BY 1, 2" + limit(r);
            case 9 -> "SELECT player_id, name FROM players WHERE player_id = " + k
                    + " AND player_id IN (SELECT player_id FROM matches WHERE player_id = " + k + " AND score > "
                    + r.nextInt(80) + ")";
            case 10 -> "WITH t AS (SELECT player_id, score FROM matches WHERE player_id = " + k
                    + ") SELECT COUNT(*), SUM(score), MAX(t.score) FROM t";
            case 11 -> "SELECT p.name, m.arena FROM players p LEFT JOIN matches m ON m.player_id = p.player_id"
                    + " WHERE p.player_id IN (" + keys(r) + ") ORDER BY p.player_id, m.match_id";
            case 12 -> "SELECT COUNT(*), SUM(amount), MIN(order_id) FROM orders WHERE created_at >= '2026-"
                    + (10 + r.nextInt(3)) + "-" + String.format("%02d", 1 + r.nextInt(28)) + "' AND created_at < '2026-12-"
                    + String.format("%02d", 1 + r.nextInt(28)) + "'" + (r.nextBoolean() ? " AND customer_id = " + r.nextInt(7) : "");
            case 13 -> "SELECT order_id, customer_id, amount FROM orders WHERE customer_id IN (" + r.nextInt(7) + ", "
                    + r.nextInt(7) + ") ORDER BY amount DESC, order_id" + limit(r);
            case 14 -> "SELECT album_key, COUNT(*), MIN(title) FROM photos WHERE album_key IN ('album" + r.nextInt(23)
                    + "', 'album" + r.nextInt(23) + "', 'album" + r.nextInt(23) + "') GROUP BY album_key ORDER BY album_key";
            default -> "SELECT photo_id, title FROM photos WHERE " + (r.nextBoolean() ? "album_key = 'album" + r.nextInt(23) + "'"
                    : "photo_id > " + r.nextInt(80)) + " ORDER BY title, photo_id" + limit(r);
        };
    }
}
