package io.shardkit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@SqliteShards
class SqliteShardsTest {

    @Test
    void fourSeparateFilesAndAReference(ShardSet shards) throws Exception {
        assertThat(shards.dialect()).isEqualTo("sqlite");
        assertThat(shards.names()).containsExactly("s0", "s1", "s2", "s3");
        assertThat(shards.urls()).doesNotHaveDuplicates().allMatch(url -> url.startsWith("jdbc:sqlite:/"));
        assertThat(shards.user()).isNull();

        RoundTrip.check(shards);

        assertThat(Files.size(Path.of(shards.url(0).substring("jdbc:sqlite:".length())))).isPositive();
    }

    @Test
    void everyMethodOfAClassSeesTheSameSet(ShardSet first, ShardSet second) {
        assertThat(second).isSameAs(first);
    }
}
