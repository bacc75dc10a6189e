package dev.jgrad.train;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import java.util.Arrays;

/**
 * Classification accuracy: the fraction of examples whose largest logit (or probability) is at the
 * target class, {@code mean(argmax(output, 1) == target)}, for outputs {@code [n, classes]} and
 * integer targets {@code [n]}.
 */
public final class Accuracy implements Metric {
    private long correct;
    private long seen;

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public void reset() {
        correct = 0;
        seen = 0;
    }

    @Override
    public void update(Tensor output, Tensor target) {
        int[] o = output.shape();
        int[] t = target.shape();
        if (o.length != 2 || t.length != 1 || o[0] != t[0]) {
            throw new IllegalArgumentException("Accuracy: needs outputs [n, classes] and class targets [n], got "
                    + Arrays.toString(o) + " and " + Arrays.toString(t));
        }
        Tensor predicted = output.argmax(1);
        correct += Math.round(predicted.eq(target.to(predicted.dtype())).to(DType.F64).sum().item());
        seen += t[0];
    }

    @Override
    public double compute() {
        return seen == 0 ? Double.NaN : (double) correct / seen;
    }
}
