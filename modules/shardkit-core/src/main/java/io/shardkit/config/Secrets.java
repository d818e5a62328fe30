package io.shardkit.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that hides passwords: every URL shardkit prints or puts in an exception goes
 * through {@link #maskUrl}, and every driver or pool message it passes on through {@link #mask(String, ShardSpec)}.
 *
 * <p>A URL can carry a password three ways, and each is masked:
 * <ul>
 *   <li>user info, {@code //user:secret@host} (and Oracle's {@code thin:user/secret@host}): everything
 *       from the first {@code :} after {@code //} to the <em>last</em> {@code @} is hidden, so a raw
 *       {@code @}, {@code /} or {@code :} in the password cannot end the mask early;</li>
 *   <li>a parameter, {@code ?password=}, {@code &password=}, {@code ;password=}, {@code :password=} and any key
 *       containing {@code pass}, {@code pwd}, {@code secret}, {@code token} or {@code credential}
 *       ({@code passwd}, {@code sslpassword}, {@code trustStorePassword}, ...): the value up to the next
 *       {@code &} or {@code ;} (to its closing brace or quote when braced or quoted, as SQL Server allows).
 *       A raw {@code &} or {@code ;} inside a password ends the value for the driver too, so such a
 *       password only works percent-encoded, and then it is masked whole.</li>
 * </ul>
 * Masking errs towards hiding too much: a URL whose query holds an {@code @} loses the text before it.
 */
public final class Secrets {
    /** What a hidden secret prints as. */
    public static final String MASK = "***";

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i)(^|[?&;:,(\\s])([a-z0-9_.\\-]*(?:pass|pwd|secret|token|credential)[a-z0-9_.\\-]*)(\\s*=\\s*)");

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.$\\-]+");
    /** What ends a parameter's value for some sanitizer (HikariCP's stops at these): the parts are secret too. */
    private static final Pattern SEPARATORS = Pattern.compile("[&#;\\s]+");

    private Secrets() {
    }

    /** Whether a property or parameter name holds a secret ({@code password}, {@code apiToken}, {@code clientSecret}, ...). */
    public static boolean isSecretKey(String key) {
        return key != null && SECRET_KEY.matcher(key + "=").lookingAt();
    }

    /** A map for printing: the values of secret-looking keys replaced by {@value #MASK}, in the map's order. */
    public static String maskValues(Map<String, ?> values) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, ?> e : values.entrySet()) {
            sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append('=')
                    .append(isSecretKey(e.getKey()) ? MASK : e.getValue());
        }
        return sb.append('}').toString();
    }

    /** {@code url} with every password it carries replaced by {@value #MASK}; {@code null} stays null. */
    public static String maskUrl(String url) {
        if (url == null || url.isEmpty()) {
            return url;
        }
        List<int[]> spans = secretSpans(url);
        if (spans.isEmpty()) {
            return url;
        }
        StringBuilder sb = new StringBuilder(url.length());
        int at = 0;
        for (int[] s : spans) {
            sb.append(url, at, s[0]).append(MASK);
            at = s[1];
        }
        return sb.append(url, at, url.length()).toString();
    }

    /** The passwords written into a URL, as written (for scrubbing them out of driver messages). */
    public static List<String> secretsIn(String url) {
        List<String> out = new ArrayList<>();
        if (url == null) {
            return out;
        }
        for (int[] s : secretSpans(url)) {
            if (s[1] > s[0]) {
                out.add(url.substring(s[0], s[1]));
            }
        }
        return out;
    }

    /**
     * Free text (a driver's or the pool's error message) with the shard's secrets taken out: its
     * password, the passwords in its URL and in secret-looking driver properties, each also in
     * percent-encoded form, and then every password-shaped parameter or user info left in the text.
     */
    public static String mask(String text, ShardSpec spec) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (spec != null) {
            out = scrub(out, spec.password());
            for (String s : secretsIn(spec.url())) {
                out = scrub(out, s);
            }
            for (Map.Entry<String, String> p : spec.properties().entrySet()) {
                if (isSecretKey(p.getKey())) {
                    out = scrub(out, p.getValue());
                }
            }
        }
        return mask(out);
    }

    /** Free text with every password-shaped parameter and URL user info masked. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (text.indexOf('=') < 0 && text.indexOf('@') < 0) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length());
        int at = 0;
        int i = 0;
        // each whitespace-free word is masked as a URL would be: a message quotes URLs among words
        while (i < text.length()) {
            int end = i;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            if (end > i) {
                String word = text.substring(i, end);
                String masked = maskUrl(word);
                if (!masked.equals(word)) {
                    sb.append(text, at, i).append(masked);
                    at = end;
                }
            }
            i = end + 1;
        }
        return sb.append(text, at, text.length()).toString();
    }

    private static String scrub(String text, String secret) {
        if (secret == null || secret.isEmpty() || secret.equals(MASK)) {
            return text;
        }
        String out = text.replace(secret, MASK);
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        if (!encoded.equals(secret)) {
            out = out.replace(encoded, MASK).replace(encoded.replace("+", "%20"), MASK);
        }
        // another sanitizer may have masked the secret up to a separator and left the rest
        for (String part : SEPARATORS.split(secret)) {
            if (part.length() >= 3 && !part.equals(secret)) {
                out = out.replace(part, MASK);
            }
        }
        return out;
    }

    /** Start and end of each secret in a URL, in order, not overlapping. */
    private static List<int[]> secretSpans(String url) {
        List<int[]> spans = new ArrayList<>(2);
        int slashes = url.indexOf("//");
        int last = url.lastIndexOf('@');
        if (slashes >= 0 && last > slashes) {
            int colon = url.indexOf(':', slashes + 2);
            if (colon >= 0 && colon < last) {
                spans.add(new int[] {colon + 1, last});
            }
        } else if (last > 0) {
            // user/secret@host (Oracle's thin form, jdbc:oracle:thin:scott/tiger@db): a plain user name
            // between a ':' and the first '/', and an '@' after it
            int slash = url.indexOf('/');
            int colon = slash < 0 ? -1 : url.lastIndexOf(':', slash);
            if (slash >= 0 && slash < last && colon >= 0 && slash - colon > 1
                    && USER.matcher(url.substring(colon + 1, slash)).matches()) {
                spans.add(new int[] {slash + 1, last});
            }
        }
        // from the start, not from the user info's end: a raw '@' in a query's password would end the
        // user info mask inside the password, and this mask covers the rest of it
        Matcher m = SECRET_KEY.matcher(url);
        int from = 0;
        while (from < url.length() && m.find(from)) {
            int start = m.end();
            int end = valueEnd(url, start);
            spans.add(new int[] {start, end});
            from = Math.max(end, start + 1);
        }
        spans.sort((a, b) -> Integer.compare(a[0], b[0]));
        List<int[]> merged = new ArrayList<>(spans.size());
        for (int[] s : spans) {
            int[] prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && s[0] <= prev[1]) {
                prev[1] = Math.max(prev[1], s[1]);
            } else {
                merged.add(s);
            }
        }
        return merged;
    }

    private static int valueEnd(String s, int start) {
        if (start >= s.length()) {
            return start;
        }
        char open = s.charAt(start);
        char close = open == '{' ? '}' : open == '\'' || open == '"' ? open : 0;
        if (close != 0) {
            int end = s.indexOf(close, start + 1);
            return end < 0 ? s.length() : end + 1;
        }
        int i = start;
        while (i < s.length() && s.charAt(i) != '&' && s.charAt(i) != ';' && s.charAt(i) != ')') {
            i++;
        }
        return i;
    }
}
