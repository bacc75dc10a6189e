package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.autograd.Node;
import java.util.Arrays;

/**
 * Normalisation with an optional affine transform, the core of batch and layer normalisation:
 * {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, the variance biased.
 *
 * <p>Layer norm's forward and plain (unrecorded) backward are the backend's fused row-wise
 * primitives ({@code layerNorm}, {@code layerNormBackward}) over the contiguous 2-D view
 * {@code [R, S]}: each reads its inputs once.
 *
 * <p>Batch norm's forward and plain backward run on the backend's per-group primitives
 * over a contiguous 3-D view {@code [N, C, H*W]}, the groups its channels. Forward: one statistics pass
 * ({@code channelMoments}) and one normalising pass ({@code channelAffine}, with batch norm's
 * weight and bias folded into its per-channel scale and shift). Backward: one pass for the per-group
 * sums ({@code channelSums}) and one for {@code dx} in the closed form
 * {@code dx = rstd * (gy - mean(gy) - xhat * mean(gy * xhat))}, {@code gy = g * weight}, regrouped
 * per group as {@code g * k1 + x * k2 + k3}: a fixed number of passes whatever the shape.
 *
 * <p>Under {@code createGraph} the backward is instead composed of recorded ops on a 2-D view
 * {@code [R, S]} (rows {@code (n, c)} of {@code H*W} for batch norm, statistics spread back to
 * {@code [R, 1]}; row/column broadcasts only, the backend's fast paths), with the statistics
 * recomputed from the saved input, so the gradient differentiates again.
 */
final class NormRules {
    private NormRules() {
    }

    /**
     * The 2-D layout.
     *
     * @param rows     R
     * @param cols     S
     * @param channels C for batch norm (rows are (n, c) pairs), 0 for layer norm (rows are groups)
     * @param count    elements per normalised group
     */
    private record Layout(int rows, int cols, int channels, int count) {
        /** @return per-row sums {@code [R, 1]} turned into per-row group sums */
        Tensor group(Tensor rowSums) {
            if (channels == 0) {
                return rowSums;
            }
            int n = rows / channels;
            return rowSums.reshape(n, channels).sum(0, true).expand(n, channels).contiguous().reshape(rows, 1);
        }

        /** @return the per-group mean of {@code t [R, S]}, one value per row {@code [R, 1]} */
        Tensor mean(Tensor t) {
            return group(t.sum(1, true)).div(count);
        }

        /** @return the parameter {@code p} laid out to broadcast against {@code [R, S]} */
        Tensor param(Tensor p) {
            if (channels == 0) {
                return p.reshape(1, cols);
            }
            return p.reshape(1, channels).expand(rows / channels, channels).contiguous().reshape(rows, 1);
        }

        /** @return {@code t [R, S]} summed down to a parameter's shape {@code shape} */
        Tensor paramGrad(Tensor t, int[] shape) {
            if (channels == 0) {
                return t.sum(0, false).reshape(shape);
            }
            return t.sum(1, true).reshape(rows / channels, channels).sum(0, false).reshape(shape);
        }
    }

    /**
     * @param axes   the trailing dims (layer norm) or every dim but 1 (batch norm), sorted
     * @param weight scale or null; shaped like the normalised dims (layer) or {@code [C]} (batch)
     * @param bias   shift or null, shaped like {@code weight}
     * @return {@code {y, mean, biasedVar}}, the statistics per group ({@code [C]} for batch norm,
     *         one per row of the normalised view for layer norm) and not in the graph; for layer norm
     *         {@code biasedVar} is null: its kernels keep {@code rstd} and no caller reads the variance
     */
    static Tensor[] normalize(String name, Tensor x, int[] axes, Tensor weight, Tensor bias, double eps) {
        Checks.floating(name, x);
        Layout lay = layout(name, x, axes);
        if (lay.channels != 0) {
            return batch(name, x, lay, weight, bias, eps);
        }
        return layer(name, x, lay, weight, bias, eps);
    }

    /**
     * Layer norm on the backend's row-wise primitives over the {@code [R, S]} view: one fused
     * forward (statistics, normalisation and affine) and, when the backward is not recorded, one
     * fused backward for {@code dx}, {@code dweight} and {@code dbias} from the saved mean and
     * {@code rstd}.
     */
    private static Tensor[] layer(String name, Tensor x, Layout lay, Tensor weight, Tensor bias, double eps) {
        Tensor x2;
        Tensor[] st;
        try (var g = NoGrad.enter()) {
            x2 = x.contiguous().reshape(lay.rows, lay.cols);
            st = Ops.layerNorm(x2, flat(weight), flat(bias), eps);
        }
        Tensor mean = st[1], rstd = st[2];
        Tensor out = Rule.record(name, st[0].reshape(x.shape), inputs(x, weight, bias), (node, g) -> {
            if (NoGrad.isGradEnabled()) {
                Tensor[] s = stats(node.saved(0), lay, eps);
                return backward(node, g, s[0], s[1], weight, bias, lay);
            }
            return layerBackward(node, g, x2, mean, rstd, weight, bias);
        }, x);
        return new Tensor[] {out, mean, null};
    }

    private static Tensor[] layerBackward(Node node, Tensor g, Tensor x2, Tensor mean, Tensor rstd, Tensor weight,
            Tensor bias) {
        int bi = weight != null ? 2 : 1;
        boolean[] wants = {node.needsInputGrad(0), weight != null && node.needsInputGrad(1),
            bias != null && node.needsInputGrad(bi)};
        Tensor[] r = Ops.layerNormBackward(g, x2, mean, rstd, flat(weight), wants);
        Tensor[] grads = new Tensor[1 + (weight != null ? 1 : 0) + (bias != null ? 1 : 0)];
        grads[0] = r[0] == null ? null : r[0].reshape(g.shape);
        if (weight != null) {
            grads[1] = r[1] == null ? null : r[1].reshape(weight.shape);
        }
        if (bias != null) {
            grads[bi] = r[2] == null ? null : r[2].reshape(bias.shape);
        }
        return grads;
    }

    /** @return a layer-norm parameter as the 1-D {@code [S]} the row primitives take, or null */
    private static Tensor flat(Tensor p) {
        return p == null ? null : p.reshape(p.numel());
    }

    /**
     * The closed-form input gradient per group, {@code k1 * (g - Σg/M - xhat * Σ(g·xhat)/M)} with
     * {@code xhat = (x - mean) * rstd}, regrouped as {@code g * k1 + x * k2 + k3} for one pass.
     *
     * @param k1 {@code rstd}, times the weight for batch norm
     * @param sd {@code {Σ g, Σ g * (x - mean)}} per group
     */
    private static Tensor groupDx(Tensor g3, Tensor x3, Tensor mean, Tensor rstd, Tensor k1, Tensor[] sd, int count) {
        double inv = 1.0 / count;
        Tensor k2 = k1.mul(rstd).mul(sd[1].mul(rstd)).mul(-inv);
        Tensor k3 = k1.mul(sd[0]).mul(-inv).sub(k2.mul(mean));
        return Ops.channelAffine(g3, k1, x3, k2, k3);
    }

    /**
     * Batch norm on the backend's per-channel primitives: one statistics pass and one affine pass
     * forward; backward (when it is not itself recorded) one pass for the two per-channel sums and
     * one for {@code dx = g * k1[c] + x * k2[c] + k3[c]}, the closed form regrouped per channel.
     * Under {@code createGraph} the backward is the composed, differentiable one.
     */
    private static Tensor[] batch(String name, Tensor x, Layout lay, Tensor weight, Tensor bias, double eps) {
        Tensor x3, mean, var, rstd, y;
        try (var g = NoGrad.enter()) {
            x3 = x.contiguous().reshape(x.shape[0], x.shape[1], lay.cols);
            Tensor[] mv = Ops.channelMoments(x3);
            mean = mv[0];
            var = mv[1];
            rstd = var.add(eps).rsqrt();
            Tensor scale = weight == null ? rstd : rstd.mul(weight);
            Tensor shift = mean.mul(scale).neg();
            y = Ops.channelAffine(x3, scale, null, null, bias == null ? shift : shift.add(bias)).reshape(x.shape);
        }
        Tensor out = Rule.record(name, y, inputs(x, weight, bias), (node, g) -> {
            if (NoGrad.isGradEnabled()) {
                Tensor[] s = stats(node.saved(0), lay, eps);
                return backward(node, g, s[0], s[1], weight, bias, lay);
            }
            return batchBackward(node, g, x3, mean, rstd, weight, bias, lay);
        }, x);
        return new Tensor[] {out, mean, var};
    }

    private static Tensor[] batchBackward(Node node, Tensor g, Tensor x3, Tensor mean, Tensor rstd, Tensor weight,
            Tensor bias, Layout lay) {
        Tensor g3 = g.contiguous().reshape(x3.shape);
        Tensor[] sd = Ops.channelSums(g3, x3, mean);
        Tensor sumGXhat = sd[1].mul(rstd);
        Tensor[] grads = new Tensor[1 + (weight != null ? 1 : 0) + (bias != null ? 1 : 0)];
        if (node.needsInputGrad(0)) {
            Tensor k1 = weight == null ? rstd : rstd.mul(weight);
            grads[0] = groupDx(g3, x3, mean, rstd, k1, sd, lay.count).reshape(g.shape);
        }
        int k = 1;
        if (weight != null) {
            grads[k] = node.needsInputGrad(k) ? sumGXhat.reshape(weight.shape) : null;
            k++;
        }
        if (bias != null) {
            grads[k] = node.needsInputGrad(k) ? sd[0].reshape(bias.shape) : null;
        }
        return grads;
    }

    private static Tensor[] inputs(Tensor x, Tensor weight, Tensor bias) {
        return weight == null && bias == null ? new Tensor[] {x}
                : weight == null ? new Tensor[] {x, bias}
                : bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
    }

    /** @return {@code {xhat, rstd, mean, var}} on the 2-D view, the statistics {@code [R, 1]} */
    private static Tensor[] stats(Tensor x, Layout lay, double eps) {
        Tensor v = x.contiguous().reshape(lay.rows, lay.cols);
        Tensor mean = lay.mean(v);
        Tensor xc = v.sub(mean);
        Tensor var = lay.mean(xc.mul(xc));
        Tensor rstd = var.add(eps).rsqrt();
        return new Tensor[] {xc.mul(rstd), rstd, mean, var};
    }

    private static Tensor[] backward(Node node, Tensor g, Tensor xhat, Tensor rstd, Tensor weight, Tensor bias,
            Layout lay) {
        Tensor[] grads = new Tensor[1 + (weight != null ? 1 : 0) + (bias != null ? 1 : 0)];
        int[] xShape = g.shape();
        Tensor gv = g.contiguous().reshape(lay.rows, lay.cols);
        if (node.needsInputGrad(0)) {
            Tensor gy = weight == null ? gv : gv.mul(lay.param(weight));
            Tensor dx = gy.sub(lay.mean(gy)).sub(xhat.mul(lay.mean(gy.mul(xhat)))).mul(rstd);
            grads[0] = dx.reshape(xShape);
        }
        int k = 1;
        if (weight != null) {
            grads[k] = node.needsInputGrad(k) ? lay.paramGrad(gv.mul(xhat), weight.shape) : null;
            k++;
        }
        if (bias != null) {
            grads[k] = node.needsInputGrad(k) ? lay.paramGrad(gv, bias.shape) : null;
        }
        return grads;
    }

    private static Layout layout(String name, Tensor x, int[] axes) {
        int r = x.dim();
        boolean trailing = axes.length > 0 && axes[0] == r - axes.length;
        for (int i = 1; i < axes.length && trailing; i++) {
            trailing = axes[i] == axes[i - 1] + 1;
        }
        boolean allButChannel = r >= 2 && axes.length == r - 1 && axes[0] == 0;
        for (int i = 1; i < axes.length && allButChannel; i++) {
            allButChannel = axes[i] == i + 1;
        }
        if (allButChannel) {
            int cols = 1;
            for (int d = 2; d < r; d++) {
                cols *= x.shape[d];
            }
            return new Layout(x.shape[0] * x.shape[1], cols, x.shape[1], x.shape[0] * cols);
        }
        if (trailing) {
            int cols = 1;
            for (int a : axes) {
                cols *= x.shape[a];
            }
            return new Layout(cols == 0 ? 0 : x.numel() / cols, cols, 0, cols);
        }
        throw new IllegalArgumentException(name + ": can normalise over the trailing dims or every dim but 1, got axes "
                + Arrays.toString(axes) + " of shape " + Checks.str(x.shape));
    }
}
