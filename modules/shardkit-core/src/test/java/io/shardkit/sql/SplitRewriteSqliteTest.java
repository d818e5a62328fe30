package io.shardkit.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The differential check of the split rewrite on real SQLite: each statement runs as written on a
 * database holding one table per logical table, and rewritten on databases holding the same rows in
 * physical tables (three {@code matches_0n} and two {@code players_0n} read as a union; one
 * {@code matches_07}/{@code players_03} for writes and DDL). Results must be identical, and every
 * rewritten text must parse again.
 */
class SplitRewriteSqliteTest {
    private static final String DDL_MATCHES = "(id INTEGER PRIMARY KEY, pid INT, score INT, day TEXT)";
    private static final String DDL_PLAYERS = "(id INTEGER PRIMARY KEY, name TEXT, team INT)";
    private final SplitTemplates templates = new SplitTemplates(Set.of("matches", "players"), 1000);
    private Connection one;
    private Connection many;
    private Connection single;

    @BeforeEach
    void open() throws SQLException {
        one = DriverManager.getConnection("jdbc:sqlite::memory:");
        many = DriverManager.getConnection("jdbc:sqlite::memory:");
        single = DriverManager.getConnection("jdbc:sqlite::memory:");
        exec(one, "CREATE TABLE matches " + DDL_MATCHES, "CREATE TABLE players " + DDL_PLAYERS);
        exec(many, "CREATE TABLE matches_00 " + DDL_MATCHES, "CREATE TABLE matches_01 " + DDL_MATCHES,
                "CREATE TABLE matches_02 " + DDL_MATCHES, "CREATE TABLE players_00 " + DDL_PLAYERS,
                "CREATE TABLE players_01 " + DDL_PLAYERS);
        exec(single, "CREATE TABLE matches_07 " + DDL_MATCHES, "CREATE TABLE players_03 " + DDL_PLAYERS);
        for (Connection c : List.of(one, many, single)) {
            exec(c, "CREATE TABLE teams (id INT, label TEXT, matches INT)",
                    "INSERT INTO teams VALUES (1, 'red', 3), (2, 'matches', 5), (3, 'blue', 40)");
        }
        for (int id = 1; id <= 30; id++) {
            String row = "(" + id + ", " + (id % 7 + 1) + ", " + (id * 37 % 100) + ", 'd" + (id % 4) + "')";
            exec(one, "INSERT INTO matches VALUES " + row);
            exec(many, "INSERT INTO matches_0" + (id % 3) + " VALUES " + row);
            exec(single, "INSERT INTO matches_07 VALUES " + row);
        }
        for (int id = 1; id <= 8; id++) {
            String row = "(" + id + ", 'p" + id + "', " + (id % 3 + 1) + ")";
            exec(one, "INSERT INTO players VALUES " + row);
            exec(many, "INSERT INTO players_0" + (id % 2) + " VALUES " + row);
            exec(single, "INSERT INTO players_03 VALUES " + row);
        }
    }

    @AfterEach
    void close() throws SQLException {
        one.close();
        many.close();
        single.close();
    }

    /** Reads: the union of the physical tables and one physical table both answer as the one table. */
    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM matches",
        "SELECT id, score FROM matches WHERE matches.score > 50",
        "SELECT matches.* FROM matches WHERE matches.pid = 2",
        "SELECT m.id, p.name FROM matches m JOIN players p ON p.id = m.pid",
        "SELECT matches.id, players.name FROM matches JOIN players ON players.id = matches.pid",
        "SELECT a.id, b.id FROM matches a JOIN matches b ON a.pid = b.pid AND a.id < b.id",
        "SELECT pid, count(*), sum(score) FROM matches GROUP BY pid HAVING count(*) > 3",
        "SELECT id, score FROM matches ORDER BY score DESC, id LIMIT 5",
        "SELECT id FROM matches ORDER BY id LIMIT 4 OFFSET 7",
        "SELECT id FROM matches WHERE pid IN (SELECT id FROM players WHERE team = 1)",
        "SELECT id FROM matches WHERE EXISTS (SELECT 1 FROM players WHERE players.id = matches.pid AND players.team = 2)",
        "SELECT id, (SELECT name FROM players WHERE players.id = matches.pid) AS who FROM matches",
        "SELECT pid FROM matches GROUP BY pid HAVING sum(score) > (SELECT avg(score) FROM matches)",
        "WITH top AS (SELECT * FROM matches WHERE score > 40) SELECT pid, count(*) FROM top GROUP BY pid",
        "SELECT id, rank() OVER (PARTITION BY pid ORDER BY score DESC, id) AS r FROM matches",
        "SELECT id, sum(score) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM matches ORDER BY id",
        "SELECT players.name, t.label FROM players LEFT JOIN teams t ON t.id = players.team",
        "SELECT m.id, t.label FROM matches m JOIN players p ON p.id = m.pid JOIN teams t ON t.id = p.team",
        "SELECT id FROM matches WHERE score < 10 UNION SELECT id FROM players",
        "SELECT x.pid, x.c FROM (SELECT pid, count(*) AS c FROM matches GROUP BY pid) x WHERE x.c > 3",
        "SELECT id FROM matches WHERE score > (SELECT avg(score) FROM matches m2 WHERE m2.pid = matches.pid)",
        "SELECT main.matches.id FROM main.matches WHERE main.matches.score > 70",
        "SELECT t.matches, m.id FROM teams t JOIN matches m ON m.id = t.matches",
        "SELECT DISTINCT day FROM matches",
        "SELECT id, CASE WHEN score > 50 THEN 'high' ELSE 'low' END FROM matches",
        "SELECT count(DISTINCT pid), max(score), min(day) FROM matches",
        "SELECT label FROM teams WHERE label IN ('matches', 'red') AND EXISTS (SELECT 1 FROM matches)",
        "SELECT Matches.id FROM MATCHES WHERE Matches.score > 30",
        "SELECT \"matches\".id FROM \"matches\" WHERE \"matches\".pid = 3",
        "SELECT id /* matches */ FROM matches -- matches\n WHERE score > 10",
        "SELECT count(*) FROM matches, players WHERE matches.pid = players.id",
        "SELECT matches.pid * 2 + players.team AS k FROM matches JOIN players ON players.id = matches.pid ORDER BY k, matches.id",
        "SELECT id FROM matches WHERE score > 20 INTERSECT SELECT id FROM matches WHERE pid < 5",
        "SELECT p.name, (SELECT count(*) FROM matches WHERE matches.pid = p.id) AS n FROM players p",
        "SELECT pid, group_concat(id) FROM (SELECT pid, id FROM matches ORDER BY id) GROUP BY pid",
        "SELECT id FROM matches WHERE day = 'matches' OR day LIKE 'd%' AND pid NOT IN (SELECT team FROM players)",
        "SELECT q.name FROM (SELECT players.name FROM players JOIN matches ON matches.pid = players.id WHERE matches.score > 90) q",
        "SELECT id, lag(score) OVER w FROM matches WINDOW w AS (ORDER BY id)",
        "SELECT pid, count(*) FILTER (WHERE score > 50) FROM matches GROUP BY pid",
        "SELECT coalesce(max(m.score), 0) FROM players p LEFT JOIN matches m ON m.pid = p.id AND m.score > 95 GROUP BY p.id",
    })
    void i14_r01_readsAnswerAsOneTable(String sql) throws Exception {
        boolean ordered = sql.contains("ORDER BY") && !sql.contains("OVER (ORDER BY") && !sql.contains("ORDER BY id)");
        List<String> expected = rows(one, sql, ordered);
        SplitTemplate t = templates.get(sql, Dialect.SQLITE);
        assertThat(t.refusal()).isNull();
        assertThat(t.tables()).isNotEmpty();
        String union = t.render(names(t, "matches_00", "matches_01", "matches_02", "players_00", "players_01"));
        String lone = t.render(names(t, "matches_07", "players_03"));
        SqlParse.statement(union);
        SqlParse.statement(lone);
        assertThat(rows(many, union, ordered)).as(union).isEqualTo(expected);
        assertThat(rows(single, lone, ordered)).as(lone).isEqualTo(expected);
        assertThat(expected).isNotEmpty();
    }

    /** Writes and DDL on one physical table leave it as the same statement leaves the one table. */
    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO matches (id, pid, score, day) VALUES (100, 1, 5, 'x')",
        "INSERT INTO matches SELECT id + 1000, pid, score, day FROM matches WHERE score > 50",
        "INSERT INTO matches (id, pid, score, day) SELECT id + 500, id, 0, 'p' FROM players WHERE team = 2",
        "UPDATE matches SET score = score + 1 WHERE matches.pid = 2",
        "UPDATE matches SET score = 0 WHERE pid IN (SELECT id FROM players WHERE team = 1)",
        "UPDATE matches SET score = (SELECT team FROM players WHERE players.id = matches.pid)",
        "UPDATE matches AS m SET score = 1 WHERE m.id = 3",
        "UPDATE matches SET score = p.team FROM players p WHERE p.id = matches.pid",
        "DELETE FROM matches WHERE matches.score < 20",
        "DELETE FROM matches WHERE EXISTS (SELECT 1 FROM players p WHERE p.id = matches.pid AND p.team = 2)",
        "DELETE FROM matches WHERE score < (SELECT avg(score) FROM matches)",
        "INSERT INTO matches (id, pid, score, day) VALUES (1, 1, 99, 'x') ON CONFLICT (id) DO UPDATE SET score = matches.score + excluded.score",
        "INSERT INTO matches (id, pid, score, day) VALUES (2, 1, 99, 'x') ON CONFLICT (id) DO NOTHING",
        "ALTER TABLE matches ADD COLUMN extra INT",
        "ALTER TABLE matches DROP COLUMN score",
        "CREATE INDEX by_score ON matches (score)",
        "CREATE UNIQUE INDEX by_pid_id ON matches (pid, id)",
        "DROP TABLE IF EXISTS matches",
        "DROP TABLE matches",
    })
    void i14_r02_writesAndDdlAnswerAsOneTable(String sql) throws Exception {
        SplitTemplate t = templates.get(sql, Dialect.SQLITE);
        assertThat(t.refusal()).isNull();
        assertThat(t.writes()).isTrue();
        String lone = t.render(names(t, "matches_07", "players_03"));
        SqlParse.statement(lone);
        exec(one, sql);
        exec(single, lone);
        assertThat(catalog(single).replace("matches_07", "matches").replace("players_03", "players"))
                .isEqualTo(catalog(one));
        if (tableExists(one, "matches")) {
            assertThat(rows(single, "SELECT * FROM matches_07", false)).as(lone)
                    .isEqualTo(rows(one, "SELECT * FROM matches", false));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "INSERT INTO matches (id, pid, score, day) VALUES (200, 1, 1, 'y') RETURNING id, score",
        "UPDATE matches SET score = 7 WHERE matches.pid = 3 RETURNING matches.id, matches.score",
        "DELETE FROM matches WHERE score > 80 RETURNING *",
        "INSERT INTO matches (id, pid, score, day) VALUES (3, 1, 1, 'z') ON CONFLICT (id) DO UPDATE SET day = matches.day || excluded.day RETURNING matches.id, day",
    })
    void i14_r03_returningAnswersAsOneTable(String sql) throws Exception {
        SplitTemplate t = templates.get(sql, Dialect.SQLITE);
        String lone = t.render(names(t, "matches_07", "players_03"));
        SqlParse.statement(lone);
        List<String> expected = rows(one, sql, false);
        assertThat(rows(single, lone, false)).as(lone).isEqualTo(expected).isNotEmpty();
        assertThat(rows(single, "SELECT * FROM matches_07", false)).isEqualTo(rows(one, "SELECT * FROM matches", false));
    }

    @Test
    void i14_r04_createTableMakesThePhysicalTable() throws Exception {
        String sql = "CREATE TABLE IF NOT EXISTS matches (id INTEGER PRIMARY KEY, pid INT NOT NULL, score INT DEFAULT 0,"
                + " UNIQUE (pid, id))";
        SplitTemplate t = templates.get(sql, Dialect.SQLITE);
        Connection fresh = DriverManager.getConnection("jdbc:sqlite::memory:");
        Connection plain = DriverManager.getConnection("jdbc:sqlite::memory:");
        try (fresh; plain) {
            exec(fresh, t.render(List.of(List.of("matches_11"))));
            exec(plain, sql);
            assertThat(catalog(fresh).replace("matches_11", "matches")).isEqualTo(catalog(plain));
        }
    }

    /** More physical tables than SQLite's 500 compound terms: the union nests in groups of 400. */
    @Test
    void i14_r05_unionOfMoreThan500TablesNests() throws Exception {
        int n = 450;
        List<String> physical = new ArrayList<>();
        try (Connection big = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            for (int i = 0; i < n; i++) {
                String name = String.format("matches_%03d", i);
                physical.add(name);
                exec(big, "CREATE TABLE " + name + " " + DDL_MATCHES,
                        "INSERT INTO " + name + " VALUES (" + i + ", " + (i % 5) + ", " + i + ", 'd')");
            }
            String sql = "SELECT pid, count(*), sum(matches.score) FROM matches GROUP BY pid";
            SplitTemplate t = templates.get(sql, Dialect.SQLITE);
            String text = t.render(List.of(physical));
            assertThat(text).contains("AS shardkit_part_1");
            assertThat(rows(big, text, false)).containsExactly("0|90|20025", "1|90|20115", "2|90|20205", "3|90|20295",
                    "4|90|20385");
        }
    }

    private static List<List<String>> names(SplitTemplate t, String... all) {
        List<List<String>> out = new ArrayList<>();
        for (String table : t.tables()) {
            List<String> mine = new ArrayList<>();
            for (String p : all) {
                if (p.startsWith(table + "_")) {
                    mine.add(p);
                }
            }
            out.add(mine);
        }
        return out;
    }

    private static String catalog(Connection c) throws SQLException {
        return String.join("\n", rows(c, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", true))
                .replaceAll("\"(matches_07|matches_11|players_03|by_score_matches_07|by_pid_id_matches_07)\"", "$1")
                .replace("by_score_matches_07", "by_score").replace("by_pid_id_matches_07", "by_pid_id");
    }

    private static boolean tableExists(Connection c, String name) throws SQLException {
        return !rows(c, "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'", false).isEmpty();
    }

    private static void exec(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static List<String> rows(Connection c, String sql, boolean ordered) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            if (!s.execute(sql)) {
                return out;
            }
            try (ResultSet rs = s.getResultSet()) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= cols; i++) {
                        row.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
        }
        if (!ordered) {
            Collections.sort(out);
        }
        return out;
    }
}
