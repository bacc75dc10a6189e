package dev.jgrad.data;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Converts the big-endian values of an IDX file into a tensor of the requested dtype. */
final class IdxValues {
    private IdxValues() {
    }

    /** @param dtype the result's dtype, or null: I64 for integer types, F32 for float, F64 for double */
    static Tensor decode(byte[] data, byte type, int[] shape, DType dtype) {
        DType out = dtype != null ? dtype : type == 0x0D ? DType.F32 : type == 0x0E ? DType.F64 : DType.I64;
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        int n = data.length / switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            default -> 8;
        };
        if (type == 0x08 && out != DType.F64) {
            return unsignedBytes(data, shape, out);
        }
        return switch (out) {
            case F32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) value(b, type, i);
                }
                yield Tensor.of(v, shape);
            }
            case F64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = value(b, type, i);
                }
                yield Tensor.of(v, shape);
            }
            case I64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) value(b, type, i);
                }
                yield Tensor.of(v, shape);
            }
        };
    }

    /** The common case (MNIST pixels and labels), without the per-element type dispatch. */
    private static Tensor unsignedBytes(byte[] data, int[] shape, DType out) {
        if (out == DType.F32) {
            float[] v = new float[data.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = data[i] & 0xff;
            }
            return Tensor.of(v, shape);
        }
        long[] v = new long[data.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = data[i] & 0xff;
        }
        return Tensor.of(v, shape);
    }

    private static double value(ByteBuffer b, byte type, int i) {
        return switch (type) {
            case 0x08 -> b.get(i) & 0xff;
            case 0x09 -> b.get(i);
            case 0x0B -> b.getShort(2 * i);
            case 0x0C -> b.getInt(4 * i);
            case 0x0D -> b.getFloat(4 * i);
            default -> b.getDouble(8 * i);
        };
    }
}
