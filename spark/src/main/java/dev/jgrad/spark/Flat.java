package dev.jgrad.spark;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.Arrays;
import java.util.List;

/** Parameters as one flat F32 vector, in {@code Module.parameters()} order: what travels each round. */
final class Flat {
    private Flat() {
    }

    /** @return the total element count, checked against the largest Java array */
    static int count(List<Tensor> params) {
        long n = 0;
        for (Tensor p : params) {
            n += p.numel();
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("SparkTrainer: the model has " + n
                    + " parameters; one flat float[] holds at most " + (Integer.MAX_VALUE - 8));
        }
        return (int) n;
    }

    /** @return a new array with the parameters' values */
    static float[] weights(List<Tensor> params) {
        float[] out = new float[count(params)];
        int at = 0;
        for (Tensor p : params) {
            float[] v = p.toFloatArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        return out;
    }

    /** @return {@code scale} × each parameter's gradient (zeros where none reached it), flat */
    static float[] grads(List<Tensor> params, float scale) {
        float[] out = new float[count(params)];
        int at = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                float[] g = p.grad().toFloatArray();
                for (int i = 0; i < g.length; i++) {
                    out[at + i] = scale * g[i];
                }
            }
            at += p.numel();
        }
        return out;
    }

    /** Copies {@code w} into the parameters in place (no recording; versions bumped). */
    static void load(List<Tensor> params, float[] w) {
        load(params, w, w.length);
    }

    /**
     * Copies {@code w[0, length)} into the parameters in place; elements after {@code length} (optimizer
     * state) are not weights. The vector becomes one tensor and each parameter copies its slice
     * (a view): one copy of the vector, not two per parameter.
     */
    static void load(List<Tensor> params, float[] w, int length) {
        checkLength(params, length);
        try (var ng = NoGrad.enter()) {
            Tensor all = Tensor.of(length == w.length ? w : Arrays.copyOf(w, length), length);
            int at = 0;
            for (Tensor p : params) {
                p.copyInPlace(all.narrow(0, at, p.numel()).reshape(p.shape()));
                at += p.numel();
            }
        }
    }

    /**
     * Makes {@code g} the parameters' {@code grad}: clears each, then back-propagates from the leaf
     * itself with seed g_i ({@code p.backward(g_i)}), which sets {@code p.grad() = g_i} through the
     * public API, with no graph and no arithmetic on the values. The seeds are views of one tensor
     * holding {@code g}; the leaf keeps a copy of its seed.
     */
    static void setGrads(List<Tensor> params, float[] g) {
        checkLength(params, g.length);
        Tensor all = Tensor.of(g, g.length);
        int at = 0;
        for (Tensor p : params) {
            p.zeroGrad();
            p.backward(all.narrow(0, at, p.numel()).reshape(p.shape()));
            at += p.numel();
        }
    }

    private static void checkLength(List<Tensor> params, int length) {
        int n = count(params);
        if (n != length) {
            throw new IllegalArgumentException("SparkTrainer: the model has " + n + " parameters but the flat vector has "
                    + length + "; the ModelFactory must build the driver model's architecture");
        }
    }
}
