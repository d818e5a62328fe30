package io.shardkit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class {@link ShardSet} parameters: four empty databases and a reference database on
 * the {@link EmbeddedMariaDb} server. Shorthand for {@code
 * @ExtendWith(MariaDbShardsExtension.class)}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(MariaDbShardsExtension.class)
public @interface MariaDbShards {
}
