package io.shardkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.examples.HotArchive.Options;
import io.shardkit.examples.HotArchive.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the example small, then reads hot.db and archive.db directly (not through shardkit) and
 * checks the move, the lookup, the range read and the refusal against them.
 */
class HotArchiveTest {
    static final int ORDERS = 300;
    static final int BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void archivesOldOrdersFindsThemByIdReadsBothTiersAndRefusesTheirUpdate() throws Exception {
        Instant before = Instant.now();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Summary s = HotArchive.run(new Options(dir, ORDERS, BATCH, 42), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        Instant after = Instant.now();

        Map<Long, String> hot = rows("hot.db");
        Map<Long, String> archive = rows("archive.db");
        Set<Long> all = new HashSet<>(hot.keySet());
        all.addAll(archive.keySet());
        assertThat(all).as("every order in exactly one tier").hasSize(ORDERS).hasSize(hot.size() + archive.size());
        assertThat(s.hotRows()).isEqualTo(hot.size());
        assertThat(s.archiveRows()).isEqualTo(archive.size());
        assertThat(s.report().rowsMoved()).isEqualTo(archive.size());
        assertThat(s.report().batches()).isEqualTo((archive.size() + BATCH - 1) / BATCH);
        // the 90-day cutoff split the rows (dates in SQLite's text form compare as text)
        String oldest = HotArchive.SQLITE_TIME.format(before.minus(Duration.ofDays(90)));
        String newest = HotArchive.SQLITE_TIME.format(after.minus(Duration.ofDays(90)));
        assertThat(archive.values()).isNotEmpty().allSatisfy(r -> assertThat(created(r)).isLessThan(newest));
        assertThat(hot.values()).isNotEmpty().allSatisfy(r -> assertThat(created(r)).isGreaterThanOrEqualTo(oldest));

        assertThat(archive).containsKey(s.lookupId());
        assertThat(s.lookupRow()).isEqualTo(s.lookupId() + "|" + archive.get(s.lookupId()));
        assertThat(s.lookupPlan()).contains("FirstHit hot → archive", "Route archive:");

        assertThat(s.rangeIds()).containsExactlyElementsOf(LongStream.rangeClosed(1, HotArchive.RANGE).boxed().toList());
        long archivedInRange = s.rangeIds().stream().filter(archive::containsKey).count();
        assertThat(s.rangeArchived()).isEqualTo(archivedInRange).isBetween(1, HotArchive.RANGE - 1);

        assertThat(s.hotUpdated()).isEqualTo(1);
        assertThat(s.refusedState()).isEqualTo("25006");
        assertThat(s.refusedMessage()).contains("read-only archive shard archive");
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("batch 1: " + BATCH + " of " + archive.size() + " rows moved",
                "UPDATE of archived order " + s.lookupId() + " refused, SQLState 25006");
    }

    /** id → customer|amount|created_at, read straight from one file. */
    private Map<Long, String> rows(String file) throws Exception {
        Map<Long, String> rows = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT order_id, customer, amount_cents, created_at FROM orders")) {
            while (rs.next()) {
                rows.put(rs.getLong(1), rs.getString(2) + "|" + rs.getInt(3) + "|" + rs.getString(4));
            }
        }
        return rows;
    }

    private static String created(String row) {
        return row.substring(row.lastIndexOf('|') + 1);
    }
}
