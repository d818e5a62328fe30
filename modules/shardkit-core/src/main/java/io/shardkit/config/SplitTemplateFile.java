package io.shardkit.config;

import io.shardkit.sql.Dialect;
import io.shardkit.sql.SplitTemplate;
import io.shardkit.sql.SplitTemplates;
import io.shardkit.sql.SqlLexer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The DDL template of a split table ({@code split.template: db/orders.sql}): a SQL file written for
 * the logical table ({@code CREATE TABLE orders (...); CREATE INDEX orders_by_day ON orders (...)}),
 * read once when the map is loaded and checked there, so a bad template is a map error naming
 * {@code split.template} rather than a failed write months later. A relative path is looked up in
 * the map file's folder, then on the class path; an absolute path is a file.
 *
 * <p>The text is cut into statements at {@code ;} outside strings, quoted identifiers, dollar quotes
 * and comments (comments are dropped). The cut reads less than the database does (no backslash
 * escapes, no nested comments), so each piece is then checked with {@link SqlLexer#problem} for each
 * dialect of the table's shards: a piece the cut misread is refused there, never run as something
 * else. Each statement must be a CREATE TABLE, CREATE [UNIQUE] INDEX or ALTER TABLE naming the
 * logical table, which the split-table rewrite accepts; the first must be the CREATE TABLE.
 */
final class SplitTemplateFile {
    /** The largest template read. */
    static final int MAX_BYTES = 1024 * 1024;
    private static final Pattern CREATE_TABLE = Pattern.compile("(?is)^create\\s+table\\b.*");
    private static final Pattern ALLOWED =
            Pattern.compile("(?is)^(create\\s+table|create\\s+(unique\\s+)?index|alter\\s+table)\\b.*");

    private SplitTemplateFile() {
    }

    /**
     * The template's statements for {@code table}, or {@code null} after adding a problem at {@code path}.
     *
     * @param dialects the dialects of the table's shards, each of which the statements must suit
     */
    static List<String> load(Problems problems, String path, String resource, String table, Set<Dialect> dialects) {
        byte[] bytes;
        try {
            bytes = read(problems, resource);
        } catch (IOException e) {
            problems.add(path, "cannot read template '" + resource + "': " + e.getMessage());
            return null;
        } catch (InvalidPathException e) {
            problems.add(path, "'" + resource + "' is not a file path: " + e.getMessage());
            return null;
        }
        if (bytes == null) {
            Path base = mapFolder(problems);
            problems.add(path, "template '" + resource + "' not found: neither a file"
                    + (base == null ? "" : " in " + base + " (the map file's folder)") + " nor a class path resource");
            return null;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(path, "template '" + resource + "' is not UTF-8 text");
            return null;
        }
        List<String> raw = new ArrayList<>();
        List<String> statements = split(text, raw);
        if (statements.isEmpty() || !CREATE_TABLE.matcher(statements.get(0)).matches()) {
            problems.add(path, "template '" + resource + "' must start with CREATE TABLE " + table
                    + " (the statements after it may add indexes)");
            return null;
        }
        for (int i = 0; i < statements.size(); i++) {
            String problem = check(statements.get(i), raw.get(i), table, dialects);
            if (problem != null) {
                problems.add(path, "template '" + resource + "', statement " + (i + 1) + ": " + problem);
                return null;
            }
        }
        return List.copyOf(statements);
    }

    private static String check(String statement, String raw, String table, Set<Dialect> dialects) {
        if (!ALLOWED.matcher(statement).matches()) {
            return "only CREATE TABLE, CREATE [UNIQUE] INDEX and ALTER TABLE of " + table + " may be in a template, got '"
                    + shorten(statement) + "'";
        }
        for (Dialect d : dialects) {
            String lexical = SqlLexer.problem(raw, d);
            if (lexical != null) {
                return lexical + " (for " + d.displayName() + ")";
            }
            SplitTemplate t = new SplitTemplates(Set.of(table), 2).get(statement, d);
            if (t.refusal() != null) {
                return t.refusal() + " (for " + d.displayName() + ")";
            }
            if (!t.tables().equals(List.of(table))) {
                return "it does not name table " + table + " ('" + shorten(statement) + "'); a template creates one"
                        + " physical table and its indexes";
            }
        }
        return null;
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The file's bytes, or {@code null} when neither a file nor a class path resource has that name. */
    private static byte[] read(Problems problems, String resource) throws IOException {
        Path p = Path.of(resource);
        Path base = mapFolder(problems);
        Path file = p.isAbsolute() ? p : base == null ? null : base.resolve(p);
        if (file != null && Files.isRegularFile(file)) {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            return Files.readAllBytes(file);
        }
        if (p.isAbsolute()) {
            return null;
        }
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : SplitTemplateFile.class.getClassLoader();
        String name = resource.replace('\\', '/');
        try (InputStream in = loader.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name)) {
            if (in == null) {
                return null;
            }
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw new IOException("larger than " + MAX_BYTES + " bytes");
            }
            return b;
        }
    }

    /** The folder of the map file, or {@code null} when the map was not read from a file. */
    private static Path mapFolder(Problems problems) {
        try {
            Path map = Path.of(problems.source());
            return Files.isRegularFile(map) ? map.toAbsolutePath().getParent() : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Cuts {@code text} at {@code ;} outside {@code '...'}, {@code "..."}, {@code `...`}, {@code $tag$...$tag$}
     * and comments. Returns the statements with comments dropped and blank ones left out; {@code raw}
     * receives each statement's text as written, for the lexer.
     */
    static List<String> split(String text, List<String> raw) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int from = 0;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            char next = i + 1 < n ? text.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                int e = text.indexOf('\n', i);
                i = e < 0 ? n : e;
                cur.append(' ');
            } else if (c == '/' && next == '*') {
                int e = text.indexOf("*/", i + 2);
                i = e < 0 ? n : e + 2;
                cur.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (j < n && (text.charAt(j) != c || (j + 1 < n && text.charAt(j + 1) == c))) {
                    j += text.charAt(j) == c ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                cur.append(text, i, end);
                i = end;
            } else if (c == '$' && dollarTag(text, i) > 0) {
                int tagEnd = dollarTag(text, i);
                String tag = text.substring(i, tagEnd);
                int e = text.indexOf(tag, tagEnd);
                int end = e < 0 ? n : e + tag.length();
                cur.append(text, i, end);
                i = end;
            } else if (c == ';') {
                add(out, raw, cur, text.substring(from, i));
                cur.setLength(0);
                i++;
                from = i;
            } else {
                cur.append(c);
                i++;
            }
        }
        add(out, raw, cur, text.substring(from));
        return out;
    }

    private static void add(List<String> out, List<String> raw, StringBuilder cur, String written) {
        String s = cur.toString().strip();
        if (!s.isEmpty()) {
            out.add(s);
            raw.add(written.strip());
        }
    }

    /** The end of a dollar-quote tag ({@code $$}, {@code $body$}) starting at {@code i}, or -1. */
    private static int dollarTag(String text, int i) {
        int j = i + 1;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
        }
        return j < text.length() && text.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(text.charAt(i + 1)))
                ? j + 1 : -1;
    }
}
