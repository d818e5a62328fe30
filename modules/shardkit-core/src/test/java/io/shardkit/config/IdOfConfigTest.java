package io.shardkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.ShardMapException;
import io.shardkit.strategy.Strategies;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 (ids): {@code idOf: {column, generator: bucketed}} on a table with a buckets strategy,
 * and its refusals naming the YAML path and line (lines count from the first line of each text).
 */
class IdOfConfigTest {
    /** Two shards on lines 1-5, then {@code tables:} on line 6 and the table on line 7. */
    private static final String HEAD = """
            shards:
              - name: s0
                url: jdbc:sqlite:target/t/s0.db
              - name: s1
                url: jdbc:sqlite:target/t/s1.db
            tables:
              matches:
                key: player_id
            """;

    @Test
    void i15_40_idOfLoadsOnABucketsTable() throws Exception {
        ShardMap map = load(HEAD + """
                    strategy: {type: buckets, buckets: 16}
                    idOf: {column: Match_Id, generator: bucketed}
                """);
        TableRule rule = map.tables().get("matches");
        assertThat(rule.idOf()).isEqualTo(new TableRule.IdOf("match_id", "bucketed"));
        assertThat(rule.describe()).isEqualTo("matches sharded by player_id: buckets 16 (mod) over [s0, s1], ids in match_id");
        assertThat(load(HEAD + "    strategy: {type: buckets, buckets: 16}\n").tables().get("matches").idOf()).isNull();
    }

    @Test
    void i15_41_idOfMistakesNamePathAndLine() {
        assertProblem(HEAD + """
                    strategy: {type: mod}
                    idOf: {column: match_id, generator: bucketed}
                """, "tables.matches.idOf: idOf needs a buckets strategy (an id carries its key's bucket), this"
                + " table's is mod 2 over [s0, s1] (line 10)");
        assertProblem(HEAD + """
                    strategy: {type: buckets, buckets: 16}
                    idOf: {column: match_id, generator: snowflake}
                """, "tables.matches.idOf.generator: expected bucketed (ids sequence * B + bucket), got 'snowflake'"
                + " (line 10)");
        assertProblem(HEAD + """
                    strategy: {type: buckets, buckets: 16}
                    idOf: {generator: bucketed}
                """, "tables.matches.idOf.column: missing: the column that holds the table's bucketed ids (line 10)");
        assertProblem(HEAD + """
                    strategy: {type: buckets, buckets: 16}
                    idOf: {column: match_id, generator: bucketed, start: 5}
                """, "tables.matches.idOf.start: unknown key 'start' (known: column, generator) (line 10)");
    }

    @Test
    void i15_42_theJavaRuleRefusesIdOfWithoutBuckets() {
        TableRule mod = TableRule.sharded("matches", "player_id", Strategies.mod("s0", "s1"));
        assertThatThrownBy(() -> mod.withIdOf(new TableRule.IdOf("match_id", "bucketed")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idOf needs a table with a buckets strategy, without archive or split: matches");
        assertThatThrownBy(() -> new TableRule.IdOf("match_id", "uuid"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("idOf generator must be bucketed, got uuid");
    }

    private static ShardMap load(String yaml) throws ShardMapException {
        return YamlShardMap.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml", v -> null);
    }

    private static void assertProblem(String yaml, String problem) {
        ShardMapException e = catchThrowableOfType(ShardMapException.class, () -> load(yaml));
        assertThat((Throwable) e).as("expected the map to be refused").isNotNull();
        assertThat(e.getSQLState()).isEqualTo("F0000");
        assertThat(e.problems()).containsExactly(problem);
    }
}
