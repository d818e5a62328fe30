package io.shardkit.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.archive.ArchiveListener.Step;
import io.shardkit.pool.AdminConnections;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The archiver on SQLite files: one writable hot shard and two read-only archive shards, checked by
 * reading every shard directly ({@link io.shardkit.pool.AdminConnections}), behind shardkit's back.
 *
 * <p>Row {@code i} of {@link #ROWS} was created {@code (i * 37) % 180} days before {@link #NOW}, so old
 * and new rows interleave in id order, and the ids that must move are known in advance.
 */
class ArchiverTest {
    static final Instant NOW = Instant.parse("2025-06-01T00:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    static final int ROWS = 200;
    static final List<String> ARCHIVES = List.of("a0", "a1");

    @TempDir Path dir;
    ShardedDataSource ds;

    @AfterEach
    void close() {
        if (ds != null) {
            for (String s : ds.shardNames()) {
                assertThat(ds.activeConnections(s)).as("active connections of " + s).isZero();
            }
            ds.close();
        }
    }

    // ---- the map, the schema, the rows ----

    /** A map with {@code events} tiered by {@code archive} (YAML, indented under archive:). */
    ShardedDataSource open(String archive) throws SQLException {
        String yaml = """
                shards:
                  - name: hot
                    url: jdbc:sqlite:%1$s/hot.db
                    create: true
                  - name: a0
                    url: jdbc:sqlite:%1$s/a0.db
                    readOnly: true
                    create: true
                    tier: archive
                  - name: a1
                    url: jdbc:sqlite:%1$s/a1.db
                    readOnly: true
                    create: true
                    tier: archive
                tables:
                  events:
                    key: id
                    strategy: {type: mod, shards: [hot]}
                    archive:
                %2$s
                  plain:
                    key: id
                    strategy: {type: mod, shards: [hot]}
                  nocutoff:
                    key: id
                    strategy: {type: mod, shards: [hot]}
                    archive: {shards: [a1], id: id}
                """.formatted(dir, archive.strip().indent(6).stripTrailing());
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        for (String shard : List.of("hot", "a0", "a1")) {
            try (Connection c = ds.unwrap(AdminConnections.class).open(shard); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, name TEXT, "
                        + "amount REAL, payload BLOB)");
            }
        }
        return ds;
    }

    static Instant created(long id) {
        return NOW.minus(Duration.ofDays((id * 37) % 180));
    }

    /** Rows 1..n into hot; returns id → row as text, the reference every check compares with. */
    Map<Long, String> load(int n) throws SQLException {
        try (Connection c = ds.unwrap(AdminConnections.class).open("hot")) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO events (id, created_at, name, amount, payload) VALUES (?, ?, ?, ?, ?)")) {
                for (long id = 1; id <= n; id++) {
                    ps.setLong(1, id);
                    ps.setString(2, TEXT.format(created(id)));
                    ps.setString(3, "event " + id);
                    if (id % 5 == 0) {
                        ps.setNull(4, Types.REAL);
                    } else {
                        ps.setDouble(4, id * 1.25);
                    }
                    ps.setBytes(5, new byte[] {(byte) id, (byte) (id >> 8), 0, -1});
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        return rows("hot");
    }

    /** id → row as text, read straight from one shard. */
    Map<Long, String> rows(String shard) throws SQLException {
        Map<Long, String> out = new TreeMap<>();
        try (Connection c = ds.unwrap(AdminConnections.class).open(shard); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, created_at, name, amount, payload FROM events")) {
            while (rs.next()) {
                String row = rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getObject(4) + "|"
                        + Arrays.toString(rs.getBytes(5));
                assertThat(out.put(rs.getLong(1), row)).as("id %d twice on %s", rs.getLong(1), shard).isNull();
            }
        }
        return out;
    }

    Map<Long, String> archived() throws SQLException {
        Map<Long, String> out = new TreeMap<>();
        for (String a : ARCHIVES) {
            for (Map.Entry<Long, String> e : rows(a).entrySet()) {
                assertThat(out.put(e.getKey(), e.getValue())).as("id %d on two archive shards", e.getKey()).isNull();
            }
        }
        return out;
    }

    /** Hot and archive as a reader sees them: by id, the hot copy winning. */
    Map<Long, String> union() throws SQLException {
        Map<Long, String> out = archived();
        out.putAll(rows("hot"));
        return out;
    }

    static Set<Long> idsWhere(Map<Long, String> rows, LongPredicate old) {
        Set<Long> out = new HashSet<>();
        for (long id : rows.keySet()) {
            if (old.test(id)) {
                out.add(id);
            }
        }
        return out;
    }

    /** Every row of {@code original} exactly once: old ones in the archive only, the rest in hot only. */
    void assertSettled(Map<Long, String> original, Set<Long> old) throws SQLException {
        Map<Long, String> hot = rows("hot");
        Map<Long, String> archive = archived();
        assertThat(archive.keySet()).containsExactlyInAnyOrderElementsOf(old);
        assertThat(hot.keySet()).doesNotContainAnyElementsOf(old);
        assertThat(hot.size() + archive.size()).isEqualTo(original.size());
        assertThat(union()).isEqualTo(original);
    }

    Archiver archiver() throws SQLException {
        return Archiver.of(ds, "events").clock(CLOCK);
    }

    static final String AGE = "{shards: [a0], id: id, cutoff: {column: created_at, age: 90d}}";

    // ---- which rows move ----

    @Test
    void ageMovesExactlyTheRowsOlderThanTheCutoff() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);
        assertThat(idsWhere(original, id -> (id * 37) % 180 == 90)).as("rows exactly at the cutoff").isNotEmpty();

        ArchiveReport report = archiver().run();

        assertThat(report.rowsFound()).isEqualTo(old.size());
        assertThat(report.rowsMoved()).isEqualTo(old.size());
        assertThat(report.rowsLeftHot()).isZero();
        assertThat(report.batches()).isEqualTo(1);
        assertThat(report.dryRun()).isFalse();
        assertSettled(original, old);
        assertThat(rows("a1")).isEmpty();
    }

    @Test
    void beforeMovesRowsBeforeTheDate() throws SQLException {
        open("{shards: [a0], id: id, cutoff: {column: created_at, before: '2025-03-01'}}");
        Map<Long, String> original = load(ROWS);
        Instant boundary = Instant.parse("2025-03-01T00:00:00Z");
        Set<Long> old = idsWhere(original, id -> created(id).isBefore(boundary));

        ArchiveReport report = Archiver.of(ds, "events").run();

        assertThat(report.rowsMoved()).isEqualTo(old.size()).isPositive();
        assertSettled(original, old);
    }

    @Test
    void belowMovesIdsUnderTheWatermark() throws SQLException {
        open("{shards: [a0], id: id, cutoff: {column: id, below: 150}}");
        Map<Long, String> original = load(ROWS);

        ArchiveReport report = Archiver.of(ds, "events").batchSize(40).run();

        assertThat(report.rowsMoved()).isEqualTo(149);
        assertThat(report.batches()).isEqualTo(4);
        assertSettled(original, idsWhere(original, id -> id < 150));
    }

    @Test
    void movesInBatchesInIdOrderAndReportsProgress() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);
        List<List<Object>> selected = new ArrayList<>();
        List<ArchiveProgress> progress = new ArrayList<>();
        ArchiveListener listener = new ArchiveListener() {
            @Override
            public void afterStep(Step step, String hotShard, List<Object> ids) {
                assertThat(hotShard).isEqualTo("hot");
                if (step == Step.SELECTED) {
                    selected.add(List.copyOf(ids));
                }
            }

            @Override
            public void progress(ArchiveProgress p) {
                progress.add(p);
            }
        };

        ArchiveReport report = archiver().batchSize(7).listener(listener).run();

        int batches = (old.size() + 6) / 7;
        assertThat(report.batches()).isEqualTo(batches);
        assertThat(selected).hasSize(batches);
        List<Long> order = new ArrayList<>();
        for (List<Object> ids : selected) {
            assertThat(ids.size()).isBetween(1, 7);
            for (Object id : ids) {
                order.add(((Number) id).longValue());
            }
        }
        assertThat(order).isSorted().containsExactlyInAnyOrderElementsOf(old);
        assertThat(progress).hasSize(batches);
        ArchiveProgress last = progress.get(batches - 1);
        assertThat(last.rowsMoved()).isEqualTo(old.size());
        assertThat(last.rowsFound()).isEqualTo(old.size());
        assertThat(last.eta()).contains(Duration.ZERO);
        assertThat(progress.get(0).rowsMoved()).isEqualTo(7);
        assertThat(progress.get(0).eta()).isPresent();
        assertSettled(original, old);
    }

    @Test
    void batchesLargerThanOneInListAreChunked() throws SQLException {
        open("{shards: [a0], id: id, cutoff: {column: id, below: 1500}}");
        Map<Long, String> original = load(1600);

        ArchiveReport report = Archiver.of(ds, "events").batchSize(1200).run();

        assertThat(report.batches()).isEqualTo(2);
        assertSettled(original, idsWhere(original, id -> id < 1500));
    }

    @Test
    void dryRunCountsAndWritesNothing() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);
        List<Step> steps = new ArrayList<>();

        ArchiveReport report = archiver().dryRun(true).listener(new ArchiveListener() {
            @Override
            public void afterStep(Step step, String hotShard, List<Object> ids) {
                steps.add(step);
            }
        }).run();

        assertThat(report.dryRun()).isTrue();
        assertThat(report.rowsFound()).isEqualTo(old.size());
        assertThat(report.rowsMoved()).isZero();
        assertThat(report.batches()).isZero();
        assertThat(steps).isEmpty();
        assertThat(rows("hot")).isEqualTo(original);
        assertThat(archived()).isEmpty();
    }

    @Test
    void runningAgainIsANoOp() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);
        archiver().batchSize(16).run();

        ArchiveReport again = archiver().batchSize(16).run();

        assertThat(again.rowsFound()).isZero();
        assertThat(again.rowsMoved()).isZero();
        assertThat(again.batches()).isZero();
        assertSettled(original, old);
    }

    @Test
    void placementSplitsTheArchiveByYear() throws SQLException {
        open("""
                shards: [a0, a1]
                id: id
                cutoff: {column: created_at, before: '2025-04-01'}
                placement:
                  column: created_at
                  strategy: {type: range, bounds: ['2025-01-01'], shards: [a0, a1]}
                """);
        Map<Long, String> original = load(ROWS);
        Instant newYear = Instant.parse("2025-01-01T00:00:00Z");
        Instant april = Instant.parse("2025-04-01T00:00:00Z");
        Set<Long> in2024 = idsWhere(original, id -> created(id).isBefore(newYear));
        Set<Long> in2025 = idsWhere(original, id -> !created(id).isBefore(newYear) && created(id).isBefore(april));
        assertThat(in2024).isNotEmpty();
        assertThat(in2025).isNotEmpty();

        Archiver.of(ds, "events").batchSize(10).run();

        assertThat(rows("a0").keySet()).containsExactlyInAnyOrderElementsOf(in2024);
        assertThat(rows("a1").keySet()).containsExactlyInAnyOrderElementsOf(in2025);
        Set<Long> old = new HashSet<>(in2024);
        old.addAll(in2025);
        assertSettled(original, old);
    }

    // ---- failures ----

    @Test
    void aCopyThatDoesNotReadBackStopsBeforeDeleting() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);
        Object[] tampered = new Object[1];
        ArchiveListener tamper = new ArchiveListener() {
            @Override
            public void afterStep(Step step, String hotShard, List<Object> ids) throws SQLException {
                if (step == Step.COPIED && tampered[0] == null) {
                    tampered[0] = ids.get(3);
                    try (Connection c = ds.unwrap(AdminConnections.class).open("a0");
                            PreparedStatement ps = c.prepareStatement("UPDATE events SET amount = -1 WHERE id = ?")) {
                        ps.setObject(1, tampered[0]);
                        assertThat(ps.executeUpdate()).isEqualTo(1);
                    }
                }
            }
        };

        assertThatThrownBy(() -> archiver().batchSize(20).listener(tamper).run())
                .isInstanceOf(ShardException.class)
                .hasMessage("archive of events: verify failed for batch 1 of hot shard hot (id " + firstTwenty(old)
                        + ") on archive shard a0: 20 rows copied, 20 read back, row id = " + tampered[0]
                        + " differs; nothing was deleted from hot. Running the archiver again copies the batch "
                        + "again; if this repeats, compare the columns of events on hot and a0")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(Archiver.VERIFY_FAILED))
                .satisfies(e -> assertThat(((ShardException) e).shard()).isEqualTo("a0"));
        assertThat(rows("hot")).isEqualTo(original);

        archiver().run();
        assertSettled(original, old);
    }

    /** "first..last" of the first 20 old ids, as the verify message names the batch. */
    static String firstTwenty(Set<Long> old) {
        List<Long> sorted = new ArrayList<>(old);
        Collections.sort(sorted);
        return sorted.get(0) + ".." + sorted.get(19);
    }

    static final class Crash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Crash(String message) {
            super(message);
        }
    }

    /** Throws after {@code step} of the second batch, as a crash there would stop the run. */
    static ArchiveListener crashAt(Step step) {
        return new ArchiveListener() {
            int batch;

            @Override
            public void afterStep(Step s, String hotShard, List<Object> ids) {
                if (s == Step.SELECTED) {
                    batch++;
                }
                if (s == step && batch == 2) {
                    throw new Crash("crash after " + step + " of batch 2");
                }
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Step.class)
    void aCrashAtAnyStepLosesNothingAndARerunFinishes(Step step) throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);

        assertThatThrownBy(() -> archiver().batchSize(10).listener(crashAt(step)).run())
                .isInstanceOf(Crash.class).hasMessage("crash after " + step + " of batch 2");

        assertThat(union()).as("hot ∪ archive, hot winning, after a crash at " + step).isEqualTo(original);
        Map<Long, String> archive = archived();
        for (Map.Entry<Long, String> e : archive.entrySet()) {
            assertThat(old).contains(e.getKey());
            assertThat(e.getValue()).isEqualTo(original.get(e.getKey()));
        }
        int done = step == Step.DELETED ? 20 : 10;
        assertThat(old.size() - idsWhere(rows("hot"), old::contains).size()).isEqualTo(done);

        ArchiveReport rerun = archiver().batchSize(10).run();

        assertThat(rerun.rowsMoved()).isEqualTo(old.size() - done);
        assertSettled(original, old);
    }

    @Test
    void aRowChangedInHotWhileArchivedStaysHotAndLosesItsCopy() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        Set<Long> old = idsWhere(original, id -> (id * 37) % 180 > 90);
        long[] changed = new long[2];
        ArchiveListener app = new ArchiveListener() {
            @Override
            public void afterStep(Step step, String hotShard, List<Object> ids) throws SQLException {
                if (step != Step.VERIFIED || changed[0] != 0) {
                    return;
                }
                changed[0] = ((Number) ids.get(0)).longValue();
                changed[1] = ((Number) ids.get(1)).longValue();
                try (Connection c = ds.connectionTo("hot"); Statement st = c.createStatement()) {
                    st.executeUpdate("UPDATE events SET name = 'updated' WHERE id = " + changed[0]);
                    st.executeUpdate("DELETE FROM events WHERE id = " + changed[1]);
                }
            }
        };

        ArchiveReport report = archiver().batchSize(10).listener(app).run();

        assertThat(report.rowsLeftHot()).isEqualTo(2);
        assertThat(report.rowsMoved()).isEqualTo(old.size() - 2);
        assertThat(archived()).doesNotContainKeys(changed[0], changed[1]);
        assertThat(rows("hot")).doesNotContainKey(changed[1]);
        assertThat(rows("hot").get(changed[0])).contains("|updated|");

        archiver().run();
        Map<Long, String> expected = new HashMap<>(original);
        expected.put(changed[0], original.get(changed[0]).replace("|event " + changed[0] + "|", "|updated|"));
        expected.remove(changed[1]);
        old.remove(changed[1]);
        assertThat(union()).isEqualTo(expected);
        assertThat(archived().keySet()).containsExactlyInAnyOrderElementsOf(old);
    }

    @Test
    void aNumberInASqliteTimeCutoffColumnIsRefused() throws SQLException {
        open(AGE);
        load(20);
        try (Connection c = ds.unwrap(AdminConnections.class).open("hot"); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO events (id, created_at, name) VALUES (1000, 1717200000, 'epoch seconds')");
        }

        assertThatThrownBy(() -> archiver().run())
                .isInstanceOf(ShardException.class)
                .hasMessage("cannot archive events: row id = 1000 on hot has created_at = 1717200000 (String), not "
                        + "date text; on SQLite a time cutoff compares the column with the text 'yyyy-MM-dd HH:mm:ss', "
                        + "which orders only date text correctly (numbers, or numbers stored as text, would look old). "
                        + "Store dates as text in that form, or use a below: cutoff for numbers")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(Archiver.NOT_TEXT_DATE));
        assertThat(rows("hot")).containsKey(1000L);
        assertThat(archived()).doesNotContainKey(1000L);
    }

    @Test
    void aTableThatCannotBeArchivedIsRefusedByName() throws SQLException {
        open(AGE);
        assertThatThrownBy(() -> Archiver.of(ds, "plain"))
                .hasMessage("cannot archive plain: it has no archive tier (add archive: {shards: [...], cutoff: {...}} "
                        + "under tables.plain in the shard map)")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(Archiver.NOT_ARCHIVABLE));
        assertThatThrownBy(() -> Archiver.of(ds, "nocutoff"))
                .hasMessage("cannot archive nocutoff: its archive has no cutoff, so no column tells archive rows from "
                        + "hot rows (add cutoff: {column: ..., age|before|below: ...} under tables.nocutoff.archive)")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(Archiver.NOT_ARCHIVABLE));
        assertThatThrownBy(() -> Archiver.of(ds, "Nowhere"))
                .hasMessage("cannot archive nowhere: the shard map has no table nowhere")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(Archiver.NOT_ARCHIVABLE));
        assertThatThrownBy(() -> archiver().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("batch size must be at least 1, got 0");
    }

    // ---- through shardkit ----

    /** Needs tiered reads in the router: a key-less SELECT reads hot and archive, the hot copy winning. */
    @Test
    void readsThroughShardkitSeeEveryRowOnce() throws SQLException {
        open(AGE);
        Map<Long, String> original = load(ROWS);
        assertThatThrownBy(() -> archiver().batchSize(10).listener(crashAt(Step.COPIED)).run()).isInstanceOf(Crash.class);
        assertThat(idsThroughShardkit()).as("after a crash: batch 2 in both tiers").isEqualTo(sorted(original.keySet()));

        archiver().run();
        assertThat(idsThroughShardkit()).as("after a completed run").isEqualTo(sorted(original.keySet()));
    }

    List<Long> idsThroughShardkit() throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id FROM events")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        Collections.sort(ids);
        return ids;
    }

    static List<Long> sorted(Set<Long> ids) {
        List<Long> out = new ArrayList<>(ids);
        Collections.sort(out);
        return out;
    }
}
