package io.shardkit.cli;

import java.math.BigDecimal;
import java.util.List;

/** Reads parameter values typed on the command line: integers, decimals, 'text', null, true/false. */
final class Values {
    private Values() {
    }

    static Object parse(String text) {
        String t = text.strip();
        if (t.equalsIgnoreCase("null")) {
            return null;
        }
        if (t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")) {
            return Boolean.valueOf(t);
        }
        if (t.length() >= 2 && t.startsWith("'") && t.endsWith("'")) {
            return t.substring(1, t.length() - 1).replace("''", "'");
        }
        if (t.matches("[+-]?\\d+")) {
            try {
                return Long.valueOf(t);
            } catch (NumberFormatException e) {
                return new BigDecimal(t);
            }
        }
        if (t.matches("[+-]?\\d*\\.\\d+([eE][+-]?\\d+)?")) {
            return new BigDecimal(t);
        }
        return t;
    }

    static Object[] parseAll(List<String> texts) {
        Object[] out = new Object[texts == null ? 0 : texts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = parse(texts.get(i));
        }
        return out;
    }
}
