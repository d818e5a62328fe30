package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.GoldenFixtures.Case;
import io.shardkit.GoldenFixtures.CaseFile;
import io.shardkit.config.ShardMap;
import io.shardkit.config.ShardSpec;
import io.shardkit.sql.Analyzer;
import io.shardkit.sql.InsertRows;
import io.shardkit.sql.MergeSpec;
import io.shardkit.sql.SqlAnalysis;
import io.shardkit.sql.StatementKind;
import io.shardkit.strategy.Strategies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files pin the {@link SqlAnalysis} of every SQL text of the plan goldens ({@code plans/*.sql},
 * on the plan goldens' map) and of the refusal goldens ({@code refusals/*.cases}, on each file's
 * fixture map): kind, shape, tables, sharded table, strategy, pinned shard, key values, INSERT rows,
 * merge constructs and the merge spec of a SELECT, parameter count, problem and flags, one field a
 * line (fields that are null, false or empty are left out). Written to {@code analyses/*.golden}
 * under {@code -Dgoldens.write=true}; compared byte for byte otherwise. No connection is opened.
 */
class AnalysisGoldenTest {

    @TestFactory
    Stream<DynamicTest> everyAnalysisMatchesItsGolden() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("plans", this::plans));
        for (CaseFile f : GoldenFixtures.caseFiles()) {
            tests.add(DynamicTest.dynamicTest(f.family() + " (" + f.cases().size() + " cases)", () -> cases(f)));
        }
        return tests.stream();
    }

    /** The map of {@code plan/GoldenPlanTest}. */
    static ShardMap planMap() {
        ShardedDataSource.Builder b = ShardedDataSource.builder();
        for (int i = 0; i < 4; i++) {
            b.shard(ShardSpec.of("s" + i, "jdbc:sqlite:s" + i + ".db"));
        }
        return b.sharded("players", "player_id", Strategies.mod("s0", "s1", "s2", "s3"))
                .sharded("matches", "player_id", Strategies.mod("s0", "s1", "s2", "s3"))
                .broadcast("items")
                .map();
    }

    private void plans() throws Exception {
        Analyzer analyzer = new Analyzer(planMap());
        List<Path> files;
        try (Stream<Path> s = Files.list(GoldenFixtures.resources().resolve("plans"))) {
            files = s.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        assertThat(files).as("plan golden SQL files").hasSizeGreaterThanOrEqualTo(15);
        StringBuilder out = new StringBuilder("# analyses of plans/*.sql on the plan goldens' map; written by"
                + " AnalysisGoldenTest with -Dgoldens.write=true\n");
        for (Path file : files) {
            StringBuilder sql = new StringBuilder();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith("-- params:") && !line.isBlank()) {
                    sql.append(sql.length() == 0 ? "" : "\n").append(line);
                }
            }
            out.append("== ").append(file.getFileName().toString().replace(".sql", "")).append('\n');
            dump(out, "", analyzer.analyze(sql.toString()));
        }
        GoldenFixtures.compare(GoldenFixtures.resources().resolve("analyses/plans.golden"), out.toString());
    }

    private void cases(CaseFile file) throws Exception {
        Analyzer analyzer = new Analyzer(GoldenFixtures.map(file.fixture()));
        StringBuilder out = new StringBuilder("# analyses of refusals/" + file.family() + ".cases on fixture "
                + file.fixture() + "; written by AnalysisGoldenTest with -Dgoldens.write=true\n");
        for (Case c : file.cases()) {
            out.append("== ").append(c.name()).append('\n');
            for (int i = 0; i < c.statements().size(); i++) {
                String prefix = c.statements().size() > 1 ? "[" + (i + 1) + "] " : "";
                dump(out, prefix, analyzer.analyze(c.statements().get(i)));
            }
        }
        GoldenFixtures.compare(GoldenFixtures.resources().resolve("analyses/" + file.family() + ".golden"),
                out.toString());
    }

    /** One field a line; {@code prefix} marks a script's statement or a nested analysis. */
    static void dump(StringBuilder out, String prefix, SqlAnalysis a) {
        line(out, prefix, "sql", a.sql());
        line(out, prefix, "kind", a.kind());
        line(out, prefix, "shape", a.shape());
        line(out, prefix, "tables", a.tables());
        line(out, prefix, "shardedTable", a.shardedTable());
        line(out, prefix, "strategy", a.strategy());
        line(out, prefix, "pinnedShard", a.pinnedShard());
        line(out, prefix, "keyValues", a.keyValues());
        InsertRows rows = a.insertRows();
        if (rows != null) {
            line(out, prefix, "insertRows.keys", rows.keys());
            line(out, prefix, "insertRows.head", rows.head());
            line(out, prefix, "insertRows.rowTexts", rows.rowTexts());
            line(out, prefix, "insertRows.tail", rows.tail());
            line(out, prefix, "insertRows.parameters", rows.headParameters() + " head, "
                    + Arrays.toString(rows.rowParameters()) + " rows, " + rows.tailParameters() + " tail");
        }
        line(out, prefix, "mergeConstructs", a.mergeConstructs());
        line(out, prefix, "multiShardRefusal", a.multiShardRefusal());
        line(out, prefix, "ddlShards", a.ddlShards());
        line(out, prefix, "problem", a.problem());
        line(out, prefix, "parameterCount", a.parameterCount());
        StringBuilder flags = new StringBuilder();
        flag(flags, a.returning(), "returning");
        flag(flags, a.connectionState(), "connectionState");
        flag(flags, a.readsOnly(), "readsOnly");
        flag(flags, a.anyUniqueKey(), "anyUniqueKey");
        flag(flags, a.sameShard(), "sameShard");
        flag(flags, a.existsAny(), "existsAny");
        line(out, prefix, "flags", flags.toString());
        line(out, prefix, "keySet", a.keySet());
        line(out, prefix, "keyPin", a.keyPin());
        line(out, prefix, "keyRefusal", a.keyRefusal());
        line(out, prefix, "tiering", a.tiering());
        if (a.countOver() != null) {
            out.append(prefix).append("countOver:\n");
            dump(out, prefix + "  ", a.countOver());
        }
        if (a.kind() == StatementKind.SELECT && a.shape() != SqlAnalysis.Shape.REFUSED
                && a.shape() != SqlAnalysis.Shape.INVALID) {
            MergeSpec m;
            try {
                m = a.merge();
            } catch (RuntimeException e) {
                line(out, prefix, "merge", "throws " + e.getClass().getName() + ": " + e.getMessage());
                return;
            }
            if (m == null) {
                line(out, prefix, "merge", "(plain concatenation)");
            } else {
                String p = prefix + "merge.";
                line(out, p, "refusal", m.refusal());
                line(out, p, "shardSql", m.shardSql());
                line(out, p, "shardParameters", m.shardParameters() == null ? null : Arrays.toString(m.shardParameters()));
                line(out, p, "hidden", m.hidden() == 0 ? null : m.hidden());
                line(out, p, "shardOrder", m.shardOrder());
                line(out, p, "aggregate", m.aggregate() ? "true" : null);
                line(out, p, "groupKeys", m.groupKeys());
                line(out, p, "streamedGroups", m.streamedGroups() ? "true" : null);
                line(out, p, "aggregates", m.aggregates());
                line(out, p, "outputs", m.outputs());
                line(out, p, "having", m.having());
                line(out, p, "distinct", m.distinct() ? "true" : null);
                line(out, p, "finalOrder", m.finalOrder());
                line(out, p, "offset", m.offset());
                line(out, p, "count", m.count());
                line(out, p, "archiveSql", m.archiveSql());
                line(out, p, "comparisons", m.comparisons() == null || m.comparisons().entries().isEmpty() ? null
                        : m.comparisons().entries());
            }
        }
    }

    private static void flag(StringBuilder flags, boolean on, String name) {
        if (on) {
            flags.append(flags.length() == 0 ? "" : " ").append(name);
        }
    }

    private static void line(StringBuilder out, String prefix, String field, Object value) {
        if (value == null || value instanceof List<?> l && l.isEmpty() || value instanceof String s && s.isEmpty()) {
            return;
        }
        out.append(prefix).append(field).append(": ").append(GoldenFixtures.escape(stable(String.valueOf(value))))
                .append('\n');
    }

    /** Identity hash codes (an object without its own toString) would differ between runs. */
    private static String stable(String s) {
        return s.replaceAll("\\$\\$Lambda[/0-9a-fx$]*", "\\$\\$Lambda").replaceAll("@[0-9a-f]{4,}\\b", "@?");
    }
}
