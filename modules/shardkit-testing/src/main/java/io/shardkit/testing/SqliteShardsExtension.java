package io.shardkit.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ShardSet} parameters (of constructors, lifecycle and test methods) to four empty
 * SQLite database files and a reference file in a new temporary folder. One set per test class,
 * made on first use, deleted after the class. Use it through {@link SqliteShards} or {@code
 * @ExtendWith(SqliteShardsExtension.class)}.
 *
 * <p>Use one shard extension per test class: two would both claim the {@code ShardSet} parameter.
 */
public final class SqliteShardsExtension implements ParameterResolver {

    private final ShardSetResolver resolver =
            new ShardSetResolver("sqlite", ShardSetResolver::sqlite);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.supports(parameter);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.resolve(context);
    }
}
