package dev.jgrad.optim;

import dev.jgrad.Tensor;
import dev.jgrad.backend.UpdateStep;
import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi et al.), as PyTorch's {@code torch.optim.Adagrad}. At step t, per element, with
 * {@code wd} the group's weight decay:
 * <pre>
 * clr = lr / (1 + (t - 1) * lrDecay)              (the learning rate decays with the step count)
 * d   = g + wd * p
 * sum = sum + d * d                                (starts at initialAccumulatorValue)
 * p   = p - clr * d / (sqrt(sum) + eps)
 * </pre>
 * State: {@code sum}. Defaults: lr 1e-2, lrDecay 0, no decay, initial accumulator 0, eps 1e-10.
 */
public final class Adagrad extends Optimizer {

    /** Adagrad with PyTorch's defaults for everything but lr. */
    public Adagrad(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, 1e-10);
    }

    /**
     * @param params                  tensors that require grad
     * @param lr                      learning rate, {@code >= 0}
     * @param lrDecay                 learning-rate decay per step, {@code >= 0}
     * @param weightDecay             L2 penalty, {@code >= 0}
     * @param initialAccumulatorValue starting value of the sum of squares, {@code >= 0}
     * @param eps                     denominator term, {@code >= 0}
     * @throws IllegalArgumentException naming the bad value or parameter
     */
    public Adagrad(List<Tensor> params, double lr, double lrDecay, double weightDecay,
                   double initialAccumulatorValue, double eps) {
        super("Adagrad", params, lr, weightDecay,
                Map.of("lr_decay", lrDecay, "initial_accumulator_value", initialAccumulatorValue, "eps", eps));
    }

    /** One step: the formula in the class description, fused into one pass per parameter. */
    @Override
    public void step() {
        update();
    }

    @Override
    List<String> stateNames() {
        return List.of("sum");
    }

    @Override
    double initialState(int k) {
        return h("initial_accumulator_value");
    }

    @Override
    void checkHyper(Map<String, Double> h) {
        Hyper.nonNegative("Adagrad", "lrDecay", h.get("lr_decay"));
        Hyper.nonNegative("Adagrad", "initialAccumulatorValue", h.get("initial_accumulator_value"));
        Hyper.nonNegative("Adagrad", "eps", h.get("eps"));
    }

    @Override
    UpdateStep stepFor(ParamGroup g, long t, boolean fresh) {
        return new UpdateStep.Adagrad(g.lr() / (1 + (t - 1) * h("lr_decay")), g.weightDecay(), h("eps"));
    }
}
