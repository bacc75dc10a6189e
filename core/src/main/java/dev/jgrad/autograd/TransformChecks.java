package dev.jgrad.autograd;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Argument checks and small tensor helpers shared by {@link Transforms} and {@link Traced}. */
final class TransformChecks {
    private TransformChecks() {
    }

    static void inputs(String op, Function<List<Tensor>, Tensor> f, List<Tensor> xs) {
        if (f == null) {
            throw new IllegalArgumentException(op + ": the function f is null");
        }
        if (xs == null || xs.isEmpty()) {
            throw new IllegalArgumentException(op + ": needs at least one input tensor");
        }
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            if (x == null) {
                throw new IllegalArgumentException(op + ": input " + i + " is null");
            }
            if (!x.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(op + ": input " + i + " is " + x.dtype() + " "
                        + Arrays.toString(x.shape()) + "; only F32 or F64 inputs can be differentiated");
            }
        }
    }

    /** Checks that {@code vs} holds one tensor per input, each matching it in shape, dtype and device. */
    static void directions(String op, List<Tensor> vs, List<Tensor> inputs) {
        if (vs == null || vs.size() != inputs.size()) {
            throw new IllegalArgumentException(op + ": needs one vector v per input (" + inputs.size() + "), got "
                    + (vs == null ? "null" : vs.size()));
        }
        for (int i = 0; i < vs.size(); i++) {
            sameShape(op, "v[" + i + "]", vs.get(i), "input " + i, inputs.get(i));
        }
    }

    static void sameShape(String op, String name, Tensor v, String what, Tensor like) {
        if (v == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null; it must be shaped like " + what + ", "
                    + Arrays.toString(like.shape()));
        }
        if (!Arrays.equals(v.shape(), like.shape()) || v.dtype() != like.dtype()
                || !v.device().equals(like.device())) {
            throw new IllegalArgumentException(op + ": " + name + " is " + v.dtype() + " " + Arrays.toString(v.shape())
                    + " on " + v.device() + " but " + what + " is " + like.dtype() + " "
                    + Arrays.toString(like.shape()) + " on " + like.device() + "; they must match");
        }
    }

    static void scalar(String op, Tensor out) {
        if (out.numel() != 1) {
            throw new IllegalArgumentException(op + ": the function must return a tensor of one element, got shape "
                    + Arrays.toString(out.shape()) + "; reduce it (e.g. sum()) first");
        }
    }

    /** @return {@code Σ_i <g_i, v_i>} over the non-null {@code g_i}, or null if all are null */
    static Tensor dot(Tensor[] g, List<Tensor> vs) {
        Tensor total = null;
        for (int i = 0; i < g.length; i++) {
            if (g[i] != null) {
                Tensor term = g[i].mul(vs.get(i)).sum();
                total = total == null ? term : total.add(term);
            }
        }
        return total;
    }

    static Tensor zerosLike(Tensor t) {
        return zeros(t, t.shape());
    }

    /** @return zeros of {@code shape} with {@code like}'s dtype and device */
    static Tensor zeros(Tensor like, int[] shape) {
        return Tensor.zeros(like.dtype(), shape).to(like.device().name());
    }

    /** @return a tensor shaped like {@code out}, zero except 1 at flat index {@code k} */
    static Tensor basis(Tensor out, int k) {
        Tensor e;
        if (out.dtype() == DType.F64) {
            double[] v = new double[out.numel()];
            v[k] = 1;
            e = Tensor.of(v, out.shape());
        } else {
            float[] v = new float[out.numel()];
            v[k] = 1;
            e = Tensor.of(v, out.shape());
        }
        return e.to(out.device().name());
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
