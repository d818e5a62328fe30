package io.shardkit.split;

import io.shardkit.testing.PostgresShards;

/** Split tables with schema-per-tenant on PostgreSQL: two shards, a schema per tenant. */
@PostgresShards
class PostgresSplitTenancyTest extends SplitTenancyContract {
    @Override
    int shardCount() {
        return 2;
    }

    @Override
    String pattern() {
        return "t_{tenant}";
    }

    @Override
    String quote(String name) {
        return '"' + name + '"';
    }
}
