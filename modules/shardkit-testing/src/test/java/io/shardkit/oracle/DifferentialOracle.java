package io.shardkit.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.RefusedException;
import io.shardkit.ShardedDataSource;
import io.shardkit.testing.ShardSet;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The differential oracle: the same seeded rows go into four shards (through shardkit) and into
 * one reference database (directly); the same seeded SELECTs run on both, and every answer
 * shardkit gives must be the reference's answer. A refusal (0A000) is never a failure, except for
 * a query that cannot be merged exactly, which must be refused; any other error is a failure.
 *
 * <p>Every failure is collected, with the seed, the query number, the SQL, both results and the
 * plan, and the test fails once at the end with all of them. Run with
 * {@code -Dshardkit.oracle.seed=N} to try another seed; {@code -Dshardkit.oracle.queries=N} for more queries.
 *
 * <p>Two more tests run the adversarial oracle ({@link AdversarialRun}) over tables shaped like
 * issue 10's reproductions: {@value #ADVERSARIAL_SELECTS} generated SELECTs and
 * {@value #ADVERSARIAL_WRITES} writes per database, with a table of outcomes per class. Run only
 * some classes with {@code -Dshardkit.oracle.classes=selfjoin,ties} (SELECT classes in
 * {@link AdversarialSelects#CLASSES}, write classes in {@link AdversarialWrites#CLASSES}, and
 * {@code legacy} for the players/matches test above); {@code -Dshardkit.oracle.selects=N} and
 * {@code -Dshardkit.oracle.writes=N} change the counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DifferentialOracle {
    static final long DEFAULT_SEED = 20_261_121L;
    static final int QUERIES = 600;
    static final int MIN_GENERATED = 500;
    static final int MIN_ACCEPTED = 400;
    static final int MIN_ACCEPTED_MYSQL = 280;
    private static final int SHOWN_ROWS = 8;
    static final int ADVERSARIAL_ITEMS = 240;
    static final int ADVERSARIAL_WRITE_ITEMS = 60;
    static final int ADVERSARIAL_SELECTS = 2_200;
    static final int MIN_ADVERSARIAL_SELECTS = 2_000;
    static final int ADVERSARIAL_WRITES = 300;

    private final long seed = Long.getLong("shardkit.oracle.seed", DEFAULT_SEED);
    private final int count = Integer.getInteger("shardkit.oracle.queries", QUERIES);
    private ShardSet shards;
    private ShardedDataSource ds;
    private OracleData data;

    @BeforeAll
    void load(ShardSet shards) throws Exception {
        this.shards = shards;
        String yaml = shards.yamlShards() + """
                pool:
                  maximumPoolSize: 6
                  connectionTimeout: 20000
                tables:
                  players:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  matches:
                    key: player_id
                    strategy: {type: mod, shards: [s0, s1, s2, s3]}
                  regions:
                    broadcast: true
                """ + AdversarialRun.yamlTables() + """
                defaultShard: s0
                """;
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        data = OracleData.generate(seed);
        try (Connection ref = shards.openReference()) {
            data.load(ref);
        }
        try (Connection c = ds.getConnection()) {
            data.load(c);
        }
    }

    @AfterAll
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    /** What happened to one query on one side. */
    private record Outcome(Results.Rows rows, SQLException error) {
        boolean refused() {
            return error != null && (error instanceof RefusedException
                    || RefusedException.SQL_STATE.equals(error.getSQLState()));
        }
    }

    @Test
    void shardedAnswersEqualTheReference() throws Exception {
        if (!AdversarialRun.classes().isEmpty() && !AdversarialRun.classes().contains("legacy")) {
            return; // -Dshardkit.oracle.classes names other classes: this one is "legacy"
        }
        List<Query> queries = OracleQueries.generate(seed, data, shards.dialect(), count);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> refusals = new TreeMap<>();
        Map<String, int[]> shapes = new TreeMap<>();
        int accepted = 0;
        int refused = 0;
        int agreedErrors = 0;
        long started = System.nanoTime();
        try (Connection ref = shards.openReference(); Connection sharded = ds.getConnection()) {
            Equivalence text = null;
            if (shards.dialect().equals("mysql")) {
                // UNION ALL: a UNION would itself drop the pairs that differ in case only
                text = new Equivalence();
                text.learn(ref, "text", "SELECT a.name, b.name FROM players a JOIN players b ON a.name = b.name"
                        + " UNION ALL SELECT a.region, b.region FROM players a JOIN players b ON a.region = b.region"
                        + " UNION ALL SELECT a.name, b.name FROM regions a JOIN regions b ON a.name = b.name");
            }
            for (Query q : queries) {
                Outcome want = run(ref, q);
                Outcome got = run(sharded, q);
                int[] tally = shapes.computeIfAbsent(q.shape(), s -> new int[2]);
                if (got.refused()) {
                    refused++;
                    tally[1]++;
                    refusals.merge(reason(got.error()), 1, Integer::sum);
                    if (want.error() != null) {
                        failures.add(failure(q, "the reference failed (a generator bug): " + want.error(), want, got));
                    }
                    continue;
                }
                if (q.mustRefuse()) {
                    failures.add(failure(q, "must be refused but was " + (got.error() == null ? "answered"
                            : "failed with " + got.error()), want, got));
                    continue;
                }
                if (want.error() != null && got.error() != null && dataException(want.error())
                        && want.error().getSQLState().equals(got.error().getSQLState())) {
                    // e.g. division by zero in some group: an error is the answer, and shardkit gave it too
                    accepted++;
                    tally[0]++;
                    agreedErrors++;
                    continue;
                }
                if (want.error() != null) {
                    failures.add(failure(q, (dataException(want.error()) ? "the reference failed: "
                            : "the reference failed (a generator bug): ") + want.error(), want, got));
                    continue;
                }
                if (got.error() != null) {
                    failures.add(failure(q, "shardkit failed: " + got.error(), want, got));
                    continue;
                }
                Results.Rows wantRows = want.rows();
                Results.Rows gotRows = got.rows();
                if (text != null) {
                    // MariaDB's default collation ignores case: a group, a DISTINCT value or a MIN/MAX may come
                    // back in any spelling of its class ('Ana' or 'ana'), on the reference as on the shards
                    wantRows = text.canonicalText(wantRows, "text");
                    gotRows = text.canonicalText(gotRows, "text");
                }
                String difference = Results.difference(q, wantRows, gotRows);
                if (difference != null) {
                    failures.add(failure(q, difference, want, got));
                    continue;
                }
                accepted++;
                tally[0]++;
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println(summary(queries.size(), accepted, agreedErrors, refused, failures.size(), refusals, shapes,
                millis));
        assertThat(failures).as("differential oracle on %s, seed %d: %d of %d queries differ",
                shards.dialect(), seed, failures.size(), queries.size()).isEmpty();
        assertThat(queries).as("distinct generated queries").hasSizeGreaterThanOrEqualTo(MIN_GENERATED);
        // MariaDB refuses text grouping and ordering under its case-insensitive collations today (300-340 of 600 accepted)
        assertThat(accepted).as("queries answered and matching (too many legitimate shapes refused is a merge gap)")
                .isGreaterThanOrEqualTo(shards.dialect().equals("mysql") ? MIN_ACCEPTED_MYSQL : MIN_ACCEPTED);
    }

    /**
     * The adversarial SELECTs ({@link AdversarialSelects}) over the issue-10-shaped tables: every
     * answer equal to the reference's or refused, and nothing wrong. {@code -Dshardkit.oracle.selects=N}
     * sets the number, {@code -Dshardkit.oracle.classes=a,b} runs only some classes.
     */
    @Test
    void adversarialSelectsEqualTheReference() throws Exception {
        Set<String> only = AdversarialRun.classes();
        if (!only.isEmpty() && !containsAny(only, AdversarialSelects.CLASSES)) {
            return;
        }
        AdversarialRun run = new AdversarialRun(shards, ds, seed);
        AdversarialData d;
        try (Connection ref = shards.openReference()) {
            d = AdversarialData.generate(seed, shards.dialect(), ref, ADVERSARIAL_ITEMS);
        }
        long started = System.nanoTime();
        run.load(d);
        run.selects(d, Integer.getInteger("shardkit.oracle.selects", ADVERSARIAL_SELECTS), only);
        report(run, "adversarial SELECTs", started);
        assertThat(run.tally.total(AdversarialRun.Tally.GENERATED)).as("generated SELECTs")
                .isGreaterThanOrEqualTo(only.isEmpty() ? MIN_ADVERSARIAL_SELECTS : 1);
    }

    /**
     * The adversarial writes ({@link AdversarialWrites}): after each, the update count, every
     * table's contents and each row's shard equal the reference's, or it was refused and wrote
     * nothing. {@code -Dshardkit.oracle.writes=N} sets the number.
     */
    @Test
    void adversarialWritesLeaveTheReferenceState() throws Exception {
        Set<String> only = AdversarialRun.classes();
        if (!only.isEmpty() && !containsAny(only, AdversarialWrites.CLASSES)) {
            return;
        }
        AdversarialRun run = new AdversarialRun(shards, ds, seed);
        AdversarialData d;
        try (Connection ref = shards.openReference()) {
            d = AdversarialData.generate(seed + 1, shards.dialect(), ref, ADVERSARIAL_WRITE_ITEMS);
        }
        long started = System.nanoTime();
        run.load(d);
        run.writes(d, Integer.getInteger("shardkit.oracle.writes", ADVERSARIAL_WRITES), only);
        report(run, "adversarial writes", started);
        assertThat(run.tally.total(AdversarialRun.Tally.GENERATED)).as("generated writes")
                .isGreaterThanOrEqualTo(only.isEmpty() ? ADVERSARIAL_WRITES : 1);
    }

    private static boolean containsAny(Set<String> only, List<String> classes) {
        for (String c : classes) {
            if (only.contains(c)) {
                return true;
            }
        }
        return false;
    }

    private void report(AdversarialRun run, String what, long started) {
        long millis = (System.nanoTime() - started) / 1_000_000;
        StringBuilder sb = new StringBuilder();
        sb.append(run.tally.render("\n=== " + what + " on " + shards.dialect() + ", seed " + seed + " (" + millis
                + " ms) ==="));
        for (String f : run.failures) {
            sb.append("FAILURE ").append(f).append('\n');
        }
        for (String f : run.invalid) {
            sb.append("INVALID (reference error) ").append(f).append('\n');
        }
        System.out.println(sb);
        assertThat(run.tally.total(AdversarialRun.Tally.WRONG)).as("%s on %s, seed %d: wrong answers (see the output)",
                what, shards.dialect(), seed).isZero();
        assertThat(run.tally.total(AdversarialRun.Tally.ERROR)).as("%s on %s, seed %d: unexpected errors",
                what, shards.dialect(), seed).isZero();
        // a statement both sides reject is no wrong answer, but a shape wasted: keep the generator honest
        assertThat(run.invalid.size()).as("%s on %s, seed %d: statements the reference rejects (generator bugs)",
                what, shards.dialect(), seed).isLessThanOrEqualTo(run.tally.total(AdversarialRun.Tally.GENERATED) / 50);
    }

    private Outcome run(Connection c, Query q) {
        try {
            if (q.params().isEmpty()) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(q.sql())) {
                    return new Outcome(Results.read(rs), null);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(q.sql())) {
                for (int i = 0; i < q.params().size(); i++) {
                    ps.setObject(i + 1, q.params().get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    return new Outcome(Results.read(rs), null);
                }
            }
        } catch (SQLException e) {
            return new Outcome(null, e);
        }
    }

    private String failure(Query q, String what, Outcome want, Outcome got) {
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(seed).append(", query ").append(q.describe()).append('\n');
        sb.append("  ").append(what).append('\n');
        sb.append("  ordered comparison: ").append(q.total()).append(q.keyColumns().isEmpty() ? ""
                : ", order key columns " + q.keyColumns()).append('\n');
        sb.append("  reference:\n").append(want.rows() != null ? Results.head(want.rows(), SHOWN_ROWS)
                : "      " + want.error() + "\n");
        sb.append("  shardkit:\n").append(got.rows() != null ? Results.head(got.rows(), SHOWN_ROWS)
                : "      " + got.error() + "\n");
        sb.append("  plan:\n");
        try {
            for (String line : ds.explain(q.sql(), q.params().toArray()).toString().split("\n")) {
                sb.append("    ").append(line).append('\n');
            }
        } catch (SQLException | RuntimeException e) {
            sb.append("    (no plan: ").append(e.getMessage()).append(")\n");
        }
        return sb.toString();
    }

    /** An error in the data (SQLState class 22: division by zero, out of range), not in the statement. */
    private static boolean dataException(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("22");
    }

    /** A refusal message without the statement-specific tail, so equal reasons count together. */
    private static String reason(SQLException e) {
        String m = e.getMessage();
        int end = m.indexOf(" is not supported");
        if (end < 0) {
            end = m.indexOf(" [sql:");
        }
        return end < 0 ? m : m.substring(0, end);
    }

    private String summary(int generated, int accepted, int agreedErrors, int refused, int failed,
            Map<String, Integer> refusals, Map<String, int[]> shapes, long millis) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n=== differential oracle on ").append(shards.dialect()).append(", seed ").append(seed).append(" ===\n");
        sb.append(String.format("generated %d, accepted and matching %d (of which the same data error %d), refused %d,"
                + " failed %d (%d ms)%n", generated, accepted, agreedErrors, refused, failed, millis));
        sb.append("top refusal reasons:\n");
        List<Map.Entry<String, Integer>> top = new ArrayList<>(refusals.entrySet());
        top.sort((a, b) -> b.getValue() - a.getValue());
        for (int i = 0; i < Math.min(10, top.size()); i++) {
            sb.append(String.format("  %4d  %s%n", top.get(i).getValue(), top.get(i).getKey()));
        }
        sb.append("by shape (matching / refused):\n");
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            sb.append(String.format("  %-28s %4d / %d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        return sb.toString();
    }
}
