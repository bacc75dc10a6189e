package dev.jgrad;

import dev.jgrad.autograd.Anomaly;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.View;
import java.util.Arrays;

/**
 * {@code torch.matmul}: 1-D operands are promoted to matrices (and the added dim removed again),
 * batch dims broadcast through {@code expand} (whose backward sums the gradient back), and the
 * core rule multiplies equal-batch stacks: {@code dA = dC·Bᵀ}, {@code dB = Aᵀ·dC}, with the
 * transposes passed to the backend as strides, not copies.
 */
final class MatMulRules {
    private MatMulRules() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        Checks.compatible("matmul", a, b);
        Checks.floating("matmul", a);
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dim, got shapes "
                    + Checks.str(a.shape) + " and " + Checks.str(b.shape) + "; use mul for scalars");
        }
        Tensor x = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor y = b.dim() == 1 ? b.unsqueeze(-1) : b;
        int k = x.shape[x.dim() - 1];
        int k2 = y.shape[y.dim() - 2];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: cannot multiply " + Checks.str(a.shape) + " by "
                    + Checks.str(b.shape) + ": inner dimensions " + k + " and " + k2 + " differ");
        }
        int[] batch = Broadcast.shape("matmul", Arrays.copyOf(x.shape, x.dim() - 2), Arrays.copyOf(y.shape, y.dim() - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = x.shape[x.dim() - 2];
        outShape[batch.length + 1] = y.shape[y.dim() - 1];
        Checks.shape("matmul", withMatrix(batch, x));
        Checks.shape("matmul", withMatrix(batch, y));
        Checks.shape("matmul", outShape);
        Tensor out = multiply(x.expand(withMatrix(batch, x)), y.expand(withMatrix(batch, y)));
        if (a.dim() == 1) {
            out = out.squeeze(-2);
        }
        if (b.dim() == 1) {
            out = out.squeeze(-1);
        }
        return out;
    }

    private static int[] withMatrix(int[] batch, Tensor t) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = t.shape[t.dim() - 2];
        s[batch.length + 1] = t.shape[t.dim() - 1];
        return s;
    }

    private static Tensor multiply(Tensor a, Tensor b) {
        return Rule.record("matmul", Ops.matmul(a, b), new Tensor[] {a, b}, (n, g) -> {
            Tensor x = n.saved(0), y = n.saved(1);
            boolean want0 = n.needsInputGrad(0), want1 = n.needsInputGrad(1);
            boolean tx = want0 && transposedView(x), ty = want1 && transposedView(y);
            Tensor gt = tx || ty ? g.transpose(-1, -2) : null;
            Tensor[] d = gradientProducts(want0, tx ? y : g, !want0 ? null : tx ? gt : y.transpose(-1, -2),
                    want1, !want1 ? null : ty ? gt : x.transpose(-1, -2), ty ? x : g);
            return new Tensor[] {tx && d[0] != null ? d[0].transpose(-1, -2) : d[0],
                ty && d[1] != null ? d[1].transpose(-1, -2) : d[1]};
        }, a, b);
    }

    /**
     * The two products of a product's gradient, {@code a0·b0} if {@code want0} and {@code a1·b1} if
     * {@code want1} (null where not wanted; an unwanted product's operands may be null); operands are
     * equal-batch stacks. When both are wanted and the pass is not recorded, they reach the backend
     * as one call, which may compute them at the same time; under {@code createGraph} (or anomaly mode) they are ordinary recorded
     * {@code matmul}s, so the gradient differentiates again.
     */
    static Tensor[] gradientProducts(boolean want0, Tensor a0, Tensor b0, boolean want1, Tensor a1, Tensor b1) {
        if (want0 && want1 && !NoGrad.isGradEnabled() && !Anomaly.isEnabled()) {
            return Ops.matmuls(new Tensor[] {a0, a1}, new Tensor[] {b0, b1});
        }
        return new Tensor[] {want0 ? a0.matmul(b0) : null, want1 ? a1.matmul(b1) : null};
    }

    /**
     * Whether {@code t} is the transpose of a contiguous matrix (a linear layer's {@code Wᵀ}). Its
     * gradient is then computed as {@code (Bᵀ-shaped product)ᵀ}, so that after the transpose's own
     * backward it lands contiguous in the weight's layout instead of needing a transposing copy.
     */
    private static boolean transposedView(Tensor t) {
        int r = t.dim();
        int[] shape = t.shape.clone(), strides = t.strides.clone();
        shape[r - 2] = t.shape[r - 1];
        shape[r - 1] = t.shape[r - 2];
        strides[r - 2] = t.strides[r - 1];
        strides[r - 1] = t.strides[r - 2];
        return !t.isContiguous() && new View(null, 0, shape, strides).isContiguous();
    }
}
