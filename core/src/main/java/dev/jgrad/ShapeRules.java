package dev.jgrad;

import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.View;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Rules for views and data movement. Views alias the input's storage; their backward is the
 * inverse movement of the gradient (reshape back, inverse permutation, sum for expand, zero
 * padding for narrow).
 */
final class ShapeRules {
    private ShapeRules() {
    }

    static Tensor reshape(Tensor x, int[] newShape, String op) {
        int[] shape = inferShape(op, x, newShape);
        Tensor src = x.isContiguous() ? x : contiguous(x);
        return restride(op, src.alias(shape, View.contiguousStrides(shape), src.offset), src);
    }

    static Tensor view(Tensor x, int[] newShape) {
        int[] shape = inferShape("view", x, newShape);
        if (!x.isContiguous()) {
            throw new IllegalArgumentException("view: the tensor of shape " + Checks.str(x.shape) + " with strides "
                    + Checks.str(x.strides) + " is not contiguous, so it cannot be viewed as " + Checks.str(newShape)
                    + "; use reshape() (which copies when needed) or contiguous().view(...)");
        }
        return restride("view", x.alias(shape, View.contiguousStrides(shape), x.offset), x);
    }

    /** Records a same-order view: the gradient is simply reshaped back. */
    private static Tensor restride(String name, Tensor out, Tensor src) {
        int[] inShape = src.shape;
        return Rule.unary(name, out, src, (n, g) -> new Tensor[] {g.reshape(inShape)});
    }

    private static int[] inferShape(String op, Tensor x, int[] newShape) {
        long known = 1;   // capped at 2^32: never overflows, and any cap means "too many"
        int infer = -1;
        for (int i = 0; i < newShape.length; i++) {
            if (newShape[i] == -1 && infer < 0) {
                infer = i;
            } else if (newShape[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape " + Checks.str(newShape)
                        + "; sizes must be >= 0, with at most one -1 to infer");
            } else {
                known = Math.min(Math.multiplyExact(known, newShape[i]), 1L << 32);
            }
        }
        int[] shape = newShape.clone();
        int n = x.numel();
        if (infer >= 0 && known != 0 && n % known == 0) {
            shape[infer] = (int) (n / known);
        }
        if ((infer >= 0 && (known == 0 || n % known != 0)) || (infer < 0 && known != n)) {
            throw new IllegalArgumentException(op + ": cannot reshape a tensor of shape " + Checks.str(x.shape)
                    + " (" + n + " elements) into " + Checks.str(newShape));
        }
        Checks.shape(op, shape);
        return shape;
    }

    static Tensor transpose(Tensor x, int dim0, int dim1) {
        int[] perm = new int[x.dim()];
        Arrays.setAll(perm, i -> i);
        int a = Checks.dim("transpose", dim0, x.dim());
        int b = Checks.dim("transpose", dim1, x.dim());
        perm[a] = b;
        perm[b] = a;
        return permute(x, perm);
    }

    static Tensor permute(Tensor x, int[] dims) {
        if (dims.length != x.dim()) {
            throw new IllegalArgumentException("permute: got " + dims.length + " dims " + Checks.str(dims)
                    + " for a tensor of shape " + Checks.str(x.shape) + "; give a permutation of all " + x.dim());
        }
        int[] shape = new int[dims.length], strides = new int[dims.length], inverse = new int[dims.length];
        boolean[] used = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Checks.dim("permute", dims[i], x.dim());
            if (used[d]) {
                throw new IllegalArgumentException("permute: dims " + Checks.str(dims) + " repeat dim " + dims[i]
                        + "; give each of the " + x.dim() + " dims exactly once");
            }
            used[d] = true;
            shape[i] = x.shape[d];
            strides[i] = x.strides[d];
            inverse[d] = i;
        }
        return Rule.unary("permute", x.alias(shape, strides, x.offset), x, (n, g) -> new Tensor[] {g.permute(inverse)});
    }

    static Tensor expand(Tensor x, int[] newShape) {
        if (Arrays.equals(x.shape, newShape)) {
            return x;
        }
        int lead = newShape.length - x.dim();
        if (lead < 0) {
            throw new IllegalArgumentException("expand: cannot expand shape " + Checks.str(x.shape) + " to "
                    + Checks.str(newShape) + ", which has fewer dims");
        }
        int[] shape = new int[newShape.length], strides = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            int old = i < lead ? 1 : x.shape[i - lead];
            int want = newShape[i] == -1 && i >= lead ? old : newShape[i];
            if (want < 0 || (old != 1 && want != old)) {
                throw new IllegalArgumentException("expand: cannot expand shape " + Checks.str(x.shape) + " to "
                        + Checks.str(newShape) + ": at dim " + i + " size " + old + " can only become itself"
                        + (old == 1 ? "" : " (only size-1 dims stretch)") + ", not " + newShape[i]);
            }
            shape[i] = want;
            strides[i] = i < lead || (old == 1 && want != 1) ? 0 : x.strides[i - lead];
        }
        Checks.shape("expand", shape);
        int[] inShape = x.shape;
        return Rule.unary("expand", x.alias(shape, strides, x.offset), x,
                (n, g) -> new Tensor[] {ReductionRules.sumTo(g, inShape)});
    }

    static Tensor squeeze(Tensor x, Integer dim) {
        int[] drop;
        if (dim == null) {
            drop = IntStream.range(0, x.dim()).filter(d -> x.shape[d] == 1).toArray();
        } else {
            int d = Checks.dim("squeeze", dim, x.dim());
            drop = x.shape[d] == 1 ? new int[] {d} : new int[0];
        }
        if (drop.length == 0) {
            return x;
        }
        Tensor out = x.alias(ReductionRules.dropAxes(x.shape, drop), ReductionRules.dropAxes(x.strides, drop), x.offset);
        return restride("squeeze", out, x);
    }

    static Tensor unsqueeze(Tensor x, int dim) {
        int d = Checks.dim("unsqueeze", dim, x.dim() + 1);
        int[] shape = new int[x.dim() + 1], strides = new int[x.dim() + 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) {
                shape[i] = 1;
                strides[i] = d < x.dim() ? x.strides[d] * Math.max(x.shape[d], 1) : 1;
            } else {
                shape[i] = x.shape[j];
                strides[i] = x.strides[j++];
            }
        }
        return restride("unsqueeze", x.alias(shape, strides, x.offset), x);
    }

    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = Checks.dim("narrow", dim, x.dim());
        int size = x.shape[d];
        if (start < 0 || length < 0 || start + length > size) {
            throw new IllegalArgumentException("narrow: start " + start + " and length " + length + " do not fit dim "
                    + dim + " of size " + size + " in shape " + Checks.str(x.shape)
                    + "; need 0 <= start and start + length <= " + size);
        }
        int[] shape = x.shape.clone();
        shape[d] = length;
        Tensor out = x.alias(shape, x.strides, x.offset + (length == 0 ? 0 : start * x.strides[d]));
        return Rule.unary("narrow", out, x, (n, g) -> new Tensor[] {padNarrow(g, d, start, size)});
    }

    /** The adjoint of narrow: {@code g} placed at {@code [start, start+len)} of a zero tensor. */
    private static Tensor padNarrow(Tensor g, int d, int start, int size) {
        int[] shape = g.shape.clone();
        shape[d] = size;
        Tensor out = Ops.full(g.device(), g.dtype, shape, 0);
        int len = g.shape[d];
        Ops.copyInto(g, out.alias(g.shape, out.strides, out.offset + start * out.strides[d]).desc());
        return Rule.unary("padNarrow", out, g, (n, gg) -> new Tensor[] {gg.narrow(d, start, len)});
    }

    static Tensor contiguous(Tensor x) {
        return x.isContiguous() ? x : copy(x);
    }

    static Tensor copy(Tensor x) {
        return Rule.unary("copy", Ops.unary(UnaryOp.IDENTITY, 0, x), x, (n, g) -> new Tensor[] {g});
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: needs at least one tensor");
        }
        Tensor first = tensors.get(0);
        int d = Checks.dim("cat", dim, first.dim());
        long total = 0;
        for (Tensor t : tensors) {
            Checks.compatible("cat", first, t);
            for (int i = 0; i < first.dim(); i++) {
                if (t.dim() != first.dim() || (i != d && t.shape[i] != first.shape[i])) {
                    throw new IllegalArgumentException("cat: shapes " + Checks.str(first.shape) + " and "
                            + Checks.str(t.shape) + " differ outside dim " + dim + "; all other dims must match");
                }
            }
            total += t.shape[d];
        }
        int[] shape = first.shape.clone();
        if (total > Checks.MAX_ELEMENTS) {
            throw new IllegalArgumentException("cat: the tensors' sizes along dim " + dim + " add up to " + total
                    + ", more than the limit of " + Checks.MAX_ELEMENTS + " (2^31 - 1) for one dimension");
        }
        shape[d] = (int) total;
        Checks.shape("cat", shape);
        Tensor out = Ops.empty(first.device(), first.dtype, shape);
        int[] starts = new int[tensors.size()];
        int at = 0;
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            starts[k] = at;
            Ops.copyInto(t, out.alias(t.shape, out.strides, out.offset + at * out.strides[d]).desc());
            at += t.shape[d];
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        return Rule.record("cat", out, inputs, (n, g) -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int k = 0; k < inputs.length; k++) {
                grads[k] = n.needsInputGrad(k) ? g.narrow(d, starts[k], inputs[k].shape[d]) : null;
            }
            return grads;
        });
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors == null || tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: needs at least one tensor");
        }
        int d = Checks.dim("stack", dim, tensors.get(0).dim() + 1);
        for (Tensor t : tensors) {
            Checks.compatible("stack", tensors.get(0), t);
            if (!Arrays.equals(t.shape, tensors.get(0).shape)) {
                throw new IllegalArgumentException("stack: all tensors must have one shape, got "
                        + Checks.str(tensors.get(0).shape) + " and " + Checks.str(t.shape));
            }
        }
        int[] stacked = new int[tensors.get(0).dim() + 1];
        for (int i = 0, j = 0; i < stacked.length; i++) {
            stacked[i] = i == d ? tensors.size() : tensors.get(0).shape[j++];
        }
        Checks.shape("stack", stacked);
        return cat(tensors.stream().map(t -> t.unsqueeze(d)).toList(), d);
    }

    static Tensor toDevice(Tensor x, Device device) {
        if (device.equals(x.device())) {
            return x;
        }
        Device from = x.device();
        Tensor out = HostCopy.transfer(x, device, x.dtype);
        return Rule.unary("toDevice", out, x, (n, g) -> new Tensor[] {g.to(from.name())});
    }

    static Tensor toDType(Tensor x, DType dtype) {
        if (dtype == x.dtype) {
            return x;
        }
        DType from = x.dtype;
        Tensor out = HostCopy.transfer(x, x.device(), dtype);
        if (!dtype.isFloatingPoint() || !from.isFloatingPoint()) {
            return out;
        }
        return Rule.unary("toDType", out, x, (n, g) -> new Tensor[] {g.to(from)});
    }
}
