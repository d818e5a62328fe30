package io.shardkit.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.ShardException;
import io.shardkit.ShardedDataSource;
import io.shardkit.archive.AdminAccess;
import io.shardkit.archive.Archiver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, archive package: the admin connections moved out of {@code ShardedDataSource} into
 * {@link AdminConnections}, opened only from {@code io.shardkit.archive}, and {@code ds.archiver(table)}.
 */
class AdminConnectionsTest {
    @TempDir Path dir;
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        String yaml = """
                shards:
                  - name: hot
                    url: jdbc:sqlite:%1$s/hot.db
                    create: true
                  - name: a0
                    url: jdbc:sqlite:%1$s/a0.db
                    readOnly: true
                    create: true
                    tier: archive
                tables:
                  events:
                    key: id
                    strategy: {type: mod, shards: [hot]}
                    archive: {shards: [a0], id: id, cutoff: {column: id, below: 3}}
                  plain:
                    key: id
                    strategy: {type: mod, shards: [hot]}
                """.formatted(dir);
        ds = ShardedDataSource.fromYaml(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        for (String shard : new String[] {"hot", "a0"}) {
            try (Connection c = AdminAccess.open(ds, shard); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT)");
            }
        }
        try (Connection c = AdminAccess.open(ds, "hot"); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO events VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four')");
        }
    }

    @AfterEach
    void close() {
        ds.close();
    }

    @Test
    void i13_a01_adminConnectionsRefuseCallersOutsideTheArchivePackage() throws SQLException {
        assertThatThrownBy(() -> ds.unwrap(AdminConnections.class).open("a0"))
                .isInstanceOf(IllegalCallerException.class)
                .hasMessage("admin connections are for io.shardkit.archive and io.shardkit.reshard only, not " + getClass().getName()
                        + ": applications reach read-only shards through the data source");
        try (Connection c = AdminAccess.open(ds, "a0"); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO events VALUES (9, 'written by the archive package')"))
                    .as("writable past the archive's read-only rule").isEqualTo(1);
        }
        assertThatThrownBy(() -> AdminAccess.open(ds, "nope"))
                .isInstanceOf(ShardException.class)
                .hasMessage("unknown shard 'nope'")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(ShardException.ROUTING));
    }

    @Test
    void i13_a02_dataSourceArchiverIsArchiverOf() throws SQLException {
        assertThatThrownBy(() -> ds.archiver("plain"))
                .isInstanceOf(ShardException.class)
                .hasMessage("cannot archive plain: it has no archive tier (add archive: {shards: [...], cutoff: {...}} "
                        + "under tables.plain in the shard map)")
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo(Archiver.NOT_ARCHIVABLE));
        assertThat(ds.archiver("events").dryRun(true).run().rowsFound()).isEqualTo(2);
        assertThat(ds.archiver("EVENTS").run().rowsMoved()).isEqualTo(2);
        try (Connection c = AdminAccess.open(ds, "a0"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT group_concat(id) FROM (SELECT id FROM events ORDER BY id)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1,2");
        }
    }
}
