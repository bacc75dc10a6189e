package dev.jgrad.io;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.HeapBuffer;
import dev.jgrad.internal.Internals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Turns one validated header entry's bytes into a tensor on the default device. On a heap device
 * (cpu, reference) the mapped bytes are decoded straight into the tensor's own array: one pass, no
 * intermediate. Elsewhere they go through host chunks of {@link #CHUNK} elements, so that no
 * full-size intermediate exists either. F16/BF16 widen to F32, narrow integers to I64.
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
        Device device = Device.defaultDevice();
        Buffer buffer = device.backend().allocateUninitialized(to, n);
        if (buffer instanceof HeapBuffer h) {
            fill(data, e, 0, n, array(h), 0);
            return Internals.bridge().wrap(device, buffer, e.shape(), to);
        }
        Tensor flat = Internals.bridge().wrap(device, buffer, new int[] {n}, to);
        for (int s = 0; s < n; s += CHUNK) {
            int len = Math.min(CHUNK, n - s);
            Object chunk = to == DType.F32 ? new float[len] : to == DType.F64 ? new double[len] : new long[len];
            fill(data, e, s, len, chunk, 0);
            Tensor host = switch (chunk) {
                case float[] f -> Tensor.of(f, len);
                case double[] d -> Tensor.of(d, len);
                default -> Tensor.of((long[]) chunk, len);
            };
            flat.narrow(0, s, len).copyInPlace(host);
        }
        return flat.view(e.shape());
    }

    private static Object array(HeapBuffer h) {
        return h.f32 != null ? h.f32 : h.f64 != null ? h.f64 : h.i64;
    }

    /** Decodes elements {@code [from, from + len)} of the entry into {@code dst[at ...]} (float[], double[] or long[]). */
    private static void fill(MemorySegment data, Header.Entry e, int from, int len, Object dst, int at) {
        long src = e.begin() + (long) from * e.dtype().size;
        switch (e.dtype()) {
            case F32 -> MemorySegment.copy(data, F32, src, (float[]) dst, at, len);
            case F64 -> MemorySegment.copy(data, F64, src, (double[]) dst, at, len);
            case I64 -> MemorySegment.copy(data, I64, src, (long[]) dst, at, len);
            case F16, BF16 -> {
                float[] out = (float[]) dst;
                boolean brain = e.dtype() == StDType.BF16;
                for (int i = 0; i < len; i++) {
                    short h = data.get(I16, src + 2L * i);
                    out[at + i] = brain ? Float.intBitsToFloat(h << 16) : Float.float16ToFloat(h);
                }
            }
            case I32 -> {
                long[] out = (long[]) dst;
                for (int i = 0; i < len; i++) {
                    out[at + i] = data.get(I32, src + 4L * i);
                }
            }
            default -> {
                long[] out = (long[]) dst;
                StDType t = e.dtype();
                for (int i = 0; i < len; i++) {
                    byte b = data.get(ValueLayout.JAVA_BYTE, src + i);
                    out[at + i] = t == StDType.U8 ? b & 0xff : t == StDType.BOOL ? (b != 0 ? 1 : 0) : b;
                }
            }
        }
    }
}
