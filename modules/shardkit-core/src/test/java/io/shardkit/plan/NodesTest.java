package io.shardkit.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.RefusedException;
import io.shardkit.ShardException;
import io.shardkit.merge.AggregateSpec;
import io.shardkit.merge.Bound;
import io.shardkit.merge.Cursor;
import io.shardkit.merge.Expr;
import io.shardkit.merge.MergeLimitException;
import io.shardkit.merge.Output;
import io.shardkit.merge.SortKey;
import io.shardkit.sql.Dialect;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each merge node fed through fake shard cursors, including shards that fail. */
class NodesTest {

    private static Object[] r(Object... values) {
        return values;
    }

    private static List<Object> l(Object... values) {
        return Arrays.asList(values);
    }

    @Test
    void mergeSortInterleavesSortedShardsAndPlacesNullsAsTheDialectDoes() throws Exception {
        FakeExecution pg = new FakeExecution(Dialect.POSTGRESQL,
                FakeCursor.of("s0", r(1L, "a"), r(4L, "d"), r(null, "n0")),
                FakeCursor.of("s1", r(2L, "b"), r(3L, "c"), r(null, "n1")),
                FakeCursor.of("s2"));
        MergeSort asc = new MergeSort(List.of(new SortKey(1, false, null)), pg.scatter());
        List<List<Object>> rows = FakeExecution.drain(asc.open(pg));
        assertThat(rows).extracting(x -> x.get(1)).containsExactly("a", "b", "c", "d", "n0", "n1");
        assertThat(pg.maxHeld).isEqualTo(2);
        assertThat(pg.allClosed()).isTrue();

        FakeExecution sqlite = new FakeExecution(Dialect.SQLITE,
                FakeCursor.of("s0", r(4L, "d"), r(1L, "a"), r(null, "n0")),
                FakeCursor.of("s1", r(3.5, "c"), r(2, "b")));
        MergeSort desc = new MergeSort(List.of(new SortKey(1, true, null)), sqlite.scatter());
        assertThat(FakeExecution.drain(desc.open(sqlite))).extracting(x -> x.get(1))
                .containsExactly("d", "c", "b", "a", "n0");
    }

    @Test
    void mergeSortHonoursExplicitNullOrderingAndSecondaryKeys() throws Exception {
        FakeExecution ex = new FakeExecution(Dialect.SQLITE,
                FakeCursor.of("s0", r(1L, 3L), r(1L, 1L), r(null, 2L)),
                FakeCursor.of("s1", r(1L, 2L), r(null, 1L)));
        MergeSort sort = new MergeSort(List.of(new SortKey(1, false, false), new SortKey(2, true, null)), ex.scatter());
        assertThat(FakeExecution.drain(sort.open(ex)))
                .containsExactly(l(1L, 3L), l(1L, 2L), l(1L, 1L), l(null, 2L), l(null, 1L));
    }

    @Test
    void mergeSortRefusesTextWhereTheCollationIsNotBinary() throws Exception {
        FakeExecution mysql = new FakeExecution(Dialect.MYSQL, FakeCursor.of("s0", r("a")), FakeCursor.of("s1", r("B")));
        MergeSort sort = new MergeSort(List.of(new SortKey(1, false, null)), mysql.scatter());
        assertThatThrownBy(() -> sort.open(mysql).next()).isInstanceOf(RefusedException.class)
                .hasMessageContaining("ordering text across shards needs a binary (code point) collation");
    }

    @Test
    void limitSkipsTheOffsetWithoutHoldingItAndClosesEarly() throws Exception {
        FakeCursor s0 = FakeCursor.of("s0", r(1L), r(3L), r(5L), r(7L), r(9L));
        FakeCursor s1 = FakeCursor.of("s1", r(2L), r(4L), r(6L), r(8L), r(10L));
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, s0, s1);
        Limit limit = new Limit(Bound.of(3), Bound.of(2), new MergeSort(List.of(new SortKey(1, false, null)), ex.scatter()));
        Cursor c = limit.open(ex);
        assertThat(c.next()).isTrue();
        assertThat(c.get(1)).isEqualTo(4L);
        assertThat(c.next()).isTrue();
        assertThat(c.get(1)).isEqualTo(5L);
        assertThat(c.next()).isFalse();
        assertThat(ex.allClosed()).as("shard cursors closed as soon as the limit is reached").isTrue();
        assertThat(s0.reads + s1.reads).as("rows read: offset + count + one lookahead per shard").isLessThanOrEqualTo(7);
        assertThat(ex.maxHeld).isEqualTo(2);
    }

    @Test
    void case11_limitWithTiesKeepsTheRowsEqualToTheLastOnTheOrderKeys() throws Exception {
        FakeCursor s0 = FakeCursor.of("s0", r(1L, "a"), r(2L, "c"), r(2L, "e"), r(3L, "g"));
        FakeCursor s1 = FakeCursor.of("s1", r(1L, "b"), r(2L, "d"), r(4L, "h"));
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, s0, s1);
        List<SortKey> order = List.of(new SortKey(1, false, null));
        Limit limit = new Limit(Bound.of(1), Bound.of(2).tied(), order, new MergeSort(order, ex.scatter()));
        assertThat(limit.describe()).isEqualTo("Limit 2 with ties offset 1 (ties on #1 ASC)");
        // skip (1,a); count (1,b), (2,c); then (2,e), (2,d) tie with (2,c) (equal keys: shard order); (3,g) does not
        assertThat(FakeExecution.drain(limit.open(ex))).containsExactly(l(1L, "b"), l(2L, "c"), l(2L, "e"), l(2L, "d"));
        assertThat(ex.allClosed()).isTrue();
    }

    @Test
    void limitTakesItsValuesFromParameters() throws Exception {
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, FakeCursor.of("s0", r(1L), r(2L), r(3L)));
        ex.parameters = new Object[] {"x", 1, 1L};
        Limit limit = new Limit(Bound.parameter(3), Bound.parameter(2), new Concat(ex.scatter()));
        assertThat(FakeExecution.drain(limit.open(ex))).containsExactly(l(2L));
        ex.parameters = new Object[] {"x", -1, 0};
        assertThatThrownBy(() -> new Limit(null, Bound.parameter(2), new Concat(ex.scatter())).open(ex))
                .isInstanceOf(ShardException.class).hasMessageContaining("must be a non-negative integer");
    }

    @Test
    void aggregateMergesPartialsExactlyAndAnswersOneRowForNoRows() throws Exception {
        List<AggregateSpec> aggs = List.of(
                new AggregateSpec(AggregateSpec.Kind.COUNT, false, 4, 0, "COUNT(*)"),
                new AggregateSpec(AggregateSpec.Kind.SUM, false, 5, 0, "SUM(x)"),
                new AggregateSpec(AggregateSpec.Kind.AVG, false, 5, 4, "AVG(x)"));
        List<Output> outputs = List.of(Output.aggregate(1, 0), Output.aggregate(2, 1), Output.aggregate(3, 2));
        FakeExecution ex = new FakeExecution(Dialect.POSTGRESQL,
                FakeCursor.of("s0", r(2L, Long.MAX_VALUE, new BigDecimal("1"), 2L, Long.MAX_VALUE)),
                FakeCursor.of("s1", r(1L, 10L, new BigDecimal("1"), 1L, 10L)));
        Cursor c = new Aggregate(aggs, outputs, new Concat(ex.scatter())).open(ex);
        assertThat(c.next()).isTrue();
        assertThat(c.get(1)).isEqualTo(3L);
        assertThat(c.get(2)).as("a long sum that overflows becomes a decimal")
                .isEqualTo(new BigDecimal(Long.MAX_VALUE).add(BigDecimal.TEN));
        assertThat(c.get(3)).isInstanceOf(BigDecimal.class);
        assertThat(c.next()).isFalse();
        assertThat(ex.allClosed()).isTrue();

        FakeExecution empty = new FakeExecution(Dialect.POSTGRESQL, new FakeCursor("s0", List.of(), -1, false, 5));
        Cursor none = new Aggregate(aggs, outputs, new Concat(empty.scatter())).open(empty);
        assertThat(none.next()).isTrue();
        assertThat(none.get(1)).isEqualTo(0L);
        assertThat(none.get(2)).isNull();
        assertThat(none.get(3)).isNull();
    }

    @Test
    void expressionsOverAggregatesAreEvaluatedAfterTheMerge() throws Exception {
        // SELECT MAX(s) - MIN(s) ... shard rows: placeholder, max part, min part
        List<AggregateSpec> aggs = List.of(new AggregateSpec(AggregateSpec.Kind.MAX, false, 2, 0, "MAX(s)"),
                new AggregateSpec(AggregateSpec.Kind.MIN, false, 3, 0, "MIN(s)"));
        Expr range = new Expr.Binary('-', new Expr.Aggregate(0, "MAX(s)"), new Expr.Aggregate(1, "MIN(s)"));
        FakeExecution ex = new FakeExecution(Dialect.SQLITE,
                FakeCursor.of("s0", r(5, 9, 4)), FakeCursor.of("s1", r(7, 20, 13)));
        Cursor c = new Project(2, new Aggregate(aggs, List.of(Output.expression(1, range)), new Concat(ex.scatter())))
                .open(ex);
        assertThat(FakeExecution.drain(c)).containsExactly(l(16));
    }

    @Test
    void groupByMergesEqualKeysStreamedOrHashed() throws Exception {
        List<AggregateSpec> aggs = List.of(new AggregateSpec(AggregateSpec.Kind.COUNT, false, 3, 0, "COUNT(*)"));
        List<Output> outputs = List.of(Output.first(1), Output.aggregate(2, 0));
        for (boolean sorted : new boolean[] {true, false}) {
            FakeExecution ex = new FakeExecution(Dialect.SQLITE,
                    FakeCursor.of("s0", r("a", 1, 2L), r("b", 1, 1L), r(null, 1, 4L)),
                    FakeCursor.of("s1", r("a", 1, 3L), r("c", 1, 5L), r(null, 1, 1L)));
            RowSource input = sorted ? new MergeSort(List.of(new SortKey(1, false, false)), ex.scatter())
                    : new Concat(ex.scatter());
            Cursor c = new Project(1, new GroupBy(List.of(1), sorted, aggs, outputs, input)).open(ex);
            List<List<Object>> rows = FakeExecution.drain(c);
            assertThat(rows).as(sorted ? "streamed" : "hashed")
                    .as("counts take the type the shards returned in that column (Integer here)")
                    .containsExactlyInAnyOrder(l("a", 5), l("b", 1), l("c", 5), l(null, 5));
            assertThat(ex.allClosed()).isTrue();
        }
    }

    @Test
    void hashedGroupingFailsClearlyPastTheMemoryBound() throws Exception {
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, FakeCursor.of("s0", r(1, 1L), r(2, 1L), r(3, 1L)));
        ex.rowLimit = 2;
        GroupBy g = new GroupBy(List.of(1), false,
                List.of(new AggregateSpec(AggregateSpec.Kind.COUNT, false, 2, 0, "COUNT(*)")),
                List.of(Output.first(1)), new Concat(ex.scatter()));
        assertThatThrownBy(() -> g.open(ex)).isInstanceOf(MergeLimitException.class)
                .hasMessageContaining("GroupBy (hashed) needs to hold more than 2 rows in memory")
                .satisfies(e -> assertThat(((ShardException) e).getSQLState()).isEqualTo("54000"));
        assertThat(ex.allClosed()).isTrue();
    }

    @Test
    void havingFiltersMergedGroupsNotShardGroups() throws Exception {
        // each shard has 1 row of group a: a shard HAVING COUNT(*) > 1 would drop it
        List<AggregateSpec> aggs = List.of(new AggregateSpec(AggregateSpec.Kind.COUNT, false, 3, 0, "COUNT(*)"));
        FakeExecution ex = new FakeExecution(Dialect.SQLITE,
                FakeCursor.of("s0", r("a", 1, 1L), r("b", 1, 1L)), FakeCursor.of("s1", r("a", 1, 1L)));
        RowSource grouped = new GroupBy(List.of(1), false, aggs, List.of(Output.first(1), Output.aggregate(2, 0)),
                new Concat(ex.scatter()));
        Having having = new Having(new Expr.Compare(">", new Expr.Aggregate(0, "COUNT(*)"), new Expr.Const(1L)), grouped);
        assertThat(FakeExecution.drain(new Project(1, having).open(ex))).containsExactly(l("a", 2));
    }

    @Test
    void distinctDropsRowsAnotherShardReturnedAndKeepsOrder() throws Exception {
        FakeExecution ex = new FakeExecution(Dialect.SQLITE,
                FakeCursor.of("s0", r(1L), r(2L), r(4L)), FakeCursor.of("s1", r(1.0), r(3L), r(4L)));
        Distinct d = new Distinct(0, new MergeSort(List.of(new SortKey(1, false, null)), ex.scatter()));
        assertThat(FakeExecution.drain(d.open(ex))).extracting(x -> ((Number) x.get(0)).longValue())
                .containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void sortOrdersMergedRowsStably() throws Exception {
        FakeExecution ex = new FakeExecution(Dialect.POSTGRESQL,
                FakeCursor.of("s0", r("x", 2L), r("y", null)), FakeCursor.of("s1", r("z", 2L), r("w", 1L)));
        Sort s = new Sort(List.of(new SortKey(2, true, null)), new Concat(ex.scatter()));
        assertThat(FakeExecution.drain(s.open(ex))).extracting(x -> x.get(0)).containsExactly("y", "x", "z", "w");
    }

    @Test
    void aShardFailingBeforeItsFirstRowFailsTheQueryAndClosesTheOthers() throws Exception {
        FakeCursor ok = FakeCursor.of("s0", r(1L), r(2L));
        FakeCursor bad = new FakeCursor("s1", List.<Object[]>of(r(5L)), 0, false);
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, ok, bad);
        Cursor c = new MergeSort(List.of(new SortKey(1, false, null)), ex.scatter()).open(ex);
        assertThatThrownBy(c::next).isInstanceOf(ShardException.class).hasMessageStartingWith("shard s1: ");
        c.close();
        assertThat(ex.allClosed()).isTrue();
    }

    @Test
    void aShardFailingAfterSomeRowsFailsTheQueryMidStream() throws Exception {
        FakeCursor ok = FakeCursor.of("s0", r(1L), r(3L), r(5L));
        FakeCursor bad = new FakeCursor("s1", List.<Object[]>of(r(2L), r(4L), r(6L)), 2, false);
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, ok, bad);
        Cursor c = new Limit(null, Bound.of(10), new MergeSort(List.of(new SortKey(1, false, null)), ex.scatter()))
                .open(ex);
        assertThat(c.next()).isTrue();
        assertThat(c.next()).isTrue();
        assertThat(c.next()).isTrue();
        assertThatThrownBy(() -> {
            while (c.next()) {
                c.get(1);
            }
        }).isInstanceOf(ShardException.class).hasMessageContaining("s1").hasMessageContaining("connection reset");
        c.close();
        assertThat(ex.allClosed()).isTrue();
    }

    @Test
    void aShardFailingAtCloseStillClosesEveryOtherShard() throws Exception {
        FakeCursor a = FakeCursor.of("s0", r(1L));
        FakeCursor bad = new FakeCursor("s1", List.<Object[]>of(r(2L)), -1, true);
        FakeCursor c = FakeCursor.of("s2", r(3L));
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, a, bad, c);
        Cursor concat = new Concat(ex.scatter()).open(ex);
        assertThat(concat.next()).isTrue();
        assertThatThrownBy(concat::close).isInstanceOf(ShardException.class).hasMessageContaining("close failed");
        assertThat(ex.allClosed()).isTrue();
    }

    @Test
    void firstHitAnswersFromTheFirstShardWithRowsAndNeverOpensTheRest() throws Exception {
        FakeCursor hot = new FakeCursor("s0", List.of(), -1, false, 2);
        FakeCursor a2025 = FakeCursor.of("s1", r(7L, "archived 2025"));
        FakeCursor a2024 = FakeCursor.of("s2", r(7L, "stale"));
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, hot, a2025, a2024);
        FirstHit lookup = new FirstHit(ex.scatter().routes());
        assertThat(FakeExecution.drain(lookup.open(ex))).containsExactly(l(7L, "archived 2025"));
        assertThat(hot.closed).isTrue();
        assertThat(a2024.reads).as("the last archive is never read").isZero();
    }

    @Test
    void shadowDropsArchiveRowsWhoseIdIsHotInBatches() throws Exception {
        // rows: id, value; the id is the last column as the shard query puts it
        FakeCursor hot = FakeCursor.of("s0", r("hot", 3L), r("hot", 5L));
        Object[][] archived = new Object[600][];
        for (int i = 0; i < archived.length; i++) {
            archived[i] = r("archive", (long) i);
        }
        FakeCursor archive = new FakeCursor("s1", List.of(archived), -1, false);
        FakeExecution ex = new FakeExecution(Dialect.SQLITE, hot, archive);
        ex.hotIds.add(ex.values().identity(3L));
        ex.hotIds.add(ex.values().identity(5L));
        ex.hotIds.add(ex.values().identity(599L));
        Concat scan = new Concat(new Shadow(ex.scatter(), 1, "orders", "id"));
        List<List<Object>> rows = FakeExecution.drain(scan.open(ex));
        assertThat(rows).hasSize(2 + 600 - 3);
        assertThat(rows).contains(l("hot", 3L), l("hot", 5L)).doesNotContain(l("archive", 3L), l("archive", 599L));
        assertThat(ex.probes).as("one hot lookup per batch of " + Shadow.BATCH).isEqualTo(3);
        assertThat(ex.maxHeld).isLessThanOrEqualTo(Shadow.BATCH);
        assertThat(ex.allClosed()).isTrue();
    }
}
