package io.shardkit.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Issue 12: the execution-time value rules of a key-setting UPDATE (g1) and of {@code key = ANY(?)} (g3). */
class I12KeyValuesTest {

    @Test
    void i12_g1_07_sameKeyIsExact() {
        assertThat(Router.sameKey(5L, 5L)).isTrue();
        assertThat(Router.sameKey(5, 5L)).isTrue();
        assertThat(Router.sameKey(new BigDecimal("5.0"), 5L)).isTrue();
        assertThat(Router.sameKey(BigInteger.valueOf(5), (short) 5)).isTrue();
        assertThat(Router.sameKey(5.0d, 5)).isTrue();
        assertThat(Router.sameKey("a", "a")).isTrue();
        assertThat(Router.sameKey(null, null)).isTrue();
        assertThat(Router.sameKey(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();

        assertThat(Router.sameKey(5.5d, 5L)).isFalse();
        assertThat(Router.sameKey("5", 5L)).isFalse();
        assertThat(Router.sameKey(5L, "5")).isFalse();
        assertThat(Router.sameKey("a", "A")).isFalse();
        assertThat(Router.sameKey(null, 5L)).isFalse();
        assertThat(Router.sameKey(5L, null)).isFalse();
        assertThat(Router.sameKey(Double.NaN, Double.NaN)).isFalse();
        assertThat(Router.sameKey(6L, 5L)).isFalse();
    }

    @Test
    void i12_g3_06_arrayElements() throws SQLException {
        assertThat(Router.elements(new Long[] {1L, null, 3L})).containsExactly(1L, null, 3L);
        assertThat(Router.elements(new long[] {1L, 2L})).containsExactly(1L, 2L);
        assertThat(Router.elements(new int[] {7})).containsExactly(7);
        assertThat(Router.elements(new String[0])).isEmpty();
        assertThat(Router.elements(5L)).isNull();
        assertThat(Router.elements("1,2")).isNull();
    }
}
