package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.nn.Losses;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each optimizer trains the XOR network and a small MLP to a low loss (sanity of the whole loop). */
class ConvergenceTest {
    /** Each optimizer at a learning rate suited to these small problems. */
    private static final Map<String, Function<List<Tensor>, Optimizer>> OPTIMIZERS = Map.of(
            "SGD momentum", p -> new SGD(p, 0.5, 0.9, 0, 0, false),
            "SGD nesterov", p -> new SGD(p, 0.5, 0.9, 0, 0, true),
            "Adam", p -> new Adam(p, 0.05),
            "AdamW", p -> new AdamW(p, 0.05),
            "RMSprop", p -> new RMSprop(p, 0.01),
            "Adagrad", p -> new Adagrad(p, 0.3));

    @Test
    void everyOptimizerSolvesXor() {
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new float[] {0, 1, 1, 0}, 4, 1);
        OPTIMIZERS.forEach((name, make) -> {
            SplittableRandom rng = new SplittableRandom(3);
            Tensor w1 = Tensor.randn(rng, 2, 8).requiresGrad(true), b1 = Tensor.zeros(8).requiresGrad(true);
            Tensor w2 = Tensor.randn(rng, 8, 1).requiresGrad(true), b2 = Tensor.zeros(1).requiresGrad(true);
            Optimizer o = make.apply(List.of(w1, b1, w2, b2));
            double loss = Double.NaN;
            for (int s = 0; s < 500; s++) {
                o.zeroGrad();
                Tensor l = Losses.mse(x.matmul(w1).add(b1).tanh().matmul(w2).add(b2).sigmoid(), y);
                l.backward();
                o.step();
                loss = l.item();
            }
            assertTrue(loss < 0.01, name + " left the XOR loss at " + loss);
        });
    }

    @Test
    void everyOptimizerFitsASmallMlpClassifier() {
        SplittableRandom data = new SplittableRandom(1);
        int n = 128;
        Tensor x = Tensor.randn(data, n, 4);
        // Labels from a fixed nonlinear rule the MLP can represent: which of three regions x falls in.
        double[] xs = x.toDoubleArray();
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            double s = xs[4 * i] * xs[4 * i + 1] + xs[4 * i + 2];
            labels[i] = s < -0.5 ? 0 : s < 0.5 ? 1 : 2;
        }
        Tensor y = Tensor.of(labels, n);
        OPTIMIZERS.forEach((name, make) -> {
            SplittableRandom rng = new SplittableRandom(9);
            Tensor w1 = Tensor.randn(rng, 4, 32).mul(0.5).requiresGrad(true), b1 = Tensor.zeros(32).requiresGrad(true);
            Tensor w2 = Tensor.randn(rng, 32, 3).mul(0.2).requiresGrad(true), b2 = Tensor.zeros(3).requiresGrad(true);
            Optimizer o = make.apply(List.of(w1, b1, w2, b2));
            double first = Double.NaN, loss = Double.NaN;
            for (int s = 0; s < 400; s++) {
                o.zeroGrad();
                Tensor l = Losses.crossEntropy(x.matmul(w1).add(b1).relu().matmul(w2).add(b2), y);
                l.backward();
                GradClip.clipNorm(List.of(w1, b1, w2, b2), 5.0);
                o.step();
                loss = l.item();
                first = s == 0 ? loss : first;
            }
            assertTrue(loss < 0.25 * first && loss < 0.3, name + ": cross-entropy " + first + " -> " + loss);
        });
    }
}
