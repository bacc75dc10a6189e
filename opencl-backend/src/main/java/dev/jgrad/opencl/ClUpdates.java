package dev.jgrad.opencl;

import static dev.jgrad.opencl.OpenClBackend.cl;

import dev.jgrad.DType;
import dev.jgrad.backend.UpdateStep;
import dev.jgrad.backend.View;

/**
 * The fused optimizer updates on OpenCL ({@code optim.cl}): one kernel launch per parameter, each
 * enqueued without waiting, so a step over many parameters costs no host round trip. Called with
 * the backend's lock held.
 */
final class ClUpdates {
    private final OpenClBackend cl;

    ClUpdates(OpenClBackend cl) {
        this.cl = cl;
    }

    /** @return false when the row needs the composed default (a strided operand) */
    boolean run(UpdateStep step, View[] row) {
        DType t = row[0].buffer().dtype();
        for (View v : row) {
            if (!v.isContiguous() || v.buffer().dtype() != t || t == DType.I64) {
                return false;
            }
        }
        int n = row[0].numel();
        Launch l = cl.launch(t, kernel(step)).buf(cl(row[0]), row[0].offset()).buf(cl(row[1]), row[1].offset());
        switch (step) {
            case UpdateStep.Sgd s -> state(l, row, 2).i32(n).real(-s.lr()).real(s.weightDecay()).real(s.momentum())
                    .real(1 - s.dampening()).i32(s.momentum() != 0 ? 1 : 0).i32(s.nesterov() ? 1 : 0)
                    .i32(s.first() ? 1 : 0);
            case UpdateStep.Adam s -> state(state(state(l, row, 2), row, 3), row, 4).i32(n).real(-s.stepSize())
                    .real(s.beta1()).real(1 - s.beta1()).real(s.beta2()).real(1 - s.beta2()).real(s.eps())
                    .real(s.weightDecay()).real(s.shrink()).real(s.bias2Sqrt()).i32(s.amsgrad() ? 1 : 0);
            case UpdateStep.RmsProp s -> {
                int bufAt = s.momentum() > 0 ? (s.centered() ? 4 : 3) : -1;
                state(state(state(l, row, 2), row, s.centered() ? 3 : -1), row, bufAt).i32(n).real(-s.lr())
                        .real(s.alpha()).real(1 - s.alpha()).real(s.eps()).real(s.weightDecay()).real(s.momentum())
                        .i32(s.centered() ? 1 : 0).i32(bufAt >= 0 ? 1 : 0);
            }
            case UpdateStep.Adagrad s -> state(l, row, 2).i32(n).real(-s.clr()).real(s.weightDecay()).real(s.eps());
        }
        l.run(n);
        return true;
    }

    private static String kernel(UpdateStep step) {
        return switch (step) {
            case UpdateStep.Sgd s -> "update_sgd";
            case UpdateStep.Adam s -> "update_adam";
            case UpdateStep.RmsProp s -> "update_rmsprop";
            case UpdateStep.Adagrad s -> "update_adagrad";
        };
    }

    /** Passes state {@code k} of the row, or the parameter itself as an untouched placeholder when absent. */
    private static Launch state(Launch l, View[] row, int k) {
        View v = k >= 0 && k < row.length ? row[k] : row[0];
        return l.buf(cl(v), v.offset());
    }
}
