package io.shardkit.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ShardSet} parameters (of constructors, lifecycle and test methods) to four empty
 * databases and a reference database on the {@link EmbeddedPostgres} server. One set per test
 * class, made on first use, dropped after the class. Use it through {@link PostgresShards} or
 * {@code @ExtendWith(PostgresShardsExtension.class)}.
 *
 * <p>Use one shard extension per test class: two would both claim the {@code ShardSet} parameter.
 */
public final class PostgresShardsExtension implements ParameterResolver {

    private final ShardSetResolver resolver =
            new ShardSetResolver("postgresql", stem -> ShardSetResolver.onServer(EmbeddedPostgres.get(), stem));

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.supports(parameter);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.resolve(context);
    }
}
