package io.shardkit.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The split rewrite's texts per dialect, its refusals (0A000 and message) and its caches. */
class SplitTemplatesTest {
    private final SplitTemplates templates = new SplitTemplates(Set.of("matches", "players"), 100);

    private String render(String sql, Dialect d, List<List<String>> physical) throws Exception {
        SplitTemplate t = templates.get(sql, d);
        assertThat(t.refusal()).as(sql).isNull();
        return t.render(physical);
    }

    @Test
    void i14_t01_mysqlQuotesWithBackticksAndRenamesMultiTableUpdate() throws Exception {
        assertThat(render("UPDATE matches JOIN players ON players.id = matches.pid SET matches.score = 1",
                Dialect.MYSQL, List.of(List.of("matches_02"), List.of("players_02"))))
                .isEqualTo("UPDATE matches_02 JOIN players_02 ON players_02.id = matches_02.pid"
                        + " SET matches_02.score = 1");
        assertThat(render("INSERT INTO matches (id, score) VALUES (1, 2) ON DUPLICATE KEY UPDATE score = matches.score + 1",
                Dialect.MYSQL, List.of(List.of("matches_05"))))
                .isEqualTo("INSERT INTO matches_05 (id, score) VALUES (1, 2) ON DUPLICATE KEY UPDATE score ="
                        + " matches_05.score + 1");
        assertThat(render("DROP INDEX by_score ON matches", Dialect.MYSQL, List.of(List.of("matches_01"))))
                .isEqualTo("DROP INDEX by_score_matches_01 ON matches_01");
        assertThat(render("DELETE matches FROM matches JOIN players ON players.id = matches.pid WHERE players.team = 2",
                Dialect.MYSQL, List.of(List.of("matches_04"), List.of("players_04"))))
                .isEqualTo("DELETE matches_04 FROM matches_04 JOIN players_04 ON players_04.id = matches_04.pid"
                        + " WHERE players_04.team = 2");
        assertThat(render("DELETE m FROM matches m JOIN players p ON p.id = m.pid", Dialect.MYSQL,
                List.of(List.of("matches_04"), List.of("players_04"))))
                .isEqualTo("DELETE m FROM matches_04 m JOIN players_04 p ON p.id = m.pid");
        assertThat(render("TRUNCATE TABLE matches", Dialect.MYSQL, List.of(List.of("matches_09"))))
                .isEqualTo("TRUNCATE TABLE matches_09");
        assertThat(render("SELECT * FROM matches", Dialect.MYSQL, List.of(List.of("m`1", "m2"))))
                .isEqualTo("SELECT * FROM (SELECT * FROM `m``1` UNION ALL SELECT * FROM m2) matches");
        // a name that is not a plain lower-case identifier, or is reserved, is quoted exactly
        assertThat(render("SELECT * FROM matches", Dialect.MYSQL, List.of(List.of("Matches_1", "order"))))
                .isEqualTo("SELECT * FROM (SELECT * FROM `Matches_1` UNION ALL SELECT * FROM `order`) matches");
    }

    @Test
    void i14_t02_postgresDdlAndSchemas() throws Exception {
        List<List<String>> one = List.of(List.of("matches_03"));
        assertThat(render("TRUNCATE TABLE public.matches", Dialect.POSTGRESQL, one))
                .isEqualTo("TRUNCATE TABLE public.matches_03");
        assertThat(render("CREATE UNIQUE INDEX by_day ON public.matches (day)", Dialect.POSTGRESQL, one))
                .isEqualTo("CREATE UNIQUE INDEX by_day_matches_03 ON public.matches_03 (day)");
        assertThat(render("ALTER TABLE matches ADD COLUMN extra INT", Dialect.POSTGRESQL, one))
                .isEqualTo("ALTER TABLE matches_03 ADD COLUMN extra INT");
        assertThat(render("INSERT INTO matches AS m (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET score = m.score + 1"
                + " RETURNING m.id", Dialect.POSTGRESQL, one))
                .isEqualTo("INSERT INTO matches_03 AS m (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET score ="
                        + " m.score + 1 RETURNING m.id");
        assertThat(render("DROP TABLE matches, players", Dialect.POSTGRESQL, List.of(List.of("matches_03"),
                List.of("players_01"))))
                .isEqualTo("DROP TABLE matches_03, players_01");
        assertThat(render("DROP TABLE IF EXISTS matches", Dialect.POSTGRESQL, one))
                .isEqualTo("DROP TABLE IF EXISTS matches_03");
        assertThat(render("SELECT public.matches.id FROM public.matches", Dialect.POSTGRESQL,
                List.of(List.of("a", "b"))))
                .isEqualTo("SELECT matches.id FROM (SELECT * FROM public.a UNION ALL SELECT * FROM public.b)"
                        + " matches");
        SplitTemplate t = templates.get("SELECT p.id FROM players p JOIN matches m ON m.pid = p.id", Dialect.POSTGRESQL);
        assertThat(t.tables()).containsExactly("players", "matches");
        assertThat(t.writes()).isFalse();
        assertThat(templates.get("INSERT INTO matches SELECT * FROM players", Dialect.POSTGRESQL).writes()).isTrue();
    }

    @Test
    void i14_t03_textsWithoutSplitTablesAreUnchangedAndNotParsed() throws Exception {
        String sql = "SELECT 'x' FROM   teams WHERE id = ?";
        SplitTemplate t = templates.get(sql, Dialect.SQLITE);
        assertThat(t.tables()).isEmpty();
        assertThat(t.render(List.of())).isSameAs(sql);
        assertThat(templates.parses()).isZero();
        String named = "SELECT matches_total FROM teams";
        assertThat(templates.get(named, Dialect.SQLITE).render(List.of())).isSameAs(named);
        String alias = "SELECT 'matches' AS matches, t.matches FROM teams t";
        assertThat(templates.get(alias, Dialect.SQLITE).render(List.of())).isSameAs(alias);
    }

    @Test
    void i14_t04_parsesOncePerTextAndDialectAndRendersTheSameString() throws Exception {
        String sql = "SELECT score FROM matches WHERE id = ?";
        SplitTemplate t = templates.get(sql, Dialect.POSTGRESQL);
        assertThat(templates.parses()).isEqualTo(1);
        List<List<String>> a = List.of(List.of("matches_01"));
        String first = t.render(a);
        for (int i = 0; i < 100; i++) {
            assertThat(templates.get(sql, Dialect.POSTGRESQL)).isSameAs(t);
            assertThat(t.render(List.of(List.of("matches_01")))).isSameAs(first);
            assertThat(t.render("s0/matches_01", a)).isSameAs(t.render("s0/matches_01", a));
        }
        assertThat(templates.parses()).isEqualTo(1);
        assertThat(t.render(List.of(List.of("matches_02")))).isEqualTo("SELECT score FROM matches_02 matches WHERE id = ?");
        templates.get(sql, Dialect.MYSQL);
        assertThat(templates.parses()).isEqualTo(2);
        assertThat(templates.get(sql, Dialect.MYSQL).render(a)).isEqualTo("SELECT score FROM matches_01 matches WHERE id = ?");
        assertThat(templates.parses()).isEqualTo(2);
    }

    @Test
    void i14_t05_cacheIsBounded() {
        SplitTemplates small = new SplitTemplates(Set.of("matches"), 4);
        for (int i = 0; i < 50; i++) {
            small.get("SELECT " + i + " FROM matches", Dialect.SQLITE);
        }
        long before = small.parses();
        small.get("SELECT 0 FROM matches", Dialect.SQLITE);
        assertThat(small.parses()).isEqualTo(before + 1);
        small.get("SELECT 49 FROM matches", Dialect.SQLITE);
        assertThat(small.parses()).isEqualTo(before + 1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "WITH matches AS (SELECT 1 AS id) SELECT id FROM matches|the CTE matches is named like the split table matches and shadows it; rename the CTE",
        "SELECT * FROM players matches|the alias matches is also the name of a split table; choose another alias",
        "SELECT * FROM (SELECT 1 AS id) matches|the statement names matches where shardkit does not rewrite it",
        "SELECT matches.id FROM matches m|the column qualifier matches names split table matches, which the statement names only with an alias",
        "DELETE FROM matches WHERE id IN (SELECT id FROM matches WHERE matches.score > 1)|the column qualifier matches could mean more than one reference to split table matches",
        "CREATE TABLE matches (id INT, CONSTRAINT pk_m PRIMARY KEY (id))|named constraints would collide across the physical tables; leave them unnamed",
        "CREATE TABLE matches (id INT CONSTRAINT pk_m PRIMARY KEY)|named constraints would collide across the physical tables; leave them unnamed",
        "ALTER TABLE matches ADD CONSTRAINT u_score UNIQUE (score)|named constraints would collide across the physical tables; leave them unnamed",
        "ALTER TABLE matches RENAME TO games|renaming a split table's physical tables would break its naming rule",
        "DROP INDEX by_score|DROP INDEX without ON <table> cannot be tied to a split table's physical indexes",
        "CREATE TABLE t2 (id INT REFERENCES matches (id))|CreateTable names split table matches besides its target (a foreign key cannot reference a split table",
        "CREATE VIEW v AS SELECT * FROM matches|CreateView statements naming a split table cannot be rewritten for its physical tables",
        "DROP VIEW matches|DROP VIEW naming a split table",
        "SELECT * FROM db.public.matches|the three-part name db.public.matches of split table matches",
        "SELECT __shardkit_split_1__ FROM matches|the statement contains __shardkit_split_, which shardkit reserves",
        "SELECT FROM WHERE matches|shardkit cannot parse the statement to name the physical tables",
        "SELECT matches(id) FROM players|the statement names matches where shardkit does not rewrite it",
    })
    void i14_t06_refusals(String sql, String message) {
        SplitTemplate t = templates.get(sql, Dialect.POSTGRESQL);
        assertThat(t.refusal()).as(sql).startsWith(message);
        assertThatThrownBy(() -> t.render(List.of(List.of("matches_01"))))
                .isInstanceOf(RefusedException.class)
                .hasMessageStartingWith(message)
                .hasMessageContaining("[sql: ")
                .extracting(e -> ((RefusedException) e).getSQLState()).isEqualTo("0A000");
    }

    @Test
    void i14_t07_writeTargetsTakeOnePhysicalTable() {
        SplitTemplate t = templates.get("UPDATE matches SET score = 0", Dialect.SQLITE);
        assertThatThrownBy(() -> t.render(List.of(List.of("matches_01", "matches_02"))))
                .isInstanceOf(RefusedException.class)
                .hasMessageStartingWith("a statement that writes split table matches (or names it outside a SELECT's"
                        + " FROM) runs on one physical table at a time, not on 2")
                .extracting(e -> ((RefusedException) e).getSQLState()).isEqualTo("0A000");
        SplitTemplate ddl = templates.get("CREATE INDEX by_score ON matches (score)", Dialect.SQLITE);
        assertThatThrownBy(() -> ddl.render(List.of(List.of("matches_" + "x".repeat(60)))))
                .isInstanceOf(RefusedException.class)
                .hasMessageStartingWith("the index name by_score_matches_xxx")
                .hasMessageContaining("is longer than 63 characters; choose a shorter index name");
    }
}
