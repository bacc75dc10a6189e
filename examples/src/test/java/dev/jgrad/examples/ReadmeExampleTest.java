package dev.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import org.junit.jupiter.api.Test;

/** The API example in README.md, verbatim in substance: it must compile, run and learn. */
class ReadmeExampleTest {
    @Test
    void readmeTrainingLoopRunsAndLowersTheLoss() {
        Tensor.manualSeed(0);                                      // torch.manual_seed
        Tensor x = Tensor.randn(64, 784);
        Tensor labels = Tensor.of(new long[64], 64);
        Tensor w1 = Tensor.randn(784, 128).mul(0.05).requiresGrad(true);
        Tensor b1 = Tensor.zeros(128).requiresGrad(true);
        Tensor w2 = Tensor.randn(128, 10).mul(0.05).requiresGrad(true);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 100; step++) {
            Tensor logits = x.matmul(w1).add(b1).relu().matmul(w2);
            Tensor loss = Losses.crossEntropy(logits, labels);
            loss.backward();
            try (var g = NoGrad.enter()) {
                for (Tensor p : new Tensor[] {w1, b1, w2}) {
                    p.addInPlace(p.grad(), -0.1);
                    p.zeroGrad();
                }
            }
            last = loss.item();
            first = step == 0 ? last : first;
        }
        assertTrue(last < first / 10, first + " -> " + last);
    }
}
