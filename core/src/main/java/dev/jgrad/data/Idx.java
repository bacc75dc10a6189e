package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX format of MNIST-style data sets: two zero bytes, a type byte ({@code 0x08} unsigned
 * byte, {@code 0x09} signed byte, {@code 0x0B} short, {@code 0x0C} int, {@code 0x0D} float,
 * {@code 0x0E} double), the rank, the dims as big-endian int32, then the values big-endian in
 * row-major order. Gzip files (magic {@code 1f 8b}) are recognised by content, not by name.
 */
public final class Idx {
    private Idx() {
    }

    /**
     * @param file an IDX file, plain or gzip
     * @return integer types as I64, float as F32, double as F64, in the file's shape
     * @throws IllegalArgumentException for a wrong magic number, an unknown type, a shape over
     *                                  {@link Integer#MAX_VALUE} elements, truncated or trailing data
     * @throws UncheckedIOException     when the file cannot be read
     */
    public static Tensor read(Path file) {
        return read(file, null);
    }

    /**
     * As {@link #read(Path)}, converting to {@code dtype} while reading (no second full-size array),
     * e.g. {@code F32} for images.
     *
     * @param file  an IDX file, plain or gzip
     * @param dtype the result's dtype, or null for the file's natural one
     * @return the data in the file's shape
     */
    public static Tensor read(Path file, DType dtype) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            return parse(in, file, gzip ? -1 : Files.size(file), dtype);
        } catch (IOException e) {
            throw new UncheckedIOException("Idx.read: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Tensor parse(InputStream in, Path file, long plainSize, DType dtype) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] head = new byte[4];
        readHeader(d, head, file, "the 4-byte magic number");
        if (head[0] != 0 || head[1] != 0) {
            throw bad(file, String.format("magic number %02x %02x %02x %02x does not start with two zero bytes;"
                    + " this is not an IDX file", head[0], head[1], head[2], head[3]));
        }
        int size = switch (head[2]) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw bad(file, String.format("type byte 0x%02x is unknown; valid are 0x08 (ubyte), 0x09 (byte),"
                    + " 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)", head[2]));
        };
        int rank = head[3] & 0xff;
        byte[] dimBytes = new byte[4 * rank];
        readHeader(d, dimBytes, file, rank + " dims");
        ByteBuffer dims = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] shape = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            long s = dims.getInt() & 0xffffffffL;
            n *= s;
            if (s > Integer.MAX_VALUE || n > Integer.MAX_VALUE) {
                throw bad(file, "dims " + Arrays.toString(Arrays.copyOf(shape, i)) + " then " + s + " overflow: a"
                        + " tensor holds at most " + Integer.MAX_VALUE + " elements");
            }
            shape[i] = (int) s;
        }
        long bytes = n * size;
        long header = 4 + 4L * rank;
        if (plainSize >= 0 && plainSize != header + bytes) {
            throw bad(file, (plainSize < header + bytes ? "truncated" : "has trailing data") + ": shape "
                    + Arrays.toString(shape) + " needs " + (header + bytes) + " bytes, the file has " + plainSize);
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw bad(file, "shape " + Arrays.toString(shape) + " needs " + bytes + " bytes, over the 2 GiB a reader"
                    + " array can hold");
        }
        // readNBytes grows its buffer as data arrives, so a lying header cannot force a huge allocation
        byte[] data = d.readNBytes((int) bytes);
        if (data.length < bytes) {
            throw bad(file, "truncated: shape " + Arrays.toString(shape) + " needs " + bytes + " data bytes, found "
                    + data.length);
        }
        if (d.read() != -1) {
            throw bad(file, "has trailing data after the " + bytes + " data bytes of shape " + Arrays.toString(shape));
        }
        return IdxValues.decode(data, head[2], shape, dtype);
    }

    private static void readHeader(DataInputStream d, byte[] into, Path file, String what) throws IOException {
        try {
            d.readFully(into);
        } catch (EOFException e) {
            throw bad(file, "truncated: the file ends inside " + what);
        }
    }

    static IllegalArgumentException bad(Path file, String what) {
        return new IllegalArgumentException("Idx.read: " + file + ": " + what);
    }
}
