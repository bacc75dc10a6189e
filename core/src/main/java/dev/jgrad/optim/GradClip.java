package dev.jgrad.optim;

import dev.jgrad.DType;
import dev.jgrad.Device;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradient clipping, the remedy for exploding gradients, as PyTorch's {@code clip_grad_norm_} and
 * {@code clip_grad_value_}. Gradients are changed in place (through the in-place gate, so their
 * versions are bumped); parameters whose grad is null are skipped. The norm is computed on each
 * gradient's device and read to the host once per device.
 */
public final class GradClip {
    private GradClip() {
    }

    /** {@link #clipNorm(List, double, double, boolean)} with the 2-norm and no error on a non-finite norm. */
    public static double clipNorm(List<Tensor> params, double maxNorm) {
        return clipNorm(params, maxNorm, 2, false);
    }

    /** {@link #clipNorm(List, double, double, boolean)} without an error on a non-finite norm. */
    public static double clipNorm(List<Tensor> params, double maxNorm, double normType) {
        return clipNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their total norm is at most {@code maxNorm}: the total
     * norm {@code N} is the {@code normType}-norm of the vector of every gradient's norm (for infinity,
     * the largest absolute element), and every gradient is multiplied by
     * {@code min(1, maxNorm / (N + 1e-6))}.
     *
     * @param params           tensors whose {@code grad()} is clipped (null grads are skipped)
     * @param maxNorm          the largest total norm allowed, {@code >= 0}
     * @param normType         the p of the p-norm, {@code > 0} (2, 1 or {@code Double.POSITIVE_INFINITY} usually)
     * @param errorIfNonfinite throw instead of scaling when the total norm is NaN or infinite
     * @return the total norm before clipping (0 when no parameter has a gradient)
     * @throws IllegalArgumentException for a bad maxNorm or normType, or a non-finite norm with
     *                                  {@code errorIfNonfinite} (gradients then stay unchanged)
     */
    public static double clipNorm(List<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipNorm: maxNorm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipNorm: normType must be > 0 (2, 1 or infinity), got " + normType);
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return 0;
        }
        try (var ng = NoGrad.enter()) {
            double total = totalNorm(grads, normType);
            if (errorIfNonfinite && !Double.isFinite(total)) {
                throw new IllegalArgumentException("clipNorm: the total norm of order " + normType + " of "
                        + grads.size() + " gradients is " + total + ", so it cannot be clipped; pass"
                        + " errorIfNonfinite = false to scale the gradients by it anyway");
            }
            double coef = coefficient(maxNorm, total, grads.get(0).dtype());
            if (!(coef >= 1)) {
                for (Tensor g : grads) {
                    g.mulInPlace(coef);
                }
            }
            return total;
        }
    }

    /** @return {@code maxNorm / (total + 1e-6)}, rounded as PyTorch computes it in an F32 tensor */
    private static double coefficient(double maxNorm, double total, DType dtype) {
        if (dtype == DType.F32) {
            return (float) maxNorm / ((float) total + 1e-6f);
        }
        return maxNorm / (total + 1e-6);
    }

    /** The total norm: per device, the per-gradient terms are combined there and read once. */
    private static double totalNorm(List<Tensor> grads, double p) {
        Map<Device, List<Tensor>> terms = new LinkedHashMap<>();
        for (Tensor g : grads) {
            Tensor a = g.abs();
            Tensor term = p == Double.POSITIVE_INFINITY ? a.max() : p == 1 ? a.sum() : p == 2 ? g.mul(g).sum()
                    : a.pow(p).sum();
            terms.computeIfAbsent(g.device(), d -> new ArrayList<>()).add(term.to(DType.F64));
        }
        double acc = 0;
        for (List<Tensor> t : terms.values()) {
            Tensor s = Tensor.stack(t, 0);
            double v = (p == Double.POSITIVE_INFINITY ? s.max() : s.sum()).item();
            acc = p == Double.POSITIVE_INFINITY ? Math.max(acc, v) : acc + v;
            if (Double.isNaN(v)) {
                acc = v;
            }
        }
        return p == Double.POSITIVE_INFINITY || p == 1 ? acc : p == 2 ? Math.sqrt(acc) : Math.pow(acc, 1 / p);
    }

    /**
     * Clamps every gradient element into {@code [-clipValue, clipValue]} in place.
     *
     * @throws IllegalArgumentException for a negative or NaN clip value
     */
    public static void clipValue(List<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipValue: the clip value must be >= 0, got " + clipValue);
        }
        try (var ng = NoGrad.enter()) {
            for (Tensor g : grads(params)) {
                g.copyInPlace(g.clamp(-clipValue, clipValue));
            }
        }
    }

    private static List<Tensor> grads(List<Tensor> params) {
        List<Tensor> grads = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new IllegalArgumentException("GradClip: parameter " + i + " is null");
            }
            if (p.grad() != null) {
                grads.add(p.grad());
            }
        }
        return grads;
    }
}
