package io.shardkit.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The parameter map of rewritten shard SQL is read from the rewritten tree (issue 10, case 4). */
class MergeParametersTest {

    @Test
    void case04_groupKeyByPositionHoldingAParameterIsGroupedByItsColumnNotCopied() {
        MergeSpec m = MergeAnalysis.analyze(
                "SELECT grp + ? AS g, COUNT(*) FROM t_item WHERE score > ? GROUP BY 1 HAVING COUNT(*) > ? ORDER BY 1",
                Dialect.POSTGRESQL);
        assertThat(m.refusal()).isNull();
        assertThat(m.shardSql()).isEqualTo("SELECT grp + ? AS g, COUNT(*), COUNT(*) AS __a0 FROM t_item WHERE score > ?"
                + " GROUP BY 1");
        assertThat(m.shardParameters()).containsExactly(1, 2);
        assertThat(m.groupKeys()).containsExactly(1);
    }

    @Test
    void case04_copiedExpressionTakesTheSameParameterTwice() {
        MergeSpec m = MergeAnalysis.analyze(
                "SELECT COUNT(*) + ? AS n FROM t_item WHERE id > ? GROUP BY grp % ? HAVING SUM(score) > ? LIMIT ?",
                Dialect.SQLITE);
        assertThat(m.refusal()).isNull();
        assertThat(m.shardSql()).contains("grp % ? AS __g0").contains("GROUP BY 2").doesNotContain("HAVING");
        assertThat(m.shardParameters()).containsExactly(1, 3, 2);
    }

    @Test
    void case04_unchangedParametersNeedNoMap() {
        MergeSpec m = MergeAnalysis.analyze("SELECT id FROM t_item WHERE grp = ? AND score > ? ORDER BY id",
                Dialect.SQLITE);
        assertThat(m.shardParameters()).isNull();
    }

    @Test
    void case04_aParameterWhoseOriginIsUnknownIsRefused() throws Exception {
        assertThat(ShardParameters.strip("SELECT a FROM t WHERE b = ?2 AND c = '?' AND d = ?1", 2, Dialect.SQLITE).parameters())
                .containsExactly(2, 1);
        assertThatThrownBy(() -> ShardParameters.strip("SELECT ? FROM t", 1, Dialect.SQLITE))
                .isInstanceOf(ShardParameters.Unmapped.class);
        assertThatThrownBy(() -> ShardParameters.strip("SELECT ?3 FROM t", 2, Dialect.SQLITE))
                .isInstanceOf(ShardParameters.Unmapped.class);
    }
}
