package dev.jgrad.io;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and fully validated safetensors header: every check of the reference implementation,
 * done on the header and the file size alone, before any data is read or any tensor built.
 *
 * @param dataStart byte offset of the data region in the file ({@code 8 + header length})
 * @param entries   the tensors, in file (data offset) order
 * @param metadata  the {@code __metadata__} strings, empty if absent
 */
record Header(long dataStart, List<Entry> entries, Map<String, String> metadata) {
    /** The reference implementation's limit on the JSON header. */
    static final long MAX_HEADER = 100_000_000L;

    /**
     * One tensor's record.
     *
     * @param name  its key
     * @param dtype its element type
     * @param shape its dims (each and their product within {@code int})
     * @param begin start of its bytes, relative to the data region
     * @param end   end of its bytes (exclusive)
     */
    record Entry(String name, StDType dtype, int[] shape, long begin, long end) {
        int numel() {
            return (int) ((end - begin) / dtype.size);
        }
    }

    /**
     * @param reader   supplies the length field and then the header bytes
     * @param fileSize the whole file's size
     * @param op       the calling method, for messages
     * @param file     the file, for messages
     */
    static Header read(HeaderSource reader, long fileSize, String op, Path file) {
        if (fileSize < 8) {
            throw bad(op, file, "the file has " + fileSize + " bytes, fewer than the 8 of the header length");
        }
        long n = reader.length();
        if (n < 0 || n > MAX_HEADER) {
            throw bad(op, file, "header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER
                    + " bytes");
        }
        if (8 + n > fileSize) {
            throw bad(op, file, "header length " + n + " runs past the end of the " + fileSize + "-byte file");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(reader.bytes((int) n)).toString();
        } catch (CharacterCodingException e) {
            throw bad(op, file, "the header is not valid UTF-8");
        }
        Object json;
        try {
            json = Json.parse(text);
        } catch (Json.Malformed e) {
            throw bad(op, file, "the header is not valid JSON: " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> top)) {
            throw bad(op, file, "the header is not a JSON object");
        }
        return validate(top, 8 + n, fileSize - 8 - n, op, file);
    }

    /** Supplies the header bytes: the file's first 8 as a length, then the JSON. */
    interface HeaderSource {
        /** @return the little-endian u64 at offset 0 (negative if above {@link Long#MAX_VALUE}) */
        long length();

        /** @return {@code n} bytes from offset 8 */
        ByteBuffer bytes(int n);
    }

    private static Header validate(Map<?, ?> top, long dataStart, long dataSize, String op, Path file) {
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                metadata(e.getValue(), metadata, op, file);
            } else {
                entries.add(entry(name, e.getValue(), op, file));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry t : entries) {
            if (t.begin != at) {
                throw bad(op, file, "tensor '" + t.name + "' starts at data offset " + t.begin + " but the previous"
                        + " tensor ends at " + at + (t.begin < at ? " (they overlap)" : " (a gap)"));
            }
            at = t.end;
        }
        if (at != dataSize) {
            throw bad(op, file, "the tensors cover " + at + " data bytes but the file holds " + dataSize
                    + (at < dataSize ? " (trailing bytes)" : ""));
        }
        return new Header(dataStart, List.copyOf(entries), Map.copyOf(metadata));
    }

    private static void metadata(Object value, Map<String, String> out, String op, Path file) {
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(op, file, "__metadata__ must be an object of strings");
        }
        for (Map.Entry<?, ?> kv : m.entrySet()) {
            if (!(kv.getValue() instanceof String v)) {
                throw bad(op, file, "__metadata__ value of '" + kv.getKey() + "' is not a string");
            }
            out.put((String) kv.getKey(), v);
        }
    }

    private static Entry entry(String name, Object value, String op, Path file) {
        String who = "tensor '" + name + "': ";
        if (!(value instanceof Map<?, ?> info)) {
            throw bad(op, file, who + "expected an object with dtype, shape and data_offsets");
        }
        if (!(info.get("dtype") instanceof String dt)) {
            throw bad(op, file, who + "dtype is missing or not a string");
        }
        StDType dtype = StDType.named(dt);
        if (dtype == null) {
            throw bad(op, file, who + "unknown dtype '" + dt + "'");
        }
        long[] dims = naturals(info.get("shape"), -1, who + "shape", op, file);
        long[] offsets = naturals(info.get("data_offsets"), 2, who + "data_offsets", op, file);
        if (offsets[1] < offsets[0]) {
            throw bad(op, file, who + "data_offsets [" + offsets[0] + ", " + offsets[1] + "] end before they begin");
        }
        long numel = 1;
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            numel = multiply(numel, dims[i], who, op, file);
            shape[i] = (int) Math.min(dims[i], Integer.MAX_VALUE);
        }
        long bytes = multiply(numel, dtype.size, who, op, file);
        if (bytes != offsets[1] - offsets[0]) {
            throw bad(op, file, who + "data_offsets [" + offsets[0] + ", " + offsets[1] + "] hold "
                    + (offsets[1] - offsets[0]) + " bytes but shape " + Arrays.toString(dims) + " of "
                    + dtype + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long multiply(long a, long b, String who, String op, Path file) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw bad(op, file, who + "shape times dtype size overflows 64 bits");
        }
    }

    /** @return the array of non-negative integers at {@code v}, of length {@code n} unless {@code n < 0} */
    private static long[] naturals(Object v, int n, String what, String op, Path file) {
        if (!(v instanceof List<?> list) || (n >= 0 && list.size() != n)) {
            throw bad(op, file, what + " must be an array of " + (n >= 0 ? n + " " : "") + "non-negative integers");
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long x) || x < 0) {
                throw bad(op, file, what + " holds " + list.get(i) + ", not a non-negative integer below 2^63");
            }
            out[i] = x;
        }
        return out;
    }

    static IllegalArgumentException bad(String op, Path file, String what) {
        return new IllegalArgumentException(op + ": " + file + ": " + what);
    }
}
