package io.shardkit.split;

import io.shardkit.testing.MariaDbShards;

/** Split tables with schema-per-tenant on MariaDB: one shard (a tenant's database is server-wide). */
@MariaDbShards
class MariaDbSplitTenancyTest extends SplitTenancyContract {
    @Override
    int shardCount() {
        return 1;
    }

    @Override
    String pattern() {
        return "t_{tenant}";
    }

    @Override
    String quote(String name) {
        return '`' + name + '`';
    }
}
