package dev.jgrad;

import dev.jgrad.backend.Backend;

/** Reads tensors back to host arrays, converting between element types. */
final class HostCopy {
    private HostCopy() {
    }

    static float[] toFloat(Tensor t) {
        Tensor c = Ops.contiguous(t);
        int n = c.numel();
        return switch (t.dtype) {
            case F32 -> {
                float[] out = new float[n];
                c.backend().read(c.storage.buffer(), c.offset, out);
                yield out;
            }
            case F64 -> {
                double[] d = toDouble(c);
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) d[i];
                }
                yield out;
            }
            case I64 -> {
                long[] l = toLong(c);
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
                yield out;
            }
        };
    }

    static double[] toDouble(Tensor t) {
        Tensor c = Ops.contiguous(t);
        int n = c.numel();
        double[] out = new double[n];
        switch (t.dtype) {
            case F64 -> c.backend().read(c.storage.buffer(), c.offset, out);
            case F32 -> {
                float[] f = new float[n];
                c.backend().read(c.storage.buffer(), c.offset, f);
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case I64 -> {
                long[] l = new long[n];
                c.backend().read(c.storage.buffer(), c.offset, l);
                for (int i = 0; i < n; i++) {
                    out[i] = l[i];
                }
            }
        }
        return out;
    }

    static long[] toLong(Tensor t) {
        Tensor c = Ops.contiguous(t);
        int n = c.numel();
        if (t.dtype == DType.I64) {
            long[] out = new long[n];
            c.backend().read(c.storage.buffer(), c.offset, out);
            return out;
        }
        double[] d = toDouble(c);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = (long) d[i];
        }
        return out;
    }

    /** @return a contiguous copy of {@code t} on {@code device} with element type {@code dtype}, via the host */
    static Tensor transfer(Tensor t, Device device, DType dtype) {
        Backend b = device.backend();
        int[] shape = t.shape;
        return switch (dtype) {
            case F32 -> Factories.wrap(device, b.upload(toFloat(t)), shape, dtype);
            case F64 -> Factories.wrap(device, b.upload(toDouble(t)), shape, dtype);
            case I64 -> Factories.wrap(device, b.upload(toLong(t)), shape, dtype);
        };
    }
}
