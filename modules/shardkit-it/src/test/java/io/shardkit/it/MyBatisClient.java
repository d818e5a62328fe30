package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Options;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.SelectKey;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;

/** MyBatis 3.5: annotated mappers, useGeneratedKeys (single, multi-row foreach, BATCH executor), @SelectKey. */
final class MyBatisClient {
    private MyBatisClient() {
    }

    public static final class Player {
        public Long id;
        public String name;
        public Integer score;

        @Override
        public String toString() {
            return id + "," + name + "," + score;
        }
    }

    public static final class Match {
        public Long matchId;
        public Long playerId;
        public Integer points;

        Match(long playerId, int points) {
            this.playerId = playerId;
            this.points = points;
        }

        public Match() {
        }
    }

    public interface Mapper {
        @Update("${sql}")
        int ddl(@Param("sql") String sql);

        @Insert("INSERT INTO mb_players (player_id, name, score) VALUES (#{id}, #{name}, #{score})")
        int insertPlayer(Player p);

        @Select("SELECT player_id AS id, name, score FROM mb_players WHERE player_id = #{id}")
        Player find(long id);

        @Update("UPDATE mb_players SET score = score + 1 WHERE player_id = #{id}")
        int bump(long id);

        @Update("UPDATE mb_players SET score = #{score} WHERE player_id = #{id}")
        int setScore(@Param("id") long id, @Param("score") int score);

        @Delete("DELETE FROM mb_players WHERE player_id = #{id}")
        int delete(long id);

        @Insert("INSERT INTO mb_matches (player_id, points) VALUES (#{playerId}, #{points})")
        @Options(useGeneratedKeys = true, keyProperty = "matchId", keyColumn = "match_id")
        int insertMatch(Match m);

        @Insert("INSERT INTO mb_matches (player_id, points) VALUES (#{playerId}, #{points})")
        @SelectKey(statement = "SELECT last_insert_rowid()", keyProperty = "matchId", before = false,
                resultType = Long.class, databaseId = "sqlite")
        @SelectKey(statement = "SELECT lastval()", keyProperty = "matchId", before = false,
                resultType = Long.class, databaseId = "postgresql")
        @SelectKey(statement = "SELECT LAST_INSERT_ID()", keyProperty = "matchId", before = false,
                resultType = Long.class, databaseId = "mysql")
        int insertMatchSelectKey(Match m);

        @Insert("<script>INSERT INTO mb_matches (player_id, points) VALUES "
                + "<foreach collection='list' item='m' separator=','>(#{m.playerId}, #{m.points})</foreach></script>")
        @Options(useGeneratedKeys = true, keyProperty = "matchId", keyColumn = "match_id")
        int insertMatches(List<Match> ms);

        @Select("SELECT points FROM mb_matches WHERE player_id = #{p} AND match_id = #{m}")
        Integer pointsOf(@Param("p") long player, @Param("m") long match);

        @Select("SELECT player_id AS id, name, score FROM mb_players ORDER BY score DESC, player_id "
                + "LIMIT #{limit} OFFSET #{offset}")
        List<Player> page(@Param("limit") int limit, @Param("offset") int offset);

        @Select("SELECT COUNT(*) FROM mb_players")
        long count();

        @Select("SELECT COUNT(*) FROM mb_matches")
        long matchCount();

        @Select("SELECT player_id, COUNT(*) AS n, SUM(points) AS total, MAX(points) AS best FROM mb_matches "
                + "GROUP BY player_id HAVING COUNT(*) > 1 ORDER BY total DESC, player_id")
        List<Map<String, Object>> report();

        @Select("SELECT p.name, m.points FROM mb_players p JOIN mb_matches m ON m.player_id = p.player_id "
                + "WHERE p.player_id = #{id} ORDER BY m.points")
        List<Map<String, Object>> join1(long id);

        @Select("SELECT p.name, SUM(m.points) AS total FROM mb_players p JOIN mb_matches m ON m.player_id = p.player_id "
                + "GROUP BY p.name ORDER BY total DESC, p.name LIMIT 4")
        List<Map<String, Object>> joinAll();

        @Select("SELECT player_id, RANK() OVER (ORDER BY score) AS r FROM mb_players")
        List<Map<String, Object>> ranked();
    }

    static SqlSessionFactory factory(DataSource ds, Matrix m) {
        Configuration cfg = new Configuration(new Environment("matrix", new JdbcTransactionFactory(), ds));
        cfg.setDatabaseId(m.db);
        cfg.addMapper(Mapper.class);
        return new SqlSessionFactoryBuilder().build(cfg);
    }

    static Map<String, Object> run(DataSource ds, Matrix m, boolean sharded) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        SqlSessionFactory f = factory(ds, m);
        try (SqlSession s = f.openSession(true)) {
            Mapper mp = s.getMapper(Mapper.class);
            // schema
            mp.ddl("DROP TABLE IF EXISTS mb_matches");
            mp.ddl("DROP TABLE IF EXISTS mb_players");
            mp.ddl("CREATE TABLE mb_players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), score INT)");
            mp.ddl("CREATE TABLE mb_matches (" + m.identity("match_id") + ", player_id BIGINT NOT NULL, points INT)");
            // CRUD by key
            for (long id = 1; id <= 12; id++) {
                Player p = new Player();
                p.id = id;
                p.name = "p" + id;
                p.score = Matrix.score(id);
                mp.insertPlayer(p);
            }
            out.put("read", String.valueOf(mp.find(5)));
            out.put("update", mp.bump(5));
            out.put("delete", mp.delete(12));
            out.put("afterCrud", mp.find(5) + "/" + mp.find(12));
        }

        // per-player transaction; a savepoint set before the first statement
        try (SqlSession s = f.openSession(false)) {
            Mapper mp = s.getMapper(Mapper.class);
            Connection c = s.getConnection();
            Savepoint sp = c.setSavepoint();
            mp.setScore(3, 200);
            c.rollback(sp);
            mp.setScore(3, 100);
            Savepoint sp2 = c.setSavepoint("second");
            mp.bump(3);
            c.releaseSavepoint(sp2);
            s.commit();
        }
        try (SqlSession s = f.openSession(true)) {
            out.put("tx", String.valueOf(s.getMapper(Mapper.class).find(3)));
        }

        // generated keys: single (useGeneratedKeys), @SelectKey with the connection-state function,
        // a multi-row foreach insert split over shards, and the BATCH executor
        List<Match> all = new ArrayList<>();
        try (SqlSession s = f.openSession(true)) {
            Mapper mp = s.getMapper(Mapper.class);
            for (long id = 1; id <= 3; id++) {
                Match one = new Match(id, (int) id * 3);
                mp.insertMatch(one);
                all.add(one);
                Match two = new Match(id, (int) id * 3 + 1);
                mp.insertMatchSelectKey(two);
                all.add(two);
            }
            List<Match> multi = new ArrayList<>();
            for (long id = 4; id <= 7; id++) {
                multi.add(new Match(id, (int) id * 3));
                multi.add(new Match(id, (int) id * 3 + 1));
            }
            assertThat(mp.insertMatches(multi)).isEqualTo(8);
            if (!m.db.equals("sqlite")) { // sqlite-jdbc answers only the last rowid of a multi-row INSERT
                all.addAll(multi);
            }
        }
        // BATCH executor: in a transaction one player's rows (a transaction writes to one shard), in
        // autocommit rows of many players (each shard's part commits on its own)
        for (boolean autoCommit : new boolean[] {false, true}) {
            try (SqlSession s = f.openSession(ExecutorType.BATCH, autoCommit)) {
                Mapper mp = s.getMapper(Mapper.class);
                List<Match> batch = new ArrayList<>();
                for (long id = autoCommit ? 9 : 8; id <= (autoCommit ? 11 : 8); id++) {
                    for (int j = 0; j < 2; j++) {
                        Match x = new Match(id, (int) id * 3 + j);
                        mp.insertMatch(x);
                        batch.add(x);
                    }
                }
                s.flushStatements();
                s.commit();
                if (sharded || !m.db.equals("sqlite")) { // sqlite-jdbc itself returns no keys after executeBatch
                    all.addAll(batch);
                }
            }
        }
        try (SqlSession s = f.openSession(true)) {
            Mapper mp = s.getMapper(Mapper.class);
            for (Match x : all) {
                assertThat(x.matchId).as("key of %s/%s", x.playerId, x.points).isNotNull();
                assertThat(mp.pointsOf(x.playerId, x.matchId)).as("row of key %s", x.matchId).isEqualTo(x.points);
            }
            out.put("matchRows", mp.matchCount());
            // paged list, count, report, joins
            out.put("page", String.valueOf(mp.page(4, 3)));
            out.put("count", mp.count());
            out.put("report", SpringJdbcClient.normalize(Map.of("r", mp.report())).get("r"));
            out.put("join1", SpringJdbcClient.normalize(Map.of("r", mp.join1(4))).get("r"));
            out.put("joinAll", SpringJdbcClient.normalize(Map.of("r", mp.joinAll())).get("r"));
            if (sharded) {
                assertThatThrownBy(mp::ranked).satisfies(e -> Matrix.assertRefused(e, "window"));
            }
        }
        return SpringJdbcClient.normalize(out);
    }
}
