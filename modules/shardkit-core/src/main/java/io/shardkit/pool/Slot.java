package io.shardkit.pool;

import com.zaxxer.hikari.HikariDataSource;
import io.shardkit.config.ShardSpec;
import io.shardkit.sql.Dialect;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One shard of a {@link ShardRegistry}: configured in the map, or opened at runtime. Replaced,
 * never changed, on reopen. Holds the shard's pool (once started), whether it is down and why,
 * and for a SQLite shard its database file, which is created here only when the shard says
 * {@code create}.
 */
final class Slot {
    final ShardSpec spec;
    final Dialect dialect;
    final boolean runtime;
    /** Created on first use for runtime shards; null again after an idle close. Guarded by this slot. */
    volatile HikariDataSource pool;
    volatile boolean closed;
    /** Why the shard is down (its pool could not start, its file is gone), or null when it is not. */
    volatile String down;
    /** The SQLite database file, checked on every borrow; null for other databases and in-memory SQLite. */
    final File file;
    /** When {@link ShardRegistry#checkAlive} last looked at the file (System.nanoTime). */
    volatile long checkedAt;
    volatile long lastUsed;
    volatile Boolean binaryTextOrder;

    Slot(ShardSpec spec, boolean runtime) {
        this.spec = spec;
        this.dialect = Dialect.fromUrl(spec.url());
        this.runtime = runtime;
        Path f = dialect == Dialect.SQLITE ? sqliteFile(spec.url()) : null;
        this.file = f == null ? null : f.toFile();
    }

    /**
     * The SQLite file of a shard URL, or null for an in-memory database or another database:
     * {@code jdbc:sqlite:path}, {@code jdbc:sqlite:file:path?options}.
     */
    static Path sqliteFile(String url) {
        if (!url.startsWith("jdbc:sqlite:") || sqliteMemory(url)) {
            return null;
        }
        String path = url.substring("jdbc:sqlite:".length());
        String file = path.startsWith("file:") ? path.substring(5) : path;
        int q = file.indexOf('?');
        try {
            return Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    static boolean sqliteMemory(String url) {
        String path = url.substring("jdbc:sqlite:".length());
        return path.isEmpty() || path.startsWith(":memory:") || path.contains("mode=memory");
    }

    /** Creates the file of a {@code create} shard if missing; marks the shard down if the file is missing or cannot be made. */
    static void prepareFile(Slot slot) {
        if (slot.file == null) {
            return;
        }
        Path file = slot.file.toPath();
        if (slot.file.isFile()) {
            return;
        }
        if (slot.file.exists()) {
            slot.down = "shard " + slot.spec.name() + ": " + file + " is not a file";
            return;
        }
        if (!slot.spec.create()) {
            slot.down = "shard " + slot.spec.name() + ": database file " + file + " does not exist (shardkit creates a"
                    + " SQLite file only when the shard says create: true, or through shards().create)";
            return;
        }
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                // an empty file is an empty SQLite database
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                // made by someone else meanwhile: fine
            }
        } catch (IOException | RuntimeException e) {
            slot.down = "shard " + slot.spec.name() + ": cannot create database file " + file + ": " + e;
        }
    }

    static String missing(Slot slot) {
        return "shard " + slot.spec.name() + ": database file " + slot.file + " is missing (deleted or moved while the"
                + " data source was open); shardkit does not create it again";
    }

    static void closePool(Slot slot) {
        HikariDataSource p = slot.pool;
        slot.pool = null;
        if (p != null) {
            p.close();
        }
    }
}
