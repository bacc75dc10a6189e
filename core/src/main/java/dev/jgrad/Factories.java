package dev.jgrad;

import dev.jgrad.backend.Backend;
import dev.jgrad.backend.Buffer;
import dev.jgrad.backend.View;
import java.util.random.RandomGenerator;

/** Builds tensors from host data on the default device. */
final class Factories {
    private Factories() {
    }

    static Tensor of(float[] data, int[] shape) {
        check("of", data.length, shape);
        Device d = Device.defaultDevice();
        return wrap(d, d.backend().upload(data), shape, DType.F32);
    }

    static Tensor of(double[] data, int[] shape) {
        check("of", data.length, shape);
        Device d = Device.defaultDevice();
        return wrap(d, d.backend().upload(data), shape, DType.F64);
    }

    static Tensor of(long[] data, int[] shape) {
        check("of", data.length, shape);
        Device d = Device.defaultDevice();
        return wrap(d, d.backend().upload(data), shape, DType.I64);
    }

    static Tensor wrap(Device d, Buffer buffer, int[] shape, DType dtype) {
        return new Tensor(new Storage(buffer, d), shape.clone(), View.contiguousStrides(shape), 0, dtype);
    }

    private static void check(String op, int length, int[] shape) {
        int n = Checks.shape(op, shape);
        if (n != length) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fit shape " + Checks.str(shape)
                    + ", which holds " + n + " elements");
        }
    }

    static Tensor arange(int end) {
        if (end < 0) {
            throw new IllegalArgumentException("arange: end must be >= 0, got " + end);
        }
        long[] v = new long[end];
        for (int i = 0; i < end; i++) {
            v[i] = i;
        }
        return of(v, new int[] {end});
    }

    static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step) || Double.isNaN(start) || Double.isNaN(end)
                || (end - start) / step < 0 || Double.isInfinite(start) || Double.isInfinite(end)) {
            throw new IllegalArgumentException("arange: cannot step from " + start + " to " + end + " by " + step
                    + "; the step must be nonzero, finite bounds, and point from start toward end");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("arange: a fractional range needs a floating-point dtype, got " + dtype
                    + "; use arange(int end) for I64");
        }
        double count = Math.ceil((end - start) / step);
        if (count > Checks.MAX_ELEMENTS) {
            throw new IllegalArgumentException("arange: stepping from " + start + " to " + end + " by " + step
                    + " gives " + (long) count + " elements, more than the limit of " + Checks.MAX_ELEMENTS
                    + " (2^31 - 1) a tensor holds");
        }
        int n = (int) count;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return fromDoubles(v, new int[] {n}, dtype);
    }

    static Tensor random(RandomGenerator rng, DType dtype, int[] shape, boolean normal) {
        return random(normal ? "randn" : "rand", rng, dtype, shape, normal);
    }

    /** @return random values shaped and typed like {@code like}, on its device */
    static Tensor randomLike(String op, Tensor like, RandomGenerator rng, boolean normal) {
        Tensor host = random(op, rng, like.dtype, like.shape, normal);
        return host.device().equals(like.device()) ? host : host.to(like.device().name());
    }

    private static Tensor random(String op, RandomGenerator rng, DType dtype, int[] shape, boolean normal) {
        int n = Checks.shape(op, shape);
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": needs a floating-point dtype, got " + dtype);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = normal ? rng.nextGaussian() : rng.nextDouble();
        }
        return fromDoubles(v, shape, dtype);
    }

    /** @return a float tensor of the given dtype on the default device */
    static Tensor fromDoubles(double[] v, int[] shape, DType dtype) {
        Device d = Device.defaultDevice();
        Backend b = d.backend();
        if (dtype == DType.F64) {
            return wrap(d, b.upload(v), shape, DType.F64);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return wrap(d, b.upload(f), shape, DType.F32);
    }
}
