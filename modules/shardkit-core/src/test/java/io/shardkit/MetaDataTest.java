package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.jdbc.ShardedConnection;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.jdbc4.JDBC4DatabaseMetaData;

/**
 * Issue 12, bug 3: {@code getMetaData()} returned one shard's physical metadata, whose
 * {@code getConnection()} was the raw pooled shard connection (a write through it bypassed
 * routing) and whose catalog described one shard (Hibernate's validate passed while a shard lacked
 * a column).
 */
class MetaDataTest {
    @TempDir
    Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = FourSqliteShards.open(dir, "",
                "CREATE TABLE notes (note_id INTEGER PRIMARY KEY, owner INTEGER, body TEXT, stars INTEGER)");
    }

    private String url(int shard) {
        return FourSqliteShards.url(dir, shard);
    }

    @AfterEach
    void close() {
        FourSqliteShards.close(ds);
    }

    @Test
    void i12_03_metadataConnectionIsTheShardedConnectionSoWritesRoute() throws SQLException {
        try (Connection c = ds.getConnection()) {
            Connection through = c.getMetaData().getConnection();
            assertThat(through).isSameAs(c);
            try (Statement st = through.createStatement()) {
                st.executeUpdate("INSERT INTO notes (note_id, owner, body) VALUES (1, 2, 'x')");
            }
        }
        try (Connection raw = DriverManager.getConnection(url(2)); Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows on s2, where owner 2 belongs").isEqualTo(1);
        }
        try (Connection raw = DriverManager.getConnection(url(0)); Statement st = raw.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM notes")) {
            rs.next();
            assertThat(rs.getLong(1)).as("rows on s0").isZero();
        }
    }

    @Test
    void i12_03_metadataNeverEnlistsAShard() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.getDatabaseProductName()).isEqualTo("SQLite");
            assertThat(md.supportsTransactions()).isTrue();
            try (ResultSet rs = md.getTables(null, null, "notes", null)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("TABLE_NAME")).isEqualTo("notes");
            }
            ShardedConnection sc = c.unwrap(ShardedConnection.class);
            for (String s : ds.shardNames()) {
                assertThat(sc.holds(s)).as("holds " + s).isFalse();
            }
            c.rollback();
        }
    }

    @Test
    void i12_03_catalogAnswersWithWhatEveryShardHas() throws SQLException {
        assertThat(columns()).containsExactly("note_id", "owner", "body", "stars");
        try (Connection raw = DriverManager.getConnection(url(2)); Statement st = raw.createStatement()) {
            st.execute("ALTER TABLE notes DROP COLUMN stars");
        }
        assertThat(columns()).as("s2 lacks stars").containsExactly("note_id", "owner", "body");
        try (Connection raw = DriverManager.getConnection(url(1)); Statement st = raw.createStatement()) {
            st.execute("ALTER TABLE notes ADD COLUMN extra TEXT");
        }
        assertThat(columns()).as("only s1 has extra").containsExactly("note_id", "owner", "body");
    }

    @Test
    void i12_03_metadataDoesNotUnwrapToTheDriversOwn() throws SQLException {
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            assertThat(md.isWrapperFor(JDBC4DatabaseMetaData.class)).isFalse();
            assertThatThrownBy(() -> md.unwrap(JDBC4DatabaseMetaData.class))
                    .isInstanceOf(SQLException.class).hasMessageContaining("does not unwrap");
        }
    }

    private List<String> columns() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); ResultSet rs = c.getMetaData().getColumns(null, null, "notes", null)) {
            while (rs.next()) {
                out.add(rs.getString("COLUMN_NAME"));
            }
        }
        return out;
    }
}
