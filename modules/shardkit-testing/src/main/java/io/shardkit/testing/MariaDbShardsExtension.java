package io.shardkit.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves {@link ShardSet} parameters (constructor, lifecycle or test methods) to four empty databases on the {@link EmbeddedMariaDb} server (plus a reference database),
 * one set per test class, made on first use and dropped after the class. Use it through {@link MariaDbShards}
 * or {@code @ExtendWith(MariaDbShardsExtension.class)}.
 *
 * <p>Only one shard extension per test class: two of them would both claim the {@code ShardSet} parameter.
 */
public final class MariaDbShardsExtension implements ParameterResolver {

    private final ShardSetResolver resolver = new ShardSetResolver("mysql", stem -> ShardSetResolver.onServer(EmbeddedMariaDb.get(), stem));

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.supports(parameter);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return resolver.resolve(context);
    }
}
