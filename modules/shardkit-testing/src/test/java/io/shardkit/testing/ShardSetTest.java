package io.shardkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShardSetTest {

    private final ShardSet pg = new ShardSet("postgresql", List.of("s0", "s1"),
            List.of("jdbc:postgresql://127.0.0.1:5432/a_s0", "jdbc:postgresql://127.0.0.1:5432/a_s1"),
            "postgres", null, "jdbc:postgresql://127.0.0.1:5432/a_ref");

    @Test
    void yamlListsEveryShardAndLeavesOutNullCredentials() {
        assertThat(pg.yamlShards()).isEqualTo("""
                shards:
                  - name: s0
                    url: jdbc:postgresql://127.0.0.1:5432/a_s0
                    user: postgres
                  - name: s1
                    url: jdbc:postgresql://127.0.0.1:5432/a_s1
                    user: postgres
                """);
    }

    @Test
    void yamlQuotesWhatPlainYamlWouldMisread() {
        ShardSet odd = new ShardSet("mysql", List.of("s0"),
                List.of("jdbc:mysql://127.0.0.1:3306/x?sslMode=DISABLED&allowPublicKeyRetrieval=true"),
                "root", "p#ss: \"w\\x\"");
        assertThat(odd.yamlShards()).isEqualTo("""
                shards:
                  - name: s0
                    url: jdbc:mysql://127.0.0.1:3306/x?sslMode=DISABLED&allowPublicKeyRetrieval=true
                    user: root
                    password: "p#ss: \\"w\\\\x\\""
                """);
        assertThat(ShardSet.scalar("")).isEqualTo("\"\"");
        assertThat(ShardSet.scalar("123")).isEqualTo("\"123\"");
        assertThat(ShardSet.scalar("true")).isEqualTo("\"true\"");
        assertThat(ShardSet.scalar("-x")).isEqualTo("\"-x\"");
        assertThat(ShardSet.scalar("a:")).isEqualTo("\"a:\"");
        assertThat(ShardSet.scalar("jdbc:sqlite:/tmp/shardkit-x/s0.db")).isEqualTo("jdbc:sqlite:/tmp/shardkit-x/s0.db");
    }

    @Test
    void referenceIsAOneShardSetOfItsOwn() {
        ShardSet reference = pg.reference();
        assertThat(reference.names()).containsExactly(ShardSet.REFERENCE_NAME);
        assertThat(reference.url(0)).isEqualTo("jdbc:postgresql://127.0.0.1:5432/a_ref");
        assertThat(reference.user()).isEqualTo("postgres");
        assertThat(reference.hasReference()).isFalse();
        assertThatThrownBy(reference::reference).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no reference database");
    }

    @Test
    void namesAndUrlsMustPairUp() {
        assertThatThrownBy(() -> new ShardSet("sqlite", List.of("s0", "s1"), List.of("jdbc:sqlite:x"), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one URL per shard name");
    }

    @Test
    void databaseOfAServerUrlIsReplacedKeepingOptions() {
        assertThat(ShardServer.withDatabase("jdbc:postgresql://h:5432/postgres?ssl=false", "sk_1"))
                .isEqualTo("jdbc:postgresql://h:5432/sk_1?ssl=false");
        assertThat(ShardServer.withDatabase("jdbc:mysql://127.0.0.1:3306/?sslMode=DISABLED", "sk_1"))
                .isEqualTo("jdbc:mysql://127.0.0.1:3306/sk_1?sslMode=DISABLED");
        assertThat(ShardServer.withDatabase("jdbc:mysql://h1:3306,h2:3306", "sk_1"))
                .isEqualTo("jdbc:mysql://h1:3306,h2:3306/sk_1");
        assertThatThrownBy(() -> ShardServer.withDatabase("postgres://h/db", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void databaseNamesAreCheckedBeforeTheyReachSql() {
        assertThatThrownBy(() -> ShardServer.checkName("x\"; DROP DATABASE postgres; --"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("database name must match");
    }

    @Test
    void databaseNameStemsFitEveryServerAndDoNotRepeat() {
        class AVeryLongTestClassNameThatGoesOnAndOnForeverAndEver {
        }
        String first = ShardSetResolver.stem(AVeryLongTestClassNameThatGoesOnAndOnForeverAndEver.class);
        String second = ShardSetResolver.stem(AVeryLongTestClassNameThatGoesOnAndOnForeverAndEver.class);
        assertThat(first).isNotEqualTo(second).startsWith("sk_averylongtestclassnameth_").matches("[a-z0-9_]+");
        assertThat(first.length() + "_ref".length()).isLessThanOrEqualTo(63);
    }
}
