package io.shardkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Facts about the machine the tests run on: who we are, which ports are free, what the
 * environment overrides say.
 */
final class Machine {

    private Machine() {
    }

    /** True when this JVM runs with effective uid 0. */
    static boolean isRoot() {
        try {
            // /proc/self is owned by the effective uid of the reading process.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * A TCP port on 127.0.0.1 that was free a moment ago. Another process may take it before the
     * server binds it, so callers retry on "address in use".
     */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
        }
    }

    /** A non-blank environment variable. */
    static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
