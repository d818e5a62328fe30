package io.shardkit.reshard;

import static org.assertj.core.api.Assertions.assertThat;

import io.shardkit.sql.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.BitSet;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, the mover's bucket predicates: for random and structured bucket sets, the SQL a shard
 * runs selects exactly the keys (negative ones too) whose {@code floorMod(key, B)} is in the set,
 * in whichever form is shortest; and the ledger's text form reads back the same set.
 */
class BucketSqlTest {
    @Test
    void i15_65_thePredicateSelectsExactlyTheKeysOfTheSet() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?)")) {
                for (long k = -300; k <= 300; k++) {
                    ps.setLong(1, k);
                    ps.addBatch();
                }
                ps.setLong(1, Long.MAX_VALUE);
                ps.addBatch();
                ps.setLong(1, Long.MIN_VALUE + 1);
                ps.addBatch();
                ps.executeBatch();
            }
            Random r = new Random(15);
            int b = 64;
            for (int round = 0; round < 60; round++) {
                BitSet set = new BitSet();
                switch (round % 4) {
                    case 0 -> { // a 4 → 8 split's share: b mod 8 = residue
                        int res = r.nextInt(8);
                        for (int i = res; i < b; i += 8) {
                            set.set(i);
                        }
                    }
                    case 1 -> set.set(r.nextInt(b / 2), b / 2 + r.nextInt(b / 2)); // one range
                    case 2 -> set.set(r.nextInt(b)); // one bucket
                    default -> {
                        for (int i = 0; i < b; i++) {
                            if (r.nextInt(3) == 0) {
                                set.set(i);
                            }
                        }
                    }
                }
                String pred = BucketSql.in(Dialect.SQLITE, "\"k\"", b, set);
                TreeSet<Long> got = new TreeSet<>();
                try (ResultSet rs = st.executeQuery("SELECT k FROM t WHERE " + pred)) {
                    while (rs.next()) {
                        got.add(rs.getLong(1));
                    }
                }
                TreeSet<Long> want = new TreeSet<>();
                for (long k = -300; k <= 300; k++) {
                    if (set.get((int) Math.floorMod(k, (long) b))) {
                        want.add(k);
                    }
                }
                for (long k : new long[] {Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
                    if (set.get((int) Math.floorMod(k, (long) b))) {
                        want.add(k);
                    }
                }
                assertThat(got).as("%s: %s", BucketSql.text(set), pred).isEqualTo(want);
                assertThat(BucketSql.parse(BucketSql.text(set))).isEqualTo(set);
            }
        }
    }

    @Test
    void i15_66_theShortestFormIsChosen() {
        BitSet split = new BitSet();
        for (int i = 4; i < 4096; i += 8) {
            split.set(i);
        }
        assertThat(BucketSql.in(Dialect.POSTGRESQL, "k", 4096, split)).isEqualTo("((k % 8) + 8) % 8 = 4");
        BitSet range = new BitSet();
        range.set(1024, 2048);
        assertThat(BucketSql.in(Dialect.MYSQL, "k", 4096, range)).isEqualTo("(MOD(MOD(k, 4096) + 4096, 4096) BETWEEN 1024 AND 2047)");
        assertThat(BucketSql.in(Dialect.SQLITE, "k", 16, new BitSet())).isEqualTo("1 = 0");
        BitSet all = new BitSet();
        all.set(0, 16);
        assertThat(BucketSql.in(Dialect.SQLITE, "k", 16, all)).isEqualTo("1 = 1");
        assertThat(BucketSql.text(split)).startsWith("4,12,20,");
    }
}
