package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Types;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, bug 5: every prepareCall on a routed connection was refused, even the plain selects
 * Liquibase sends through it and {@code {? = call f()}} of a built-in function; on a pinned
 * connection it passed holdability -1 to the driver.
 */
class CallTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = FourSqliteShards.open(dir, "",
                "CREATE TABLE notes (note_id INTEGER PRIMARY KEY, owner INTEGER, body TEXT)");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 1, 'a'), (2, 2, 'b'), (3, 6, 'c')");
        }
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    @Test
    void i12_05_plainSelectThroughPrepareCallIsRouted() throws SQLException {
        try (Connection c = ds.getConnection();
                CallableStatement call = c.prepareCall("SELECT COUNT(*) FROM notes WHERE owner IN (?, ?)")) {
            call.setLong(1, 2);
            call.setLong(2, 6);
            try (ResultSet rs = call.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
            assertThat(call.getConnection()).isSameAs(c);
        }
    }

    @Test
    void i12_05_returnValueOfABuiltInFunction() throws SQLException {
        try (Connection c = ds.getConnection(); CallableStatement call = c.prepareCall("{? = call upper(?)}")) {
            call.registerOutParameter(1, Types.VARCHAR);
            call.setString(2, "abc");
            assertThat(call.execute()).isFalse();
            assertThat(call.getString(1)).isEqualTo("ABC");
            assertThat(call.wasNull()).isFalse();
            assertThatThrownBy(() -> call.getString(2)).isInstanceOf(SQLException.class).hasMessageContaining("no value");
        }
        try (Connection c = ds.getConnection(); CallableStatement call = c.prepareCall("{ ? = call abs(?) }")) {
            call.registerOutParameter(1, Types.BIGINT);
            call.setLong(2, -42);
            call.execute();
            assertThat(call.getLong(1)).isEqualTo(42L);
        }
    }

    @Test
    void i12_05_whatIsNotAnAnalysableCallIsRefused() throws SQLException {
        try (Connection c = ds.getConnection()) {
            try (CallableStatement call = c.prepareCall("{call archive_player(?)}")) {
                call.setLong(1, 5);
                assertThatThrownBy(call::execute).isInstanceOf(SQLFeatureNotSupportedException.class)
                        .hasMessageContaining("archive_player");
            }
            try (CallableStatement call = c.prepareCall("{? = call upper(?)}")) {
                assertThatThrownBy(() -> call.registerOutParameter(2, Types.VARCHAR))
                        .isInstanceOf(SQLFeatureNotSupportedException.class).hasMessageContaining("OUT parameter 2");
                assertThatThrownBy(() -> call.setString("name", "x")).isInstanceOf(SQLFeatureNotSupportedException.class);
            }
        }
    }

    /** Issue 12: a DataSource view of one shard for per-shard tools (Flyway, Liquibase, schema tools). */
    @Test
    void i12_dataSourceForOneShardRunsAsWrittenOnIt() throws SQLException {
        DataSource s2 = ds.dataSourceFor("s2");
        try (Connection c = s2.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE tool_history (version INTEGER)");
            st.executeUpdate("INSERT INTO tool_history (version) VALUES (1)");
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
                rs.next();
                assertThat(rs.getLong(1)).as("notes on s2 only").isEqualTo(2);
            }
        }
        try (Connection c = ds.dataSourceFor("s1").getConnection(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM tool_history")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("shard s1");
        }
        assertThat(s2.unwrap(ShardedDataSource.class)).isSameAs(ds);
        assertThat(((ShardDataSource) s2).shard()).isEqualTo("s2");
        assertThatThrownBy(() -> ds.dataSourceFor("s9")).isInstanceOf(ShardException.class)
                .hasMessageContaining("unknown shard 's9' (known: s0, s1, s2, s3)");
        assertThatThrownBy(() -> s2.getConnection("u", "p")).isInstanceOf(SQLFeatureNotSupportedException.class);
    }
}
