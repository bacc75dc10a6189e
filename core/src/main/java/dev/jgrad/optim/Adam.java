package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UpdateStep;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba), optionally AMSGrad, as PyTorch's {@code torch.optim.Adam}. At step t, per
 * element, with {@code wd} the group's weight decay (coupled: added to the gradient):
 * <pre>
 * d    = g + wd * p
 * m    = beta1 * m + (1 - beta1) * d
 * v    = beta2 * v + (1 - beta2) * d * d
 * vmax = max(vmax, v)                                  (amsgrad; then vmax replaces v below)
 * p    = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * eps is added outside the root, after the bias correction. States: {@code exp_avg} (m),
 * {@code exp_avg_sq} (v) and with amsgrad {@code max_exp_avg_sq}. Defaults: lr 1e-3, betas 0.9 and
 * 0.999, eps 1e-8, no weight decay.
 */
public final class Adam extends Optimizer {

    /** Adam with PyTorch's defaults for everything but lr (betas 0.9/0.999, eps 1e-8, no decay). */
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /**
     * @param params      tensors that require grad
     * @param lr          learning rate, {@code >= 0}
     * @param beta1       first-moment decay in [0, 1)
     * @param beta2       second-moment decay in [0, 1)
     * @param eps         denominator term, {@code >= 0}
     * @param weightDecay L2 penalty added to the gradient, {@code >= 0}
     * @param amsgrad     use the running maximum of the second moment
     * @throws IllegalArgumentException naming the bad value or parameter
     */
    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad) {
        super("Adam", params, lr, weightDecay, hyper(beta1, beta2, eps, amsgrad));
    }

    static Map<String, Double> hyper(double beta1, double beta2, double eps, boolean amsgrad) {
        return Map.of("beta1", beta1, "beta2", beta2, "eps", eps, "amsgrad", amsgrad ? 1.0 : 0.0);
    }

    /** One step: the formula in the class description, fused into one pass per parameter. */
    @Override
    public void step() {
        update();
    }

    @Override
    List<String> stateNames() {
        return names(this);
    }

    static List<String> names(Optimizer o) {
        return o.h("amsgrad") != 0 ? List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq")
                : List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    void checkHyper(Map<String, Double> h) {
        check("Adam", h);
    }

    static void check(String name, Map<String, Double> h) {
        Hyper.unitInterval(name, "beta1", h.get("beta1"));
        Hyper.unitInterval(name, "beta2", h.get("beta2"));
        Hyper.nonNegative(name, "eps", h.get("eps"));
    }

    @Override
    UpdateStep stepFor(ParamGroup g, long t, boolean fresh) {
        return step(this, g.lr(), t, g.weightDecay(), 1);
    }

    /** The Adam step at t with coupled decay {@code wd} and decoupled factor {@code shrink}. */
    static UpdateStep step(Optimizer o, double lr, long t, double wd, double shrink) {
        double beta1 = o.h("beta1"), beta2 = o.h("beta2");
        double bias1 = 1 - Math.pow(beta1, t), bias2 = 1 - Math.pow(beta2, t);
        return new UpdateStep.Adam(lr / bias1, beta1, beta2, o.h("eps"), wd, shrink, Math.sqrt(bias2),
                o.h("amsgrad") != 0);
    }
}
