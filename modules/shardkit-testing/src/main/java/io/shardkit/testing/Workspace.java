package io.shardkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The directory the embedded servers live in: one unpacked copy of each server's binaries, shared
 * by every JVM of this user (unpacking costs seconds, so it survives {@code mvn clean}), and one
 * "run" directory per JVM for data, logs and sockets, deleted when the JVM exits.
 *
 * <p>Run directories are named after the JVM's pid. A JVM that was killed cannot delete its own,
 * and may have left a server running; the next JVM to start a server of that kind stops such
 * orphans and deletes their directories ({@link #reapStale}).
 *
 * <p>Location: system property {@code shardkit.embedded.dir}, else
 * {@code ${java.io.tmpdir}/shardkit-${user.name}}.
 */
final class Workspace {

    private Workspace() {
    }

    static Path root() {
        String configured = System.getProperty("shardkit.embedded.dir");
        Path root = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "shardkit-" + System.getProperty("user.name"));
        try {
            Files.createDirectories(root);
            // Readable by all: a server started through setpriv runs as another user and must reach its binaries.
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + root, e);
        }
        return root.toAbsolutePath();
    }

    /** Work that other JVMs must not do at the same time, for example unpacking binaries. */
    interface Locked<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code work} holding an exclusive file lock named {@code name}, which also serialises it
     * against other JVMs. Not reentrant within one JVM: callers hold their own monitor first.
     */
    @SuppressWarnings("try") // the lock is held for the body, which does not use it
    static <T> T locked(String name, Locked<T> work) throws Exception {
        Path lockFile = root().resolve(name + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return work.run();
        }
    }

    /** A new, empty run directory {@code <kind>-run-<pid>} for this JVM. */
    static Path newRunDir(String kind) throws IOException {
        Path dir = root().resolve(kind + "-run-" + ProcessHandle.current().pid());
        deleteTree(dir); // a pid reused from a crashed JVM of long ago
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /**
     * For each run directory of {@code kind} whose JVM is gone, calls {@code stop} (which stops the
     * server that may still run from it) and deletes the directory. Directories of live JVMs are
     * left alone: two test runs may share this workspace.
     */
    static void reapStale(String kind, Consumer<Path> stop) {
        String prefix = kind + "-run-";
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root(), prefix + "*")) {
            for (Path dir : dirs) {
                long pid;
                try {
                    pid = Long.parseLong(dir.getFileName().toString().substring(prefix.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (pid == ProcessHandle.current().pid() || alive) {
                    continue;
                }
                stop.accept(dir);
                deleteTree(dir);
            }
        } catch (IOException e) {
            // Best effort: a leftover directory costs disk space, not correctness.
        }
    }

    /**
     * Stops the process whose pid is the first line of {@code pidFile}, if it is still alive and its
     * executable's name ends with {@code executable} (a guard against a reused pid).
     */
    static void stopOrphan(Path pidFile, String executable) {
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.get(0).trim());
        } catch (IOException | RuntimeException e) {
            return;
        }
        ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.endsWith("/" + executable)).orElse(false))
                .ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
    }

    /** Deletes {@code dir} and everything below it; quiet about what cannot be deleted. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // keep going: delete as much as possible
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // the directory vanished under us or is unreadable; nothing more to do
        }
    }

    /** The last {@code lines} lines of a log file, for error messages. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }
}
