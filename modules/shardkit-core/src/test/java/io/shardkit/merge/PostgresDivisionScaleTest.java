package io.shardkit.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** PostgreSQL's numeric division scale (select_div_scale), checked against answers PostgreSQL 17 gives. */
class PostgresDivisionScaleTest {
    private final Arithmetic pg = new Arithmetic(Dialect.POSTGRESQL);

    private String div(String p, String q) {
        return pg.divide(new BigDecimal(p), new BigDecimal(q)).toPlainString();
    }

    @Test
    void divisionAndAverageScaleAsPostgresql() {
        assertThat(div("1", "3")).isEqualTo("0.33333333333333333333"); // SELECT 1::numeric / 3
        assertThat(div("12", "12")).isEqualTo("1.00000000000000000000"); // equal first digit groups: 20, not 16
        assertThat(div("80.00", "4")).isEqualTo("20.0000000000000000"); // AVG of 10, 20, 20, 30 as numeric
        assertThat(div("80.00", "3")).isEqualTo("26.6666666666666667");
        assertThat(div("348", "16")).isEqualTo("21.7500000000000000");
        assertThat(div("0.05", "7")).isEqualTo("0.00714285714285714286");
        assertThat(div("123456789", "3")).isEqualTo("41152263.000000000000");
    }
}
