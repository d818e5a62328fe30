package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shardkit.config.Tenancy;
import java.sql.Connection;
import java.sql.SQLException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant names are refused before they reach any SQL, each with SQLState 42602 and a message
 * saying why; a drop needs its confirmation before any shard is touched. The shard is a
 * PostgreSQL URL nothing listens on: reaching the database would fail differently (08001).
 */
class TenantNamesTest {
    ShardedDataSource ds;

    @BeforeEach
    void open() throws SQLException {
        ds = ShardedDataSource.builder()
                .shard("s0", "jdbc:postgresql://127.0.0.1:1/app")
                .pool("connectionTimeout", 250)
                .tenancy(Tenancy.rewrite("tenant_{tenant}").withShared("public.users").withTenants("client1"))
                .build();
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private static void refused(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(ShardException.class)
                .hasMessage(message)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(Tenants.INVALID_NAME);
    }

    @Test
    void aListedTenantNeedsNoDatabaseLookup() throws SQLException {
        TenantDataSource client1 = ds.forTenant("client1");
        assertThat(client1.tenant()).isEqualTo("client1");
        assertThat(client1.schema()).isEqualTo("tenant_client1");
        assertThat(ds.forTenant("client1")).isSameAs(client1);
        try (Connection c = client1.getConnection()) {
            assertThat(c.getSchema()).isEqualTo("tenant_client1");
            assertThatThrownBy(() -> c.setSchema("tenant_client2"))
                    .hasMessageStartingWith("setSchema on a connection of tenant client1 (schema tenant_client1, rewrite"
                            + " mode): its statements run in the tenant's schema only")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("0A000");
            assertThatThrownBy(() -> c.setCatalog("other")).hasMessageStartingWith("setCatalog on a connection of tenant client1");
        }
    }

    @Test
    void injectionIsNotAName() {
        refused(() -> ds.forTenant("x\"; DROP SCHEMA public; --"), "tenant name 'x\"; DROP SCHEMA public; --' is not a"
                + " plain identifier: use lower-case letters, digits and _, starting with a letter or _");
    }

    @Test
    void aQualifiedNameIsNotAName() {
        refused(() -> ds.forTenant("a.b"), "tenant name 'a.b' is not a plain identifier: use lower-case letters, digits"
                + " and _, starting with a letter or _");
    }

    @Test
    void emptyAndNullAreNotNames() {
        refused(() -> ds.forTenant(""), "a tenant name is needed (got an empty name)");
        refused(() -> ds.forTenant(null), "a tenant name is needed (got null)");
    }

    @Test
    void anOverLongNameIsRefused() {
        String fits = "t".repeat(56);
        String tooLong = "t".repeat(57);
        assertThat(ds.tenants().configured()).isTrue();
        refused(() -> ds.forTenant(tooLong), "tenant name '" + tooLong + "' is 57 characters long; at most 56 fit, since"
                + " its schema (tenant_{tenant}) must stay within 63 characters");
        // the longest name passes validation and only then asks the (absent) database
        assertThatThrownBy(() -> ds.forTenant(fits)).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isNotEqualTo(Tenants.INVALID_NAME);
    }

    @Test
    void upperCaseAndDigitsFirstAreRefused() {
        refused(() -> ds.forTenant("Client1"), "tenant name 'Client1' is not a plain identifier: use lower-case letters,"
                + " digits and _, starting with a letter or _");
        refused(() -> ds.tenants().create("1client"), "tenant name '1client' is not a plain identifier: use lower-case"
                + " letters, digits and _, starting with a letter or _");
    }

    @Test
    void dropNeedsTheNameAgain() {
        assertThatThrownBy(() -> ds.tenants().drop("client1", "yes"))
                .hasMessage("dropping tenant client1 deletes schema tenant_client1 and every row in it on every shard;"
                        + " to confirm, pass the tenant's name again: ds.tenants().drop(\"client1\", \"client1\")")
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(Tenants.NOT_CONFIRMED);
        assertThatThrownBy(() -> ds.tenants().drop("client1", null))
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo(Tenants.NOT_CONFIRMED);
        refused(() -> ds.tenants().drop("a.b", "a.b"), "tenant name 'a.b' is not a plain identifier: use lower-case"
                + " letters, digits and _, starting with a letter or _");
    }

    @Test
    void withoutTenancyThereAreNoTenants() throws SQLException {
        try (ShardedDataSource plain = ShardedDataSource.builder().shard("s0", "jdbc:postgresql://127.0.0.1:1/app").build()) {
            assertThat(plain.tenants().configured()).isFalse();
            assertThatThrownBy(() -> plain.forTenant("client1"))
                    .hasMessageStartingWith("tenancy is not configured: add a tenancy: section to the shard map");
        }
    }
}
