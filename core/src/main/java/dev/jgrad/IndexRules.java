package dev.jgrad;

import java.util.Arrays;

/**
 * Rules for indexing. {@code gather} and {@code scatterAdd} are each other's adjoint; embedding
 * lookups ({@code indexSelect}) are a gather through a broadcast index, so they need no rule of
 * their own. Gathers copy elements exactly, so they accept every dtype, I64 included.
 */
final class IndexRules {
    private IndexRules() {
    }

    static Tensor gather(Tensor x, int dim, Tensor index) {
        int d = checkIndex("gather", x, dim, index);
        for (int i = 0; i < x.dim(); i++) {
            if (i != d && index.shape[i] > x.shape[i]) {
                throw new IllegalArgumentException("gather: index shape " + Checks.str(index.shape)
                        + " exceeds input shape " + Checks.str(x.shape) + " at dim " + i + " (only dim " + dim
                        + " may differ)");
            }
        }
        Checks.indexRange("gather", index, x.shape[d], "index");
        return checkedGather("gather", x, d, index);
    }

    /**
     * The gather itself, on validated arguments; {@code op} names the node. Integer inputs never
     * require grad, so for them this is the forward alone.
     */
    private static Tensor checkedGather(String op, Tensor x, int d, Tensor index) {
        int[] inShape = x.shape;
        return Rule.unary(op, Ops.gather(x, d, index), x, (n, g) -> new Tensor[] {
            Ops.full(g.device(), g.dtype, inShape, 0).scatterAdd(d, index, g)});
    }

    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        int d = checkIndex("scatterAdd", self, dim, index);
        // Accumulation runs in double precision on some backends, so integer sums are refused.
        Checks.floating("scatterAdd", self);
        Checks.compatible("scatterAdd", self, src);
        if (!Arrays.equals(index.shape, src.shape)) {
            throw new IllegalArgumentException("scatterAdd: index shape " + Checks.str(index.shape)
                    + " must equal src shape " + Checks.str(src.shape));
        }
        for (int i = 0; i < self.dim(); i++) {
            if (i != d && index.shape[i] > self.shape[i]) {
                throw new IllegalArgumentException("scatterAdd: index shape " + Checks.str(index.shape)
                        + " exceeds self shape " + Checks.str(self.shape) + " at dim " + i);
            }
        }
        Checks.indexRange("scatterAdd", index, self.shape[d], "index");
        Tensor out = Ops.scatterAdd(self, d, index, src);
        return Rule.record("scatterAdd", out, new Tensor[] {self, src}, (n, g) -> new Tensor[] {
            n.needsInputGrad(0) ? g : null,
            n.needsInputGrad(1) ? g.gather(d, index) : null});
    }

    static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        Checks.index("indexSelect", index);
        Checks.sameDevice("indexSelect", x, index);
        if (index.dim() != 1) {
            throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + Checks.str(index.shape));
        }
        int d = Checks.dim("indexSelect", dim, x.dim());
        Checks.indexRange("indexSelect", index, x.shape[d], "index");
        int[] shape = x.shape.clone();
        shape[d] = index.shape[0];
        Checks.shape("indexSelect", shape);
        int[] strides = new int[shape.length];
        strides[d] = index.strides[0];
        return checkedGather("indexSelect", x, d, index.alias(shape, strides, index.offset));
    }

    private static int checkIndex(String op, Tensor x, int dim, Tensor index) {
        Checks.index(op, index);
        Checks.sameDevice(op, x, index);
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index has shape " + Checks.str(index.shape) + " but the input has "
                    + Checks.str(x.shape) + "; they need the same number of dims");
        }
        return Checks.dim(op, dim, x.dim());
    }
}
