package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A function evaluated for {@link Transforms}: the inputs as the function saw them (fresh leaves
 * requiring grad, or under {@code createGraph} recorded reshapes of the caller's tensors so results stay
 * connected to them) and the output, with its graph.
 *
 * @param inputs the differentiable stand-ins for the caller's inputs
 * @param output what the function returned
 */
record Traced(List<Tensor> inputs, Tensor output) {

    /**
     * Calls {@code f} with grad mode on.
     *
     * @param op          the transform's name, for errors
     * @param f           the function
     * @param xs          the caller's inputs
     * @param createGraph whether to keep results connected to inputs that require grad
     * @return the traced call
     */
    static Traced of(String op, Function<List<Tensor>, Tensor> f, List<Tensor> xs, boolean createGraph) {
        TransformChecks.inputs(op, f, xs);
        boolean previous = NoGrad.setEnabled(true);
        try {
            List<Tensor> inputs = new ArrayList<>(xs.size());
            for (Tensor x : xs) {
                inputs.add(createGraph && x.requiresGrad() ? x.reshape(x.shape()) : x.detach().requiresGrad(true));
            }
            Tensor out = f.apply(List.copyOf(inputs));
            if (out == null) {
                throw new IllegalArgumentException(op + ": the function returned null; it must return a tensor");
            }
            return new Traced(List.copyOf(inputs), out);
        } finally {
            NoGrad.setEnabled(previous);
        }
    }

    /**
     * One backward pass from {@code out} to every input.
     *
     * @param op     the transform's name
     * @param out    a tensor computed from the inputs (or not: then all gradients are zero)
     * @param seed   the gradient entering {@code out}
     * @param create record the pass (which also keeps the graph for further passes)
     * @return one gradient per input, zeros where {@code out} does not depend on it
     */
    List<Tensor> pull(String op, Tensor out, Tensor seed, boolean create) {
        return pull(op, out, seed, create, create);
    }

    private List<Tensor> pull(String op, Tensor out, Tensor seed, boolean retain, boolean create) {
        Tensor[] g = out.requiresGrad() ? Autograd.gradients(op, out, inputs, seed, retain, create)
                : new Tensor[inputs.size()];
        List<Tensor> result = new ArrayList<>(g.length);
        for (int i = 0; i < g.length; i++) {
            result.add(g[i] != null ? g[i] : TransformChecks.zerosLike(inputs.get(i)));
        }
        return result;
    }

    /**
     * The Jacobian of {@code out} with respect to every input, row by row: one backward pass per
     * element of {@code out}, seeded with that element's basis vector.
     *
     * @param op     the transform's name
     * @param out    a tensor computed from the inputs
     * @param create record the passes
     * @param keep   keep the graph after the last pass (another Jacobian of the same graph follows)
     * @return per input {@code i}, a tensor shaped {@code out.shape ++ inputs[i].shape}
     */
    List<Tensor> jacobianOf(String op, Tensor out, boolean create, boolean keep) {
        int m = out.numel();
        List<List<Tensor>> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(new ArrayList<>(m));
        }
        boolean previous = NoGrad.setEnabled(true);
        try {
            for (int k = 0; k < m; k++) {
                boolean retain = create || keep || k < m - 1;
                List<Tensor> g = pull(op, out, TransformChecks.basis(out, k), retain, create);
                for (int i = 0; i < g.size(); i++) {
                    rows.get(i).add(g.get(i));
                }
            }
            List<Tensor> result = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                int[] shape = TransformChecks.concat(out.shape(), inputs.get(i).shape());
                result.add(m == 0 ? TransformChecks.zeros(inputs.get(i), shape)
                        : Tensor.stack(rows.get(i), 0).reshape(shape));
            }
            return result;
        } finally {
            NoGrad.setEnabled(previous);
        }
    }
}
