package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UpdateStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton), optionally centered and with momentum, as PyTorch's {@code torch.optim.RMSprop}.
 * Per element, with {@code wd} the group's weight decay:
 * <pre>
 * d   = g + wd * p
 * sq  = alpha * sq + (1 - alpha) * d * d
 * ga  = alpha * ga + (1 - alpha) * d              (centered)
 * avg = sqrt(centered ? sq - ga * ga : sq) + eps  (centered: the squared mean is subtracted)
 * buf = momentum * buf + d / avg;  p = p - lr * buf   (momentum &gt; 0)
 * p   = p - lr * d / avg                              (momentum 0)
 * </pre>
 * States: {@code square_avg}, {@code grad_avg} when centered, {@code momentum_buffer} when
 * momentum &gt; 0. Defaults: lr 1e-2, alpha 0.99, eps 1e-8, no decay, no momentum, not centered.
 */
public final class RMSprop extends Optimizer {

    /** RMSprop with PyTorch's defaults for everything but lr. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, lr, 0.99, 1e-8, 0, 0, false);
    }

    /**
     * @param params      tensors that require grad
     * @param lr          learning rate, {@code >= 0}
     * @param alpha       smoothing constant, {@code >= 0}
     * @param eps         denominator term, {@code >= 0}
     * @param weightDecay L2 penalty, {@code >= 0}
     * @param momentum    momentum factor, {@code >= 0}
     * @param centered    normalise by the estimated variance
     * @throws IllegalArgumentException naming the bad value or parameter
     */
    public RMSprop(List<Tensor> params, double lr, double alpha, double eps, double weightDecay, double momentum,
                   boolean centered) {
        super("RMSprop", params, lr, weightDecay,
                Map.of("alpha", alpha, "eps", eps, "momentum", momentum, "centered", centered ? 1.0 : 0.0));
    }

    /** One step: the formula in the class description, fused into one pass per parameter. */
    @Override
    public void step() {
        update();
    }

    @Override
    List<String> stateNames() {
        List<String> names = new ArrayList<>(List.of("square_avg"));
        if (h("centered") != 0) {
            names.add("grad_avg");
        }
        if (h("momentum") > 0) {
            names.add("momentum_buffer");
        }
        return names;
    }

    @Override
    void checkHyper(Map<String, Double> h) {
        Hyper.nonNegative("RMSprop", "alpha", h.get("alpha"));
        Hyper.nonNegative("RMSprop", "eps", h.get("eps"));
        Hyper.nonNegative("RMSprop", "momentum", h.get("momentum"));
    }

    @Override
    UpdateStep stepFor(ParamGroup g, long t, boolean fresh) {
        return new UpdateStep.RmsProp(g.lr(), h("alpha"), h("eps"), g.weightDecay(), h("momentum"),
                h("centered") != 0);
    }
}
