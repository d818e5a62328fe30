package io.shardkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Which package of shardkit-core may use which (issue 13's safety net). Reads every main source file,
 * its {@code import} lines and fully qualified {@code io.shardkit.x.Type} references in code (comments
 * and string literals are skipped), and checks each package's uses against {@link #MAY_USE}. A
 * violation that today's code has and the issue is to remove is listed in {@link #ALLOWED}, marked
 * "issue 13: to remove": the list may only shrink, and the test fails when a listed violation is gone
 * but still listed, so the list stays true. The measured graph is printed.
 */
class ArchitectureTest {
    static final String ROOT = "(root)";
    static final String JSQLPARSER = "jsqlparser";

    /** For each package (ROOT for io.shardkit), the packages its code may use. */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            // the API facade builds and hands out everything
            Map.entry(ROOT, Set.of("config", "strategy", "sql", "route", "plan", "merge", "pool", "jdbc", "tenant",
                    "exec", "archive", "ids", "reshard", "internal")),
            // the versioned map (epochs through the facade's shard connections) and the mover (admin connections)
            Map.entry("reshard", Set.of(ROOT, "config", "strategy", "sql", "pool", "internal")),
            Map.entry("archive", Set.of(ROOT, "pool", "config", "internal", "sql", "route", "strategy")),
            Map.entry("config", Set.of(ROOT, "strategy", "sql", "internal")),
            Map.entry("strategy", Set.of(ROOT, "config", "internal")),
            Map.entry("sql", Set.of(ROOT, "config", "strategy", "merge", "internal", JSQLPARSER)),
            Map.entry("merge", Set.of(ROOT, "sql", "internal")),
            Map.entry("internal", Set.of()),
            // ids that carry a key's bucket: leased through the facade's shard connections
            Map.entry("ids", Set.of(ROOT, "config", "strategy", "internal")),
            Map.entry("pool", Set.of(ROOT, "config", "sql", "merge", "internal")),
            Map.entry("route", Set.of(ROOT, "config", "strategy", "sql", "pool", "internal")),
            Map.entry("plan", Set.of(ROOT, "merge", "sql", "pool", "route", "internal")),
            Map.entry("tenant", Set.of(ROOT, "config", "sql", "pool", "internal", JSQLPARSER)),
            // the JDBC surface: statements run in exec (analyse, route, guard, tenancy hooks in its Session)
            Map.entry("jdbc", Set.of(ROOT, "config", "strategy", "sql", "merge", "plan", "pool", "exec", "internal")),
            Map.entry("exec", Set.of(ROOT, "pool", "plan", "merge", "route", "sql", "config", "strategy",
                    "tenant", "internal")));

    /** Violations of today's code, each {@code "package/File.java -> used package"}. */
    static final Set<String> ALLOWED = Set.of();

    /** Packages whose public signatures are API; they must not expose types of the internal packages. */
    static final Set<String> API = Set.of(ROOT, "archive", "config", "strategy", "ids", "reshard");

    /** Internal types in API signatures, each {@code "Class#member -> package"}. */
    static final Set<String> ALLOWED_IN_API = Set.of();

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern SHARDKIT = Pattern.compile("\\bio\\.shardkit\\.(?:([a-z][a-z0-9_]*)\\.)?[A-Z*]");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    static Path mainSources() {
        return Path.of(System.getProperty("shardkit.repo.root", "../.."), "modules/shardkit-core/src/main/java");
    }

    @Test
    void packagesUseOnlyWhatTheyMay() throws IOException {
        Path base = mainSources().resolve("io/shardkit");
        Map<String, Map<String, Set<String>>> graph = new TreeMap<>(); // package -> used package -> files
        List<Path> files;
        try (Stream<Path> s = Files.walk(base)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertThat(files).as("main sources under " + base).hasSizeGreaterThan(100);
        Set<String> violations = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();
        for (Path file : files) {
            String code = code(Files.readString(file, StandardCharsets.UTF_8));
            Matcher pm = PACKAGE.matcher(code);
            assertThat(pm.find()).as("package line of " + file).isTrue();
            String from = packageName(pm.group(1));
            String relative = base.relativize(file).toString().replace('\\', '/');
            Set<String> used = new TreeSet<>();
            Matcher m = SHARDKIT.matcher(code);
            while (m.find()) {
                used.add(m.group(1) == null ? ROOT : m.group(1));
            }
            Matcher im = IMPORT.matcher(code);
            while (im.find()) {
                if (im.group(1).startsWith("net.sf.jsqlparser")) {
                    used.add(JSQLPARSER);
                }
            }
            used.remove(from);
            if (!MAY_USE.containsKey(from)) {
                unknown.add(from + " (" + relative + ")");
                continue;
            }
            for (String to : used) {
                graph.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                        .add(relative);
                if (!to.equals(JSQLPARSER) && !MAY_USE.containsKey(to)) {
                    unknown.add(to + " (used by " + relative + ")");
                } else if (!MAY_USE.get(from).contains(to)) {
                    violations.add(relative + " -> " + to);
                }
            }
        }
        print(graph);
        assertThat(unknown).as("packages without a rule in ArchitectureTest.MAY_USE: give each one").isEmpty();
        Set<String> fresh = new TreeSet<>(violations);
        fresh.removeAll(ALLOWED);
        Set<String> gone = new TreeSet<>(ALLOWED);
        gone.removeAll(violations);
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(fresh).as("uses that ArchitectureTest.MAY_USE forbids").isEmpty();
            soft.assertThat(gone).as("allow-listed violations that are gone: remove them from ArchitectureTest.ALLOWED")
                    .isEmpty();
        });
    }

    @Test
    void apiSignaturesExposeNoInternalTypes() throws Exception {
        Set<String> found = new TreeSet<>();
        int classes = 0;
        for (String pkg : API) {
            Path dir = mainSources().resolve(pkg.equals(ROOT) ? "io/shardkit" : "io/shardkit/" + pkg);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".java") && !p.endsWith("package-info.java")).sorted()
                        .toList();
            }
            String prefix = pkg.equals(ROOT) ? "io.shardkit." : "io.shardkit." + pkg + ".";
            for (Path f : files) {
                Class<?> c = Class.forName(prefix + f.getFileName().toString().replace(".java", ""));
                classes += signatures(c, found);
            }
        }
        assertThat(classes).as("public API classes read").isGreaterThan(20);
        System.out.println("[ArchitectureTest] internal types in API signatures: " + (found.isEmpty() ? "none" : ""));
        for (String f : found) {
            System.out.println("  " + f);
        }
        Set<String> fresh = new TreeSet<>(found);
        fresh.removeAll(ALLOWED_IN_API);
        Set<String> gone = new TreeSet<>(ALLOWED_IN_API);
        gone.removeAll(found);
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(fresh).as("internal types in public signatures of API packages " + API).isEmpty();
            soft.assertThat(gone).as("allow-listed API exposures that are gone: remove them from ALLOWED_IN_API")
                    .isEmpty();
        });
    }

    /** Adds the internal packages a public class's public signatures name; returns the classes read. */
    private static int signatures(Class<?> c, Set<String> found) {
        if (!Modifier.isPublic(c.getModifiers())) {
            return 0;
        }
        int n = 1;
        String owner = c.getName().substring(c.getPackageName().length() + 1);
        List<String[]> named = new ArrayList<>(); // member, type text
        if (c.getGenericSuperclass() != null) {
            named.add(new String[] {"extends", c.getGenericSuperclass().getTypeName()});
        }
        for (Type t : c.getGenericInterfaces()) {
            named.add(new String[] {"implements", t.getTypeName()});
        }
        for (Method m : c.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic()) {
                named.add(new String[] {m.getName(), m.getGenericReturnType().getTypeName()});
                for (Type t : m.getGenericParameterTypes()) {
                    named.add(new String[] {m.getName(), t.getTypeName()});
                }
            }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
            if (visible(k.getModifiers()) && !k.isSynthetic()) {
                for (Type t : k.getGenericParameterTypes()) {
                    named.add(new String[] {"<init>", t.getTypeName()});
                }
            }
        }
        for (Field f : c.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                named.add(new String[] {f.getName(), f.getGenericType().getTypeName()});
            }
        }
        for (String[] e : named) {
            Matcher m = SHARDKIT.matcher(e[1]);
            while (m.find()) {
                String pkg = m.group(1) == null ? ROOT : m.group(1);
                if (!API.contains(pkg)) {
                    found.add(owner + "#" + e[0] + " -> " + pkg);
                }
            }
        }
        for (Class<?> inner : c.getDeclaredClasses()) {
            n += signatures(inner, found);
        }
        return n;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String packageName(String javaPackage) {
        return javaPackage.equals("io.shardkit") ? ROOT : javaPackage.substring("io.shardkit.".length());
    }

    private static void print(Map<String, Map<String, Set<String>>> graph) {
        StringBuilder sb = new StringBuilder("[ArchitectureTest] measured package graph (used package: files):\n");
        for (var from : graph.entrySet()) {
            sb.append("  ").append(from.getKey()).append(" ->");
            for (var to : from.getValue().entrySet()) {
                sb.append(' ').append(to.getKey()).append('(').append(to.getValue().size()).append(')');
            }
            sb.append('\n');
        }
        System.out.print(sb);
    }

    /**
     * The code of a Java source: comments, string and character literals (text blocks too) become
     * spaces, so a name mentioned there is no dependency.
     */
    static String code(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                    out.append(' ');
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(src, i, end, out);
                i = end;
            } else if (c == '"' && src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                while (end > 0 && src.charAt(end - 1) == '\\') {
                    end = src.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                blank(src, i, end, out);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(src, i, end, out);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static void blank(String src, int from, int to, StringBuilder out) {
        for (int k = from; k < to; k++) {
            out.append(src.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
