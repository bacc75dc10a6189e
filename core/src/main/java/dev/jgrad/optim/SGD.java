package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UpdateStep;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, weight decay and Nesterov momentum,
 * as PyTorch's {@code torch.optim.SGD}. Per element, with {@code wd} the group's weight decay:
 * <pre>
 * d   = g + wd * p
 * buf = d                                   (first step: the gradient, undampened)
 * buf = momentum * buf + (1 - dampening) * d  (later steps)
 * d   = nesterov ? d + momentum * buf : buf   (when momentum != 0)
 * p   = p - lr * d
 * </pre>
 * State: {@code momentum_buffer} when momentum is not 0. Nesterov requires momentum &gt; 0 and
 * dampening 0.
 */
public final class SGD extends Optimizer {

    /** Plain SGD: {@code p = p - lr * g}. */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    /**
     * @param params      tensors that require grad
     * @param lr          learning rate, {@code >= 0}
     * @param momentum    momentum factor, {@code >= 0}
     * @param dampening   dampening for momentum, {@code >= 0}
     * @param weightDecay L2 penalty, {@code >= 0}
     * @param nesterov    Nesterov momentum (needs momentum &gt; 0 and dampening 0)
     * @throws IllegalArgumentException naming the bad value or parameter
     */
    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay,
               boolean nesterov) {
        super("SGD", params, lr, weightDecay,
                Map.of("momentum", momentum, "dampening", dampening, "nesterov", nesterov ? 1.0 : 0.0));
    }

    /** One step: the formula in the class description, fused into one pass per parameter. */
    @Override
    public void step() {
        update();
    }

    @Override
    List<String> stateNames() {
        return h("momentum") != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    void checkHyper(Map<String, Double> h) {
        double momentum = Hyper.nonNegative("SGD", "momentum", h.get("momentum"));
        double dampening = Hyper.nonNegative("SGD", "dampening", h.get("dampening"));
        if (h.get("nesterov") != 0 && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires momentum > 0 and dampening 0, got"
                    + " momentum " + momentum + " and dampening " + dampening);
        }
    }

    @Override
    UpdateStep stepFor(ParamGroup g, long t, boolean fresh) {
        double momentum = h("momentum");
        return new UpdateStep.Sgd(g.lr(), momentum, h("dampening"), g.weightDecay(), h("nesterov") != 0,
                fresh && momentum != 0);
    }
}
