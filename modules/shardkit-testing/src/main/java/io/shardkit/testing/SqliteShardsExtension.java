package io.shardkit.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ShardSet} parameters (constructor, lifecycle or test methods) to four empty SQLite database files in a temporary folder (plus a reference file),
 * one set per test class, made on first use and deleted after the class. Use it through {@link SqliteShards}
 * or {@code @ExtendWith(SqliteShardsExtension.class)}.
 *
 * <p>Only one shard extension per test class: two of them would both claim the {@code ShardSet} parameter.
 */
public final class SqliteShardsExtension implements ParameterResolver {

    private final ShardSetResolver resolver = new ShardSetResolver("sqlite", ShardSetResolver::sqlite);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.supports(parameter);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.resolve(context);
    }
}
