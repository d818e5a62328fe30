package io.shardkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, memory bound in bytes, in a JVM of 256 MB (where a hashed GROUP BY of 900,000 groups ran
 * out of memory at the default mergeRowLimit and killed HikariCP's threads). Over 1,000,000 groups on
 * 4 SQLite shards, a GROUP BY ordered by an aggregate (every merged group sorted in memory; SQLite
 * groups stream, so this is the node that holds them), COUNT(DISTINCT) and DISTINCT each fail with
 * 54000 under the default mergeMemory (a quarter of the heap), also four at once (they share the
 * data source's bound); the top 10 of the same groups
 * succeeds (a sort under a LIMIT keeps only the rows the limit can return); then the same data
 * source answers ordinary queries and has every connection back in its pools. The probe runs in its
 * own JVM ({@link HeapProbe}) so the heap is the one users have, whatever the test JVM's is; the
 * figures it prints (time to fail, heap in use at the failure) go to the test output, not into
 * assertions.
 */
class HeapBoundTest {
    @TempDir
    Path dir;

    @Test
    void i11_mem11_millionGroupsIn256MbFailWith54000AndTheDataSourceStaysUsable() throws Exception {
        Map<String, String> facts = probe(dir, 1_000_000, "{}");
        assertThat(facts.get("top_10_state")).as("a top 10 keeps 10 groups whatever their number").isEqualTo("none rows=10");
        for (String merge : List.of("group_by", "count_distinct", "distinct")) {
            assertThat(facts.get(merge + "_state")).as(merge + ": " + facts).isEqualTo("54000");
        }
        // a quarter of the heap Runtime.maxMemory() reports under -Xmx256m (a little less than 256 MB), in whole MB
        String over = "merge state over " + facts.get("merge_memory_mb") + " MB (settings.mergeMemory) in ";
        assertThat(Integer.parseInt(facts.get("merge_memory_mb"))).isBetween(56, 64);
        assertThat(facts.get("group_by_message")).startsWith(over + "Sort by ");
        assertThat(facts.get("count_distinct_message")).startsWith(over + "COUNT(DISTINCT grp)");
        assertThat(facts.get("distinct_message")).startsWith(over + "Distinct (hashed)");
        assertThat(facts.get("concurrent_states").split(",")).as("four at once, each refused")
                .hasSize(4).allSatisfy(state -> assertThat(state).startsWith("54000"));
        assertThat(facts.get("after_count")).isEqualTo("1000000");
        assertThat(facts.get("after_point")).isEqualTo("4001");
        assertThat(facts.get("after_small_groups")).isEqualTo("20000");
        assertThat(facts.get("after_distinct_small")).isEqualTo("100");
        assertThat(facts.get("active_connections")).as("every pool has its connections back").isEqualTo("0");
        assertThat(facts.get("probe")).isEqualTo("ok");
    }

    /** Runs {@link HeapProbe} in a JVM of 256 MB and returns what it printed, by key. */
    static Map<String, String> probe(Path dir, long rows, String settings) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // surefire may put the class path in a manifest-only jar; it gives the real one in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", classPath,
                HeapProbe.class.getName(), dir.toString(), Long.toString(rows), settings));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the probe ends").isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        System.out.println("[HeapProbe -Xmx256m, " + rows + " rows, settings " + settings + "]\n" + text);
        assertThat(p.exitValue()).as("the probe's JVM exits normally:\n" + text).isZero();
        Map<String, String> facts = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).matches("[a-z0-9_]+")) {
                facts.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return facts;
    }
}
