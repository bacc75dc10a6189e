package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.UnaryOp;
import java.util.Arrays;

/**
 * The gate every in-place write passes, for optimizers and {@code nn}: it refuses a target that
 * requires grad while recording or is an expanded view, checks devices, dtypes and shapes, copies
 * an overlapping operand first, runs the kernel through {@link Ops}, and bumps the storage's
 * version counter, so backward through a saved tensor that was changed is an error instead of a
 * wrong gradient. Everything is validated before anything is written: nothing is half-modified.
 */
final class InPlace {
    private InPlace() {
    }

    private static void guard(String op, Tensor self) {
        if (NoGrad.isGradEnabled() && self.requiresGrad()) {
            throw new IllegalStateException(op + ": the tensor of shape " + Checks.str(self.shape)
                    + " requires grad, so it cannot be modified in place while the graph is recording; do the"
                    + " update inside NoGrad.enter(), or use the out-of-place op");
        }
        for (int d = 0; d < self.dim(); d++) {
            if (self.strides[d] == 0 && self.shape[d] > 1) {
                throw new IllegalArgumentException(op + ": the tensor of shape " + Checks.str(self.shape)
                        + " is an expanded view (stride 0 at dim " + d + "), so several elements share memory;"
                        + " call contiguous() first");
            }
        }
    }

    private static Tensor operand(String op, Tensor self, Tensor other) {
        Checks.compatible(op, self, other);
        if (!Broadcast.broadcastsTo(other.shape, self.shape)) {
            throw new IllegalArgumentException(op + ": the operand of shape " + Checks.str(other.shape)
                    + " does not broadcast to the updated tensor's shape " + Checks.str(self.shape));
        }
        // An operand sharing memory with the target may overlap it in another order: read a copy.
        // The very same view needs none: each element is read before it is written.
        boolean sameView = other.offset == self.offset && Arrays.equals(other.shape, self.shape)
                && Arrays.equals(other.strides, self.strides);
        return other.storage == self.storage && !sameView ? Ops.unary(UnaryOp.IDENTITY, 0, other) : other;
    }

    static Tensor binary(String op, Tensor self, Tensor other, BinaryOp kind) {
        guard(op, self);
        Checks.floating(op, self);
        Tensor src = operand(op, self, other);
        Ops.binaryInto(kind, self, src);
        self.bumpVersion();
        return self;
    }

    static Tensor axpy(Tensor self, Tensor other, double alpha) {
        String op = "addInPlace";
        guard(op, self);
        Checks.floating(op, self);
        Tensor src = operand(op, self, other);
        Ops.axpy(alpha, src, self);
        self.bumpVersion();
        return self;
    }

    static Tensor scalar(String op, Tensor self, UnaryOp kind, double value) {
        guard(op, self);
        Checks.floating(op, self);
        Ops.unaryInto(kind, value, self);
        self.bumpVersion();
        return self;
    }

    static Tensor fill(Tensor self, double value) {
        guard("fillInPlace", self);
        Ops.fill(self, value);
        self.bumpVersion();
        return self;
    }

    static Tensor copy(Tensor self, Tensor src) {
        guard("copyInPlace", self);
        Tensor s = operand("copyInPlace", self, src);
        Ops.copyInto(s, self.desc());
        self.bumpVersion();
        return self;
    }
}
