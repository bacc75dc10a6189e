package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import dev.jgrad.internal.Internals;
import java.util.Arrays;
import java.util.List;

/**
 * Entry points of the engine: {@link #backward} accumulates into leaves' {@code .grad()} (what
 * {@link Tensor#backward()} calls), {@link #grad} returns gradients as values, PyTorch's
 * {@code torch.autograd.grad}.
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * Back-propagates {@code gradOutput} from {@code output}, adding into the {@code .grad()} of
     * every leaf that requires grad.
     *
     * @param output      a tensor that requires grad
     * @param gradOutput  gradient of the loss with respect to {@code output}, same shape
     * @param retainGraph keep saved tensors so the graph can be differentiated again
     * @param createGraph record the backward pass, so the accumulated gradients are differentiable
     */
    public static void backward(Tensor output, Tensor gradOutput, boolean retainGraph, boolean createGraph) {
        Node root = rootOf("backward", output, gradOutput);
        Engine.run(new Node[] {root}, new Tensor[] {gradOutput}, null, createGraph, retainGraph || createGraph);
    }

    /**
     * Computes {@code d(output)/d(inputs)} contracted with {@code gradOutput}, without touching any
     * {@code .grad()}. The graph is retained when {@code createGraph} is set (as in PyTorch).
     *
     * @param output      a tensor that requires grad
     * @param inputs      tensors that {@code output} depends on, leaves or intermediates
     * @param gradOutput  gradient with respect to {@code output}, same shape; null for a scalar output
     *                    means 1
     * @param createGraph record the computation, so the returned gradients can be differentiated
     *                    again (second derivatives, Hessian-vector products)
     * @return one gradient per input, shaped like it
     * @throws IllegalArgumentException if an input is not part of the graph of {@code output}
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph) {
        return grad(output, inputs, gradOutput, createGraph, false);
    }

    /**
     * As {@link #grad(Tensor, List, Tensor, boolean)}, with {@code allowUnused}: when true, an input
     * the output does not depend on gets a null gradient instead of an error.
     *
     * @param output      a tensor that requires grad
     * @param inputs      tensors that {@code output} depends on
     * @param gradOutput  gradient with respect to {@code output}; null for a scalar output means 1
     * @param createGraph record the computation so the gradients are differentiable
     * @param allowUnused return null rather than throw for inputs outside the graph
     * @return one gradient per input (null for unused inputs when allowed)
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor gradOutput, boolean createGraph,
                                    boolean allowUnused) {
        Tensor seed = gradOutput != null ? gradOutput : defaultSeed("grad", output);
        Node root = rootOf("grad", output, seed);
        Node[] targets = new Node[inputs.size()];
        for (int i = 0; i < targets.length; i++) {
            Tensor in = inputs.get(i);
            if (!in.requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " (shape " + Arrays.toString(in.shape())
                        + ") does not require grad, so it cannot be differentiated against");
            }
            targets[i] = Internals.bridge().gradEdge(in);
        }
        Tensor[] result = Engine.run(new Node[] {root}, new Tensor[] {seed}, targets, createGraph, createGraph);
        for (int i = 0; i < result.length; i++) {
            if (result[i] == null && !allowUnused) {
                throw new IllegalArgumentException("grad: input " + i + " (shape "
                        + Arrays.toString(inputs.get(i).shape()) + ") was not used to compute the output;"
                        + " pass allowUnused=true to get null for it");
            }
        }
        return Arrays.asList(result);
    }

    /**
     * The engine call behind {@link #grad}, for this package's transforms, which must keep a graph
     * alive across several passes without recording them ({@code retainGraph} without
     * {@code createGraph}, which the public form ties together as PyTorch's default does).
     *
     * @param op          the caller's name, for error messages
     * @param output      a tensor that requires grad
     * @param inputs      tensors that require grad
     * @param seed        gradient with respect to {@code output}, same shape, dtype and device
     * @param retainGraph keep saved tensors for another pass
     * @param createGraph record the pass
     * @return one gradient per input, null where the output does not depend on it
     */
    static Tensor[] gradients(String op, Tensor output, List<Tensor> inputs, Tensor seed, boolean retainGraph,
                              boolean createGraph) {
        Node root = rootOf(op, output, seed);
        Node[] targets = new Node[inputs.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = Internals.bridge().gradEdge(inputs.get(i));
        }
        return Engine.run(new Node[] {root}, new Tensor[] {seed}, targets, createGraph, retainGraph || createGraph);
    }

    /** @return a ones-like seed for a scalar output; an error names the shape otherwise */
    static Tensor defaultSeed(String op, Tensor output) {
        if (output.numel() != 1) {
            throw new IllegalArgumentException(op + ": a gradient can be implied only for a scalar output, but the"
                    + " output has shape " + Arrays.toString(output.shape()) + "; pass gradOutput of that shape");
        }
        return output.onesLike();
    }

    private static Node rootOf(String op, Tensor output, Tensor gradOutput) {
        if (!output.requiresGrad()) {
            throw new IllegalStateException(op + ": the output (shape " + Arrays.toString(output.shape())
                    + ") does not require grad and has no gradFn; call requiresGrad(true) on an input before"
                    + " computing it, and do not compute it under NoGrad");
        }
        if (!Arrays.equals(output.shape(), gradOutput.shape())) {
            throw new IllegalArgumentException(op + ": gradOutput has shape " + Arrays.toString(gradOutput.shape())
                    + " but the output has shape " + Arrays.toString(output.shape()) + "; they must match");
        }
        if (gradOutput.dtype() != output.dtype() || !gradOutput.device().equals(output.device())) {
            throw new IllegalArgumentException(op + ": gradOutput is " + gradOutput.dtype() + " on "
                    + gradOutput.device() + " but the output is " + output.dtype() + " on " + output.device());
        }
        return Internals.bridge().gradEdge(output);
    }
}
