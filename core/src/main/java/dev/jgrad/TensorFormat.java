package dev.jgrad;

import java.util.Locale;

/** PyTorch-like text for tensors: nested brackets, at most 6 entries per dim (first 3, ..., last 3). */
final class TensorFormat {
    private static final int EDGE = 3;
    private static final int MAX_DIM = 2 * EDGE;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.numel() == 0) {
            sb.append("[]");
        } else {
            double[] v = t.toDoubleArray();
            append(sb, v, t.shape, 0, 0, t.dtype);
        }
        sb.append(", shape=").append(Checks.str(t.shape)).append(", dtype=").append(t.dtype);
        sb.append(", device=").append(t.device());
        if (t.gradFn != null) {
            sb.append(", gradFn=").append(t.gradFn.name());
        } else if (t.requiresGrad()) {
            sb.append(", requiresGrad=true");
        }
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, double[] v, int[] shape, int dim, int base, DType dtype) {
        if (dim == shape.length) {
            sb.append(dtype == DType.I64 ? Long.toString((long) v[base]) : String.format(Locale.ROOT, "%.4f", v[base]));
            return;
        }
        int size = shape[dim];
        int block = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            block *= shape[d];
        }
        sb.append('[');
        for (int i = 0; i < size; i++) {
            if (size > MAX_DIM && i == EDGE) {
                sb.append("..., ");
                i = size - EDGE;
            }
            append(sb, v, shape, dim + 1, base + i * block, dtype);
            if (i < size - 1) {
                sb.append(dim == shape.length - 1 ? ", " : ",\n" + " ".repeat(8 + dim));
            }
        }
        sb.append(']');
    }
}
