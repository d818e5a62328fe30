package io.shardkit.archive;

import java.sql.SQLException;
import java.util.List;

/**
 * Hears an {@link Archiver} run: after each step of a batch, and after each batch. Both methods do
 * nothing by default; implement the ones you need.
 *
 * <p>Called on the thread running the archiver, between steps, with no transaction open on any
 * shard. A listener that throws stops the run right there and the exception reaches the caller of
 * {@link Archiver#run()}; the shards are left as a crash at that point would leave them, which is
 * how tests check that a crash never loses a row.
 */
public interface ArchiveListener {

    /** The steps of one batch, in order. Each is reported after it took effect. */
    enum Step {
        /** The batch was read from the hot shard. Nothing written yet. */
        SELECTED,
        /** The batch is committed on its archive shard(s); the hot copies are still there and still win. */
        COPIED,
        /** The archive copies were read back and match the hot batch. Nothing deleted yet. */
        VERIFIED,
        /** The batch's rows are deleted from the hot shard and committed; {@code ids} are those deleted. */
        DELETED
    }

    /** A listener that does nothing. */
    ArchiveListener NONE = new ArchiveListener() {
    };

    /**
     * @param hotShard the hot shard the batch comes from
     * @param ids the row ids of the batch (for {@link Step#DELETED}: the ids deleted), unmodifiable
     */
    default void afterStep(Step step, String hotShard, List<Object> ids) throws SQLException {
    }

    /** After each batch has been deleted from hot. */
    default void progress(ArchiveProgress progress) {
    }
}
