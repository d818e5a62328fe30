package io.shardkit.strategy;

import io.shardkit.ShardException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.AbstractList;
import java.util.List;

/**
 * {@code md5} split: the suffix is the first N (1 to 8) lower-case hex characters of the MD5 of the
 * value's canonical text in UTF-8. The canonical text is fixed and documented (as for the
 * {@code hash} strategy): integral numbers in decimal whatever their Java type ({@code 42},
 * {@code 42L}, {@code 42.0} and {@code "42"} give {@code "42"}), other numbers in plain decimal
 * without trailing zeros ({@code 1.50} gives {@code "1.5"}), {@code byte[]} read as UTF-8,
 * everything else {@code toString()} (a string as it is, case and spaces kept). Costs one digest per
 * value (a clone of one {@link MessageDigest} per call; MD5 is not a security measure here, only a spread).
 */
final class Md5Split implements SplitRule {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** Cloned per value: cheaper than a provider lookup by name. */
    private static final MessageDigest MD5 = md5Digest();

    private final int chars;
    private final List<String> suffixes;

    Md5Split(int chars) {
        if (chars < 1 || chars > 8) {
            throw new IllegalArgumentException("md5 chars must be 1 to 8, got " + chars);
        }
        this.chars = chars;
        this.suffixes = chars > 7 ? null : new AbstractList<>() {
            @Override
            public String get(int index) {
                if (index < 0 || index >= size()) {
                    throw new IndexOutOfBoundsException(index);
                }
                char[] c = new char[chars];
                for (int i = chars - 1; i >= 0; i--) {
                    c[i] = HEX[index & 15];
                    index >>>= 4;
                }
                return new String(c);
            }

            @Override
            public int size() {
                return 1 << (4 * chars);
            }

            @Override
            public boolean contains(Object o) {
                return o instanceof String s && produces(s);
            }
        };
    }

    /** The first {@code chars} hex characters of MD5(canonical text, UTF-8). */
    static String md5(Object value, int chars) {
        MessageDigest md;
        try {
            md = (MessageDigest) MD5.clone();
        } catch (CloneNotSupportedException e) {
            md = md5Digest();
        }
        byte[] d = md.digest(Keys.text(value).getBytes(StandardCharsets.UTF_8));
        char[] c = new char[chars];
        for (int i = 0; i < chars; i++) {
            int b = d[i >> 1] & 0xff;
            c[i] = HEX[(i & 1) == 0 ? b >>> 4 : b & 15];
        }
        return new String(c);
    }

    private static MessageDigest md5Digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    @Override
    public String suffix(String table, Object value) throws ShardException {
        return md5(value, chars);
    }

    @Override
    public List<String> suffixes() {
        return suffixes;
    }

    @Override
    public boolean produces(String suffix) {
        if (suffix == null || suffix.length() != chars) {
            return false;
        }
        for (int i = 0; i < chars; i++) {
            char c = suffix.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<String> suffixesBetween(Object low, boolean lowInclusive, Object high, boolean highInclusive) {
        return null;
    }

    @Override
    public String reason(Object value) {
        return "md5('" + Keys.text(value) + "') = " + md5(value, chars);
    }

    @Override
    public String describe() {
        return "md5 " + chars + " hex char" + (chars == 1 ? "" : "s");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Md5Split m && m.chars == chars;
    }

    @Override
    public int hashCode() {
        return chars * 31 + 11;
    }

    @Override
    public String toString() {
        return describe();
    }
}
