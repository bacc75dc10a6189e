package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UpdateStep;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as PyTorch's {@code torch.optim.AdamW}.
 * At step t, per element, with {@code wd} the group's weight decay:
 * <pre>
 * p    = p * (1 - lr * wd)                             (decay first, decoupled from the gradient)
 * m    = beta1 * m + (1 - beta1) * g
 * v    = beta2 * v + (1 - beta2) * g * g
 * vmax = max(vmax, v)                                  (amsgrad; then vmax replaces v below)
 * p    = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * States as {@link Adam}. Defaults: lr 1e-3, betas 0.9 and 0.999, eps 1e-8, weight decay 0.01.
 */
public final class AdamW extends Optimizer {

    /** AdamW with PyTorch's defaults for everything but lr (weight decay 0.01). */
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false);
    }

    /**
     * @param params      tensors that require grad
     * @param lr          learning rate, {@code >= 0}
     * @param beta1       first-moment decay in [0, 1)
     * @param beta2       second-moment decay in [0, 1)
     * @param eps         denominator term, {@code >= 0}
     * @param weightDecay decoupled decay, {@code >= 0}
     * @param amsgrad     use the running maximum of the second moment
     * @throws IllegalArgumentException naming the bad value or parameter
     */
    public AdamW(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                 boolean amsgrad) {
        super("AdamW", params, lr, weightDecay, Adam.hyper(beta1, beta2, eps, amsgrad));
    }

    /** One step: the formula in the class description, fused into one pass per parameter. */
    @Override
    public void step() {
        update();
    }

    @Override
    List<String> stateNames() {
        return Adam.names(this);
    }

    @Override
    void checkHyper(Map<String, Double> h) {
        Adam.check("AdamW", h);
    }

    @Override
    UpdateStep stepFor(ParamGroup g, long t, boolean fresh) {
        return Adam.step(this, g.lr(), t, 0, 1 - g.lr() * g.weightDecay());
    }
}
