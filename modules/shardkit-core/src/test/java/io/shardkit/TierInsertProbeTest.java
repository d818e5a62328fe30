package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: an INSERT into a tiered table checks the archive for the ids it gives, except where an
 * id watermark proves a single row's id newer than anything archived; explain says which.
 */
class TierInsertProbeTest {
    @TempDir
    Path dir;

    @Test
    void i11_a12_anInsertChecksTheArchiveUnlessTheIdWatermarkRulesItOut() throws Exception {
        String yaml = """
                shards:
                  - {name: hot, url: "jdbc:sqlite:DIR/hot.db"}
                  - {name: a1, url: "jdbc:sqlite:DIR/a1.db", readOnly: true, tier: archive}
                tables:
                  orders:
                    key: order_id
                    strategy: {type: mod, shards: [hot]}
                    archive: {shards: [a1], cutoff: {column: order_id, below: 1000}}
                """.replace("DIR", dir.toString());
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))) {
            String insert = "INSERT INTO orders (order_id, amount) VALUES (?, 1)";
            assertThat(String.join("\n", ds.explain(insert, 5).reasons()))
                    .contains("INSERT goes to the hot shards; it first checks archive [a1] for its order_id values");
            assertThat(String.join("\n", ds.explain(insert, 1002).reasons()))
                    .contains("archive tier skipped").doesNotContain("first checks archive");
            assertThat(String.join("\n", ds.explain("INSERT INTO orders (order_id, amount) VALUES (1002, 1), (7, 1)")
                    .reasons())).as("several rows: always checked").contains("first checks archive [a1]");
            assertThat(ds.explain(insert, 5).shards()).containsExactly("hot");
        }
    }
}
