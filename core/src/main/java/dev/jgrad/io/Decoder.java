package dev.jgrad.io;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Turns one validated header entry's bytes into a tensor: chunk by chunk from the mapped file,
 * converting F16/BF16 to F32 and narrow integers to I64, so that no full-size intermediate exists.
 */
final class Decoder {
    /** Elements per chunk: 256 Ki (1 MiB of F32), small enough to stay in cache. */
    static final int CHUNK = 1 << 18;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Decoder() {
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

    static Tensor decode(MemorySegment data, Header.Entry e) {
        int n = e.numel();
        DType to = e.dtype().loadsAs;
        if (n <= CHUNK) {
            return chunk(data, e, 0, n, to).reshape(e.shape());
        }
        Tensor flat = Tensor.zeros(to, n);
        for (int s = 0; s < n; s += CHUNK) {
            int len = Math.min(CHUNK, n - s);
            flat.narrow(0, s, len).copyInPlace(chunk(data, e, s, len, to));
        }
        return flat.view(e.shape());
    }

    /** @return elements {@code [from, from + len)} of the entry as a 1-D tensor of {@code to} */
    private static Tensor chunk(MemorySegment data, Header.Entry e, int from, int len, DType to) {
        long at = e.begin() + (long) from * e.dtype().size;
        return switch (e.dtype()) {
            case F32 -> {
                float[] v = new float[len];
                MemorySegment.copy(data, F32, at, v, 0, len);
                yield Tensor.of(v, len);
            }
            case F64 -> {
                double[] v = new double[len];
                MemorySegment.copy(data, F64, at, v, 0, len);
                yield Tensor.of(v, len);
            }
            case F16, BF16 -> Tensor.of(halves(data, at, len, e.dtype() == StDType.BF16), len);
            default -> Tensor.of(integers(data, at, len, e.dtype()), len);
        };
    }

    private static float[] halves(MemorySegment data, long at, int len, boolean brain) {
        short[] h = new short[len];
        MemorySegment.copy(data, I16, at, h, 0, len);
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            v[i] = brain ? Float.intBitsToFloat(h[i] << 16) : Float.float16ToFloat(h[i]);
        }
        return v;
    }

    private static long[] integers(MemorySegment data, long at, int len, StDType t) {
        long[] v = new long[len];
        switch (t) {
            case I64 -> MemorySegment.copy(data, I64, at, v, 0, len);
            case I32 -> {
                int[] w = new int[len];
                MemorySegment.copy(data, I32, at, w, 0, len);
                for (int i = 0; i < len; i++) {
                    v[i] = w[i];
                }
            }
            default -> {
                byte[] b = new byte[len];
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, b, 0, len);
                for (int i = 0; i < len; i++) {
                    v[i] = switch (t) {
                        case U8 -> b[i] & 0xff;
                        case BOOL -> b[i] != 0 ? 1 : 0;
                        default -> b[i];
                    };
                }
            }
        }
        return v;
    }
}
