package dev.jgrad.io;

import dev.jgrad.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/** Streams a safetensors file into a temporary sibling, forces it to disk and renames it into place. */
final class Encoder {
    private Encoder() {
    }

    static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) {
        Objects.requireNonNull(file, "file");
        byte[] header = header(tensors, metadata);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                write(ch, len);
                write(ch, ByteBuffer.wrap(header));
                ByteBuffer buf = ByteBuffer.allocateDirect(Decoder.CHUNK * 8).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor t : tensors.values()) {
                    body(ch, t, buf);
                }
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("SafeTensors.save: cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the save already failed; its exception is the one that matters
                }
            }
        }
    }

    /** @return the JSON header, padded with spaces to a multiple of 8 bytes */
    static byte[] header(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder b = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            b.append("\"__metadata__\":{");
            metadata.forEach((k, v) -> {
                Json.quote(b, Objects.requireNonNull(k, "metadata key"));
                b.append(':');
                Json.quote(b, Objects.requireNonNull(v, "metadata value of " + k));
                b.append(',');
            });
            b.setCharAt(b.length() - 1, '}');
            b.append(',');
        }
        long at = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "tensor name");
            Tensor t = Objects.requireNonNull(e.getValue(), "tensor " + name);
            if (name.equals("__metadata__")) {
                throw new IllegalArgumentException("SafeTensors.save: the name __metadata__ is reserved for the"
                        + " metadata strings; rename that tensor");
            }
            long bytes = (long) t.numel() * StDType.of(t.dtype()).size;
            Json.quote(b, name);
            b.append(":{\"dtype\":\"").append(StDType.of(t.dtype())).append("\",\"shape\":")
                    .append(Arrays.toString(t.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(at).append(',').append(at + bytes).append("]},");
            at += bytes;
        }
        if (b.length() > 1) {
            b.setLength(b.length() - 1);
        }
        b.append('}');
        byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        if (padded > Header.MAX_HEADER) {
            throw new IllegalArgumentException("SafeTensors.save: the header would be " + padded + " bytes, over the"
                    + " format's limit of " + Header.MAX_HEADER);
        }
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Streams one tensor's elements, row-major little-endian, through {@code buf}. */
    private static void body(FileChannel ch, Tensor t, ByteBuffer buf) throws IOException {
        Tensor flat = t.detach().contiguous().reshape(-1);
        int n = flat.numel();
        for (int s = 0; s < n; s += Decoder.CHUNK) {
            int len = Math.min(Decoder.CHUNK, n - s);
            Tensor part = flat.narrow(0, s, len);
            buf.clear();
            switch (t.dtype()) {
                case F32 -> buf.asFloatBuffer().put(part.toFloatArray());
                case F64 -> buf.asDoubleBuffer().put(part.toDoubleArray());
                case I64 -> buf.asLongBuffer().put(part.toLongArray());
            }
            buf.limit(len * StDType.of(t.dtype()).size);
            write(ch, buf);
        }
    }

    private static void write(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Makes the rename itself durable where the platform allows opening a directory (Linux does). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported here (e.g. Windows); the data itself is already forced
        }
    }
}
