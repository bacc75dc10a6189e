package dev.jgrad.opencl;

import static dev.jgrad.opencl.OpenClBackend.cl;

import dev.jgrad.DType;
import dev.jgrad.backend.View;

/**
 * The per-channel normalisation primitives on OpenCL ({@code nn.cl}): statistics and sums one
 * work-item per channel (each reads its channel once), the affine pass one work-item per element.
 * Called with the backend's lock held; each returns false for layouts it does not take (the caller
 * then runs the composed default).
 */
final class ClNorm {
    private final OpenClBackend cl;

    ClNorm(OpenClBackend cl) {
        this.cl = cl;
    }

    boolean moments(View x, View mean, View var) {
        DType t = x.buffer().dtype();
        if (!x.isContiguous() || t == DType.I64 || x.numel() == 0) {
            return false;
        }
        int[] s = x.shape();
        cl.launch(t, "channel_moments").buf(cl(x), x.offset()).i32(s[0]).i32(s[1]).i32(s[2])
                .buf(cl(mean), mean.offset()).i32(mean.strides()[0]).buf(cl(var), var.offset()).i32(var.strides()[0])
                .run(s[1]);
        return true;
    }

    boolean affine(View a, View sa, View x, View sx, View shift, View out) {
        DType t = a.buffer().dtype();
        if (!a.isContiguous() || !out.isContiguous() || x != null && !x.isContiguous() || t == DType.I64) {
            return false;
        }
        int[] s = a.shape();
        View xx = x == null ? a : x, sxx = x == null ? sa : sx;
        if (out.numel() > 0) {
            cl.launch(t, "channel_affine").buf(cl(a), a.offset()).buf(cl(sa), sa.offset()).i32(sa.strides()[0])
                    .buf(cl(xx), xx.offset()).buf(cl(sxx), sxx.offset()).i32(sxx.strides()[0]).i32(x == null ? 0 : 1)
                    .buf(cl(shift), shift.offset()).i32(shift.strides()[0]).buf(cl(out), out.offset()).i32(s[1])
                    .i32(s[2]).i32(out.numel()).run(out.numel());
        }
        return true;
    }

    boolean sums(View g, View x, View center, View sums, View dots) {
        DType t = g.buffer().dtype();
        if (!g.isContiguous() || !x.isContiguous() || t == DType.I64) {
            return false;
        }
        int[] s = g.shape();
        if (s[1] > 0) {
            cl.launch(t, "channel_sums").buf(cl(g), g.offset()).buf(cl(x), x.offset()).buf(cl(center), center.offset())
                    .i32(center.strides()[0]).buf(cl(sums), sums.offset()).i32(sums.strides()[0])
                    .buf(cl(dots), dots.offset()).i32(dots.strides()[0]).i32(s[0]).i32(s[1]).i32(s[2]).run(s[1]);
        }
        return true;
    }
}
