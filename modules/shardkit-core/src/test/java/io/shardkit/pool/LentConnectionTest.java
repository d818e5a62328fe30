package io.shardkit.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hand-written part over the generated {@link ForwardingConnection}: close once, give back, answer closed. */
class LentConnectionTest {

    @Test
    void i13_05_permitConnectionGivesItsPermitBackOnceAndForwardsTheRest() throws Exception {
        AtomicInteger permits = new AtomicInteger();
        Connection raw = DriverManager.getConnection("jdbc:sqlite::memory:");
        PermitConnection lent = new PermitConnection(raw, permits::incrementAndGet);
        try (Statement st = lent.createStatement(); ResultSet rs = st.executeQuery("SELECT 41 + 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        assertThat(lent.getAutoCommit()).isEqualTo(raw.getAutoCommit());
        assertThat(lent.unwrap(PermitConnection.class)).isSameAs(lent);
        assertThat(lent.unwrap(LentConnection.class)).isSameAs(lent);
        assertThat(lent.unwrap(raw.getClass())).isSameAs(raw);
        assertThat(lent.isWrapperFor(raw.getClass())).isTrue();
        assertThat(lent.isClosed()).isFalse();

        lent.close();
        lent.close();
        assertThat(permits).hasValue(1);
        assertThat(raw.isClosed()).isTrue();
        assertThat(lent.isClosed()).isTrue();
    }

    @Test
    void i13_06_aLentConnectionIsClosedOnceClosedEvenIfItsDelegateStaysOpen() throws Exception {
        AtomicInteger released = new AtomicInteger();
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            LentConnection lent = new LentConnection(raw) {
                @Override
                protected void release() {
                    released.incrementAndGet();
                }
            };
            lent.close();
            lent.close();
            assertThat(released).hasValue(1);
            assertThat(raw.isClosed()).isFalse();
            assertThat(lent.isClosed()).isTrue();
        }
    }
}
