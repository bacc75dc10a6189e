package dev.jgrad.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON that safetensors headers need, parsed by hand (jgrad-core has no dependencies): objects
 * become insertion-ordered maps, arrays lists, strings strings, numbers {@link Long} when integral
 * and within range else {@link Double}, and true/false/null themselves. Duplicate keys, nesting
 * deeper than {@value #MAX_DEPTH} and any syntax error are {@link Malformed}, carrying the offset.
 */
final class Json {
    static final int MAX_DEPTH = 64;
    private final String s;
    private int at;

    /** A syntax error; the caller adds the file name. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private Json(String s) {
        this.s = s;
    }

    /** @return the single value in {@code text}, which may end with whitespace */
    static Object parse(String text) throws Malformed {
        Json j = new Json(text);
        Object v = j.value(0);
        j.skipSpace();
        if (j.at != text.length()) {
            throw j.error("unexpected text after the JSON value");
        }
        return v;
    }

    private Malformed error(String what) {
        return new Malformed(what + " at character " + at);
    }

    private void skipSpace() {
        while (at < s.length() && " \t\r\n".indexOf(s.charAt(at)) >= 0) {
            at++;
        }
    }

    private Object value(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
        skipSpace();
        if (at >= s.length()) {
            throw error("unexpected end of the header");
        }
        char c = s.charAt(at);
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("unexpected character '" + c + "'");
            }
        };
    }

    private Object literal(String word, Object v) throws Malformed {
        if (!s.startsWith(word, at)) {
            throw error("invalid literal");
        }
        at += word.length();
        return v;
    }

    private Map<String, Object> object(int depth) throws Malformed {
        at++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (at < s.length() && s.charAt(at) == '}') {
            at++;
            return m;
        }
        while (true) {
            skipSpace();
            if (at >= s.length() || s.charAt(at) != '"') {
                throw error("expected a quoted key");
            }
            int keyAt = at;
            String key = string();
            skipSpace();
            expect(':');
            if (m.containsKey(key)) {
                at = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            m.put(key, value(depth + 1));
            skipSpace();
            if (at < s.length() && s.charAt(at) == ',') {
                at++;
            } else {
                expect('}');
                return m;
            }
        }
    }

    private List<Object> array(int depth) throws Malformed {
        at++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (at < s.length() && s.charAt(at) == ']') {
            at++;
            return list;
        }
        while (true) {
            list.add(value(depth + 1));
            skipSpace();
            if (at < s.length() && s.charAt(at) == ',') {
                at++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private void expect(char c) throws Malformed {
        if (at >= s.length() || s.charAt(at) != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private String string() throws Malformed {
        at++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= s.length()) {
                throw error("unterminated string");
            }
            char c = s.charAt(at++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (at >= s.length()) {
                throw error("unterminated escape");
            }
            char e = s.charAt(at++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(hex4());
                default -> throw error("invalid escape '\\" + e + "'");
            }
        }
    }

    private char hex4() throws Malformed {
        if (at + 4 > s.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(at++), 16);
            if (d < 0) {
                throw error("invalid \\u escape");
            }
            v = v * 16 + d;
        }
        return (char) v;
    }

    private Object number() throws Malformed {
        int start = at;
        if (s.charAt(at) == '-') {
            at++;
        }
        int intStart = at;
        while (at < s.length() && Character.isDigit(s.charAt(at)) && s.charAt(at) < 128) {
            at++;
        }
        if (at == intStart || (s.charAt(intStart) == '0' && at - intStart > 1)) {
            throw error("invalid number");
        }
        boolean integral = true;
        if (at < s.length() && s.charAt(at) == '.') {
            integral = false;
            at++;
            digits();
        }
        if (at < s.length() && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
            integral = false;
            at++;
            if (at < s.length() && (s.charAt(at) == '+' || s.charAt(at) == '-')) {
                at++;
            }
            digits();
        }
        String text = s.substring(start, at);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return Double.parseDouble(text); // beyond long: callers reject it as too large
            }
        }
        return Double.parseDouble(text);
    }

    private void digits() throws Malformed {
        int from = at;
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
            at++;
        }
        if (at == from) {
            throw error("invalid number");
        }
    }

    /** Appends {@code v} as a JSON string literal (quotes, backslashes and control characters escaped). */
    static void quote(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
