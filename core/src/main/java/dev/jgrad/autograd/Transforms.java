package dev.jgrad.autograd;

import dev.jgrad.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Functional derivatives of a function given as code, PyTorch's {@code torch.autograd.functional}:
 * vector-Jacobian and Jacobian-vector products, full Jacobians and Hessians, Hessian-vector products.
 * For {@code f: R^n -> R^m} with Jacobian {@code J} (an {@code m x n} matrix of {@code dy_i/dx_j}):
 * <ul>
 *   <li>{@code vjp(f, x, v) = vᵀJ}, shaped like {@code x} — one backward pass;</li>
 *   <li>{@code jvp(f, x, v) = Jv}, shaped like {@code f(x)} — computed by the <em>double-vjp trick</em>,
 *       not with dual numbers: {@code g(u) = uᵀJ} is recorded for a dummy {@code u} (zeros, requiring
 *       grad), and since {@code g} is linear in {@code u}, {@code d<g(u), v>/du = Jv}. It costs two
 *       backward passes, the first recorded, and needs every rule's backward to be differentiable,
 *       which jgrad's rules are (they are written with {@link Tensor} ops);</li>
 *   <li>{@code jacobian(f, x)}, shaped {@code f(x).shape ++ x.shape} — one backward pass per output
 *       element, the graph retained between them;</li>
 *   <li>{@code hessian(f, x)} for a single-element {@code f}, shaped {@code x.shape ++ x.shape} — the
 *       Jacobian of the recorded gradient;</li>
 *   <li>{@code hvp(f, x, v) = Hv}, shaped like {@code x} — computed as {@code d<∇f(x), v>/dx}, which is
 *       {@code vᵀH}: equal to {@code Hv} because {@code H} is symmetric wherever {@code f} is twice
 *       continuously differentiable (PyTorch's {@code vhp}; its {@code hvp} agrees there).</li>
 * </ul>
 *
 * <p>{@code f} is called once per transform (its inputs are fresh leaves, or with
 * {@code createGraph} views of the caller's tensors), with grad mode on whatever the caller's mode.
 * As PyTorch with {@code strict=False}, an output that does not depend on an input gives zeros for it.
 * Without {@code createGraph} the results are plain tensors outside any graph; with it they are
 * recorded, so they can be differentiated again, also with respect to the caller's inputs that
 * require grad. Multi-input forms take and return lists, one entry per input, in order.
 */
public final class Transforms {
    private Transforms() {
    }

    /** {@link #vjp(Function, Tensor, Tensor, boolean)} without {@code createGraph}. */
    public static Tensor vjp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return vjp(f, x, v, false);
    }

    /**
     * Vector-Jacobian product {@code vᵀ·∂f/∂x}.
     *
     * @param f           the function
     * @param x           a floating-point input (not modified)
     * @param v           shaped like {@code f(x)}
     * @param createGraph record the computation so the result is differentiable
     * @return the product, shaped like {@code x}
     */
    public static Tensor vjp(Function<Tensor, Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        return vjp(single(f), List.of(x), v, createGraph).get(0);
    }

    /**
     * Multi-input vector-Jacobian product: {@code vᵀ·∂f/∂x_i} for each input.
     *
     * @param f           the function of the list of inputs
     * @param xs          floating-point inputs (not modified)
     * @param v           shaped like {@code f(xs)}
     * @param createGraph record the computation so the results are differentiable
     * @return one product per input, shaped like it
     */
    public static List<Tensor> vjp(Function<List<Tensor>, Tensor> f, List<Tensor> xs, Tensor v, boolean createGraph) {
        Traced t = Traced.of("vjp", f, xs, createGraph);
        TransformChecks.sameShape("vjp", "v", v, "f(x)", t.output());
        return t.pull("vjp", t.output(), v, createGraph);
    }

    /** {@link #jvp(Function, Tensor, Tensor, boolean)} without {@code createGraph}. */
    public static Tensor jvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return jvp(f, x, v, false);
    }

    /**
     * Jacobian-vector product {@code ∂f/∂x·v} (forward-mode derivative in direction {@code v}),
     * computed by the double-vjp trick described in the class comment.
     *
     * @param f           the function
     * @param x           a floating-point input (not modified)
     * @param v           shaped like {@code x}
     * @param createGraph record the computation so the result is differentiable
     * @return the product, shaped like {@code f(x)}
     */
    public static Tensor jvp(Function<Tensor, Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        return jvp(single(f), List.of(x), List.of(v), createGraph);
    }

    /**
     * Multi-input Jacobian-vector product {@code Σ_i ∂f/∂x_i·v_i}.
     *
     * @param f           the function of the list of inputs
     * @param xs          floating-point inputs (not modified)
     * @param vs          one direction per input, shaped like it
     * @param createGraph record the computation so the result is differentiable
     * @return the product, shaped like {@code f(xs)}
     */
    public static Tensor jvp(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> vs,
                             boolean createGraph) {
        Traced t = Traced.of("jvp", f, xs, createGraph);
        TransformChecks.directions("jvp", vs, t.inputs());
        Tensor y = t.output();
        if (!y.requiresGrad()) {
            return TransformChecks.zerosLike(y);
        }
        Tensor u = TransformChecks.zerosLike(y).requiresGrad(true);
        boolean previous = NoGrad.setEnabled(true);
        try {
            Tensor[] g = Autograd.gradients("jvp", y, t.inputs(), u, true, true);
            Tensor dot = TransformChecks.dot(g, vs);
            if (dot == null || !dot.requiresGrad()) {
                return TransformChecks.zerosLike(y);
            }
            Tensor[] jv = Autograd.gradients("jvp", dot, List.of(u), dot.onesLike(), createGraph, createGraph);
            return jv[0] == null ? TransformChecks.zerosLike(y) : jv[0];
        } finally {
            NoGrad.setEnabled(previous);
        }
    }

    /** {@link #jacobian(Function, Tensor, boolean)} without {@code createGraph}. */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x) {
        return jacobian(f, x, false);
    }

    /**
     * The full Jacobian {@code J[i..., j...] = ∂f(x)[i...]/∂x[j...]}, one backward pass per element
     * of {@code f(x)}.
     *
     * @param f           the function
     * @param x           a floating-point input (not modified)
     * @param createGraph record the computation so the result is differentiable
     * @return the Jacobian, shaped {@code f(x).shape ++ x.shape}
     */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x, boolean createGraph) {
        return jacobian(single(f), List.of(x), createGraph).get(0);
    }

    /**
     * Multi-input Jacobian: one block per input.
     *
     * @param f           the function of the list of inputs
     * @param xs          floating-point inputs (not modified)
     * @param createGraph record the computation so the results are differentiable
     * @return per input {@code i}, {@code ∂f/∂x_i} shaped {@code f(xs).shape ++ x_i.shape}
     */
    public static List<Tensor> jacobian(Function<List<Tensor>, Tensor> f, List<Tensor> xs, boolean createGraph) {
        Traced t = Traced.of("jacobian", f, xs, createGraph);
        return t.jacobianOf("jacobian", t.output(), createGraph, false);
    }

    /** {@link #hessian(Function, Tensor, boolean)} without {@code createGraph}. */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x) {
        return hessian(f, x, false);
    }

    /**
     * The Hessian {@code H[i..., j...] = ∂²f/∂x[i...]∂x[j...]} of a single-element {@code f}: the
     * Jacobian of the recorded gradient.
     *
     * @param f           a function returning a tensor of one element
     * @param x           a floating-point input (not modified)
     * @param createGraph record the computation so the result is differentiable
     * @return the Hessian, shaped {@code x.shape ++ x.shape}
     */
    public static Tensor hessian(Function<Tensor, Tensor> f, Tensor x, boolean createGraph) {
        return hessian(single(f), List.of(x), createGraph).get(0).get(0);
    }

    /**
     * Multi-input Hessian: block {@code [i][j]} is {@code ∂²f/∂x_i∂x_j}.
     *
     * @param f           a function of the list of inputs returning a tensor of one element
     * @param xs          floating-point inputs (not modified)
     * @param createGraph record the computation so the results are differentiable
     * @return blocks shaped {@code x_i.shape ++ x_j.shape}
     */
    public static List<List<Tensor>> hessian(Function<List<Tensor>, Tensor> f, List<Tensor> xs,
                                             boolean createGraph) {
        Traced t = Traced.of("hessian", f, xs, createGraph);
        TransformChecks.scalar("hessian", t.output());
        List<Tensor> grads = t.pull("hessian", t.output(), t.output().onesLike(), true);
        List<List<Tensor>> rows = new ArrayList<>();
        for (int i = 0; i < grads.size(); i++) {
            rows.add(t.jacobianOf("hessian", grads.get(i), createGraph, i < grads.size() - 1));
        }
        return rows;
    }

    /** {@link #hvp(Function, Tensor, Tensor, boolean)} without {@code createGraph}. */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v) {
        return hvp(f, x, v, false);
    }

    /**
     * Hessian-vector product {@code H·v} of a single-element {@code f}, without forming {@code H}:
     * {@code d<∇f(x), v>/dx} (two backward passes; see the class comment on symmetry).
     *
     * @param f           a function returning a tensor of one element
     * @param x           a floating-point input (not modified)
     * @param v           shaped like {@code x}
     * @param createGraph record the computation so the result is differentiable
     * @return the product, shaped like {@code x}
     */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        return hvp(single(f), List.of(x), List.of(v), createGraph).get(0);
    }

    /**
     * Multi-input Hessian-vector product: entry {@code i} is {@code Σ_j H_ij·v_j}.
     *
     * @param f           a function of the list of inputs returning a tensor of one element
     * @param xs          floating-point inputs (not modified)
     * @param vs          one vector per input, shaped like it
     * @param createGraph record the computation so the results are differentiable
     * @return one product per input, shaped like it
     */
    public static List<Tensor> hvp(Function<List<Tensor>, Tensor> f, List<Tensor> xs, List<Tensor> vs,
                                   boolean createGraph) {
        Traced t = Traced.of("hvp", f, xs, createGraph);
        TransformChecks.scalar("hvp", t.output());
        TransformChecks.directions("hvp", vs, t.inputs());
        List<Tensor> grads = t.pull("hvp", t.output(), t.output().onesLike(), true);
        Tensor dot;
        boolean previous = NoGrad.setEnabled(true);
        try {
            dot = TransformChecks.dot(grads.toArray(new Tensor[0]), vs);
        } finally {
            NoGrad.setEnabled(previous);
        }
        return t.pull("hvp", dot, dot.onesLike(), createGraph);
    }

    private static Function<List<Tensor>, Tensor> single(Function<Tensor, Tensor> f) {
        if (f == null) {
            throw new IllegalArgumentException("transforms: the function f is null");
        }
        return xs -> f.apply(xs.get(0));
    }
}
