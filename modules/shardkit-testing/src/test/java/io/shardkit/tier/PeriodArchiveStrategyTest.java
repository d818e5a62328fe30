package io.shardkit.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shardkit.Candidates;
import io.shardkit.IdChooser;
import io.shardkit.ShardChoice;
import io.shardkit.ShardChooser;
import io.shardkit.ShardedDataSource;
import io.shardkit.archive.Archiver;
import io.shardkit.route.SplitCatalog;
import io.shardkit.testing.ShardSet;
import io.shardkit.testing.SqliteShards;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A period-tiered table whose user strategy may give a key more than one candidate shard (issue 14):
 * the archiver compares the archive's copy with each hot shard's rows by the shard a key routes to,
 * so it refuses such a strategy, leaving the hot period tables whole and the archive listing nothing.
 */
@SqliteShards
class PeriodArchiveStrategyTest {
    @TempDir Path dir;

    /** Places a key by its parity, but a key may be on either shard (as while rows move between them). */
    public static final class EitherShard implements ShardChooser, IdChooser {
        private final List<String> shards;

        public EitherShard(List<String> shards, Map<String, String> props) {
            this.shards = shards;
        }

        @Override
        public ShardChoice chooseShard(String table, Object key) {
            return new ShardChoice(shards.get(((Number) key).intValue() % 2), "by parity");
        }

        @Override
        public Candidates candidates(String table, Object key) {
            return new Candidates(shards, "a key may be on either shard");
        }
    }

    static final String DDL = "CREATE TABLE %s (order_id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
            + " created_at TEXT NOT NULL, amount INTEGER)";

    @Test
    void i14_150_aStrategyGivingAKeySeveralShardsIsNotArchivable(ShardSet shards) throws Exception {
        for (int s = 0; s < 2; s++) {
            try (Connection c = shards.open(s); Statement st = c.createStatement()) {
                for (String m : List.of("202609", "202612")) {
                    st.execute(DDL.formatted("orders_" + m));
                }
            }
        }
        Files.writeString(dir.resolve("map.yaml"), shards.yamlShards(Set.of("s2")) + """
                tables:
                  orders:
                    key: customer_id
                    strategy: {type: class, class: "%s", shards: [s0, s1]}
                    split: {by: created_at, as: {type: month}, name: "orders_{yyyyMM}"}
                    archive: {shards: [s2], id: order_id, cutoff: {column: created_at, before: "2026-11-01"}}
                """.formatted(EitherShard.class.getName()));
        try (ShardedDataSource ds = ShardedDataSource.fromYaml(dir.resolve("map.yaml"))) {
            try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO orders (order_id, customer_id, created_at, amount) VALUES (?, ?, ?, ?)")) {
                for (int id = 1; id <= 40; id++) {
                    ps.setInt(1, id);
                    ps.setInt(2, id % 5);
                    ps.setString(3, id % 2 == 0 ? "2026-09-" + String.format("%02d", 1 + id % 28) : "2026-12-01");
                    ps.setInt(4, id);
                    ps.executeUpdate();
                }
            }
            SQLException e = catchThrowableOfType(() -> Archiver.of(ds, "orders").run(), SQLException.class);
            assertThat((Throwable) e).isNotNull();
            assertThat(e.getSQLState()).isEqualTo(Archiver.NOT_ARCHIVABLE);
            assertThat(e.getMessage()).containsPattern("^archiving orders: its strategy gives key \\d+ 2 shards, so the"
                    + " archive copy cannot be compared shard by shard$");
            try (Connection a = shards.open(2)) {
                assertThat(SplitCatalog.readArchived(a, "orders", ds.shardMap().tables().get("orders").split()))
                        .as("nothing listed as archived").isEmpty();
            }
            long september = 0;
            for (int s = 0; s < 2; s++) {
                try (Connection c = shards.open(s)) {
                    assertThat(SplitCatalog.read(c, ds.shardMap().tables().get("orders").split()))
                            .as("nothing dropped on s" + s).containsExactly("orders_202609", "orders_202612");
                    september += PeriodArchiveContract.count(c, "SELECT COUNT(*) FROM orders_202609");
                }
            }
            assertThat(september).isEqualTo(20);
            try (Connection c = ds.getConnection()) {
                assertThat(PeriodArchiveContract.rows(c, "SELECT COUNT(*), SUM(amount) FROM orders"))
                        .containsExactly("40|820");
                assertThat(c.createStatement().executeUpdate("UPDATE orders SET amount = 0 WHERE order_id = 2"
                        + " AND created_at < '2026-10-01'")).as("September is still hot, so writable").isEqualTo(1);
            }
        }
    }
}
