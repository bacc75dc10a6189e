package dev.jgrad;

import dev.jgrad.backend.HeapBuffer;
import java.lang.ref.WeakReference;

/**
 * A checkpoint's input kept compressed until backward recomputes the segment: a bitmap of the
 * elements whose bits are not all zero, and those elements' values in order (the sparse storage of
 * Jain et al., "Gist", 2018). A checkpointed segment's input is most often the previous segment's
 * ReLU output, about half zeros, and these inputs are what a checkpointed network keeps for its
 * whole backward; kept whole, the {@code L/k} inputs and one segment's {@code k} recomputed
 * activations set the floor of the peak. The restored tensor has the input's exact bits ({@code -0.0}
 * and NaN payloads included), so gradients stay bit for bit those of the plain run.
 *
 * <p>Only contiguous F32 or F64 tensors of the host backends are compressed, and only when that saves
 * at least a quarter of their bytes; the bitmap and values are tensors on the input's device,
 * so the live-bytes counter ({@link dev.jgrad.backend.HeapMemory}) counts them.
 */
final class SparseInput {
    private final Device device;
    private final int[] shape;
    private final DType dtype;
    /** The bitmap (I64) and the values, until {@link #take()} hands them to the node that saves them. */
    private Tensor bits;
    private Tensor values;
    /** The input itself while something else keeps it alive, to detect an in-place change as a saved tensor would. */
    private final WeakReference<Tensor> source;
    private final int version;

    private SparseInput(Tensor x, Tensor bits, Tensor values) {
        this.device = x.device();
        this.shape = x.shape.clone();
        this.dtype = x.dtype;
        this.bits = bits;
        this.values = values;
        this.source = new WeakReference<>(x);
        this.version = x.version();
    }

    /** @return {@code x} compressed, or null when it is not a host F32/F64 contiguous tensor worth compressing */
    static SparseInput of(Tensor x) {
        if (x.dtype == DType.I64 || !x.isContiguous() || x.numel() == 0
                || !(x.storage.buffer() instanceof HeapBuffer h)) {
            return null;
        }
        int n = x.numel(), off = x.offset;
        long[] mask = new long[(n + 63) >>> 6];
        int nonZero = x.dtype == DType.F32 ? markF32(h.f32, off, n, mask) : markF64(h.f64, off, n, mask);
        long whole = (long) n * x.dtype.byteSize();
        long packed = 8L * mask.length + (long) nonZero * x.dtype.byteSize();
        if (packed * 4 > whole * 3) {
            return null;
        }
        Tensor bits = Factories.wrap(x.device(), HeapBuffer.wrap(x.device().backend(), mask), new int[] {mask.length},
                DType.I64);
        HeapBuffer values;
        if (x.dtype == DType.F32) {
            float[] v = new float[nonZero];
            for (int i = 0, k = 0; i < n; i++) {
                if ((mask[i >>> 6] & (1L << i)) != 0) {
                    v[k++] = h.f32[off + i];
                }
            }
            values = HeapBuffer.wrap(x.device().backend(), v);
        } else {
            double[] v = new double[nonZero];
            for (int i = 0, k = 0; i < n; i++) {
                if ((mask[i >>> 6] & (1L << i)) != 0) {
                    v[k++] = h.f64[off + i];
                }
            }
            values = HeapBuffer.wrap(x.device().backend(), v);
        }
        return new SparseInput(x, bits, Factories.wrap(x.device(), values, new int[] {nonZero}, x.dtype));
    }

    private static int markF32(float[] a, int off, int n, long[] mask) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(a[off + i]) != 0) {
                mask[i >>> 6] |= 1L << i;
                count++;
            }
        }
        return count;
    }

    private static int markF64(double[] a, int off, int n, long[] mask) {
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (Double.doubleToRawLongBits(a[off + i]) != 0) {
                mask[i >>> 6] |= 1L << i;
                count++;
            }
        }
        return count;
    }

    /**
     * Hands over the compressed data, to be saved by the checkpoint's node, so that it is released with
     * the node's other saved tensors (after its backward unless the graph is retained) while this small
     * object stays with the backward closure.
     *
     * @return {bitmap, values}
     */
    Tensor[] take() {
        Tensor[] t = {bits, values};
        bits = null;
        values = null;
        return t;
    }

    /**
     * @param op     the op name for the error
     * @param bits   the bitmap {@link #take()} returned
     * @param values the values {@link #take()} returned
     * @return a new contiguous tensor with the input's shape, dtype, device and exact bits
     * @throws IllegalStateException if the input, still alive, was modified in place since it was compressed
     */
    Tensor restore(String op, Tensor bits, Tensor values) {
        Tensor x = source.get();
        if (x != null && x.version() != version) {
            throw new IllegalStateException(op + ": a tensor saved for backward (shape " + Checks.str(shape)
                    + ") was modified by an in-place operation: it is at version " + x.version() + ", expected version "
                    + version + "; clone it before modifying it");
        }
        long[] mask = ((HeapBuffer) bits.storage.buffer()).i64;
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        HeapBuffer out;
        if (dtype == DType.F32) {
            float[] v = new float[n];
            float[] src = ((HeapBuffer) values.storage.buffer()).f32;
            for (int i = 0, k = 0; i < n; i++) {
                if ((mask[i >>> 6] & (1L << i)) != 0) {
                    v[i] = src[k++];
                }
            }
            out = HeapBuffer.wrap(device.backend(), v);
        } else {
            double[] v = new double[n];
            double[] src = ((HeapBuffer) values.storage.buffer()).f64;
            for (int i = 0, k = 0; i < n; i++) {
                if ((mask[i >>> 6] & (1L << i)) != 0) {
                    v[i] = src[k++];
                }
            }
            out = HeapBuffer.wrap(device.backend(), v);
        }
        return Factories.wrap(device, out, shape, dtype);
    }
}
