package dev.jgrad.examples;

import dev.jgrad.DType;
import dev.jgrad.Tensor;
import dev.jgrad.autograd.NoGrad;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The single sigmoid neuron of the backpropagation tutorials, one gradient-descent step by autograd:
 * inputs {@code x = [1, 2]}, weights {@code w = [0.5, -0.5]}, bias {@code b = 0.1}, target
 * {@code t = 1}, learning rate {@code 0.1}, loss {@code E = ½(t - y)²} with {@code y = σ(w·x + b)}.
 * The chain rule gives {@code ∂E/∂w = (y - t)·y(1 - y)·x} and {@code ∂E/∂b = (y - t)·y(1 - y)}; the
 * demo prints what autograd computes next to that closed form.
 */
public final class NeuronDemo {
    /** The neuron's inputs. */
    static final double[] INPUTS = {1, 2};
    /** Its initial weights. */
    static final double[] WEIGHTS = {0.5, -0.5};
    /** Its initial bias. */
    static final double BIAS = 0.1;
    /** The desired output. */
    static final double TARGET = 1;
    /** The gradient-descent step size. */
    static final double LEARNING_RATE = 0.1;

    private NeuronDemo() {
    }

    /**
     * The neuron after the step.
     *
     * @param output  {@code y} before the step
     * @param loss    {@code E} before the step
     * @param weights the updated weights
     * @param bias    the updated bias
     */
    public record Result(double output, double loss, double[] weights, double bias) {
    }

    /**
     * Runs the forward pass, backward pass and one update, printing each.
     *
     * @param out where to print
     * @return the neuron after the update
     */
    public static Result run(PrintStream out) {
        Tensor x = Tensor.of(INPUTS, 2);
        Tensor w = Tensor.of(WEIGHTS, 2).requiresGrad(true);
        Tensor b = Tensor.scalar(BIAS, DType.F64).requiresGrad(true);
        Tensor y = w.mul(x).sum().add(b).sigmoid();
        Tensor loss = y.sub(TARGET).pow(2).mul(0.5);
        loss.backward();
        double yv = y.item();
        double delta = (yv - TARGET) * yv * (1 - yv);
        out.printf(Locale.ROOT, "single sigmoid neuron: x = [1, 2], w = [0.5, -0.5], b = 0.1, target 1, lr 0.1%n");
        out.printf(Locale.ROOT, "forward:  z = w.x + b = %.6f, y = sigmoid(z) = %.6f, E = (t - y)^2 / 2 = %.6f%n",
                w.mul(x).sum().add(b).item(), yv, loss.item());
        double[] gw = w.grad().toDoubleArray();
        out.printf(Locale.ROOT, "backward: dE/dw = [%.6f, %.6f], dE/db = %.6f (closed form (y - t) y (1 - y) x:"
                + " [%.6f, %.6f], %.6f)%n", gw[0], gw[1], b.grad().item(), delta * INPUTS[0], delta * INPUTS[1], delta);
        try (var g = NoGrad.enter()) {
            w.addInPlace(w.grad(), -LEARNING_RATE);
            b.addInPlace(b.grad(), -LEARNING_RATE);
        }
        double[] nw = w.toDoubleArray();
        out.printf(Locale.ROOT, "update:   w = [%.6f, %.6f], b = %.6f%n", nw[0], nw[1], b.item());
        double after = w.mul(x).sum().add(b).sigmoid().item();
        out.printf(Locale.ROOT, "after:    y = %.6f (was %.6f, target %.0f)%n", after, yv, TARGET);
        return new Result(yv, loss.item(), nw, b.item());
    }
}
