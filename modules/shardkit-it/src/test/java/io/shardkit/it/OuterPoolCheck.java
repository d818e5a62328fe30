package io.shardkit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12, bug 7 through Spring: an outer HikariCP pool of eight connections over shardkit, whose
 * shards pool four each, used by eight threads through {@link JdbcTemplate}. Each logical connection
 * used to keep every shard connection it had touched while it sat idle in the outer pool, so the
 * fifth logical connection to reach a shard waited for the shard pool's timeout.
 */
final class OuterPoolCheck {
    static final int THREADS = 8;
    static final int ROWS_PER_THREAD = 25;

    private OuterPoolCheck() {
    }

    /** Runs the load; returns the rows counted through the outer pool at the end. */
    static long run(DataSource shardkit) throws Exception {
        JdbcTemplate setup = new JdbcTemplate(shardkit);
        setup.execute("DROP TABLE IF EXISTS sp_notes");
        setup.execute("CREATE TABLE sp_notes (note_id BIGINT PRIMARY KEY, player_id BIGINT, body VARCHAR(20))");
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(shardkit);
        cfg.setPoolName("outer");
        cfg.setMaximumPoolSize(THREADS);
        cfg.setMinimumIdle(THREADS);
        cfg.setConnectionTimeout(60_000);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try (HikariDataSource outer = new HikariDataSource(cfg)) {
            JdbcTemplate jt = new JdbcTemplate(outer);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < ROWS_PER_THREAD; i++) {
                        long id = thread * 1000L + i;
                        long player = id % 13;
                        jt.update("INSERT INTO sp_notes (note_id, player_id, body) VALUES (?, ?, ?)", id, player, "t" + thread);
                        String body = jt.queryForObject("SELECT body FROM sp_notes WHERE player_id = ? AND note_id = ?",
                                String.class, player, id);
                        assertThat(body).isEqualTo("t" + thread);
                        jt.queryForObject("SELECT COUNT(*) FROM sp_notes", Long.class);
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(120, TimeUnit.SECONDS);
            }
            return jt.queryForObject("SELECT COUNT(*) FROM sp_notes", Long.class);
        } finally {
            threads.shutdownNow();
        }
    }
}
