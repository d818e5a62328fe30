package io.shardkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {

    /** A resource that records its close and may fail it. */
    private static final class Res {
        final String name;
        final SQLException failure;
        boolean closed;

        Res(String name, SQLException failure) {
            this.name = name;
            this.failure = failure;
        }

        void close() throws SQLException {
            closed = true;
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void i13_02_closeAllClosesEveryResourceAndThrowsTheFirstFailureWithTheRestSuppressed() {
        SQLException second = new SQLException("second fails", "08006");
        SQLException fourth = new SQLException("fourth fails", "57014");
        List<Res> all = List.of(new Res("a", null), new Res("b", second), new Res("c", null), new Res("d", fourth));

        assertThatThrownBy(() -> Closer.closeAll(all, Res::close))
                .isSameAs(second)
                .hasMessage("second fails")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08006"));
        assertThat(all).allMatch(r -> r.closed);
        assertThat(second.getSuppressed()).containsExactly(fourth);
        assertThat(fourth.getSuppressed()).isEmpty();
    }

    @Test
    void i13_02_closeAllWithoutFailuresThrowsNothingAndSkipsNulls() throws SQLException {
        Res a = new Res("a", null);
        Res b = new Res("b", null);
        Closer.closeAll(Arrays.asList(a, null, b), Res::close);

        assertThat(a.closed).isTrue();
        assertThat(b.closed).isTrue();
    }

    @Test
    void i13_02_instanceRunsEveryStepKeepsTheFirstAndDoesNotSuppressAnErrorIntoItself() {
        SQLException first = new SQLException("rollback failed", "25000");
        SQLException later = new SQLException("close failed", "08003");
        List<String> ran = new ArrayList<>();
        Closer closer = new Closer();

        closer.run(() -> ran.add("ok"));
        assertThat((Object) closer.first()).isNull();
        closer.run(() -> {
            ran.add("rollback");
            throw first;
        });
        closer.close(new Res("c", later), Res::close);
        closer.close(null, Res::close);
        closer.add(first); // the same error again is not suppressed into itself
        closer.run(() -> ran.add("after"));

        assertThat(ran).containsExactly("ok", "rollback", "after");
        assertThat((Object) closer.first()).isSameAs(first);
        assertThat(first.getSuppressed()).containsExactly(later);
        assertThatThrownBy(closer::throwFirst).isSameAs(first);
    }

    @Test
    void i13_02_throwFirstWithoutFailureDoesNothing() throws SQLException {
        Closer closer = new Closer();
        closer.run(() -> { });
        closer.throwFirst();
        assertThat((Object) closer.first()).isNull();
    }

    @Test
    void i13_02_keepReturnsTheKeptErrorAndSuppressesTheNextOne() {
        SQLException a = new SQLException("a");
        SQLException b = new SQLException("b");

        assertThat((Object) Closer.keep(null, null)).isNull();
        assertThat((Object) Closer.keep(null, a)).isSameAs(a);
        assertThat((Object) Closer.keep(a, null)).isSameAs(a);
        assertThat((Object) Closer.keep(a, a)).isSameAs(a);
        assertThat(a.getSuppressed()).isEmpty();
        assertThat((Object) Closer.keep(a, b)).isSameAs(a);
        assertThat(a.getSuppressed()).containsExactly(b);
    }

    @Test
    void i13_02_runAfterKeepsTheOriginalFailureAndAddsTheCleanupsOwn() {
        RuntimeException failure = new IllegalStateException("the statement failed");
        SQLException cleanup = new SQLException("DROP SCHEMA failed", "42501");

        Closer.runAfter(failure, () -> {
            throw cleanup;
        });
        Closer.runAfter(failure, () -> { });

        assertThat(failure.getSuppressed()).containsExactly(cleanup);
    }
}
