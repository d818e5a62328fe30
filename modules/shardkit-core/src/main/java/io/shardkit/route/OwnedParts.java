package io.shardkit.route;

import io.shardkit.RefusedException;
import io.shardkit.sql.Dialect;
import java.util.BitSet;
import java.util.Map;

/**
 * The parts of a {@link RouteDecision} whose shards hold buckets they no longer own: renders any
 * SQL text of the statement (its own, a merged read's shard query) for a part, with the ownership
 * predicate on those parts and unchanged on the others (see {@link OwnedScatter}).
 */
final class OwnedParts {
    private final OwnedScatter owner;
    private final String context;
    private final Map<String, String> keys;
    private final int buckets;
    private final BitSet[] retained;
    private final Dialect[] dialects;

    OwnedParts(OwnedScatter owner, String context, Map<String, String> keys, int buckets,
            BitSet[] retained, Dialect[] dialects) {
        this.owner = owner;
        this.context = context;
        this.keys = keys;
        this.buckets = buckets;
        this.retained = retained;
        this.dialects = dialects;
    }

    Dialect dialect(int part) {
        return dialects[part];
    }

    /** {@code text} as part {@code part} runs it. */
    String render(String text, int part) throws RefusedException {
        BitSet r = retained[part];
        return r == null ? text : owner.render(text, dialects[part], keys, buckets, r, context);
    }
}
