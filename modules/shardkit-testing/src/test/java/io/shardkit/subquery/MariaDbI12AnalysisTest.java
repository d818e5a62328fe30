package io.shardkit.subquery;

import io.shardkit.testing.MariaDbShards;
import org.junit.jupiter.api.Test;

/** The contract on MariaDB; {@code = ANY(...)} is PostgreSQL's and stays refused here (g3). */
@MariaDbShards
class MariaDbI12AnalysisTest extends I12AnalysisContract {

    @Test
    void i12_g3_05_anyIsRefusedOutsidePostgres() {
        refused("SELECT id FROM t_order WHERE player_id = any (?)", new Object[] {5L},
                "the function any() is not one shardkit knows");
        refused("SELECT id FROM t_order WHERE player_id = ANY(ARRAY[1, 2])", new Object[0],
                "the function ANY() is not one shardkit knows");
    }
}
