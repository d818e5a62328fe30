package io.shardkit.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared half of the shard extensions: one {@link ShardSet} per test class, made on the first
 * parameter that asks for it and cleaned up (databases dropped, files deleted) when the class is done.
 *
 * <p>The set belongs to the outermost test class: every method of the class and of its
 * {@code @Nested} classes sees the same databases, so tests that need empty tables clean up themselves.
 */
final class ShardSetResolver {

    static final int SHARDS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(ShardSetResolver.class);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** Makes the databases of one shard set; {@code stem} is unique in this JVM and across JVMs. */
    interface Factory {
        Made make(String stem) throws Exception;
    }

    /** A shard set and how to throw it away; JUnit closes it with the test class's store. */
    @SuppressWarnings("try") // cleanup is any AutoCloseable (drops, a folder); JUnit closes Made, not a try
    record Made(ShardSet shards, AutoCloseable cleanup) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            cleanup.close();
        }
    }

    private final String dialect;
    private final Factory factory;

    ShardSetResolver(String dialect, Factory factory) {
        this.dialect = dialect;
        this.factory = factory;
    }

    boolean supports(ParameterContext parameter) {
        return parameter.getParameter().getType() == ShardSet.class;
    }

    ShardSet resolve(ExtensionContext context) {
        ExtensionContext owner = classContext(context);
        Class<?> testClass = owner.getRequiredTestClass();
        ExtensionContext.Store store =
                owner.getStore(ExtensionContext.Namespace.create(ShardSetResolver.class, dialect));
        return store.getOrComputeIfAbsent("shards", key -> {
            try {
                return factory.make(stem(testClass));
            } catch (Exception e) {
                throw new ParameterResolutionException("cannot make " + dialect + " shards for "
                        + testClass.getName() + ": " + e.getMessage(), e);
            }
        }, Made.class).shards();
    }

    /** The context of the outermost test class around {@code context}. */
    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext owner = null;
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getElement().orElse(null) instanceof Class<?>) {
                owner = c;
            }
        }
        if (owner == null) {
            throw new ParameterResolutionException("ShardSet parameters need a test class: " + context.getUniqueId());
        }
        return owner;
    }

    /**
     * {@code sk_<class>_<pid>_<n>}: readable in a server's database list, unique per class within
     * a JVM (counter) and between JVMs sharing an external server (pid), at most 48 characters so
     * that suffixes such as {@code _s0} or {@code _ref} keep names within 63.
     */
    static String stem(Class<?> testClass) {
        String name = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        if (name.length() > 24) {
            name = name.substring(0, 24);
        }
        return "sk_" + name + "_" + Long.toString(ProcessHandle.current().pid(), 36) + "_" + COUNTER.incrementAndGet();
    }

    /** Four databases {@code <stem>_s0..s3} and {@code <stem>_ref} on {@code server}, dropped on close. */
    static Made onServer(ShardServer server, String stem) throws SQLException {
        List<String> databases = new ArrayList<>();
        List<String> names = new ArrayList<>();
        AutoCloseable drop = () -> {
            for (String database : databases) {
                try {
                    server.dropDatabase(database);
                } catch (SQLException e) {
                    LOG.warn("could not drop test database {}: {}", database, e.getMessage());
                }
            }
        };
        try {
            for (int i = 0; i < SHARDS; i++) {
                names.add("s" + i);
                databases.add(stem + "_s" + i);
            }
            databases.add(stem + "_ref");
            List<String> created = new ArrayList<>();
            for (String database : databases) {
                server.createDatabase(database);
                created.add(server.jdbcUrl(database));
            }
            ShardSet shards = new ShardSet(server.dialect(), names, created.subList(0, SHARDS),
                    server.user(), server.password(), created.get(SHARDS));
            return new Made(shards, drop);
        } catch (SQLException | RuntimeException e) {
            try {
                drop.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Four SQLite files {@code s0.db..s3.db} and {@code ref.db} in a new temporary folder, deleted on close. */
    static Made sqlite(String stem) throws Exception {
        Path dir = Files.createTempDirectory("shardkit-" + stem + "-");
        List<String> names = new ArrayList<>();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < SHARDS; i++) {
            names.add("s" + i);
            // an empty file is an empty SQLite database; shardkit opens a shard's file, it does not create it
            Files.createFile(dir.resolve("s" + i + ".db"));
            urls.add("jdbc:sqlite:" + dir.resolve("s" + i + ".db"));
        }
        String reference = "jdbc:sqlite:" + dir.resolve(ShardSet.REFERENCE_NAME + ".db");
        return new Made(new ShardSet("sqlite", names, urls, null, null, reference), () -> Workspace.deleteTree(dir));
    }
}
