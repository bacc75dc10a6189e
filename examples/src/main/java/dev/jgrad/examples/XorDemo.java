package dev.jgrad.examples;

import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import dev.jgrad.nn.Losses;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The XOR network from the classic backpropagation tutorial: 2 inputs, 2 sigmoid hidden units, 1
 * sigmoid output, mean squared error, plain gradient descent written with Tensor ops.
 */
public final class XorDemo {
    /** Inputs of the four XOR cases, one per row. */
    static final float[] INPUTS = {0, 0, 0, 1, 1, 0, 1, 1};
    /** Expected outputs. */
    static final float[] TARGETS = {0, 1, 1, 0};

    private XorDemo() {
    }

    /**
     * Trains the network and prints progress.
     *
     * @param out    where to print
     * @param epochs number of full-batch gradient steps
     * @return the final loss
     */
    public static double run(PrintStream out, int epochs) {
        SplittableRandom rng = new SplittableRandom(7);
        Tensor x = Tensor.of(INPUTS, 4, 2);
        Tensor y = Tensor.of(TARGETS, 4, 1);
        Tensor w1 = Tensor.randn(rng, 2, 2).requiresGrad(true);
        Tensor b1 = Tensor.zeros(2).requiresGrad(true);
        Tensor w2 = Tensor.randn(rng, 2, 1).requiresGrad(true);
        Tensor b2 = Tensor.zeros(1).requiresGrad(true);
        List<Tensor> params = List.of(w1, b1, w2, b2);
        double learningRate = 2.0;
        out.println("XOR, 2-2-1 sigmoid network, MSE loss, gradient descent (lr " + learningRate + ") on "
                + x.device() + ":");
        double loss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            Tensor pred = x.matmul(w1).add(b1).sigmoid().matmul(w2).add(b2).sigmoid();
            Tensor l = Losses.mse(pred, y);
            l.backward();
            try (var g = NoGrad.enter()) {
                for (Tensor p : params) {
                    p.addInPlace(p.grad(), -learningRate);
                    p.zeroGrad();
                }
            }
            loss = l.item();
            if (epoch == 1 || epoch % (epochs / 10) == 0) {
                out.printf(Locale.ROOT, "  epoch %5d  loss %.6f%n", epoch, loss);
            }
        }
        Tensor pred;
        try (var g = NoGrad.enter()) {
            pred = x.matmul(w1).add(b1).sigmoid().matmul(w2).add(b2).sigmoid();
        }
        float[] p = pred.toFloatArray();
        out.println("predictions:");
        for (int i = 0; i < 4; i++) {
            out.printf(Locale.ROOT, "  %d XOR %d = %.4f (target %d)%n", (int) INPUTS[2 * i], (int) INPUTS[2 * i + 1],
                    p[i], (int) TARGETS[i]);
        }
        return loss;
    }
}
