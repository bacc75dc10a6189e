package dev.jgrad;

import dev.jgrad.autograd.NoGrad;
import dev.jgrad.backend.Backend;
import dev.jgrad.backend.BinaryOp;
import dev.jgrad.backend.UnaryOp;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.backend.View;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * One fused optimizer step over many parameters (see {@link Backend#update}): every row
     * {@code {p, g, states...}} is validated before anything is written (each operand on p's device,
     * of p's dtype and shape, no two parameters sharing memory), then the rows with equal steps on one
     * device run in one backend call, then the versions of every parameter and state are bumped.
     *
     * @param op    the optimizer's name, for messages
     * @param steps the rule and its coefficients for each row
     * @param rows  one row per parameter
     * @param ids   the parameter index of each row, for messages
     */
    static void update(String op, List<UpdateStep> steps, List<Tensor[]> rows, int[] ids) {
        record Call(Backend backend, UpdateStep step) {
        }
        Map<Call, List<View[]>> calls = new LinkedHashMap<>();
        Map<Storage, Integer> owner = new IdentityHashMap<>(2 * rows.size());
        for (int r = 0; r < rows.size(); r++) {
            Tensor[] row = rows.get(r);
            Tensor p = row[0];
            UpdateStep step = steps.get(r);
            if (!writable(p)) {
                guard(op + ": parameter " + ids[r], p);
                Checks.floating(op + ": parameter " + ids[r], p);
            }
            Integer other = owner.putIfAbsent(p.storage, ids[r]);
            if (other != null) {
                throw new IllegalArgumentException(op + ": parameter " + ids[r] + " " + Checks.str(p.shape) + " shares memory with parameter "
                        + other + "; each parameter must own its storage (pass each tensor once)");
            }
            if (row.length != 2 + step.states()) {
                throw new IllegalArgumentException(op + ": parameter " + ids[r] + ": " + step.getClass().getSimpleName() + " needs "
                        + step.states() + " state tensors, got " + (row.length - 2));
            }
            View[] views = new View[row.length];
            views[0] = p.desc();
            for (int k = 1; k < row.length; k++) {
                views[k] = operandOf(op, ids[r], p, row[k], k).desc();
            }
            calls.computeIfAbsent(new Call(p.backend(), step), c -> new ArrayList<>()).add(views);
        }
        calls.forEach((c, views) -> Ops.update(c.backend(), c.step(), views.toArray(View[][]::new)));
        for (Tensor[] row : rows) {
            row[0].bumpVersion();
            for (int k = 2; k < row.length; k++) {
                row[k].bumpVersion();
            }
        }
    }

    /** @return whether {@link #guard} and {@link Checks#floating} would pass, checked without building messages */
    private static boolean writable(Tensor t) {
        if (NoGrad.isGradEnabled() && t.requiresGrad() || !t.dtype().isFloatingPoint()) {
            return false;
        }
        for (int d = 0; d < t.dim(); d++) {
            if (t.strides[d] == 0 && t.shape[d] > 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param k 1 for the gradient, 2... for the states
     * @return {@code t} checked against the parameter, or a copy of it where it shares the parameter's memory
     */
    private static Tensor operandOf(String op, int id, Tensor p, Tensor t, int k) {
        if (t.device() != p.device() && !t.device().equals(p.device()) || t.dtype() != p.dtype()
                || !Arrays.equals(t.shape, p.shape)) {
            String role = k == 1 ? "its gradient" : "its state " + (k - 2);
            throw new IllegalArgumentException(op + ": parameter " + id + " is " + p.dtype() + " " + Checks.str(p.shape) + " on "
                    + p.device() + " but " + role + " is " + t.dtype() + " " + Checks.str(t.shape) + " on "
                    + t.device() + "; they must match in device, dtype and shape");
        }
        return t.storage == p.storage ? Ops.unary(UnaryOp.IDENTITY, 0, t) : t;
    }
}
