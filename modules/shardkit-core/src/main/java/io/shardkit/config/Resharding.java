package io.shardkit.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The map's {@code resharding:} section: the versioned map of bucket tables lives in table
 * {@code shardkit_map} on shard {@code control}, and each data source reads it every {@code poll}.
 * Without the section bucket placements come from the map alone and nothing is polled.
 *
 * @param control the shard holding the control table
 * @param poll how often a data source reads the live epochs (positive)
 * @param listen whether a data source whose control shard is PostgreSQL also keeps one control
 *        connection listening for {@code NOTIFY shardkit_map}, to switch at a publish's commit
 *        rather than at its next poll (default true; false holds no connection)
 */
public record Resharding(String control, Duration poll, boolean listen) {
    /** The poll interval when {@code poll:} is not given. */
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(5);

    public Resharding {
        Objects.requireNonNull(control, "control");
        poll = poll == null ? DEFAULT_POLL : poll;
    }

    public Resharding(String control, Duration poll) {
        this(control, poll, true);
    }

    /** A control shard polled every {@link #DEFAULT_POLL}. */
    public static Resharding on(String control) {
        return new Resharding(control, DEFAULT_POLL);
    }
}
