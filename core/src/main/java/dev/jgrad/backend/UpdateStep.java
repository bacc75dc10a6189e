package dev.jgrad.backend;

/**
 * One step of an optimizer's update rule with its coefficients for this step, the argument of
 * {@link Backend#update}. Each record states its per-element formula (PyTorch 1.13's, in its order
 * of operations) and the state buffers it reads and writes, which follow the parameter and its
 * gradient in each row of the update: {@code {p, g, state0, state1, ...}}. Only {@code p} and the
 * states are written; {@code g} is read once.
 *
 * <p>The optimizer folds everything that is the same for every element (bias corrections, decayed
 * learning rates, the decoupled weight-decay factor) into the coefficients, so a kernel reads each
 * operand once and writes each output once.
 */
public sealed interface UpdateStep {

    /** @return how many state buffers follow {@code p} and {@code g} in each row */
    int states();

    /**
     * SGD with optional momentum and Nesterov momentum:
     * <pre>
     * d   = g + weightDecay * p                         (only when weightDecay != 0)
     * buf = first ? d : momentum * buf + (1 - dampening) * d   (only when momentum != 0)
     * d   = nesterov ? d + momentum * buf : buf          (only when momentum != 0)
     * p   = p - lr * d
     * </pre>
     * States: {@code buf} when {@code momentum != 0}, else none.
     *
     * @param lr          learning rate
     * @param momentum    momentum factor (0: plain SGD)
     * @param dampening   dampening of the momentum
     * @param weightDecay L2 penalty added to the gradient
     * @param nesterov    whether to use Nesterov momentum
     * @param first       whether the momentum buffer is being initialised (its first step copies d undampened)
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean first)
            implements UpdateStep {
        @Override
        public int states() {
            return momentum != 0 ? 1 : 0;
        }
    }

    /**
     * Adam, and AdamW through {@code shrink}:
     * <pre>
     * p    = shrink * p                                  (AdamW: shrink = 1 - lr * weightDecay)
     * d    = g + weightDecay * p                         (Adam's coupled L2; 0 for AdamW)
     * m    = beta1 * m + (1 - beta1) * d
     * v    = beta2 * v + (1 - beta2) * d * d
     * vmax = max(vmax, v)                                (amsgrad only; then v below means vmax)
     * p    = p - stepSize * m / (sqrt(v) / bias2Sqrt + eps)
     * </pre>
     * with {@code stepSize = lr / (1 - beta1^t)} and {@code bias2Sqrt = sqrt(1 - beta2^t)} at step t.
     * States: {@code m, v}, and {@code vmax} with amsgrad.
     *
     * @param stepSize    {@code lr / (1 - beta1^t)}
     * @param beta1       first-moment decay
     * @param beta2       second-moment decay
     * @param eps         added to the denominator after the bias correction
     * @param weightDecay coupled L2 penalty (Adam); 0 for AdamW
     * @param shrink      decoupled decay factor applied to p first (AdamW); 1 for Adam
     * @param bias2Sqrt   {@code sqrt(1 - beta2^t)}
     * @param amsgrad     whether to use the running maximum of v
     */
    record Adam(double stepSize, double beta1, double beta2, double eps, double weightDecay, double shrink,
                double bias2Sqrt, boolean amsgrad) implements UpdateStep {
        @Override
        public int states() {
            return amsgrad ? 3 : 2;
        }
    }

    /**
     * RMSprop, optionally centered and with momentum:
     * <pre>
     * d   = g + weightDecay * p
     * sq  = alpha * sq + (1 - alpha) * d * d
     * ga  = alpha * ga + (1 - alpha) * d                 (centered only)
     * avg = sqrt(centered ? sq - ga * ga : sq) + eps
     * buf = momentum * buf + d / avg;  p = p - lr * buf  (momentum > 0)
     * p   = p - lr * d / avg                             (momentum == 0)
     * </pre>
     * States: {@code sq}, then {@code ga} when centered, then {@code buf} when momentum > 0.
     *
     * @param lr          learning rate
     * @param alpha       smoothing constant
     * @param eps         added to the root
     * @param weightDecay L2 penalty added to the gradient
     * @param momentum    momentum factor (0: none)
     * @param centered    whether to normalise by the estimated variance instead of the raw second moment
     */
    record RmsProp(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered)
            implements UpdateStep {
        @Override
        public int states() {
            return 1 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
        }
    }

    /**
     * Adagrad:
     * <pre>
     * d   = g + weightDecay * p
     * sum = sum + d * d
     * p   = p - clr * d / (sqrt(sum) + eps)
     * </pre>
     * with {@code clr = lr / (1 + (t - 1) * lrDecay)} at step t. States: {@code sum}.
     *
     * @param clr         the decayed learning rate of this step
     * @param weightDecay L2 penalty added to the gradient
     * @param eps         added to the root
     */
    record Adagrad(double clr, double weightDecay, double eps) implements UpdateStep {
        @Override
        public int states() {
            return 1;
        }
    }
}
