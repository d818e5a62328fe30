package io.shardkit.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveListener;
import io.shardkit.archive.ArchiveListener.Step;
import io.shardkit.archive.ArchiveReport;
import io.shardkit.archive.Archiver;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The archiver on real servers with a {@code TIMESTAMP created_at}: s0 is hot, s1 (2025 on) and s2
 * (before 2025) are read-only yearly archives. Rows older than 90 days (by a fixed clock) move,
 * are verified and deleted from hot; a crash after the copy of the second batch loses nothing and
 * a second run finishes. Every check reads the shards directly, behind shardkit's back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchiverContract {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final LocalDateTime NEW_YEAR = LocalDateTime.parse("2025-01-01T00:00:00");
    static final int ROWS = 120;

    ShardSet shards;
    ShardedDataSource ds;
    TimeZone zone;
    Map<Long, String> original;
    Set<Long> old;

    /** The DDL of the events table in this dialect, with a TIMESTAMP created_at. */
    abstract String createEvents();

    @BeforeAll
    void open(ShardSet shards) throws Exception {
        // East of UTC, a boundary bound in the JVM's zone instead of UTC would be 9 hours late and
        // move row 90, created 90 seconds after it: this makes the UTC binding testable.
        zone = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
        this.shards = shards;
        StringBuilder yaml = new StringBuilder(shards.yamlShards(Set.of("s1", "s2")));
        yaml.append("""
                tables:
                  events:
                    key: id
                    strategy: {type: mod, shards: [s0]}
                    archive:
                      shards: [s1, s2]
                      id: id
                      cutoff: {column: created_at, age: 90d}
                      placement:
                        column: created_at
                        strategy: {type: range, bounds: ['2025-01-01'], shards: [s2, s1]}
                """);
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @AfterAll
    void close() {
        TimeZone.setDefault(zone);
        if (ds != null) {
            ds.close();
        }
    }

    static LocalDateTime created(long id) {
        return LocalDateTime.ofInstant(NOW.minus(Duration.ofDays((id * 37) % 180)).plusSeconds(id), ZoneOffset.UTC);
    }

    @BeforeEach
    void seed() throws SQLException {
        for (int i = 0; i < 3; i++) {
            try (Connection c = shards.open(i); Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS events");
                st.execute(createEvents());
            }
        }
        try (Connection c = shards.open(0); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (id, created_at, name, amount, payload) VALUES (?, ?, ?, ?, ?)")) {
            for (long id = 1; id <= ROWS; id++) {
                ps.setLong(1, id);
                ps.setObject(2, created(id));
                ps.setString(3, id % 7 == 0 ? null : "event " + id);
                ps.setBigDecimal(4, BigDecimal.valueOf(id * 125, 2));
                ps.setBytes(5, new byte[] {(byte) id, 0, -1});
                ps.addBatch();
            }
            ps.executeBatch();
        }
        original = rows(0);
        assertThat(original).hasSize(ROWS);
        old = new HashSet<>();
        for (long id = 1; id <= ROWS; id++) {
            if ((id * 37) % 180 > 90) {
                old.add(id);
            }
        }
    }

    @AfterEach
    void noLeak() {
        for (String s : ds.shardNames()) {
            assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
        }
    }

    /** id → row as text, read straight from shard i. */
    Map<Long, String> rows(int shard) throws SQLException {
        Map<Long, String> out = new TreeMap<>();
        try (Connection c = shards.open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, created_at, name, amount, payload FROM events")) {
            while (rs.next()) {
                String row = rs.getTimestamp(2).toLocalDateTime() + "|" + rs.getString(3) + "|"
                        + rs.getBigDecimal(4).toPlainString() + "|" + Arrays.toString(rs.getBytes(5));
                assertThat(out.put(rs.getLong(1), row)).as("id %d twice on s%d", rs.getLong(1), shard).isNull();
            }
        }
        return out;
    }

    Map<Long, String> union() throws SQLException {
        Map<Long, String> out = new TreeMap<>(rows(2));
        for (Map.Entry<Long, String> e : rows(1).entrySet()) {
            assertThat(out.put(e.getKey(), e.getValue())).as("id %d in both archives", e.getKey()).isNull();
        }
        out.putAll(rows(0));
        return out;
    }

    void assertSettled() throws SQLException {
        Set<Long> in2024 = new HashSet<>();
        Set<Long> in2025 = new HashSet<>();
        for (long id : old) {
            (created(id).isBefore(NEW_YEAR) ? in2024 : in2025).add(id);
        }
        assertThat(in2024).isNotEmpty();
        assertThat(in2025).isNotEmpty();
        assertThat(rows(2).keySet()).containsExactlyInAnyOrderElementsOf(in2024);
        assertThat(rows(1).keySet()).containsExactlyInAnyOrderElementsOf(in2025);
        assertThat(rows(0).keySet()).doesNotContainAnyElementsOf(old).hasSize(ROWS - old.size());
        assertThat(union()).isEqualTo(original);
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM events")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        assertThat(ids).as("ids read through shardkit").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(original.keySet());
    }

    @Test
    void movesRowsOlderThanNinetyDaysVerifiesAndDeletes() throws SQLException {
        ArchiveReport report = Archiver.of(ds, "events").clock(CLOCK).batchSize(10).run();

        assertThat(report.rowsFound()).isEqualTo(old.size());
        assertThat(report.rowsMoved()).isEqualTo(old.size());
        assertThat(report.batches()).isEqualTo((old.size() + 9) / 10);
        assertSettled();
        assertThat(Archiver.of(ds, "events").clock(CLOCK).run().rowsMoved()).as("a second run").isZero();
    }

    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash() {
            super("crash after COPIED of batch 2");
        }
    }

    @Test
    void aCrashAfterTheCopyLosesNothingAndARerunFinishes() throws SQLException {
        ArchiveListener crash = new ArchiveListener() {
            int batch;

            @Override
            public void afterStep(Step step, String hotShard, List<Object> ids) {
                if (step == Step.SELECTED) {
                    batch++;
                }
                if (step == Step.COPIED && batch == 2) {
                    throw new Crash();
                }
            }
        };
        assertThatThrownBy(() -> Archiver.of(ds, "events").clock(CLOCK).batchSize(10).listener(crash).run())
                .isInstanceOf(Crash.class);

        assertThat(union()).isEqualTo(original);
        int inBoth = 0;
        Map<Long, String> hot = rows(0);
        for (int a = 1; a <= 2; a++) {
            for (Map.Entry<Long, String> e : rows(a).entrySet()) {
                assertThat(e.getValue()).isEqualTo(original.get(e.getKey()));
                inBoth += hot.containsKey(e.getKey()) ? 1 : 0;
            }
        }
        assertThat(inBoth).as("batch 2, copied but not deleted").isEqualTo(10);

        ArchiveReport rerun = Archiver.of(ds, "events").clock(CLOCK).batchSize(10).run();

        assertThat(rerun.rowsMoved()).isEqualTo(old.size() - 10);
        assertSettled();
    }
}
