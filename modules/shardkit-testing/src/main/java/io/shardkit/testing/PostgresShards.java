package io.shardkit.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/** Gives the annotated test class {@link ShardSet} parameters: four empty databases on the {@link EmbeddedPostgres} server (plus a reference database). See {@link PostgresShardsExtension}. */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PostgresShardsExtension.class)
public @interface PostgresShards {
}
