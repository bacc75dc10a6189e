package dev.jgrad.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Mutations for the safetensors fuzz test that keep a file plausible enough to reach deep checks. */
final class Fuzz {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final String[] DTYPES = {"F32", "F64", "I64", "F16", "BF16", "I32", "I8", "U8", "BOOL", "U16",
        "F8_E5M2", "X", ""};
    private static final String[] NUMBERS = {"0", "1", "3", "4", "-1", "12", "48", "9223372036854775807",
        "9223372036854775808", "18446744073709551616", "4294967296", "2147483648", "1.5", "1e3", "00"};
    private static final String[] SNIPPETS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u12", "null", "true",
        "\"__metadata__\"", "\"layer.bias\"", " ", "\u00e9", "[[[[[[", "\"dtype\":\"F32\","};

    private Fuzz() {
    }

    /** Rewrites the JSON header: numbers, dtypes or inserted/deleted snippets; the data is kept. */
    static byte[] craft(byte[] base, int headerEnd, SplittableRandom rng) {
        String json = new String(base, 8, headerEnd - 8, StandardCharsets.UTF_8);
        String mutated = switch (rng.nextInt(4)) {
            case 0 -> replaceNth(json, NUMBER, rng, NUMBERS[rng.nextInt(NUMBERS.length)]);
            case 1 -> replaceNth(json, Pattern.compile("\"(F32|I64)\""), rng,
                    "\"" + DTYPES[rng.nextInt(DTYPES.length)] + "\"");
            case 2 -> {
                int at = rng.nextInt(json.length() + 1);
                yield json.substring(0, at) + SNIPPETS[rng.nextInt(SNIPPETS.length)] + json.substring(at);
            }
            default -> {
                int at = rng.nextInt(json.length());
                yield json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + rng.nextInt(4)));
            }
        };
        byte[] h = mutated.getBytes(StandardCharsets.UTF_8);
        int data = base.length - headerEnd;
        return ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .put(base, headerEnd, data).array();
    }

    /** Replaces the 8-byte header length with an arbitrary or nearly right value. */
    static byte[] lengthField(byte[] base, SplittableRandom rng) {
        byte[] b = base.clone();
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        long v = switch (rng.nextInt(3)) {
            case 0 -> rng.nextLong();
            case 1 -> n + rng.nextInt(-16, 17);
            default -> rng.nextLong(0, b.length * 2L);
        };
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
        return b;
    }

    private static String replaceNth(String s, Pattern p, SplittableRandom rng, String with) {
        Matcher m = p.matcher(s);
        int hits = 0;
        while (m.find()) {
            hits++;
        }
        if (hits == 0) {
            return s;
        }
        int target = rng.nextInt(hits);
        m.reset();
        for (int i = 0; m.find(); i++) {
            if (i == target) {
                return s.substring(0, m.start()) + with + s.substring(m.end());
            }
        }
        return s;
    }
}
