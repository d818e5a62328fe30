package io.shardkit.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A set of empty databases to use as shards in a test, as handed out by the shard extensions
 * ({@link PostgresShardsExtension}, {@link MariaDbShardsExtension}, {@link SqliteShardsExtension}),
 * plus one more database, the <em>reference</em>, for differential tests: load the same rows into
 * the shards (through shardkit) and into the reference (directly), run the same query on both,
 * compare.
 *
 * <p>All databases share one user and password. Direct connections ({@link #open}) are for setting
 * up and checking shards behind shardkit's back; they are not pooled, close them.
 *
 * @param dialect {@code sqlite}, {@code postgresql} or {@code mysql}
 * @param names shard names in order: {@code s0, s1, ...}
 * @param urls JDBC URL of each shard, in the order of {@code names}
 * @param user user for every database, or null when the driver needs none
 * @param password password for every database, or null when none is needed
 * @param referenceUrl JDBC URL of the reference database, or null when there is none
 */
public record ShardSet(String dialect, List<String> names, List<String> urls, String user, String password,
                       String referenceUrl) {

    /** Name of the single shard of {@link #reference()}. */
    public static final String REFERENCE_NAME = "ref";

    // Plain YAML scalars we emit unquoted: no spaces, no '#', no leading indicator, no trailing ':'.
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_.:/?&=%+@,;~\\\\-]*");
    private static final Pattern RESERVED = Pattern.compile("(?i)true|false|yes|no|on|off|null|y|n");

    public ShardSet {
        Objects.requireNonNull(dialect, "dialect");
        names = List.copyOf(names);
        urls = List.copyOf(urls);
        if (names.size() != urls.size() || names.isEmpty()) {
            throw new IllegalArgumentException("need one URL per shard name and at least one shard: "
                    + names + " / " + urls);
        }
    }

    /** A shard set without a reference database. */
    public ShardSet(String dialect, List<String> names, List<String> urls, String user, String password) {
        this(dialect, names, urls, user, password, null);
    }

    public int size() {
        return names.size();
    }

    public String name(int i) {
        return names.get(i);
    }

    public String url(int i) {
        return urls.get(i);
    }

    /** A new, unpooled connection straight to shard {@code i}. */
    public Connection open(int i) throws SQLException {
        return DriverManager.getConnection(url(i), user, password);
    }

    /** True when this set carries a reference database. */
    public boolean hasReference() {
        return referenceUrl != null;
    }

    /**
     * The reference database as a one-shard set named {@value #REFERENCE_NAME}, for example to
     * render an unsharded shard map with {@link #yamlShards()}.
     *
     * @throws IllegalStateException when there is no reference database
     */
    public ShardSet reference() {
        return new ShardSet(dialect, List.of(REFERENCE_NAME), List.of(requireReference()), user, password);
    }

    /** A new, unpooled connection to the reference database. */
    public Connection openReference() throws SQLException {
        return DriverManager.getConnection(requireReference(), user, password);
    }

    /**
     * The {@code shards:} section of a shard map for these databases; user and password lines are
     * left out when null. Values are quoted only when plain YAML would misread them.
     * <pre>
     * shards:
     *   - name: s0
     *     url: jdbc:postgresql://127.0.0.1:41234/sk_x_s0
     *     user: postgres
     * </pre>
     */
    public String yamlShards() {
        return yamlShards(Set.of());
    }

    /**
     * Like {@link #yamlShards()}, with the named shards marked {@code readOnly: true} and
     * {@code tier: archive}, for maps with an archive tier.
     */
    public String yamlShards(Set<String> archives) {
        StringBuilder yaml = new StringBuilder("shards:\n");
        for (int i = 0; i < names.size(); i++) {
            yaml.append("  - name: ").append(scalar(names.get(i))).append('\n');
            yaml.append("    url: ").append(scalar(urls.get(i))).append('\n');
            if (user != null) {
                yaml.append("    user: ").append(scalar(user)).append('\n');
            }
            if (password != null) {
                yaml.append("    password: ").append(scalar(password)).append('\n');
            }
            if (archives.contains(names.get(i))) {
                yaml.append("    readOnly: true\n    tier: archive\n");
            }
        }
        return yaml.toString();
    }

    private String requireReference() {
        if (referenceUrl == null) {
            throw new IllegalStateException("this shard set has no reference database: " + urls);
        }
        return referenceUrl;
    }

    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !RESERVED.matcher(value).matches() && !value.endsWith(":")) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\x%02x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
