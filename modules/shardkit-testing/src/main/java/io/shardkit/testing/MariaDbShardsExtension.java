package io.shardkit.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ShardSet} parameters (of constructors, lifecycle and test methods) to four empty
 * databases and a reference database on the {@link EmbeddedMariaDb} server. One set per test
 * class, made on first use, dropped after the class. Use it through {@link MariaDbShards} or
 * {@code @ExtendWith(MariaDbShardsExtension.class)}.
 *
 * <p>Use one shard extension per test class: two would both claim the {@code ShardSet} parameter.
 */
public final class MariaDbShardsExtension implements ParameterResolver {

    private final ShardSetResolver resolver =
            new ShardSetResolver("mysql", stem -> ShardSetResolver.onServer(EmbeddedMariaDb.get(), stem));

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.supports(parameter);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.resolve(context);
    }
}
