package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.ReduceOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import java.util.ArrayList;
import java.util.List;

/**
 * Normalisation over a set of axes with an optional affine transform, the core of batch and layer
 * normalisation: {@code y = (x - mean) / sqrt(var + eps) * weight + bias}, the variance biased.
 *
 * <p>The backward uses the closed form instead of differentiating the composition:
 * {@code dx = rstd * (gy - mean(gy) - xhat * mean(gy * xhat))} with {@code gy = g * weight}, which
 * takes a fixed number of passes over memory (two reductions and a few elementwise ops) regardless
 * of how the statistics were formed. A plain backward reads the saved {@code xhat} and {@code rstd};
 * under {@code createGraph} they are recomputed from the saved input in recorded ops, so the
 * gradient differentiates again.
 */
final class NormRules {
    private NormRules() {
    }

    /**
     * @param x          the input
     * @param axes       sorted distinct axes to normalise over
     * @param weight     scale, or null; viewed as {@code paramShape} to broadcast against {@code x}
     * @param bias       shift, or null; same shape as {@code weight}
     * @param paramShape the broadcast shape of weight and bias
     * @param eps        added to the variance
     * @return {@code {y, mean, biasedVar}}; mean and variance have {@code x}'s rank with extent 1 on
     * {@code axes} and are not part of the graph
     */
    static Tensor[] normalize(String name, Tensor x, int[] axes, Tensor weight, Tensor bias, int[] paramShape,
            double eps) {
        Checks.floating(name, x);
        int n = 1;
        for (int a : axes) {
            n *= x.shape[a];
        }
        Tensor mean = Ops.unary(UnaryOp.DIV_SCALAR, n, Ops.reduce(ReduceOp.SUM, x, axes));
        Tensor xc = Ops.binary(name, BinaryOp.SUB, x, mean);
        Tensor var = Ops.unary(UnaryOp.DIV_SCALAR, n, Ops.reduce(ReduceOp.SUM, Ops.binary(name, BinaryOp.MUL, xc, xc),
                axes));
        Tensor rstd = Ops.unary(UnaryOp.POW_SCALAR, -0.5, Ops.unary(UnaryOp.ADD_SCALAR, eps, var));
        Tensor xhat = Ops.binary(name, BinaryOp.MUL, xc, rstd);
        Tensor y = xhat;
        if (weight != null) {
            y = Ops.binary(name, BinaryOp.MUL, y, paramView(weight, paramShape));
        }
        if (bias != null) {
            y = Ops.binary(name, BinaryOp.ADD, y, paramView(bias, paramShape));
        }
        List<Tensor> inputs = new ArrayList<>(List.of(x));
        if (weight != null) {
            inputs.add(weight);
        }
        if (bias != null) {
            inputs.add(bias);
        }
        int count = n;
        Tensor out = Rule.record(name, y, inputs.toArray(new Tensor[0]), (node, g) -> {
            Tensor[] stats = NoGrad.isGradEnabled() ? recompute(node.saved(0), axes, count, eps)
                    : new Tensor[] {node.saved(1), node.saved(2)};
            return backward(node, g, stats[0], stats[1], weight, bias, axes, count, paramShape);
        }, x, xhat, rstd, weight);
        return new Tensor[] {out, mean, var};
    }

    private static Tensor[] backward(dev.jgrad.autograd.Node node, Tensor g, Tensor xhat, Tensor rstd, Tensor weight,
            Tensor bias, int[] axes, int n, int[] paramShape) {
        Tensor[] grads = new Tensor[1 + (weight != null ? 1 : 0) + (bias != null ? 1 : 0)];
        int k = 1;
        if (node.needsInputGrad(0)) {
            Tensor gy = weight == null ? g : g.mul(node.saved(3).reshape(paramShape));
            Tensor meanGy = ReductionRules.sumAxes(gy, axes, true).div(n);
            Tensor meanGyXhat = ReductionRules.sumAxes(gy.mul(xhat), axes, true).div(n);
            grads[0] = gy.sub(meanGy).sub(xhat.mul(meanGyXhat)).mul(rstd);
        }
        if (weight != null) {
            grads[k] = node.needsInputGrad(k) ? ReductionRules.sumTo(g.mul(xhat), paramShape).reshape(weight.shape)
                    : null;
            k++;
        }
        if (bias != null) {
            grads[k] = node.needsInputGrad(k) ? ReductionRules.sumTo(g, paramShape).reshape(bias.shape) : null;
        }
        return grads;
    }

    /** {@code {xhat, rstd}} in recorded ops, for a backward that is itself differentiated. */
    private static Tensor[] recompute(Tensor x, int[] axes, int n, double eps) {
        Tensor xc = x.sub(ReductionRules.sumAxes(x, axes, true).div(n));
        Tensor rstd = ReductionRules.sumAxes(xc.mul(xc), axes, true).div(n).add(eps).rsqrt();
        return new Tensor[] {xc.mul(rstd), rstd};
    }

    /** @return {@code p} (contiguous) viewed with {@code shape}, for broadcasting without a graph */
    private static Tensor paramView(Tensor p, int[] shape) {
        Tensor c = Ops.contiguous(p);
        return c.alias(shape.clone(), View.contiguousStrides(shape), c.offset);
    }
}
