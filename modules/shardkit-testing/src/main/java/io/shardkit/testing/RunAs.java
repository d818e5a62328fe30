package io.shardkit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How to start a program that refuses to run as root (PostgreSQL's initdb, pg_ctl, postgres).
 *
 * <p>Not root: run it directly. Root: prefer {@code unshare --user}, which maps an existing non-root
 * user onto us, so the program believes it is unprivileged while every file it writes stays owned
 * by root outside and needs no ownership change. Where user namespaces are forbidden (a root
 * container under Docker's default seccomp profile), fall back to {@code setpriv}, which really
 * switches to that user; the directories it writes must then be handed to it with {@link #own}.
 * The mapped user must exist in /etc/passwd because initdb looks its own name up. Both tools come
 * with util-linux; {@code --map-user} needs util-linux 2.38 or later.
 *
 * <p>The system property {@code shardkit.embedded.runas} ({@code unshare} or {@code setpriv}) forces
 * one strategy, so both can be tested on one machine.
 *
 * @param prefix the command words to put before the program
 * @param uid the user the program runs as, or -1 when no change of owner is needed
 * @param gid the group matching {@code uid}
 */
record RunAs(List<String> prefix, int uid, int gid) {

    private static final RunAs DIRECT = new RunAs(List.of(), -1, -1);
    private static RunAs current;

    /** The strategy for this JVM, probed once. */
    static synchronized RunAs unprivileged() {
        if (current == null) {
            current = choose();
        }
        return current;
    }

    /** {@code prefix + command}. */
    List<String> command(String... command) {
        return command(List.of(command));
    }

    /** {@code prefix + command}. */
    List<String> command(List<String> command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(command);
        return all;
    }

    /** Hands {@code dir} (not its contents) to the user the program runs as, when that differs from us. */
    void own(Path dir) throws IOException {
        if (uid >= 0) {
            Files.setAttribute(dir, "unix:uid", uid);
            Files.setAttribute(dir, "unix:gid", gid);
        }
    }

    private static RunAs choose() {
        if (!Machine.isRoot()) {
            return DIRECT;
        }
        int[] user = mappedUser();
        String forced = System.getProperty("shardkit.embedded.runas", "");
        RunAs unshare = new RunAs(List.of("unshare", "--user", "--map-user=" + user[0],
                "--map-group=" + user[1], "--"), -1, -1);
        RunAs setpriv = new RunAs(List.of("setpriv", "--reuid=" + user[0], "--regid=" + user[1],
                "--clear-groups", "--"), user[0], user[1]);
        StringBuilder failures = new StringBuilder();
        for (RunAs candidate : List.of(unshare, setpriv)) {
            if (!forced.isEmpty() && !candidate.prefix.get(0).equals(forced)) {
                continue;
            }
            String failure = candidate.probe();
            if (failure == null) {
                return candidate;
            }
            failures.append("; '").append(String.join(" ", candidate.prefix)).append(" true': ").append(failure);
        }
        throw new IllegalStateException("PostgreSQL refuses to run as root and no way to drop privileges worked"
                + failures + ". Run the tests as a non-root user or point SHARDKIT_PG_URL at a server.");
    }

    /** Runs {@code true} through this prefix; null when that worked, else what went wrong. */
    private String probe() {
        try {
            Process p = new ProcessBuilder(command("true")).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + " " + output;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** uid and gid of "nobody" when present, else of the first non-root user. */
    private static int[] mappedUser() {
        int[] fallback = null;
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length < 4 || f[2].equals("0")) {
                    continue;
                }
                int[] ids = {Integer.parseInt(f[2]), Integer.parseInt(f[3])};
                if (f[0].equals("nobody")) {
                    return ids;
                }
                if (fallback == null) {
                    fallback = ids;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // reported below
        }
        if (fallback == null) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and /etc/passwd names no other user");
        }
        return fallback;
    }
}
