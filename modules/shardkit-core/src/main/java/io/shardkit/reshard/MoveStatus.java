package io.shardkit.reshard;

import java.util.List;

/**
 * Where a reshard of one bucket group stands: the epoch it starts from, its step ({@code planned},
 * {@code prepared}, {@code copied}, {@code verified}, {@code fenced}, {@code switched}), and per
 * (source, target) pair the buckets, the rows copied (or, from {@link Mover#plan}, the rows to copy)
 * and the changes waiting in the source's log. {@code pauseMillis}: the last switch's time from the
 * fence to the publish (writes to moved buckets refused meanwhile); {@code updatedMs}: when the step
 * was written (epoch milliseconds).
 */
public record MoveStatus(String group, long epochFrom, String step, List<Pair> pairs, long pauseMillis, long updatedMs) {
    public MoveStatus {
        pairs = List.copyOf(pairs);
    }

    /** One source and target: {@code buckets} as ranges ({@code 4,12,20-23}), {@code count} of them. */
    public record Pair(String source, String target, String buckets, int count, long rows, long pendingChanges) {
    }

    MoveStatus withPause(long millis) {
        return new MoveStatus(group, epochFrom, step, pairs, millis, updatedMs);
    }

    /** The rows of every pair. */
    public long rows() {
        long n = 0;
        for (Pair p : pairs) {
            n += p.rows();
        }
        return n;
    }
}
