package io.shardkit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class {@link ShardSet} parameters: four empty SQLite database files and a reference
 * file in a new temporary folder. Shorthand for {@code @ExtendWith(SqliteShardsExtension.class)}.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(SqliteShardsExtension.class)
public @interface SqliteShards {
}
