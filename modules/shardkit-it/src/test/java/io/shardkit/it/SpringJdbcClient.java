package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.CallableStatementCallback;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.core.simple.SimpleJdbcInsert;
import org.springframework.jdbc.datasource.ConnectionProxy;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Spring JDBC 6.2: JdbcTemplate, NamedParameterJdbcTemplate, JdbcClient, TransactionTemplate with NESTED. */
final class SpringJdbcClient {
    private SpringJdbcClient() {
    }

    static Map<String, Object> run(DataSource ds, Matrix m, boolean sharded) {
        Map<String, Object> out = new LinkedHashMap<>();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(jdbc);
        JdbcClient client = JdbcClient.create(ds);

        // schema (DDL broadcast to every shard, autocommit)
        for (String t : List.of("sp_matches", "sp_players", "sp_items")) {
            jdbc.execute("DROP TABLE IF EXISTS " + t);
        }
        jdbc.execute("CREATE TABLE sp_players (player_id BIGINT PRIMARY KEY, name VARCHAR(40), score INT)");
        jdbc.execute("CREATE TABLE sp_matches (" + m.identity("match_id") + ", player_id BIGINT NOT NULL, points INT)");
        jdbc.execute("CREATE TABLE sp_items (item_id INT PRIMARY KEY, label VARCHAR(40))");
        jdbc.update("INSERT INTO sp_items (item_id, label) VALUES (1, 'sword'), (2, 'shield')");

        // DatabaseMetaData (what Spring's JdbcUtils and SimpleJdbcInsert read): its connection is the
        // connection asked, and table lookups describe the shards' common schema, once
        if (sharded) {
            jdbc.execute((ConnectionCallback<Void>) c -> {
                DatabaseMetaData md = c.getMetaData();
                assertThat(md.getConnection()).as("the connection asked (behind Spring's close-suppressing proxy)")
                        .isSameAs(((ConnectionProxy) c).getTargetConnection());
                int tables = 0;
                try (ResultSet rs = md.getTables(null, null, "sp_players", new String[] {"TABLE"})) {
                    while (rs.next()) {
                        tables++;
                    }
                }
                assertThat(tables).as("sp_players described once").isEqualTo(1);
                return null;
            });
        }

        // CRUD by key
        for (long id = 1; id <= 12; id++) {
            named.update("INSERT INTO sp_players (player_id, name, score) VALUES (:id, :name, :score)",
                    new MapSqlParameterSource().addValue("id", id).addValue("name", "p" + id)
                            .addValue("score", Matrix.score(id)));
        }
        out.put("read", client.sql("SELECT name, score FROM sp_players WHERE player_id = :id").param("id", 5L)
                .query((rs, n) -> rs.getString(1) + ":" + rs.getInt(2)).single());
        // prepareCall with plain SQL (what Liquibase and JdbcTemplate.call users send) routes like a statement;
        // sqlite-jdbc itself has no prepareCall, so on SQLite only shardkit's answer is checked
        if (sharded || !m.db.equals("sqlite")) {
            String called = jdbc.execute(con -> con.prepareCall("SELECT name FROM sp_players WHERE player_id = ?"),
                    (CallableStatementCallback<String>) cs -> {
                        cs.setLong(1, 4L);
                        try (ResultSet rs = cs.executeQuery()) {
                            return rs.next() ? rs.getString(1) : null;
                        }
                    });
            assertThat(called).isEqualTo("p4");
        }
        out.put("update", client.sql("UPDATE sp_players SET score = score + 1 WHERE player_id = ?").param(5L).update());
        out.put("delete", jdbc.update("DELETE FROM sp_players WHERE player_id = ?", 12L));
        out.put("afterCrud", jdbc.queryForList("SELECT player_id, score FROM sp_players WHERE player_id IN (5, 12) ORDER BY player_id"));

        // per-player transaction with a nested savepoint (PROPAGATION_NESTED, DataSourceTransactionManager)
        DataSourceTransactionManager tm = new DataSourceTransactionManager(ds);
        TransactionTemplate outer = new TransactionTemplate(tm);
        TransactionTemplate nested = new TransactionTemplate(tm);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        outer.executeWithoutResult(s -> {
            jdbc.update("UPDATE sp_players SET score = 100 WHERE player_id = ?", 3L);
            try {
                nested.executeWithoutResult(n -> {
                    jdbc.update("UPDATE sp_players SET score = 200 WHERE player_id = ?", 3L);
                    throw new IllegalStateException("undo the nested part");
                });
            } catch (IllegalStateException expected) {
                // rolled back to the savepoint
            }
            nested.executeWithoutResult(n -> jdbc.update("UPDATE sp_players SET name = 'p3b' WHERE player_id = ?", 3L));
        });
        out.put("tx", jdbc.queryForMap("SELECT name, score FROM sp_players WHERE player_id = 3"));

        // batch insert with generated keys (batchUpdate with a KeyHolder)
        List<long[]> batch = new ArrayList<>();
        for (long id = 1; id <= 11; id++) {
            batch.add(new long[] {id, id * 3});
            batch.add(new long[] {id, id * 3 + 1});
        }
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.batchUpdate(con -> con.prepareStatement("INSERT INTO sp_matches (player_id, points) VALUES (?, ?)",
                new String[] {"match_id"}), new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        ps.setLong(1, batch.get(i)[0]);
                        ps.setLong(2, batch.get(i)[1]);
                    }

                    @Override
                    public int getBatchSize() {
                        return batch.size();
                    }
                }, keys);
        // sqlite-jdbc itself returns no keys after executeBatch; shardkit returns every key, in entry order
        if (sharded || !m.db.equals("sqlite")) {
            assertThat(keys.getKeyList()).hasSize(batch.size());
            // every key names the row of its entry (ids are unique per shard only: look up with the player)
            for (int i = 0; i < batch.size(); i++) {
                Number key = (Number) keys.getKeyList().get(i).values().iterator().next();
                Integer points = jdbc.queryForObject("SELECT points FROM sp_matches WHERE player_id = ? AND match_id = ?",
                        Integer.class, batch.get(i)[0], key.longValue());
                assertThat(points).as("row of key %s (entry %s)", key, i).isEqualTo((int) batch.get(i)[1]);
            }
        }
        out.put("batchRows", jdbc.queryForObject("SELECT COUNT(*) FROM sp_matches", Long.class));
        // a single insert's key, then the connection-state function on the same connection
        GeneratedKeyHolder one = new GeneratedKeyHolder();
        jdbc.update(con -> withParams(con.prepareStatement("INSERT INTO sp_matches (player_id, points) VALUES (?, ?)",
                Statement.RETURN_GENERATED_KEYS), 7L, 99), one);
        long key = ((Number) one.getKeyList().get(0).values().iterator().next()).longValue();
        out.put("singleKeyRow", jdbc.queryForObject("SELECT points FROM sp_matches WHERE player_id = 7 AND match_id = ?",
                Integer.class, key));

        // SimpleJdbcInsert reads the table's columns from DatabaseMetaData, then inserts and reads the key
        Number simpleKey = new SimpleJdbcInsert(jdbc).withTableName("sp_matches")
                .usingGeneratedKeyColumns("match_id").executeAndReturnKey(Map.of("player_id", 8L, "points", 77));
        out.put("simpleInsertRow", jdbc.queryForObject("SELECT points FROM sp_matches WHERE player_id = 8 AND match_id = ?",
                Integer.class, simpleKey.longValue()));

        // cross-shard paged list with ORDER BY, and a count
        out.put("page", named.queryForList("SELECT player_id, name, score FROM sp_players ORDER BY score DESC, player_id "
                + "LIMIT :n OFFSET :o", new MapSqlParameterSource().addValue("n", 4).addValue("o", 3)));
        out.put("count", jdbc.queryForObject("SELECT COUNT(*) FROM sp_players", Long.class));

        // aggregate report
        out.put("report", jdbc.queryForList("SELECT player_id, COUNT(*) AS n, SUM(points) AS total, MAX(points) AS best "
                + "FROM sp_matches GROUP BY player_id HAVING COUNT(*) > 1 ORDER BY total DESC, player_id"));
        out.put("totals", jdbc.queryForList("SELECT COUNT(*) AS n, SUM(points) AS total, MIN(points) AS low FROM sp_matches"));

        // co-located join (one player, and over all shards)
        out.put("join1", jdbc.queryForList("SELECT p.name, m.points FROM sp_players p JOIN sp_matches m "
                + "ON m.player_id = p.player_id WHERE p.player_id = ? ORDER BY m.points", 4L));
        out.put("joinAll", jdbc.queryForList("SELECT p.name, COUNT(*) AS n FROM sp_players p JOIN sp_matches m "
                + "ON m.player_id = p.player_id GROUP BY p.name ORDER BY p.name LIMIT 5"));
        out.put("broadcastJoin", client.sql("SELECT p.name, i.label FROM sp_players p JOIN sp_items i ON i.item_id = 1 "
                + "WHERE p.player_id = 2").query().listOfRows());

        // refused: a window function over a sharded table
        if (sharded) {
            assertThatThrownBy(() -> jdbc.queryForList(
                    "SELECT player_id, ROW_NUMBER() OVER (ORDER BY score) FROM sp_players"))
                    .satisfies(e -> Matrix.assertRefused(e, "window"));
        }
        return normalize(out);
    }

    private static PreparedStatement withParams(PreparedStatement ps, long player, int points) throws SQLException {
        ps.setLong(1, player);
        ps.setInt(2, points);
        return ps;
    }

    /** Column labels upper-cased and numbers as longs, so sharded and reference answers compare. */
    static Map<String, Object> normalize(Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, norm(v)));
        return out;
    }

    private static Object norm(Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> o = new LinkedHashMap<>();
            map.forEach((k, x) -> o.put(String.valueOf(k).toUpperCase(Locale.ROOT), norm(x)));
            return o;
        }
        if (v instanceof List<?> list) {
            List<Object> o = new ArrayList<>();
            list.forEach(x -> o.add(norm(x)));
            return o;
        }
        if (v instanceof BigDecimal bd) {
            return bd.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Number n) {
            return String.valueOf(n.longValue());
        }
        return v;
    }
}
