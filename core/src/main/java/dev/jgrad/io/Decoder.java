package dev.jgrad.io;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.internal.Internals;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Turns one validated header entry's bytes into a tensor on the default device. The bytes are read
 * with positional {@link FileChannel} reads into one reused direct buffer of {@link #CHUNK_BYTES}
 * and bulk-copied (F32/F64/I64: {@link MemorySegment#copy}, a memcpy on little-endian hosts) into
 * the tensor's own array on a heap device (cpu, reference); elsewhere through host chunks of
 * {@link #CHUNK} elements. No full-size intermediate ever exists. F16/BF16 widen to F32, narrow
 * integers to I64.
 *
 * <p>Why not a memory map: copying out of a mapped file takes a page fault per 4 KiB page, and in
 * virtual machines (where jgrad's benchmarks run) a fault costs microseconds; a 1 GB load from the
 * page cache took 4-6x as long as reading it, while read-then-copy through a cache-sized buffer
 * costs about 1.3x a plain read (SafeTensorsBenchmark).
 */
final class Decoder {
    /** Elements per host chunk: 256 Ki (1 MiB of F32), small enough to stay in cache. */
    static final int CHUNK = 1 << 18;
    /** Bytes per read: 1 MiB, a multiple of every element size, so an element never straddles reads. */
    static final int CHUNK_BYTES = 1 << 20;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final FileChannel channel;
    private final long dataStart;
    private final ByteBuffer buffer;
    private final MemorySegment segment;

    /**
     * A decoder of the data section of {@code channel}, bytes {@code [dataStart, dataStart + dataSize)};
     * its buffer is no larger than the data, so loading many small files stays cheap.
     */
    Decoder(FileChannel channel, long dataStart, long dataSize) {
        this.channel = channel;
        this.dataStart = dataStart;
        this.buffer = ByteBuffer.allocateDirect((int) Math.min(CHUNK_BYTES, dataSize));
        this.segment = MemorySegment.ofBuffer(buffer);
    }

    /** Throws unless jgrad can hold the entry: a readable dtype and at most {@code int} elements. */
    static void check(Header.Entry e, Path file) {
        if (e.dtype().loadsAs == null) {
            throw Header.bad("SafeTensors.load", file, "tensor '" + e.name() + "': dtype " + e.dtype() + " is valid"
                    + " safetensors but jgrad reads only F32, F64, I64, F16, BF16, I32, I8, U8 and BOOL");
        }
        long n = 1;
        for (int d : e.shape()) {
            n *= d;
            if (d == Integer.MAX_VALUE || n > Integer.MAX_VALUE) {
                throw Header.bad("SafeTensors.load", file, "tensor '" + e.name() + "' has more than "
                        + Integer.MAX_VALUE + " elements, more than a jgrad tensor holds");
            }
        }
    }

    /** @return the entry's tensor, on the default device */
    Tensor decode(Header.Entry e) throws IOException {
        int n = e.numel();
        DType to = e.dtype().loadsAs;
        Device device = Device.defaultDevice();
        Buffer buf = device.backend().allocateUninitialized(to, n);
        if (buf instanceof HeapBuffer h) {
            fill(e, 0, n, h.f32 != null ? h.f32 : h.f64 != null ? h.f64 : h.i64, 0);
            return Internals.bridge().wrap(device, buf, e.shape(), to);
        }
        Tensor flat = Internals.bridge().wrap(device, buf, new int[] {n}, to);
        for (int s = 0; s < n; s += CHUNK) {
            int len = Math.min(CHUNK, n - s);
            Object chunk = to == DType.F32 ? new float[len] : to == DType.F64 ? new double[len] : new long[len];
            fill(e, s, len, chunk, 0);
            Tensor host = switch (chunk) {
                case float[] f -> Tensor.of(f, len);
                case double[] d -> Tensor.of(d, len);
                default -> Tensor.of((long[]) chunk, len);
            };
            flat.narrow(0, s, len).copyInPlace(host);
        }
        return flat.view(e.shape());
    }

    /** Decodes elements {@code [from, from + len)} of the entry into {@code dst[at ...]}, one read at a time. */
    private void fill(Header.Entry e, int from, int len, Object dst, int at) throws IOException {
        int size = e.dtype().size, per = CHUNK_BYTES / size;
        per = Math.min(per, buffer.capacity() / size);
        for (int done = 0; done < len; done += per) {
            int count = Math.min(per, len - done);
            read(e.begin() + (long) (from + done) * size, count * size);
            convert(e.dtype(), count, dst, at + done);
        }
    }

    /** Reads {@code n <= CHUNK_BYTES} bytes at data offset {@code pos} into the buffer's start. */
    private void read(long pos, int n) throws IOException {
        buffer.clear().limit(n);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, dataStart + pos + buffer.position()) < 0) {
                // Only a file shrunk since its header was checked gets here.
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Converts the buffer's first {@code len} elements of type {@code t} into {@code dst[at ...]}. */
    private void convert(StDType t, int len, Object dst, int at) {
        MemorySegment src = segment;
        switch (t) {
            case F32 -> MemorySegment.copy(src, F32, 0, (float[]) dst, at, len);
            case F64 -> MemorySegment.copy(src, F64, 0, (double[]) dst, at, len);
            case I64 -> MemorySegment.copy(src, I64, 0, (long[]) dst, at, len);
            case F16, BF16 -> {
                float[] out = (float[]) dst;
                boolean brain = t == StDType.BF16;
                for (int i = 0; i < len; i++) {
                    short h = src.get(I16, 2L * i);
                    out[at + i] = brain ? Float.intBitsToFloat(h << 16) : Float.float16ToFloat(h);
                }
            }
            case I32 -> {
                long[] out = (long[]) dst;
                for (int i = 0; i < len; i++) {
                    out[at + i] = src.get(I32, 4L * i);
                }
            }
            default -> {
                long[] out = (long[]) dst;
                for (int i = 0; i < len; i++) {
                    byte b = src.get(ValueLayout.JAVA_BYTE, i);
                    out[at + i] = t == StDType.U8 ? b & 0xff : t == StDType.BOOL ? (b != 0 ? 1 : 0) : b;
                }
            }
        }
    }
}
